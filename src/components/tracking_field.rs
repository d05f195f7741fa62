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
    let shown = move || match value.with(|v| feedback(v)) {
        None => view! { <span class="hint">{t("tracking.hint")}</span> }.into_any(),
        Some(Ok(carrier)) => view! { <span class="ok">{carrier}</span> }.into_any(),
        Some(Err(why)) => view! { <span class="error">{why}</span> }.into_any(),
    };
    view! {
        <label for=id>{t("tracking.label")}</label>
        <input
            id=id
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            aria-describedby=described.clone()
            aria-invalid=move || value.with(|v| matches!(feedback(v), Some(Err(_)))).to_string()
            prop:value=value
            on:input=move |ev| value.set(event_target_value(&ev))
        />
        <p class="tracking-feedback" id=described aria-live="polite">{shown}</p>
    }
}
