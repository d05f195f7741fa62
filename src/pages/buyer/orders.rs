use leptos::prelude::*;

use crate::api;
use crate::components::{ErrorView, OrderCard};

/// The buyer's orders, each line with a way to start a return.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = LocalResource::new(api::orders);
    view! {
        <h1>"My orders"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading your orders…"</p> }>
            <ErrorBoundary fallback=move |errors| {
                view! { <ErrorView errors retry=move |_| orders.refetch() /> }
            }>
                {move || Suspend::new(async move {
                    orders
                        .await
                        .map(|list| {
                            if list.is_empty() {
                                view! { <p class="empty">"You have no orders yet."</p> }.into_any()
                            } else {
                                list.into_iter()
                                    .map(|order| view! { <OrderCard order /> })
                                    .collect_view()
                                    .into_any()
                            }
                        })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
