use leptos::prelude::*;

use crate::components::case_actions::CaseControl;
use crate::components::{
    CaseActions, Loaded, Messages, ProposalsBoard, RatingForm, ReturnStep, StatusHeader, Timeline,
};
use crate::markup::{el, esc, facts, text as tag};
use crate::screen::CaseScreen;
use crate::text::{self, code, t, tf};
use crate::{api, live};

/// One return case, as its parties follow it: `/returns/:id`. Changes made by the other party
/// arrive over the case's live stream and the page reads the case again.
#[component]
pub fn CasePage(
    /// The case's id, from the address.
    id: String,
) -> impl IntoView {
    let (reload, set_reload) = signal(0u32);
    let case = api::case(id.clone(), reload.into());
    let control = CaseControl::new(id.clone(), set_reload);
    live::follow_case(&id, move || set_reload.update(|n| *n += 1));
    let render = move |detail: CaseScreen| view! { <CaseDetails detail control /> }.into_any();
    view! {
        <Loaded load=case loading="case.loading" render=render />
    }
}

#[component]
fn CaseDetails(detail: CaseScreen, control: CaseControl) -> impl IntoView {
    control.seen(detail.parts.version);
    let summary = &detail.summary;
    let lines: String = summary
        .lines
        .iter()
        .map(|l| tag("li", "", &format!("{} × {}", l.title, l.quantity)))
        .collect();
    let refund = match detail.parts.case.outcome_code() {
        Some(outcome) => code("outcome", &outcome),
        None => tf(
            "case.refund_at_stake",
            &[("amount", &text::money(summary.refund))],
        ),
    };
    let mut rows = vec![
        (t("case.store"), esc(&summary.store)),
        (t("case.items"), el("ul", "", &lines)),
        (
            t("wizard.reason"),
            esc(&code("reason", summary.reason.code())),
        ),
        (t("case.refund"), esc(&refund)),
        (t("case.filed"), esc(&text::date_time(summary.created_at))),
        (
            t("case.why_accepted"),
            esc(&text::explanation(&summary.explanation)),
        ),
    ];
    if !summary.description.is_empty() {
        rows.push((
            t("case.description"),
            tag("span", "description", &summary.description),
        ));
    }
    let about = format!(
        "{}{}{}",
        tag("h2", "", &t("case.about")),
        facts(&rows),
        tag("p", "muted", &tf("case.number", &[("id", &summary.id)]))
    );
    view! {
        <section class="case" data-case=summary.id.clone() data-state=summary.state.code()>
            <StatusHeader detail=detail.clone() />
            <h1>{tf("case.title", &[("id", &summary.order_id)])}</h1>
            <p class="form-error" role="alert">{control.problem}</p>
            <ProposalsBoard detail=detail.clone() control />
            <CaseActions detail=detail.clone() control />
            <ReturnStep detail=detail.clone() control />
            <RatingForm detail=detail.clone() control />
            <section class="card" inner_html=about></section>
            <Messages detail=detail.clone() control />
            <Timeline detail=detail.clone() />
        </section>
    }
}
