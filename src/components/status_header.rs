use crate::screen::{then_of, CaseScreen};
use leptos::prelude::*;

use crate::clock;
use crate::text::{self, code, t, tf, who};

/// The case's state in plain words and what happens next and when: "If the seller does not act by
/// 14 Mar 2026, 18:00 (in 3 d 4 h), your proposal is carried out automatically", with a live
/// countdown.
#[component]
pub fn StatusHeader(
    /// The case as shown.
    detail: CaseScreen,
) -> impl IntoView {
    let state = detail.summary.state;
    let viewer = detail.parts.viewer;
    let mine = detail
        .parts
        .next_deadline
        .as_ref()
        .is_some_and(|d| d.party == viewer)
        .then(|| view! { <p class="badge">{t("case.your_move")}</p> });
    let next = detail.parts.next_deadline.map(|deadline| {
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
            <p class="state">{code("state", state.code())}</p>
            {mine}
            <p>{code("step", state.code())}</p>
            {next}
            {detail.parts.case.rejection.map(|r| view! { <p>{tf("case.rejected_because", &[("reason", &r)])}</p> })}
            {detail.parts.case.return_address.map(|a| view! { <p class="address">{tf("case.return_address", &[("address", &a)])}</p> })}
        </header>
    }
}

/// What the clock does when a deadline passes, as the viewer reads it.
pub fn consequence(then: &wasm_bindgen::JsValue, viewer: rules::Party) -> String {
    match then_of(then) {
        (code_of, Some(of)) if code_of == "carry_out_proposal" => {
            code("then.carry_out_proposal", who(of, viewer))
        }
        (other, _) => code("then", &other),
    }
}
