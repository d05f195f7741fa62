use leptos::prelude::*;

use crate::components::case_queue::CaseQueue;

/// Every case on the seller's orders.
#[component]
pub fn SellerReturnsPage() -> impl IntoView {
    view! { <CaseQueue title="queue.title" escalated_filter=true /> }
}
