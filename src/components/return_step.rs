//! Sending the goods back: the seller's address, and the tracking number with its carrier once
//! shipped. Drawn as markup; the case page's handlers check the number as it is typed and send it.

use rules::{ActionKind, CaseState};

use crate::components::tracking_field::tracking_markup;
use crate::markup::{esc, text as tag};
use crate::screen::CaseScreen;
use crate::text::{code, t, tf};

/// The return step of `detail`, or nothing when the goods do not go back.
pub fn return_markup(detail: &CaseScreen) -> String {
    let tracking = &detail.parts.case.return_tracking;
    let shipping = detail.may(ActionKind::ShipReturn);
    let body = match tracking {
        _ if shipping => format!(
            "<form id=\"ship-return\" novalidate>{}<p class=\"form-error\" id=\"ship-return-error\" role=\"alert\"></p>\
             <button type=\"submit\" class=\"button primary\">{}</button></form>",
            tracking_markup("return-tracking"),
            esc(&t("return.send"))
        ),
        Some(n) => tag(
            "p",
            "",
            &tf(
                "return.shipped_with",
                &[("carrier", &code("carrier", &n.carrier)), ("number", &n.number)],
            ),
        ),
        None if detail.summary.state == CaseState::AwaitingReturnAddress => {
            tag("p", "", &t("return.waiting_address"))
        }
        None => return String::new(),
    };
    format!(
        "<section class=\"card return-step\">{}{body}</section>",
        tag("h2", "", &t("return.title"))
    )
}
