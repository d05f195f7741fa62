use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use rules::api::CaseView;

use crate::api;
use crate::components::{ErrorView, ReturnForm};

/// Starting a return for one order: `/orders/:order_id/return?line=…`.
#[component]
pub fn ReturnRequestPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let order = LocalResource::new(move || {
        let id = params.read().get("order_id").unwrap_or_default();
        async move { api::order(&id).await }
    });
    let navigate = use_navigate();
    let on_filed = Callback::new(move |case: CaseView| {
        navigate(&format!("/returns/{}", case.id), Default::default());
    });
    view! {
        <h1>"Return or refund"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading the order…"</p> }>
            <ErrorBoundary fallback=move |errors| {
                view! { <ErrorView errors retry=move |_| order.refetch() /> }
            }>
                {move || Suspend::new(async move {
                    order
                        .await
                        .map(|view| {
                            let line = query.read_untracked().get("line");
                            view! {
                                <p class="muted">{format!("{} · order {}", view.store, view.order.id)}</p>
                                <ReturnForm order=view.order line=line.unwrap_or_default() on_filed />
                            }
                        })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
