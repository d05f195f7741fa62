use leptos::prelude::*;
use rules::api::CaseDetail;

use crate::components::case_actions::CaseControl;
use crate::components::{
    CaseActions, Loaded, Messages, ProposalsBoard, RatingForm, ReturnStep, StatusHeader, Timeline,
};
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
    let render = move |detail: CaseDetail| view! { <CaseDetails detail control /> }.into_any();
    view! {
        <Loaded load=case loading="case.loading" render=render />
    }
}

#[component]
fn CaseDetails(detail: CaseDetail, control: CaseControl) -> impl IntoView {
    control.seen(detail.version);
    let summary = &detail.summary;
    let lines = summary
        .lines
        .iter()
        .map(|l| view! { <li>{format!("{} × {}", l.title, l.quantity)}</li> })
        .collect_view();
    let description = (!summary.description.is_empty()).then(|| {
        view! {
            <dt>{t("case.description")}</dt>
            <dd class="description">{summary.description.clone()}</dd>
        }
    });
    let refund = match detail.case.outcome {
        Some(outcome) => code("outcome", outcome.code()),
        None => tf(
            "case.refund_at_stake",
            &[("amount", &text::money(detail.case.refund_at_stake()))],
        ),
    };
    view! {
        <section class="case" data-case=summary.id.clone() data-state=summary.state.code()>
            <StatusHeader detail=detail.clone() />
            <h1>{tf("case.title", &[("id", &summary.order_id)])}</h1>
            <p class="form-error" role="alert">{control.problem}</p>
            <ProposalsBoard detail=detail.clone() control />
            <CaseActions detail=detail.clone() control />
            <ReturnStep detail=detail.clone() control />
            <RatingForm detail=detail.clone() control />
            <section class="card">
                <h2>{t("case.about")}</h2>
                <dl class="facts">
                    <dt>{t("case.store")}</dt>
                    <dd>{summary.store.clone()}</dd>
                    <dt>{t("case.items")}</dt>
                    <dd><ul>{lines}</ul></dd>
                    <dt>{t("wizard.reason")}</dt>
                    <dd>{code("reason", summary.reason.code())}</dd>
                    <dt>{t("case.refund")}</dt>
                    <dd>{refund}</dd>
                    <dt>{t("case.filed")}</dt>
                    <dd>{text::date_time(summary.created_at)}</dd>
                    <dt>{t("case.why_accepted")}</dt>
                    <dd>{text::explanation(&summary.explanation)}</dd>
                    {description}
                </dl>
                <p class="muted">{tf("case.number", &[("id", &summary.id)])}</p>
            </section>
            <Messages detail=detail.clone() control />
            <Timeline detail=detail.clone() />
        </section>
    }
}
