use leptos::prelude::*;

use rules::api::OrderView;

use crate::api;
use crate::components::order_card::order_card;
use crate::components::Loaded;
use crate::markup::Markup;
use crate::text::t;

/// The buyer's orders, each line with a way to start a return.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = api::orders();
    let render = |list: Vec<OrderView>| {
        let empty = list.is_empty();
        let cards: Markup = list.iter().map(order_card).collect();
        view! {
            <p class="empty" hidden=!empty>{t("orders.empty")}</p>
            <div inner_html=cards.into_html()></div>
        }
        .into_any()
    };
    view! {
        <h1>{t("orders.title")}</h1>
        <Loaded load=orders loading="orders.loading" render=render />
    }
}
