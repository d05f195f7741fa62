use leptos::prelude::*;
use rules::Party;

use crate::components::case_queue::CaseQueue;

/// The cases escalated to the platform, for the mediator.
#[component]
pub fn DisputesPage() -> impl IntoView {
    view! { <CaseQueue title="nav.disputes" viewer=Party::Platform /> }
}
