use chrono::{DateTime, Utc};
use rules::api::{LineCase, NewReturn, OrderView};
use rules::{Decision, Explanation, Fulfillment, Money, Reason, Resolution};

use crate::draft::ReturnDraft;
use crate::markup::{button, el, esc, text as tag, Act, Markup};
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

/// The filing that cancels `view`'s whole order, and what it refunds: for an order not shipped
/// yet with no line in a case, which the rules approve at once, shipping included. The same
/// rules and policy the server files it under.
pub fn cancellation(view: &OrderView, now: DateTime<Utc>) -> Option<(NewReturn, Money)> {
    let order = &view.order;
    if !matches!(order.fulfillment, Fulfillment::NotShipped) || !view.cases.is_empty() {
        return None;
    }
    // The wizard's own draft, filled in: every item of every line; nothing was shipped, so the
    // buyer simply no longer wants it.
    let mut draft = ReturnDraft {
        reason: Some(Reason::NoLongerWanted),
        resolution: Some(Resolution::RefundOnly),
        ..ReturnDraft::new(order, None)
    };
    for line in &order.lines {
        draft.set_quantity(&line.id, line.quantity);
    }
    let verdict = draft.verdict(order, now, &view.policy)?.ok()?;
    let refund = verdict.refund_for(Resolution::RefundOnly, None).ok()?;
    Some((draft.to_request(order, now, &view.policy).ok()?, refund))
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
    // Not shipped: the whole order is cancelled and refunded in one step.
    let cancel = cancellation(view, now).map_or_else(Markup::default, |(_, refund)| {
        button(
            "button primary",
            Act::CancelOrder,
            &[("order", &order.id)],
            &tf("orders.cancel", &[("amount", &text::money(refund))]),
        )
    });
    Markup::fill(
        "<article class=\"card order\" data-order=\"{}\"><header>{}{}</header>{}{}<ul class=\"lines\">{}</ul></article>",
        &[
            &esc(&order.id),
            &tag("h2", "", store),
            &tag(
                "span",
                "muted",
                &text::tf("orders.order_number", &[("id", &order.id)]),
            ),
            &tag("p", "status", &status),
            &cancel,
            &lines,
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use rules::{Category, Currency, Order, OrderLine, Product};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    fn view(fulfillment: Fulfillment, cases: Vec<LineCase>) -> OrderView {
        let line = |id: &str, quantity, unit| OrderLine {
            id: id.into(),
            product: Product {
                title: id.into(),
                category: Category::General,
                no_returns: false,
            },
            quantity,
            unit_price: Money::new(unit, Currency::EUR),
            weight_grams: None,
            variant: None,
            variants: vec![],
        };
        OrderView {
            store: "Northwind".into(),
            store_id: "s-north".into(),
            order: Order {
                id: "ord-1".into(),
                placed_at: now() - TimeDelta::hours(5),
                utc_offset_minutes: 60,
                currency: Currency::EUR,
                lines: vec![line("a", 2, 1250), line("b", 1, 999)],
                shipping: Money::new(499, Currency::EUR),
                fulfillment,
                ships_from: None,
                ships_to: None,
            },
            policy: Default::default(),
            cases,
        }
    }

    #[test]
    fn an_unshipped_order_is_cancelled_whole_with_its_shipping_and_nothing_else_is() {
        let now = now();
        let (filing, refund) =
            cancellation(&view(Fulfillment::NotShipped, vec![]), now).expect("cancellable");
        assert_eq!(refund, Money::new(2 * 1250 + 999 + 499, Currency::EUR));
        assert_eq!(
            (filing.reason, filing.resolution, filing.lines.len()),
            (Reason::NoLongerWanted, Resolution::RefundOnly, 2)
        );
        assert_eq!(filing.lines[0].quantity, 2);
        // Already in a case, or on its way: not cancelled here.
        let taken = LineCase {
            line_id: "a".into(),
            case_id: "c".into(),
            number: 3001,
            state: rules::CaseState::Resolved,
        };
        assert!(cancellation(&view(Fulfillment::NotShipped, vec![taken]), now).is_none());
        let shipped = Fulfillment::Shipped {
            shipped_at: now - TimeDelta::hours(1),
            promised_by: None,
        };
        assert!(cancellation(&view(shipped, vec![]), now).is_none());
    }
}
