use leptos::prelude::*;
use rules::{Decision, Eligibility, SelectionError};

use crate::markup::{el, text as tag, Markup};
use crate::text::{self, code, error, t, tf};

/// The verdict as markup: the headline, why, and what an eligible request gets.
pub fn verdict_markup(verdict: &Option<Result<Eligibility, SelectionError>>) -> Markup {
    match verdict {
        None => tag("div", "verdict pending", &t("verdict.pending")),
        Some(Err(e)) => tag("div", "verdict refused", &error(e.code(), "")),
        Some(Ok(v)) => {
            let (class, headline) = match v.decision {
                Decision::Eligible => ("verdict eligible", "verdict.eligible"),
                Decision::NotYetOpen => ("verdict not-yet", "verdict.not_yet"),
                Decision::Refused => ("verdict refused", "verdict.refused"),
            };
            let why: Markup = v
                .explanations
                .iter()
                .map(|e| tag("p", "", &text::explanation(e)))
                .collect();
            let details = if v.decision == Decision::Eligible {
                let mut items = tag(
                    "li",
                    "",
                    &tf(
                        "verdict.refund_up_to",
                        &[("amount", &text::money(v.max_refund))],
                    ),
                );
                if let Some(p) = v.return_shipping_paid_by {
                    items.push(tag("li", "", &code("verdict.shipping_paid_by", p.code())));
                }
                if let Some(cost) = v.return_shipping_cost {
                    let amount = text::money(cost);
                    items.push(tag(
                        "li",
                        "",
                        &tf("verdict.return_cost", &[("amount", &amount)]),
                    ));
                }
                if v.photos_required {
                    items.push(tag("li", "", &t("verdict.photos_required")));
                }
                el("ul", "", items)
            } else {
                Markup::default()
            };
            el(
                "div",
                class,
                tag("p", "headline", &t(headline)).join(why).join(details),
            )
        }
    }
}

/// The rules' verdict on the request as it stands, updated as the buyer changes the form, and
/// announced to screen readers as it changes.
#[component]
pub fn VerdictPanel(
    /// `None` until a reason is chosen.
    #[prop(into)]
    verdict: Signal<Option<Result<Eligibility, SelectionError>>>,
) -> impl IntoView {
    view! {
        <section
            class="verdict-panel"
            aria-live="polite"
            aria-label=t("verdict.label")
            inner_html=move || verdict.with(verdict_markup).into_html()
        ></section>
    }
}
