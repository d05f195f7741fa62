//! The seller's return address: picked from the addresses given before, or typed. Drawn as
//! markup; [`fill_saved`] adds the saved ones once loaded, and the case page sends it.

use rules::api::AddressBody;
use rules::{ActionKind, ADDRESS_MAX_CHARS};

use crate::decode::Obj;
use crate::markup::{esc, set_value, value_of};
use crate::screen::CaseScreen;
use crate::text::{error, t};

/// The address form, when the viewer is to give one.
pub fn address_markup(detail: &CaseScreen) -> String {
    if !detail.may(ActionKind::GiveReturnAddress) {
        return String::new();
    }
    format!(
        "<section class=\"card\" aria-labelledby=\"address-title\"><h2 id=\"address-title\">{}</h2>\
         <form id=\"address\" novalidate>\
         <label for=\"address-saved\">{}</label>\
         <select id=\"address-saved\"><option value=\"\">{}</option></select>\
         <label for=\"address-text\">{}</label>\
         <textarea id=\"address-text\" rows=\"3\" maxlength=\"{ADDRESS_MAX_CHARS}\" autocomplete=\"street-address\" \
         aria-required=\"true\"></textarea>\
         <p class=\"form-error\" id=\"address-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button primary\">{}</button></form></section>",
        esc(&t("address.title")),
        esc(&t("address.saved")),
        esc(&t("address.loading")),
        esc(&t("address.label")),
        esc(&t("address.send")),
    )
}

/// Loads the seller's saved addresses into the form's choice, and puts the most recent one in
/// the field if nothing is typed there yet.
pub async fn fill_saved() {
    let options = match crate::api::text("/api/seller/addresses").await {
        Ok(text) => {
            let saved: Vec<String> = Obj::parse(&text)
                .and_then(|list| list.items::<Obj>())
                .unwrap_or_default()
                .iter()
                .filter_map(|a| a.opt_text("address"))
                .collect();
            if value_of("address-text").trim().is_empty() {
                if let Some(first) = saved.first() {
                    set_value("address-text", first);
                }
            }
            let mut html = format!("<option value=\"\">{}</option>", esc(&t("address.pick")));
            for address in &saved {
                html += &format!("<option>{}</option>", esc(address));
            }
            if saved.is_empty() {
                html = format!("<option value=\"\">{}</option>", esc(&t("address.none")));
            }
            html
        }
        Err(e) => format!("<option value=\"\">{}</option>", esc(&e.describe())),
    };
    if let Some(select) = leptos::prelude::document().get_element_by_id("address-saved") {
        select.set_inner_html(&options);
    }
}

/// A saved address picked: it goes into the field, where it can still be changed.
pub fn address_picked() {
    let picked = value_of("address-saved");
    if !picked.is_empty() {
        set_value("address-text", &picked);
    }
}

/// The address typed, or what is wrong with it.
pub fn address_body() -> Result<AddressBody, String> {
    let address = value_of("address-text").trim().to_owned();
    if address.is_empty() {
        return Err(error("address_required", ""));
    }
    if address.chars().count() > ADDRESS_MAX_CHARS {
        return Err(error("text_too_long", ""));
    }
    Ok(AddressBody { address })
}
