//! After the goods went back, or when a replacement is due: the seller confirms the return
//! arrived in the agreed condition (the refund follows) or reports a problem (the platform
//! decides), or ships the replacement with its tracking number. The platform may record a
//! delivery or a refund on the cases it handles. Drawn as markup; the case page acts on it.

use rules::ActionKind;

use crate::components::reason_form::reason_form;
use crate::components::tracking_field::tracking_markup;
use crate::markup::{button, esc};
use crate::screen::CaseScreen;
use crate::text::t;

/// The steps the viewer may take now, or nothing.
pub fn receipt_markup(detail: &CaseScreen) -> String {
    let mut html = String::new();
    if detail.may(ActionKind::ReturnDelivered) {
        html += &button(
            "button secondary",
            "return-delivered",
            None,
            &t("receipt.delivered"),
        );
    }
    if detail.may(ActionKind::ConfirmReceipt) {
        html += &button(
            "button primary",
            "confirm-receipt",
            None,
            &t("receipt.confirm"),
        );
    }
    if detail.may(ActionKind::ReportProblem) {
        html += &reason_form(
            "report",
            ["receipt.report", "receipt.problem", "receipt.report_send"],
        );
    }
    if detail.may(ActionKind::ShipReplacement) {
        html += &format!(
            "<form id=\"ship-replacement\" novalidate>{}\
             <p class=\"form-error\" id=\"ship-replacement-error\" role=\"alert\"></p>\
             <button type=\"submit\" class=\"button primary\">{}</button></form>",
            tracking_markup("replacement-tracking"),
            esc(&t("receipt.ship"))
        );
    }
    if detail.may(ActionKind::RefundIssued) {
        html += &button(
            "button secondary",
            "refund-issued",
            None,
            &t("receipt.refund_issued"),
        );
    }
    if html.is_empty() {
        return html;
    }
    format!(
        "<section class=\"card receipt\" aria-labelledby=\"receipt-title\">\
         <h2 id=\"receipt-title\">{}</h2>{html}</section>",
        esc(&t("receipt.title"))
    )
}
