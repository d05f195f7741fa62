//! For the mediator: each side's record beside the case, the buyer's return history and the
//! seller's fault rate, loaded from `/api/cases/{id}/risk` once the case is shown.

use crate::decode::{Obj, Read};
use leptos::prelude::*;

use crate::markup::{esc, facts, text as tag, Markup};
use crate::text::{percent, t, tf};

fn numbers(risk: &Obj) -> Read<Markup> {
    let buyer = risk.obj("buyer")?;
    let seller = risk.obj("seller")?;
    let count = |o: &Obj, name: &str| o.unsigned(name).map(|n| n.to_string());
    let rate = |o: &Obj, name: &str| o.unsigned(name).map(percent);
    let days = count(risk, "days")?;
    let side = |title: &str, rows: Vec<(String, Markup)>| tag("h3", "", title).join(facts(rows));
    Ok(Markup::from_iter([
        tag("p", "hint", &tf("risk.period", &[("days", &days)])),
        side(
            &t("risk.buyer"),
            vec![
                (t("risk.cases"), esc(&count(&buyer, "cases")?)),
                (t("risk.refunded"), esc(&count(&buyer, "refunded")?)),
                (
                    t("risk.refund_rate"),
                    esc(&rate(&buyer, "refund_rate_basis_points")?),
                ),
            ],
        ),
        side(
            &t("risk.seller"),
            vec![
                (t("risk.cases"), esc(&count(&seller, "cases")?)),
                (
                    t("risk.seller_fault"),
                    esc(&count(&seller, "seller_fault")?),
                ),
                (
                    t("risk.fault_rate"),
                    esc(&rate(&seller, "fault_rate_basis_points")?),
                ),
                (
                    t("risk.automatic"),
                    esc(&count(&seller, "automatic_actions")?),
                ),
            ],
        ),
    ]))
}

/// The buyer's and the seller's record, for the mediator: read once, when the page opens.
#[component]
pub fn RiskPanel(
    /// The case's id.
    case_id: String,
) -> impl IntoView {
    let numbers_read = RwSignal::new(None::<Markup>);
    leptos::task::spawn_local(async move {
        let answer = crate::api::text(&crate::api::case_path(&case_id, "/risk")).await;
        let html = match answer {
            Ok(text) => Obj::parse(&text)
                .and_then(|risk| numbers(&risk))
                .unwrap_or_else(|why| tag("p", "form-error", &crate::text::error("decode", &why))),
            Err(e) => tag("p", "form-error", &e.describe()),
        };
        numbers_read.try_set(Some(html));
    });
    view! {
        <section
            class="card risk"
            aria-labelledby="risk-title"
            aria-busy=move || if numbers_read.with(Option::is_none) { "true" } else { "false" }
        >
            <h2 id="risk-title">{t("risk.title")}</h2>
            <div
                id="risk"
                inner_html=move || {
                    numbers_read
                        .get()
                        .unwrap_or_else(|| tag("p", "muted", &t("risk.loading")))
                        .into_html()
                }
            ></div>
        </section>
    }
}
