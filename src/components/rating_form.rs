//! The rating, once the case is settled: 1 to 5 stars and a comment, or the rating given. Drawn
//! as markup; the case page's submit handler sends it.

use rules::api::RateBody;
use rules::ActionKind;

use crate::markup::{esc, text as tag, value_of};
use crate::screen::CaseScreen;
use crate::text::{error, t, tf};

pub fn rating_markup(detail: &CaseScreen) -> String {
    if let Some(rating) = &detail.parts.case.rating {
        let comment = if rating.comment.is_empty() {
            String::new()
        } else {
            tag("blockquote", "", &rating.comment)
        };
        return format!(
            "<section class=\"card\">{}{}{comment}</section>",
            tag("h2", "", &t("rating.title")),
            tag(
                "p",
                "",
                &tf("rating.given", &[("stars", &rating.stars.to_string())])
            )
        );
    }
    if !detail.may(ActionKind::Rate) {
        return String::new();
    }
    let stars: String = (1..=5u8)
        .map(|n| {
            format!(
                "<label class=\"star\"><input type=\"radio\" name=\"stars\" value=\"{n}\">\
                 <span aria-hidden=\"true\">{}</span>{}</label>",
                "★".repeat(n as usize),
                tag(
                    "span",
                    "visually-hidden",
                    &tf("rating.stars", &[("stars", &n.to_string())])
                )
            )
        })
        .collect();
    format!(
        "<section class=\"card\">{}<form id=\"rate\" novalidate><fieldset class=\"stars\">{}{stars}</fieldset>\
         <label for=\"rating-comment\">{}</label><textarea id=\"rating-comment\" rows=\"2\"></textarea>\
         <p class=\"form-error\" id=\"rate-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button primary\">{}</button></form></section>",
        tag("h2", "", &t("rating.title")),
        tag("legend", "", &t("rating.question")),
        esc(&t("rating.comment")),
        esc(&t("rating.send")),
    )
}

/// The rating form's stars and comment, or what is missing.
pub fn rating_body() -> Result<RateBody, String> {
    let stars = leptos::prelude::document()
        .query_selector("#rate input[name=stars]:checked")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("value"))
        .and_then(|v| v.parse::<u8>().ok())
        .ok_or_else(|| error("stars_out_of_range", ""))?;
    Ok(RateBody {
        stars,
        comment: value_of("rating-comment").trim().to_owned(),
    })
}
