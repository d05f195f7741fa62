//! For the mediator: each side's record beside the case, the buyer's return history and the
//! seller's fault rate, loaded from `/api/cases/{id}/risk` once the case is shown.

use crate::decode::{Obj, Read};
use crate::markup::{esc, facts, text as tag};
use crate::screen::CaseScreen;
use crate::text::{percent, t, tf};

/// The panel's place, when the viewer is the platform: [`load_risk`] fills it.
pub fn risk_markup(detail: &CaseScreen) -> String {
    if detail.parts.viewer != rules::Party::Platform {
        return String::new();
    }
    format!(
        "<section class=\"card risk\" aria-labelledby=\"risk-title\" aria-busy=\"true\">\
         <h2 id=\"risk-title\">{}</h2><div id=\"risk\">{}</div></section>",
        esc(&t("risk.title")),
        tag("p", "muted", &t("risk.loading"))
    )
}

fn numbers(risk: &Obj) -> Read<String> {
    let buyer = risk.obj("buyer")?;
    let seller = risk.obj("seller")?;
    let count = |o: &Obj, name: &str| o.unsigned(name).map(|n| n.to_string());
    let rate = |o: &Obj, name: &str| o.unsigned(name).map(percent);
    let days = count(risk, "days")?;
    let side = |title: &str, rows: Vec<(String, String)>| {
        format!("{}{}", tag("h3", "", title), facts(&rows))
    };
    Ok(format!(
        "{}{}{}",
        tag("p", "hint", &tf("risk.period", &[("days", &days)])),
        side(
            &t("risk.buyer"),
            vec![
                (t("risk.cases"), esc(&count(&buyer, "cases")?)),
                (t("risk.refunded"), esc(&count(&buyer, "refunded")?)),
                (
                    t("risk.refund_rate"),
                    esc(&rate(&buyer, "refund_rate_basis_points")?)
                ),
            ]
        ),
        side(
            &t("risk.seller"),
            vec![
                (t("risk.cases"), esc(&count(&seller, "cases")?)),
                (
                    t("risk.seller_fault"),
                    esc(&count(&seller, "seller_fault")?)
                ),
                (
                    t("risk.fault_rate"),
                    esc(&rate(&seller, "fault_rate_basis_points")?)
                ),
                (
                    t("risk.automatic"),
                    esc(&count(&seller, "automatic_actions")?)
                ),
            ]
        ),
    ))
}

/// Loads the case's risk signals into the panel, or says why they could not be.
pub async fn load_risk(case_id: String) {
    let answer = crate::api::text(&crate::api::case_path(&case_id, "/risk")).await;
    let html = match answer {
        Ok(text) => Obj::parse(&text)
            .and_then(|risk| numbers(&risk))
            .unwrap_or_else(|why| tag("p", "form-error", &crate::text::error("decode", &why))),
        Err(e) => tag("p", "form-error", &e.describe()),
    };
    let document = leptos::prelude::document();
    if let Some(panel) = document.get_element_by_id("risk") {
        panel.set_inner_html(&html);
        if let Some(section) = panel.parent_element() {
            let _ = section.set_attribute("aria-busy", "false");
        }
    }
}
