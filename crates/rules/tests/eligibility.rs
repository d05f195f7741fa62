//! Eligibility, one table row per rule of DOMAIN.md. Runs natively and, compiled to wasm, in the
//! browser (`use ... as test` swaps the harness).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use retour_rules::{
    eligibility, Category, Currency, Decision, Explanation, Fulfillment, LineSelection, Money,
    Order, OrderLine, Party, Policy, Product, Reason, Resolution, SelectionError,
};

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

fn line(id: &str, category: Category, no_returns: bool, quantity: u32, unit: i64) -> OrderLine {
    OrderLine {
        id: id.into(),
        product: Product {
            title: format!("Product {id}"),
            category,
            no_returns,
        },
        quantity,
        unit_price: Money::new(unit, Currency::EUR),
    }
}

fn order(fulfillment: Fulfillment, lines: Vec<OrderLine>) -> Order {
    Order {
        id: "o-1".into(),
        placed_at: at(2026, 3, 1, 9),
        currency: Currency::EUR,
        lines,
        shipping: Money::new(499, Currency::EUR),
        fulfillment,
    }
}

fn general_order(fulfillment: Fulfillment) -> Order {
    order(
        fulfillment,
        vec![line("a", Category::General, false, 2, 1250)],
    )
}

fn one(line_id: &str, quantity: u32) -> Vec<LineSelection> {
    vec![LineSelection {
        line_id: line_id.into(),
        quantity,
    }]
}

const SECOND: TimeDelta = TimeDelta::seconds(1);

fn delivered() -> DateTime<Utc> {
    at(2026, 3, 5, 14)
}

fn delivered_order() -> Order {
    general_order(Fulfillment::Delivered {
        shipped_at: at(2026, 3, 2, 8),
        delivered_at: delivered(),
    })
}

/// (name, order, reason, now, expected decision, expected explanation code)
type Row<'a> = (&'a str, &'a Order, Reason, DateTime<Utc>, Decision, &'a str);

