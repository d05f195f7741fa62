//! A "why" form: the seller's rejection, or a problem with the returned goods. A reason in words
//! is required; photos that show it are optional and are sent first, as the viewer's evidence.
//! Drawn as markup, hidden until its button is pressed; the case page's handlers send it.

use rules::api::ReasonBody;
use rules::TEXT_MAX_CHARS;

use crate::markup::{button, by_id, esc, value_of};
use crate::text::{error, t};

/// The button that opens the form `id` (`reject`, `report`) and the form, with the words of
/// `keys`: the button, the reason's label and the submit.
pub fn reason_form(id: &str, keys: [&str; 3]) -> String {
    let [open, label, send] = keys;
    format!(
        "{}<form id=\"{id}\" class=\"reason-form\" novalidate hidden>\
         <label for=\"{id}-reason\">{}</label>\
         <textarea id=\"{id}-reason\" rows=\"3\" maxlength=\"{TEXT_MAX_CHARS}\" aria-required=\"true\"></textarea>\
         {}<p class=\"form-error\" id=\"{id}-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button primary\">{}</button>{}</form>",
        button("button secondary", &format!("{id}-open"), None, &t(open)),
        esc(&t(label)),
        photos_field(id),
        esc(&t(send)),
        button("button secondary", &format!("{id}-cancel"), None, &t("board.cancel")),
    )
}

/// The reason typed in the form `id`, or what is wrong with it.
pub fn reason_in(id: &str) -> Result<ReasonBody, String> {
    let reason = value_of(&format!("{id}-reason")).trim().to_owned();
    if reason.is_empty() {
        return Err(error("reason_required", ""));
    }
    if reason.chars().count() > TEXT_MAX_CHARS {
        return Err(error("text_too_long", ""));
    }
    Ok(ReasonBody { reason })
}

/// The optional photos of the form `id`, sent as the viewer's evidence before its action.
pub fn photos_field(id: &str) -> String {
    format!(
        "<label for=\"{id}-photos\">{}</label>\
         <input type=\"file\" id=\"{id}-photos\" accept=\"image/jpeg,image/png,image/webp\" multiple>",
        esc(&t("reason_form.photos"))
    )
}

/// The photos chosen in the form `id`, in the order chosen.
pub fn photos_in(id: &str) -> Vec<web_sys::File> {
    by_id::<web_sys::HtmlInputElement>(&format!("{id}-photos"))
        .and_then(|input| input.files())
        .map(|files| (0..files.length()).filter_map(|i| files.get(i)).collect())
        .unwrap_or_default()
}
