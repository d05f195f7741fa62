use leptos::prelude::*;
use rules::api::CaseDetail;
use rules::{AutoAction, EventKind};

use crate::text::{self, code, t, who};

/// Everything that happened to the case, newest first: who, what and when.
#[component]
pub fn Timeline(
    /// The case as shown.
    detail: CaseDetail,
) -> impl IntoView {
    let viewer = detail.viewer;
    let entries = detail
        .timeline
        .iter()
        .rev()
        .map(|entry| {
            let event = &entry.event;
            let what = match &event.what {
                EventKind::Filed { .. } => t("event.filed"),
                EventKind::Acted(action) => code("event", action.kind().code()),
                EventKind::Automatic(deadline) => {
                    let then = match deadline.then {
                        AutoAction::CarryOutProposal { of } => {
                            code("then.carry_out_proposal", who(of, viewer))
                        }
                        other => code("then", other.code()),
                    };
                    format!("{} {then}", t("event.automatic"))
                }
            };
            let by = entry.who.clone().unwrap_or_else(|| t("timeline.system"));
            view! {
                <li>
                    <span class="muted">{text::date_time(event.at)}</span>
                    " "
                    <strong>{by}</strong>
                    ": "
                    {what}
                    " → "
                    {code("state", event.state.code())}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{t("timeline.title")}</h2>
            <ol class="timeline">{entries}</ol>
        </section>
    }
}
