use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use rules::api::{CaseView, OrderView};

use crate::api;
use crate::components::{Loaded, ReturnForm};

/// Starting a return for one order: `/orders/:order_id/return?line=…`.
#[component]
pub fn ReturnRequestPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = api::order(Signal::derive(move || {
        params.read().get("order_id").unwrap_or_default()
    }));
    let navigate = use_navigate();
    let on_filed = Callback::new(move |case: CaseView| {
        navigate(&format!("/returns/{}", case.id), Default::default());
    });
    let render = move |view: OrderView| {
        let line = query.read_untracked().get("line");
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
