use crate::screen::{then_of, CaseScreen};
use leptos::prelude::*;

use crate::clock;
use crate::markup::text as tag;
use crate::text::{self, code, code_for, key_for, t, tf, who};

/// The case's state in plain words and what happens next and when: "If the seller does not act by
/// 14 Mar 2026, 18:00 (in 3 d 4 h), your proposal is carried out automatically", with a live
/// countdown.
pub fn status_header(detail: &CaseScreen) -> impl IntoView {
    let state = detail.summary.state;
    let viewer = detail.parts.viewer;
    let mine = detail
        .parts
        .next_deadline
        .as_ref()
        .is_some_and(|d| d.party == viewer);
    let case = &detail.parts.case;
    let rejection = case.rejection.as_ref().map_or_else(String::new, |r| {
        tag("p", "", &tf("case.rejected_because", &[("reason", r)]))
    });
    let address = case.return_address.as_ref().map_or_else(String::new, |a| {
        tag(
            "p",
            "address",
            &tf(
                &key_for("case", viewer, "return_address"),
                &[("address", a)],
            ),
        )
    });
    let before = format!(
        "{}{}{}",
        tag("p", "state", &code("state", state.code())),
        if mine {
            tag("p", "badge", &t("case.your_move"))
        } else {
            String::new()
        },
        tag("p", "", &code_for("step", viewer, state.code())),
    );
    let after = format!("{rejection}{address}");
    // The one part that moves: the countdown, every second.
    let next = detail.parts.next_deadline.as_ref().map(|deadline| {
        let now = clock::ticking();
        let condition = code("next_if", who(deadline.party, viewer));
        let consequence = consequence(&deadline.then, viewer);
        let at = deadline.at;
        let date = text::date_time(at);
        view! {
            <p class="next" data-deadline=at.to_rfc3339()>
                {move || {
                    let left = text::time_left(now.get(), at);
                    format!(
                        "{} {}",
                        condition.replace("{date}", &date).replace("{left}", &left),
                        consequence
                    )
                }}
            </p>
        }
    });
    view! {
        <header class="status-header">
            <div inner_html=before></div>
            {next}
            <div inner_html=after></div>
        </header>
    }
}

/// What the clock does when a deadline passes, as the viewer reads it.
pub fn consequence(then: &wasm_bindgen::JsValue, viewer: rules::Party) -> String {
    let (what, of) = then_of(then);
    consequence_of(&what, of, viewer)
}

/// The same from its code and, for carrying out a proposal, whose.
pub fn consequence_of(what: &str, of: Option<rules::Party>, viewer: rules::Party) -> String {
    match of {
        Some(of) if what == "carry_out_proposal" => {
            code("then.carry_out_proposal", who(of, viewer))
        }
        _ => code("then", what),
    }
}
