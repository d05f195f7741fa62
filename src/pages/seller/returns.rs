use leptos::prelude::*;
use rules::Party;

use crate::components::case_queue::CaseQueue;

/// Every case on the seller's orders.
#[component]
pub fn SellerReturnsPage() -> impl IntoView {
    view! { <CaseQueue title="queue.title" viewer=Party::Seller /> }
}
