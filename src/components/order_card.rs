use rules::api::OrderView;
use rules::{Decision, Explanation};

use crate::markup::{esc, text as tag, Markup};
use crate::route::Route;
use crate::text::{self, t};

/// One of the buyer's orders with its lines, as markup; each line says, from the rules in the browser,
/// whether it can be returned and until when, or from when, and links to the return wizard.
pub fn order_card(view: &OrderView) -> Markup {
    let OrderView {
        store,
        order,
        policy,
        ..
    } = view;
    let status = text::fulfillment(&order.fulfillment);
    let now = crate::clock::now();
    let lines = order
        .lines
        .iter()
        .map(|line| {
            let href = Route::Return {
                order_id: order.id.clone(),
                line: Some(line.id.clone()),
            }
            .href();
            // A total too large to compute is shown as the unit price.
            let price = text::money(
                line.unit_price
                    .checked_mul(line.quantity)
                    .unwrap_or(line.unit_price),
            );
            let policy = policy.policy(&[line.product.category]);
            let outlook = rules::outlook(order, line, now, &policy);
            let (class, verdict) = match &outlook {
                Some(v) if v.decision == Decision::Eligible => ("outlook ok", "outlook.eligible"),
                Some(v) if v.decision == Decision::NotYetOpen => {
                    ("outlook wait", "outlook.not_yet")
                }
                Some(v)
                    if v.explanations
                        .iter()
                        .any(|e| matches!(e, Explanation::SellerFaultStillOpen { .. })) =>
                {
                    ("outlook wait", "outlook.problems_only")
                }
                _ => ("outlook no", "outlook.refused"),
            };
            let why = outlook
                .map(|v| {
                    v.explanations
                        .iter()
                        .map(text::explanation)
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            Markup::fill(
                "<li class=\"line\">{}{}{}<p class=\"{}\">{} {}</p><a class=\"button secondary\" href=\"{}\">{}</a></li>",
                &[
                    &tag("span", "title", &line.product.title),
                    &tag("span", "qty", &format!("× {}", line.quantity)),
                    &tag("span", "price", &price),
                    &Markup::tags(class),
                    &tag("strong", "", &t(verdict)),
                    &esc(&why),
                    &esc(&href),
                    &esc(&t("orders.return_or_refund")),
                ],
            )
        })
        .collect::<Markup>();
    Markup::fill(
        "<article class=\"card order\" data-order=\"{}\"><header>{}{}</header>{}<ul class=\"lines\">{}</ul></article>",
        &[
            &esc(&order.id),
            &tag("h2", "", store),
            &tag(
                "span",
                "muted",
                &text::tf("orders.order_number", &[("id", &order.id)]),
            ),
            &tag("p", "status", &status),
            &lines,
        ],
    )
}
