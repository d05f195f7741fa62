//! The mediator's ruling: a plan carried out (or no refund at all) and the written reason both
//! parties will read. It ends the negotiation. Drawn as markup; the case page sends it.

use rules::api::RuleBody;
use rules::{ActionKind, Decree, TEXT_MAX_CHARS};

use crate::components::proposals_board::offer_fields;
use crate::components::proposals_board::offer_in;
use crate::markup::{esc, value_of};
use crate::screen::CaseScreen;
use crate::text::{error, t};

/// The value of the kind that rules out any refund.
const NO_REFUND: &str = "no_refund";

/// The ruling form, when the viewer may rule.
pub fn ruling_markup(detail: &CaseScreen) -> String {
    if !detail.may(ActionKind::Rule) {
        return String::new();
    }
    format!(
        "<section class=\"card ruling\" aria-labelledby=\"rule-title\"><h2 id=\"rule-title\">{}</h2>\
         <p class=\"hint\">{}</p><form id=\"rule\" novalidate>{}\
         <label for=\"rule-reason\">{}</label>\
         <textarea id=\"rule-reason\" rows=\"3\" maxlength=\"{TEXT_MAX_CHARS}\" aria-required=\"true\"></textarea>\
         <p class=\"form-error\" id=\"rule-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button primary\">{}</button></form></section>",
        esc(&t("rule.title")),
        esc(&t("rule.hint")),
        offer_fields(
            "rule",
            "rule.kind",
            detail.parts.case.max_refund,
            Some((NO_REFUND, t("rule.no_refund")))
        ),
        esc(&t("rule.reason")),
        esc(&t("rule.send")),
    )
}

/// The ruling in the form, or what is wrong with it.
pub fn ruling(detail_max: rules::Money) -> Result<RuleBody, String> {
    let reason = value_of("rule-reason").trim().to_owned();
    let decree = if value_of("rule-kind") == NO_REFUND {
        Decree::NoRefund
    } else {
        Decree::Plan(offer_in("rule", detail_max, String::new())?)
    };
    if reason.is_empty() {
        return Err(error("reason_required", ""));
    }
    Ok(RuleBody { decree, reason })
}
