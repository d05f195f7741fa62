use leptos::prelude::*;

use rules::api::OrderView;

use crate::api;
use crate::components::{Loaded, OrderCard};
use crate::text::t;

/// The buyer's orders, each line with a way to start a return.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = api::orders();
    let render = |list: Vec<OrderView>| {
        let empty = list.is_empty();
        let cards = list
            .into_iter()
            .map(|order| view! { <OrderCard order /> })
            .collect_view();
        view! {
            <p class="empty" hidden=!empty>{t("orders.empty")}</p>
            {cards}
        }
        .into_any()
    };
    view! {
        <h1>{t("orders.title")}</h1>
        <Loaded load=orders loading="orders.loading" render=render />
    }
}
