use crate::screen::CaseScreen;
use leptos::prelude::*;
use rules::{AutoAction, CaseState};

use crate::clock;
use crate::components::case_actions::CaseControl;
use crate::markup::{text as tag, Markup};
use crate::text::{self, code, code_for, key_for, t, tf, who};
use chrono::{DateTime, Utc};

/// What the header says around its countdown: before it, the case's state in plain words, whose
/// move it is and the step at hand; after it, the seller's rejection and the return address.
pub fn header_markup(detail: &CaseScreen) -> (Markup, Markup) {
    let state = detail.summary.state;
    let viewer = detail.parts.viewer;
    let mine = rules::whose_move(state, detail.parts.next_deadline.as_ref()) == Some(viewer);
    let case = &detail.parts.case;
    // The rejection is quoted while it still stands: once decided, the decision card says why.
    let open_rejection = case
        .rejection
        .as_ref()
        .filter(|_| matches!(state, CaseState::Negotiating | CaseState::Escalated));
    let rejection = open_rejection.map_or_else(Markup::default, |r| {
        tag("p", "", &tf("case.rejected_because", &[("reason", r)]))
    });
    let address = case
        .return_address
        .as_ref()
        .map_or_else(Markup::default, |a| {
            tag(
                "p",
                "address",
                &tf(
                    &key_for("case", viewer, "return_address"),
                    &[("address", a)],
                ),
            )
        });
    let badge = if mine {
        tag("p", "badge", &t("case.your_move"))
    } else {
        Markup::default()
    };
    let phase = phase(detail);
    let before = tag("p", "state", &code("state", phase))
        .join(badge)
        .join(tag("p", "", &code_for("step", viewer, phase)));
    (before, rejection.join(address))
}

/// The code of where the case stands, as the header words it: its state, except that a
/// negotiation in which the seller's rejection stands (the clock would close the case on it)
/// reads as `rejected`, not as a proposal waiting for an answer.
pub fn phase(detail: &CaseScreen) -> &'static str {
    let state = detail.summary.state;
    let rejection_stands = detail
        .parts
        .next_deadline
        .is_some_and(|d| d.then == AutoAction::CloseRejected);
    if state == CaseState::Negotiating && rejection_stands {
        REJECTED
    } else {
        state.code()
    }
}

/// The phase of a negotiation in which the seller's rejection stands.
pub const REJECTED: &str = "rejected";

/// The next deadline as the viewer reads it, counting down: "If the seller does not act by …
/// (in 3 d 4 h), …".
fn next_line(detail: &CaseScreen) -> Option<(DateTime<Utc>, String, String)> {
    let deadline = detail.parts.next_deadline.as_ref()?;
    let viewer = detail.parts.viewer;
    Some((
        deadline.at,
        code("next_if", who(deadline.party, viewer)),
        consequence(deadline.then, viewer),
    ))
}

/// The header of the case on screen, following it as it changes: its state and what happens next
/// and when, "If the seller does not act by 14 Mar 2026, 18:00 (in 3 d 4 h), your proposal is
/// carried out automatically", with a live countdown.
#[component]
pub fn StatusHeader(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let now = clock::ticking();
    let parts = Memo::new(move |_| control.with(header_markup).unwrap_or_default());
    let next = Memo::new(move |_| control.with(next_line).flatten());
    view! {
        <header class="status-header">
            <div inner_html=move || parts.get().0.into_html()></div>
            {move || {
                next.get()
                    .map(|(at, condition, consequence)| {
                        let date = text::date_time(at);
                        view! {
                            <p class="next" data-deadline=at.to_rfc3339()>
                                {move || {
                                    let left = text::time_left(now.get(), at);
                                    text::then(
                                        &condition.replace("{date}", &date).replace("{left}", &left),
                                        &consequence,
                                    )
                                }}
                            </p>
                        }
                    })
            }}
            <div inner_html=move || parts.get().1.into_html()></div>
        </header>
    }
}

/// What the clock does when a deadline passes, as the viewer reads it.
pub fn consequence(then: AutoAction, viewer: rules::Party) -> String {
    match then {
        AutoAction::CarryOutProposal { of } => code("then.carry_out_proposal", who(of, viewer)),
        other => code("then", other.code()),
    }
}
