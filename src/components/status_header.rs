use leptos::prelude::*;
use rules::api::CaseDetail;
use rules::AutoAction;

use crate::clock;
use crate::text::{self, code, t, tf, who};

/// The case's state in plain words and what happens next and when: "If the seller does not act by
/// 14 Mar 2026, 18:00 (in 3 d 4 h), your proposal is carried out automatically", with a live
/// countdown.
#[component]
pub fn StatusHeader(
    /// The case as shown.
    detail: CaseDetail,
) -> impl IntoView {
    let state = detail.summary.state;
    let viewer = detail.viewer;
    let next = detail.next_deadline.map(|deadline| {
        let now = clock::ticking();
        let condition = code("next_if", who(deadline.party, viewer));
        let consequence = match deadline.then {
            AutoAction::CarryOutProposal { of } => code("then.carry_out_proposal", who(of, viewer)),
            other => code("then", other.code()),
        };
        let date = text::date_time(deadline.at);
        view! {
            <p class="next" data-deadline=deadline.at.to_rfc3339()>
                {move || {
                    let left = text::time_left(now.get(), deadline.at);
                    format!(
                        "{} {}",
                        condition.replace("{date}", &date).replace("{left}", &left),
                        consequence
                    )
                }}
            </p>
        }
    });
    let mine = detail
        .next_deadline
        .is_some_and(|d| d.party == viewer)
        .then(|| view! { <p class="badge">{t("case.your_move")}</p> });
    view! {
        <header class="status-header">
            <p class="state">{code("state", state.code())}</p>
            {mine}
            <p>{code("step", state.code())}</p>
            {next}
            {detail.case.rejection.map(|r| view! { <p>{tf("case.rejected_because", &[("reason", &r)])}</p> })}
            {detail.case.return_address.map(|a| view! { <p class="address">{tf("case.return_address", &[("address", &a)])}</p> })}
        </header>
    }
}
