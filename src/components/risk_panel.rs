//! For the mediator: each side's record beside the case, the buyer's return history and the
//! seller's fault rate, loaded from `/api/cases/{id}/risk` once the case is shown.

use rules::api::RiskSignals;

use leptos::prelude::*;

use crate::api::Load;
use crate::components::Loaded;

use crate::markup::{esc, facts, text as tag, Markup};
use crate::text::{percent, t, tf};

/// Each side's record, as the panel shows it.
pub fn risk_markup(risk: &RiskSignals) -> Markup {
    let count = |n: u64| esc(&n.to_string());
    let rate = |n: u64| esc(&percent(n));
    let side = |title: &str, rows: Vec<(String, Markup)>| tag("h3", "", title).join(facts(rows));
    let (buyer, seller) = (&risk.buyer, &risk.seller);
    Markup::from_iter([
        tag(
            "p",
            "hint",
            &tf("risk.period", &[("days", &risk.days.to_string())]),
        ),
        side(
            &t("risk.buyer"),
            vec![
                (t("risk.cases"), count(buyer.cases)),
                (t("risk.refunded"), count(buyer.refunded)),
                (t("risk.credited"), count(buyer.credited)),
                (t("risk.refund_rate"), rate(buyer.refund_rate_basis_points)),
            ],
        ),
        side(
            &t("risk.seller"),
            vec![
                (t("risk.cases"), count(seller.cases)),
                (t("risk.settled"), count(seller.settled)),
                (t("risk.seller_fault"), count(seller.seller_fault)),
                (t("risk.fault_rate"), rate(seller.fault_rate_basis_points)),
                (t("risk.automatic"), count(seller.automatic_actions)),
            ],
        ),
        tag("p", "hint", &t("risk.fault_note")),
    ])
}

/// The buyer's and the seller's record, for the mediator: read once, when the page opens.
#[component]
pub fn RiskPanel(
    /// The case's id.
    case_id: String,
) -> impl IntoView {
    let load = Load::<RiskSignals>::new(Signal::stored(crate::api::case_path(&case_id, "/risk")));
    let render = |risk: RiskSignals| {
        view! { <div inner_html=risk_markup(&risk).into_html()></div> }.into_any()
    };
    view! {
        <section class="card risk" aria-labelledby="risk-title">
            <h2 id="risk-title">{t("risk.title")}</h2>
            <div id="risk">
                <Loaded load loading="risk.loading" render />
            </div>
        </section>
    }
}
