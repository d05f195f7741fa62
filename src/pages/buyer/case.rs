use leptos::prelude::*;
use rules::api::CaseView;

use crate::clock::Zone;
use crate::components::Loaded;
use crate::{api, text};

/// One return case, as its buyer follows it: `/returns/:id`.
#[component]
pub fn CasePage(
    /// The case's id, from the address.
    id: String,
) -> impl IntoView {
    let case = api::case(Signal::stored(id));
    let render = |case: CaseView| view! { <CaseDetails case /> }.into_any();
    view! {
        <Loaded
            load=case
            loading="Loading the return…"
            render=render
        />
    }
}

#[component]
fn CaseDetails(case: CaseView) -> impl IntoView {
    let zone = Zone::Browser;
    let lines = case
        .lines
        .into_iter()
        .map(|l| view! { <li>{format!("{} × {}", l.title, l.quantity)}</li> })
        .collect_view();
    view! {
        <section class="case" data-case=case.id.clone()>
            <header class="status-header">
                <p class="state">{text::case_state(case.state)}</p>
                <p>{text::case_next_step(case.state)}</p>
            </header>
            <h1>{format!("Return for order {}", case.order_id)}</h1>
            <dl class="facts">
                <dt>"Store"</dt>
                <dd>{case.store}</dd>
                <dt>"Reason"</dt>
                <dd>{text::reason(case.reason)}</dd>
                <dt>"You asked for"</dt>
                <dd>{text::resolution(case.resolution)}</dd>
                <dt>"Refund"</dt>
                <dd>{case.refund.to_string()}</dd>
                <dt>"Filed"</dt>
                <dd>{text::date_time(case.created_at, zone)}</dd>
                <dt>"Why it was accepted"</dt>
                <dd>{text::explanation(&case.explanation, zone)}</dd>
            </dl>
            <h2>"Items"</h2>
            <ul>{lines}</ul>
            {(!case.description.is_empty())
                .then(|| view! { <h2>"Your description"</h2><p class="description">{case.description}</p> })}
            <p class="muted">{format!("Case {}", case.id)}</p>
        </section>
    }
}
