use leptos::prelude::*;
use rules::TrackingNumber;

use crate::text::{code, error, t};

/// What the field says about the number as typed: the carrier detected, or what is wrong. Empty
/// says nothing yet: the submit asks for a number.
pub fn feedback(typed: &str) -> Option<Result<String, String>> {
    if typed.trim().is_empty() {
        return None;
    }
    Some(
        TrackingNumber::parse(typed)
            .map(|n| code("carrier", n.carrier.code()))
            .map_err(|e| error(e.code(), "")),
    )
}

/// A tracking number field that validates the format and the check digit and detects the carrier
/// as the viewer types.
#[component]
pub fn TrackingField(
    /// The number as typed.
    value: RwSignal<String>,
    /// The input's id, for its label.
    id: &'static str,
) -> impl IntoView {
    let described = format!("{id}-feedback");
    let said = Memo::new(move |_| value.with(|v| feedback(v)));
    let class = move || match said.get() {
        None => "tracking-feedback hint",
        Some(Ok(_)) => "tracking-feedback ok",
        Some(Err(_)) => "tracking-feedback error",
    };
    let words = move || match said.get() {
        None => t("tracking.hint"),
        Some(Ok(words) | Err(words)) => words,
    };
    view! {
        <label for=id>{t("tracking.label")}</label>
        <input
            id=id
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            aria-describedby=described.clone()
            aria-invalid=move || matches!(said.get(), Some(Err(_))).to_string()
            prop:value=value
            on:input=move |ev| value.set(event_target_value(&ev))
        />
        <p class=class id=described aria-live="polite">{words}</p>
    }
}
