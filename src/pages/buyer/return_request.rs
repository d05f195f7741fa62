use leptos::prelude::*;
use rules::api::{CaseView, OrderView};

use crate::api;
use crate::components::{Loaded, ReturnForm};
use crate::route::{use_router, Route};

/// Starting a return for one order: `/orders/:order_id/return?line=…`.
#[component]
pub fn ReturnRequestPage(
    /// The order's id, from the address.
    order_id: String,
    /// The line the buyer clicked, if any.
    line: Option<String>,
) -> impl IntoView {
    let order = api::order(Signal::stored(order_id));
    let router = use_router();
    let on_filed =
        Callback::new(move |case: CaseView| router.go(&Route::Case { id: case.id }.href()));
    let render = move |view: OrderView| {
        let line = line.clone();
        view! {
            <p class="muted">{format!("{} · order {}", view.store, view.order.id)}</p>
            <ReturnForm order=view.order line on_filed />
        }
        .into_any()
    };
    view! {
        <h1>"Return or refund"</h1>
        <Loaded
            load=order
            loading="Loading the order…"
            render=render
        />
    }
}
