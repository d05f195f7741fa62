use crate::screen::CaseScreen;
use leptos::prelude::*;
use rules::AutoAction;

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
    let mine = detail
        .parts
        .next_deadline
        .as_ref()
        .is_some_and(|d| d.party == viewer);
    let case = &detail.parts.case;
    let rejection = case.rejection.as_ref().map_or_else(Markup::default, |r| {
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
    let before = tag("p", "state", &code("state", state.code()))
        .join(badge)
        .join(tag("p", "", &code_for("step", viewer, state.code())));
    (before, rejection.join(address))
}

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
                                    format!(
                                        "{} {}",
                                        condition.replace("{date}", &date).replace("{left}", &left),
                                        consequence,
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
