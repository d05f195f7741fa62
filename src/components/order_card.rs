use rules::api::{LineCase, OrderView};
use rules::{Decision, Explanation};

use crate::markup::{el, esc, text as tag, Markup};
use crate::route::Route;
use crate::text::{self, code, t, tf};

/// Where a line's return case stands, and the link to it.
pub fn case_link(case: &LineCase) -> Markup {
    Markup::fill(
        "<p class=\"in-case\">{} <a href=\"{}\">{}</a></p>",
        &[
            &esc(&tf(
                "orders.in_case",
                &[
                    ("number", &case.number.to_string()),
                    ("state", &code("state", case.state.code())),
                ],
            )),
            &esc(&Route::Case {
                id: case.case_id.clone(),
            }
            .href()),
            &esc(&t("orders.see_case")),
        ],
    )
}

/// One of the buyer's orders with its lines, as markup; each line says, from the rules in the browser,
/// whether it can be returned and until when, or from when, and links to the return wizard; a
/// line already in a return case says where that case stands and links to it instead.
pub fn order_card(view: &OrderView) -> Markup {
    let OrderView {
        store,
        order,
        policy,
        cases,
        ..
    } = view;
    let status = text::fulfillment(&order.fulfillment);
    let now = crate::clock::now();
    let lines = order
        .lines
        .iter()
        .map(|line| {
            let head = tag("span", "title", &line.product.title)
                .join(tag("span", "qty", &format!("× {}", line.quantity)));
            if let Some(case) = cases.iter().find(|c| c.line_id == line.id) {
                return el("li", "line", head.join(case_link(case)));
            }
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
                "<li class=\"line\">{}{}<p class=\"{}\">{} {}</p><a class=\"button secondary\" href=\"{}\">{}</a></li>",
                &[
                    &head,
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
