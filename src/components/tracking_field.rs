//! A tracking number field that validates the format and the check digit and detects the carrier
//! as the viewer types. Drawn as markup; the page's input handler calls [`tracking_typed`].

use rules::api::TrackingBody;
use rules::TrackingNumber;

use crate::markup::{esc, value_of};
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

/// The label, the field with the id `id`, and the line under it that says what the number is.
pub fn tracking_markup(id: &str) -> String {
    let id = esc(id);
    format!(
        "<label for=\"{id}\">{}</label><input id=\"{id}\" autocomplete=\"off\" autocapitalize=\"characters\" \
         spellcheck=\"false\" aria-describedby=\"{id}-feedback\" aria-invalid=\"false\">\
         <p class=\"tracking-feedback hint\" id=\"{id}-feedback\" aria-live=\"polite\">{}</p>",
        esc(&t("tracking.label")),
        esc(&t("tracking.hint"))
    )
}

/// After each keystroke in the field `id`: the carrier, or what is wrong, under it.
pub fn tracking_typed(id: &str) {
    let document = leptos::prelude::document();
    let (class, words, invalid) = match feedback(&value_of(id)) {
        None => ("hint", t("tracking.hint"), false),
        Some(Ok(carrier)) => ("ok", carrier, false),
        Some(Err(why)) => ("error", why, true),
    };
    if let Some(line) = document.get_element_by_id(&format!("{id}-feedback")) {
        line.set_class_name(&format!("tracking-feedback {class}"));
        line.set_text_content(Some(&words));
    }
    if let Some(field) = document.get_element_by_id(id) {
        let _ = field.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
    }
}

/// The number typed in the field `id`, checked as the server will check it.
pub fn tracking_in(id: &str) -> Result<TrackingBody, String> {
    let tracking_number = value_of(id);
    TrackingNumber::parse(&tracking_number)
        .map(|_| TrackingBody { tracking_number })
        .map_err(|e| error(e.code(), ""))
}
