use leptos::prelude::*;
use rules::api::CaseView;

use crate::api;
use crate::components::Loaded;
use crate::markup::{el, esc, facts, text as tag};
use crate::text::{self, code, t, tf};

/// One return case, as its buyer follows it: `/returns/:id`.
#[component]
pub fn CasePage(
    /// The case's id, from the address.
    id: String,
) -> impl IntoView {
    let case = api::case(id);
    let render = |case: CaseView| view! { <CaseDetails case /> }.into_any();
    view! { <Loaded load=case loading="case.loading" render=render /> }
}

#[component]
fn CaseDetails(case: CaseView) -> impl IntoView {
    let lines: String = case
        .lines
        .iter()
        .map(|l| tag("li", "", &format!("{} × {}", l.title, l.quantity)))
        .collect();
    let mut rows = vec![
        (t("case.store"), esc(&case.store)),
        (t("case.items"), el("ul", "", &lines)),
        (t("wizard.reason"), esc(&code("reason", case.reason.code()))),
        (
            t("wizard.review_resolution"),
            esc(&code("resolution", case.resolution.code())),
        ),
        (t("case.refund"), esc(&text::money(case.refund))),
        (t("case.filed"), esc(&text::date_time(case.created_at))),
        (
            t("case.why_accepted"),
            esc(&text::explanation(&case.explanation)),
        ),
    ];
    if !case.description.is_empty() {
        rows.push((
            t("case.description"),
            tag("span", "description", &case.description),
        ));
    }
    let about = format!(
        "{}{}",
        facts(&rows),
        tag("p", "muted", &tf("case.number", &[("id", &case.id)]))
    );
    view! {
        <section class="case" data-case=case.id.clone() data-state=case.state.code()>
            <header class="status-header">
                <p class="state">{code("state", case.state.code())}</p>
                <p>{code("step", case.state.code())}</p>
            </header>
            <h1>{tf("case.title", &[("id", &case.order_id)])}</h1>
            <section class="card" inner_html=about></section>
        </section>
    }
}
