use leptos::prelude::*;
use rules::api::OrderView;

use crate::api;
use crate::components::{Loaded, ReturnForm};
use crate::route::{use_router, Route};
use crate::text::{t, tf};

/// Starting a return for one order: `/orders/:order_id/return?line=…`.
#[component]
pub fn ReturnRequestPage(
    /// The order's id, from the address.
    order_id: String,
    /// The line the buyer clicked, if any.
    line: Option<String>,
) -> impl IntoView {
    let order = api::order(order_id);
    let router = use_router();
    let on_filed = Callback::new(move |id: String| router.go(&Route::Case { id }.href()));
    let render = move |view: OrderView| {
        let line = line.clone();
        view! {
            <p class="muted">{tf("wizard.order_of", &[("store", &view.store), ("id", &view.order.id)])}</p>
            <ReturnForm order=view.order policy=view.policy taken=view.cases line on_filed />
        }
        .into_any()
    };
    view! {
        <h1>{t("wizard.title")}</h1>
        <Loaded load=order loading="wizard.loading" render=render />
    }
}
