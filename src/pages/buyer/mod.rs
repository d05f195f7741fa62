mod credits;
mod orders;
mod return_request;

pub use credits::CreditsPage;
pub use orders::OrdersPage;

use leptos::prelude::*;
use rules::Party;

use crate::components::case_queue::CaseQueue;

/// The buyer's own return cases, the most urgent first, each with the step at hand: `/returns`.
#[component]
pub fn MyReturnsPage() -> impl IntoView {
    view! { <CaseQueue title="queue.my_title" viewer=Party::Buyer /> }
}
pub use return_request::ReturnRequestPage;
