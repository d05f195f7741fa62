//! How a settled case was decided, the same for every party: the outcome, the plan carried out,
//! who decided, when, how, and the mediator's reasons. Drawn once per change as a read-only
//! block.

use rules::{Outcome, Party, Settlement, Terms};

use crate::markup::{esc, facts, text as tag, Markup};
use crate::screen::CaseScreen;
use crate::text::{self, code, t, tf, who};

/// The decision card of a settled case; nothing while it is open.
pub fn decision_markup(detail: &CaseScreen) -> Markup {
    let Some(s) = &detail.parts.settlement else {
        return Markup::default();
    };
    let viewer = detail.parts.viewer;
    let credit = detail.parts.credit_code.as_deref();
    tag("h2", "", &t("settled.title")).join(facts(rows(s, viewer, credit)))
}

/// A plan in a few words: "Partial refund, keep the goods, €7.00", what store credit is worth,
/// the variant of an exchange, and (for `viewer`) who pays to send the goods back when they go
/// back.
pub fn plan_words(terms: &Terms, viewer: Option<Party>) -> String {
    let mut plan = code("resolution", terms.resolution.code());
    let amount = terms
        .credit
        .or(Some(terms.refund).filter(|_| terms.resolution.pays_money()));
    let detail = amount
        .map(text::money)
        .or_else(|| terms.exchange_for.clone());
    if let Some(detail) = detail {
        plan += &format!("{}{detail}", t("punct.comma"));
    }
    if let Some((payer, viewer)) = terms.return_shipping_paid_by.zip(viewer) {
        plan += &format!(
            "{}{}",
            t("punct.semicolon"),
            tf(
                "settled.shipping",
                &[("who", &code("who", who(payer, viewer)))]
            )
        );
    }
    plan
}

fn rows(s: &Settlement, viewer: Party, credit_code: Option<&str>) -> Vec<(String, Markup)> {
    let outcome = match s.outcome {
        Outcome::Refunded { amount } => tf("settled.refunded", &[("amount", &text::money(amount))]),
        Outcome::Credited { amount } => tf("settled.credited", &[("amount", &text::money(amount))]),
        other => code("outcome", other.code()),
    };
    let mut rows = vec![(t("settled.outcome"), esc(&outcome))];
    if let Some(code) = credit_code {
        rows.push((t("settled.credit_code"), tag("code", "credit-code", code)));
    }
    if let Some(a) = &s.agreement {
        rows.push((t("settled.plan"), esc(&plan_words(&a.terms, Some(viewer)))));
        rows.push((
            t("settled.how"),
            esc(&code("settled.reached", a.reached.code())),
        ));
    }
    let by = match s.decided_by.party() {
        Some(party) => code("who", who(party, viewer)),
        None => t("timeline.system"),
    };
    rows.push((t("settled.decided_by"), esc(&by)));
    rows.push((t("settled.when"), esc(&text::date_time(s.decided_at))));
    if let Some(reasons) = &s.reasons {
        rows.push((t("settled.reasons"), tag("span", "description", reasons)));
    }
    rows
}