#[test]
fn windows_on_both_sides_of_each_boundary() {
    let policy = Policy::default();
    let shipped_at = at(2026, 3, 2, 8);
    let in_transit = general_order(Fulfillment::Shipped {
        shipped_at,
        promised_by: None,
    });
    let group_since = at(2026, 3, 1, 10);
    let group = general_order(Fulfillment::GroupBuyWaiting { since: group_since });
    let change_of_mind_closes = delivered() + TimeDelta::days(7);
    let protection_closes = delivered() + TimeDelta::days(15);
    let home = delivered_order();
    let not_received_opens = shipped_at + TimeDelta::days(10);
    let group_opens = group_since + TimeDelta::hours(24);

    let rows: Vec<Row> = vec![
        (
            "change of mind, last second",
            &home,
            Reason::NoLongerWanted,
            change_of_mind_closes,
            Decision::Eligible,
            "change_of_mind_window",
        ),
        (
            "change of mind, one second late",
            &home,
            Reason::NoLongerWanted,
            change_of_mind_closes + SECOND,
            Decision::Refused,
            "change_of_mind_closed",
        ),
        (
            "protection, last second",
            &home,
            Reason::Defective,
            protection_closes,
            Decision::Eligible,
            "protection_window",
        ),
        (
            "protection, one second late",
            &home,
            Reason::Defective,
            protection_closes + SECOND,
            Decision::Refused,
            "protection_closed",
        ),
        (
            "seller fault after change-of-mind window",
            &home,
            Reason::DamagedInTransit,
            change_of_mind_closes + SECOND,
            Decision::Eligible,
            "protection_window",
        ),
        (
            "not received, one second early",
            &in_transit,
            Reason::NotReceived,
            not_received_opens - SECOND,
            Decision::NotYetOpen,
            "not_received_opens_at",
        ),
        (
            "not received, at opening",
            &in_transit,
            Reason::NotReceived,
            not_received_opens,
            Decision::Eligible,
            "not_received_open",
        ),
        (
            "in transit, other reason",
            &in_transit,
            Reason::NoLongerWanted,
            not_received_opens + SECOND,
            Decision::Refused,
            "in_transit",
        ),
        (
            "group buy, one second early",
            &group,
            Reason::OrderedByMistake,
            group_opens - SECOND,
            Decision::NotYetOpen,
            "group_buy_waiting",
        ),
        (
            "group buy, at 24 h",
            &group,
            Reason::OrderedByMistake,
            group_opens,
            Decision::Eligible,
            "group_buy_unmatched",
        ),
    ];
    let mut failures = Vec::new();
    for (name, order, reason, now, decision, code) in rows {
        let verdict = eligibility(order, &one("a", 1), reason, now, &policy).unwrap();
        if verdict.decision != decision || verdict.explanation.code() != code {
            failures.push(format!(
                "{name}: got {:?} / {}, want {decision:?} / {code}",
                verdict.decision,
                verdict.explanation.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn window_is_an_instant_whatever_the_buyers_time_zone() {
    // Delivered at 23:30 in Shanghai (UTC+8) is 15:30 UTC: the window closes 7 x 24 h later.
    let shanghai = FixedOffset::east_opt(8 * 3600).unwrap();
    let delivered_local = shanghai.with_ymd_and_hms(2026, 3, 5, 23, 30, 0).unwrap();
    let delivered_at = delivered_local.with_timezone(&Utc);
    let o = general_order(Fulfillment::Delivered {
        shipped_at: at(2026, 3, 2, 8),
        delivered_at,
    });
    let closes = shanghai
        .with_ymd_and_hms(2026, 3, 12, 23, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    let policy = Policy::default();
    let inside = eligibility(&o, &one("a", 1), Reason::NoLongerWanted, closes, &policy).unwrap();
    let outside = eligibility(
        &o,
        &one("a", 1),
        Reason::NoLongerWanted,
        closes + SECOND,
        &policy,
    )
    .unwrap();
    assert_eq!(
        inside.explanation,
        Explanation::ChangeOfMindWindow { closes_at: closes }
    );
    assert_eq!(outside.decision, Decision::Refused);
}

#[test]
fn promised_date_opens_not_received_early() {
    let promised = at(2026, 3, 6, 0);
    let o = general_order(Fulfillment::Shipped {
        shipped_at: at(2026, 3, 2, 8),
        promised_by: Some(promised),
    });
    let v = eligibility(
        &o,
        &one("a", 1),
        Reason::NotReceived,
        promised,
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(v.decision, Decision::Eligible);
    assert_eq!(v.resolutions, vec![Resolution::RefundOnly]);
    assert_eq!(v.window.opens_at, Some(promised));
}

#[test]
fn not_shipped_is_refund_only_at_once_with_shipping_for_the_whole_order() {
    let o = general_order(Fulfillment::NotShipped);
    let whole = eligibility(
        &o,
        &one("a", 2),
        Reason::OrderedByMistake,
        at(2026, 3, 1, 10),
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(whole.decision, Decision::Eligible);
    assert_eq!(whole.explanation, Explanation::CancelBeforeShipment);
    assert_eq!(whole.resolutions, vec![Resolution::RefundOnly]);
    assert_eq!(whole.max_refund, Money::new(2 * 1250 + 499, Currency::EUR));
    let part = eligibility(
        &o,
        &one("a", 1),
        Reason::OrderedByMistake,
        at(2026, 3, 1, 10),
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(part.max_refund, Money::new(1250, Currency::EUR));
}

#[test]
fn buyer_pays_return_for_change_of_mind_and_seller_for_faults() {
    let now = delivered() + TimeDelta::days(2);
    let o = delivered_order();
    let mind = eligibility(
        &o,
        &one("a", 2),
        Reason::NoLongerWanted,
        now,
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(mind.resolutions, vec![Resolution::ReturnAndRefund]);
    assert_eq!(mind.return_shipping_paid_by, Some(Party::Buyer));
    assert_eq!(mind.max_refund, Money::new(2500, Currency::EUR));
    assert!(!mind.photos_required);

    let broken = eligibility(&o, &one("a", 2), Reason::Defective, now, &Policy::default()).unwrap();
    assert_eq!(broken.return_shipping_paid_by, Some(Party::Seller));
    assert_eq!(broken.max_refund, Money::new(2500 + 499, Currency::EUR));
    assert!(broken.photos_required);
    assert!(broken.resolutions.contains(&Resolution::Replacement));
}

#[test]
fn non_returnable_goods_refuse_change_of_mind_but_not_seller_faults() {
    let now = delivered() + TimeDelta::days(1);
    let delivery = Fulfillment::Delivered {
        shipped_at: at(2026, 3, 2, 8),
        delivered_at: delivered(),
    };
    for category in [
        Category::FreshFood,
        Category::Personalised,
        Category::Digital,
        Category::OpenedHygiene,
    ] {
        let o = order(delivery, vec![line("a", category, false, 1, 900)]);
        let mind = eligibility(
            &o,
            &one("a", 1),
            Reason::NoLongerWanted,
            now,
            &Policy::default(),
        )
        .unwrap();
        assert_eq!(
            mind.explanation,
            Explanation::NonReturnable { category },
            "{category:?}"
        );
        let wrong = eligibility(
            &o,
            &one("a", 1),
            Reason::WrongItemSent,
            now,
            &Policy::default(),
        )
        .unwrap();
        assert_eq!(wrong.decision, Decision::Eligible, "{category:?}");
    }
    let listing = order(delivery, vec![line("a", Category::General, true, 1, 900)]);
    let v = eligibility(
        &listing,
        &one("a", 1),
        Reason::BetterPriceFound,
        now,
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(v.explanation, Explanation::ListingNoReturns);
}

#[test]
fn perished_goods_are_refunded_without_being_sent_back() {
    let o = order(
        Fulfillment::Delivered {
            shipped_at: at(2026, 3, 2, 8),
            delivered_at: delivered(),
        },
        vec![line("a", Category::FreshFood, false, 1, 900)],
    );
    let v = eligibility(
        &o,
        &one("a", 1),
        Reason::DamagedInTransit,
        delivered(),
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(
        v.resolutions,
        vec![Resolution::RefundOnly, Resolution::PartialRefund]
    );
    assert_eq!(v.return_shipping_paid_by, None);
}

#[test]
fn policy_windows_are_data_not_constants() {
    let policy = Policy {
        change_of_mind_days: 30,
        ..Policy::default()
    };
    let now = delivered() + TimeDelta::days(20);
    let v = eligibility(
        &delivered_order(),
        &one("a", 1),
        Reason::NoLongerWanted,
        now,
        &policy,
    )
    .unwrap();
    assert_eq!(v.decision, Decision::Eligible);
}

#[test]
fn selections_that_do_not_fit_the_order_are_errors() {
    let o = delivered_order();
    let now = delivered();
    let p = Policy::default();
    let check =
        |sel: Vec<LineSelection>| eligibility(&o, &sel, Reason::Defective, now, &p).unwrap_err();
    assert_eq!(check(vec![]), SelectionError::NoLines);
    assert_eq!(
        check(one("zzz", 1)),
        SelectionError::UnknownLine("zzz".into())
    );
    assert_eq!(check(one("a", 3)).code(), "quantity_out_of_range");
    assert_eq!(check(one("a", 0)).code(), "quantity_out_of_range");
    let twice = vec![one("a", 1).remove(0), one("a", 1).remove(0)];
    assert_eq!(check(twice), SelectionError::DuplicateLine("a".into()));
}

#[test]
fn verdict_json_carries_codes_and_dates() {
    let v = eligibility(
        &delivered_order(),
        &one("a", 1),
        Reason::NoLongerWanted,
        delivered(),
        &Policy::default(),
    )
    .unwrap();
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["decision"], "eligible");
    assert_eq!(json["explanation"]["code"], "change_of_mind_window");
    assert_eq!(json["explanation"]["closes_at"], "2026-03-12T14:00:00Z");
    assert_eq!(
        json["max_refund"],
        serde_json::json!({"minor": 1250, "currency": "EUR"})
    );
    let back: retour_rules::Eligibility = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
}

#[test]
fn refunds_never_exceed_the_maximum_and_partials_are_validated() {
    use retour_rules::RefundError;
    let v = eligibility(
        &delivered_order(),
        &one("a", 2),
        Reason::Defective,
        delivered(),
        &Policy::default(),
    )
    .unwrap();
    let max = Money::new(2500 + 499, Currency::EUR);
    assert_eq!(v.refund_for(Resolution::ReturnAndRefund, None), Ok(max));
    assert_eq!(
        v.refund_for(Resolution::PartialRefund, Some(1000)),
        Ok(Money::new(1000, Currency::EUR))
    );
    assert_eq!(
        v.refund_for(Resolution::PartialRefund, Some(max.minor)),
        Ok(max)
    );
    assert_eq!(
        v.refund_for(Resolution::PartialRefund, Some(max.minor + 1)),
        Err(RefundError::PartialAmountOutOfRange { max })
    );
    assert_eq!(
        v.refund_for(Resolution::PartialRefund, Some(0))
            .unwrap_err()
            .code(),
        "partial_amount_out_of_range"
    );
    assert_eq!(
        v.refund_for(Resolution::PartialRefund, None),
        Err(RefundError::PartialAmountMissing)
    );
    assert_eq!(
        v.refund_for(Resolution::Replacement, Some(5)),
        Err(RefundError::PartialAmountUnexpected)
    );
    assert_eq!(
        v.refund_for(Resolution::RefundOnly, None),
        Err(RefundError::ResolutionNotAllowed)
    );
    let late = eligibility(
        &delivered_order(),
        &one("a", 1),
        Reason::NoLongerWanted,
        delivered() + TimeDelta::days(30),
        &Policy::default(),
    )
    .unwrap();
    assert_eq!(
        late.refund_for(Resolution::ReturnAndRefund, None),
        Err(RefundError::NotEligible)
    );
}

#[test]
fn every_explanation_and_fulfillment_round_trips_through_json() {
    let t = delivered();
    let explanations = [
        Explanation::CancelBeforeShipment,
        Explanation::GroupBuyWaiting { opens_at: t },
        Explanation::GroupBuyUnmatched { since: t },
        Explanation::InTransit {
            not_received_opens_at: t,
        },
        Explanation::NotReceivedOpensAt { opens_at: t },
        Explanation::NotReceivedOpen { opened_at: t },
        Explanation::ChangeOfMindWindow { closes_at: t },
        Explanation::ChangeOfMindClosed { closed_at: t },
        Explanation::ProtectionWindow { closes_at: t },
        Explanation::ProtectionClosed { closed_at: t },
        Explanation::NonReturnable {
            category: Category::Digital,
        },
        Explanation::ListingNoReturns,
    ];
    for e in explanations {
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], e.code());
        assert_eq!(serde_json::from_value::<Explanation>(json).unwrap(), e);
    }
    let fulfillments = [
        Fulfillment::NotShipped,
        Fulfillment::GroupBuyWaiting { since: t },
        Fulfillment::Shipped {
            shipped_at: t,
            promised_by: None,
        },
        Fulfillment::Shipped {
            shipped_at: t,
            promised_by: Some(t),
        },
        Fulfillment::Delivered {
            shipped_at: t,
            delivered_at: t,
        },
    ];
    for f in fulfillments {
        let json = serde_json::to_value(f).unwrap();
        assert_eq!(serde_json::from_value::<Fulfillment>(json).unwrap(), f);
    }
    let missing = serde_json::json!({"code": "change_of_mind_window"});
    let error = serde_json::from_value::<Explanation>(missing).unwrap_err();
    assert!(error.to_string().contains("closes_at"), "{error}");
}
