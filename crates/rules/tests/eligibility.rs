//! Eligibility, one table row per rule of DOMAIN.md. Runs natively and, compiled to wasm, in the
//! browser (`use ... as test` swaps the harness).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use retour_rules::{
    eligibility, outlook, Category, Currency, Decision, Eligibility, Explanation, Fulfillment,
    LineSelection, Money, Order, Party, Policy, PolicySet, Reason, Resolution, ReturnRequest,
    SelectionError,
};

const ELIGIBLE: Decision = Decision::Eligible;
const NOT_YET: Decision = Decision::NotYetOpen;
const REFUSED: Decision = Decision::Refused;

/// The verdict under DOMAIN.md's policy.
fn verdict(order: &Order, request: &ReturnRequest, now: DateTime<Utc>) -> Eligibility {
    eligibility(order, request, now, &Policy::default()).unwrap()
}

fn verdict_at(order: &Order, reason: Reason, now: DateTime<Utc>) -> (Decision, &'static str) {
    let v = verdict(order, &request("a", 1, reason), now);
    (v.decision, v.explanation().code())
}

/// Each window, one second before, at and one second after its boundary, for a buyer in UTC,
/// in Shanghai (UTC+8, where the delivery fell on the next calendar day) and in Mexico City
/// (UTC−6). Windows counted in days end at 23:59:59 in the buyer's zone.
#[test]
fn every_window_on_both_sides_of_its_boundary_in_three_time_zones() {
    // (zone, offset in minutes, change of mind closes, protection closes, not received opens),
    // written as wall-clock times in that zone.
    let zones = [
        ("UTC", 0, (12, 23), (20, 23), (12, 0)),
        ("Shanghai", 480, (13, 23), (21, 23), (13, 0)),
        ("Mexico City", -360, (12, 23), (20, 23), (12, 0)),
    ];
    let shipped_at = at(2026, 3, 2, 20);
    let group_since = at(2026, 3, 1, 10);
    let mut failures = Vec::new();
    for (zone, offset, mind, protection, not_received) in zones {
        let end = |(day, hour): (u32, u32)| local(offset, 2026, 3, day, hour, 59, 59);
        let home = general_order(offset, delivered());
        let in_transit = general_order(
            offset,
            Fulfillment::Shipped {
                shipped_at,
                promised_by: None,
            },
        );
        let group = general_order(offset, Fulfillment::GroupBuyWaiting { since: group_since });
        let rows = [
            (
                "change of mind closes",
                &home,
                Reason::NoLongerWanted,
                end(mind),
                [
                    (ELIGIBLE, "change_of_mind_window"),
                    (ELIGIBLE, "change_of_mind_window"),
                    (REFUSED, "change_of_mind_closed"),
                ],
            ),
            (
                "protection closes",
                &home,
                Reason::Defective,
                end(protection),
                [
                    (ELIGIBLE, "protection_window"),
                    (ELIGIBLE, "protection_window"),
                    (REFUSED, "protection_closed"),
                ],
            ),
            (
                "seller's side after change of mind closed",
                &home,
                Reason::DamagedInTransit,
                end(mind),
                [(ELIGIBLE, "protection_window"); 3],
            ),
            (
                "not received opens",
                &in_transit,
                Reason::NotReceived,
                local(offset, 2026, 3, not_received.0, not_received.1, 0, 0),
                [
                    (NOT_YET, "not_received_opens_at"),
                    (ELIGIBLE, "not_received_open"),
                    (ELIGIBLE, "not_received_open"),
                ],
            ),
            (
                "in transit, any other reason",
                &in_transit,
                Reason::NoLongerWanted,
                local(offset, 2026, 3, not_received.0, not_received.1, 0, 0),
                [(REFUSED, "in_transit"); 3],
            ),
            (
                "group buy refund opens after 24 h",
                &group,
                Reason::OrderedByMistake,
                group_since + TimeDelta::hours(24),
                [
                    (NOT_YET, "group_buy_waiting"),
                    (ELIGIBLE, "group_buy_unmatched"),
                    (ELIGIBLE, "group_buy_unmatched"),
                ],
            ),
        ];
        for (rule, order, reason, boundary, expected) in rows {
            for (now, want) in [boundary - SECOND, boundary, boundary + SECOND]
                .into_iter()
                .zip(expected)
            {
                let got = verdict_at(order, reason, now);
                if got != want {
                    failures.push(format!(
                        "{zone}, {rule}, at {now}: got {got:?}, want {want:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_window_dates_are_given_with_the_verdict() {
    let shanghai = general_order(480, delivered());
    let v = verdict(
        &shanghai,
        &request("a", 1, Reason::NoLongerWanted),
        delivered_at(),
    );
    let closes = local(480, 2026, 3, 13, 23, 59, 59);
    assert_eq!(
        v.explanations,
        vec![Explanation::ChangeOfMindWindow { closes_at: closes }]
    );
    assert_eq!(v.window.opens_at, Some(delivered_at()));
    assert_eq!(v.window.closes_at, Some(closes));
}

#[test]
fn a_passed_promised_date_opens_not_received_early() {
    let promised = at(2026, 3, 6, 0);
    let o = general_order(
        0,
        Fulfillment::Shipped {
            shipped_at: at(2026, 3, 2, 8),
            promised_by: Some(promised),
        },
    );
    assert_eq!(
        verdict_at(&o, Reason::NotReceived, promised - SECOND).0,
        NOT_YET
    );
    let v = verdict(&o, &request("a", 2, Reason::NotReceived), promised);
    assert_eq!(v.decision, ELIGIBLE);
    assert_eq!(v.resolutions, vec![Resolution::RefundOnly]);
    assert_eq!(v.window.opens_at, Some(promised));
    // Never received: the seller's side, so shipping comes back too.
    assert_eq!(v.max_refund, Money::new(2500 + 499, Currency::EUR));
}

#[test]
fn not_shipped_is_refund_only_at_once_with_shipping_for_the_whole_order() {
    let o = general_order(0, Fulfillment::NotShipped);
    let now = at(2026, 3, 1, 10);
    let whole = verdict(&o, &request("a", 2, Reason::OrderedByMistake), now);
    assert_eq!(whole.decision, ELIGIBLE);
    assert_eq!(whole.explanations, vec![Explanation::CancelBeforeShipment]);
    assert_eq!(whole.resolutions, vec![Resolution::RefundOnly]);
    assert_eq!(whole.max_refund, Money::new(2 * 1250 + 499, Currency::EUR));
    assert_eq!(whole.return_shipping_paid_by, None);
    let part = verdict(&o, &request("a", 1, Reason::OrderedByMistake), now);
    assert_eq!(part.max_refund, Money::new(1250, Currency::EUR));
}

#[test]
fn who_pays_return_shipping_follows_the_side_at_fault() {
    let now = delivered_at() + TimeDelta::days(2);
    let o = general_order(0, delivered());
    let mind = verdict(&o, &request("a", 2, Reason::NoLongerWanted), now);
    assert_eq!(mind.resolutions, vec![Resolution::ReturnAndRefund]);
    assert_eq!(mind.return_shipping_paid_by, Some(Party::Buyer));
    assert_eq!(mind.max_refund, Money::new(2500, Currency::EUR));
    assert!(!mind.photos_required);

    let broken = verdict(&o, &request("a", 2, Reason::Defective), now);
    assert_eq!(
        broken.resolutions,
        vec![
            Resolution::ReturnAndRefund,
            Resolution::Replacement,
            Resolution::Repair,
            Resolution::PartialRefund
        ]
    );
    assert_eq!(broken.return_shipping_paid_by, Some(Party::Seller));
    assert_eq!(broken.max_refund, Money::new(2500 + 499, Currency::EUR));
    assert!(broken.photos_required);
}

#[test]
fn photos_are_required_exactly_for_reasons_about_the_goods() {
    let required: Vec<Reason> = Reason::ALL
        .into_iter()
        .filter(|r| r.photos_required())
        .collect();
    assert_eq!(
        required,
        vec![
            Reason::DamagedInTransit,
            Reason::Defective,
            Reason::NotAsDescribed,
            Reason::WrongItemSent,
            Reason::MissingParts,
            Reason::Counterfeit
        ]
    );
}

#[test]
fn non_returnable_goods_refuse_change_of_mind_and_say_what_to_do_instead() {
    let now = delivered_at() + TimeDelta::days(1);
    let protection_closes = local(0, 2026, 3, 20, 23, 59, 59);
    for category in [
        Category::FreshFood,
        Category::Personalised,
        Category::Digital,
        Category::OpenedHygiene,
    ] {
        let o = order_in(0, delivered(), vec![line("a", category, false, 1, 900)]);
        let mind = verdict(&o, &request("a", 1, Reason::NoLongerWanted), now);
        assert_eq!(mind.decision, REFUSED, "{category:?}");
        assert_eq!(
            mind.explanations,
            vec![
                Explanation::NonReturnable { category },
                Explanation::SellerFaultStillOpen {
                    closes_at: protection_closes
                }
            ],
            "{category:?}"
        );
        for reason in [
            Reason::WrongItemSent,
            Reason::DamagedInTransit,
            Reason::NotReceived,
        ] {
            let v = verdict(&o, &request("a", 1, reason), now);
            assert_eq!(v.decision, ELIGIBLE, "{category:?} {reason:?}");
        }
    }
    let listing = order_in(
        0,
        delivered(),
        vec![line("a", Category::General, true, 1, 900)],
    );
    assert_eq!(
        verdict_at(&listing, Reason::BetterPriceFound, now),
        (REFUSED, "listing_no_returns")
    );
    assert_eq!(
        verdict_at(&listing, Reason::Defective, now),
        (ELIGIBLE, "protection_window")
    );
}

#[test]
fn a_closed_change_of_mind_window_points_to_the_protection_period_while_it_lasts() {
    let o = general_order(0, delivered());
    let after_mind = local(0, 2026, 3, 13, 0, 0, 0);
    let v = verdict(&o, &request("a", 1, Reason::NoLongerWanted), after_mind);
    assert_eq!(v.explanations[1].code(), "seller_fault_still_open");
    let after_all = local(0, 2026, 3, 21, 0, 0, 0);
    let v = verdict(&o, &request("a", 1, Reason::NoLongerWanted), after_all);
    assert_eq!(v.explanations.len(), 1, "{:?}", v.explanations);
}

#[test]
fn perished_goods_are_refunded_without_being_sent_back() {
    let o = order_in(
        0,
        delivered(),
        vec![line("a", Category::FreshFood, false, 1, 900)],
    );
    let v = verdict(
        &o,
        &request("a", 1, Reason::DamagedInTransit),
        delivered_at(),
    );
    assert_eq!(
        v.resolutions,
        vec![Resolution::RefundOnly, Resolution::PartialRefund]
    );
    assert_eq!(v.return_shipping_paid_by, None);
}

#[test]
fn refund_only_when_sending_back_costs_more_than_the_goods() {
    let o = general_order(0, delivered());
    let with_cost = |minor, reason| ReturnRequest {
        return_shipping_cost: Some(Money::new(minor, Currency::EUR)),
        ..request("a", 1, reason)
    };
    let now = delivered_at();
    let dear = verdict(&o, &with_cost(1251, Reason::Defective), now);
    assert_eq!(
        dear.resolutions,
        vec![Resolution::RefundOnly, Resolution::PartialRefund]
    );
    assert_eq!(dear.return_shipping_paid_by, None);
    assert_eq!(
        dear.explanations[1],
        Explanation::ReturnCostsMoreThanGoods {
            return_cost: Money::new(1251, Currency::EUR),
            goods: Money::new(1250, Currency::EUR)
        }
    );
    // Equal cost: still worth sending back.
    let even = verdict(&o, &with_cost(1250, Reason::Defective), now);
    assert!(even.resolutions.contains(&Resolution::ReturnAndRefund));
    // A change of mind is the buyer's own cost to weigh: the goods still go back.
    let mind = verdict(&o, &with_cost(5000, Reason::NoLongerWanted), now);
    assert_eq!(mind.resolutions, vec![Resolution::ReturnAndRefund]);
    // The cost must be in the order's currency.
    let yen = ReturnRequest {
        return_shipping_cost: Some(Money::new(5000, Currency::JPY)),
        ..request("a", 1, Reason::Defective)
    };
    assert_eq!(
        eligibility(&o, &yen, now, &Policy::default()).unwrap_err(),
        SelectionError::ReturnShippingCost
    );
}

#[test]
fn a_wanted_resolution_that_is_not_offered_is_explained() {
    let o = general_order(0, delivered());
    let wanting = |wanted| ReturnRequest {
        wanted: Some(wanted),
        ..request("a", 1, Reason::NoLongerWanted)
    };
    let v = verdict(&o, &wanting(Resolution::RefundOnly), delivered_at());
    assert_eq!(v.decision, ELIGIBLE);
    assert_eq!(
        v.explanations.last(),
        Some(&Explanation::ResolutionNotOffered {
            wanted: Resolution::RefundOnly
        })
    );
    let v = verdict(&o, &wanting(Resolution::ReturnAndRefund), delivered_at());
    assert_eq!(v.explanations.len(), 1);
}

#[test]
fn policy_windows_and_categories_are_data_not_constants() {
    let o = general_order(0, delivered());
    let now = delivered_at() + TimeDelta::days(20);
    let month = Policy {
        change_of_mind_days: 30,
        ..Policy::default()
    };
    let v = eligibility(&o, &request("a", 1, Reason::NoLongerWanted), now, &month).unwrap();
    assert_eq!(v.decision, ELIGIBLE);

    let strict = PolicySet::from_toml(
        "[marketplace]\nnon_returnable = [\"electronics\"]\n[categories.electronics]\nprotection_days = 30\n",
    )
    .unwrap();
    let phone = order_in(
        0,
        delivered(),
        vec![line("a", Category::Electronics, false, 1, 30000)],
    );
    let policy = strict.policy_for("any-seller", &[Category::Electronics]);
    let mind = eligibility(
        &phone,
        &request("a", 1, Reason::NoLongerWanted),
        delivered_at(),
        &policy,
    )
    .unwrap();
    assert_eq!(
        mind.explanation(),
        &Explanation::NonReturnable {
            category: Category::Electronics
        }
    );
    let late_fault =
        eligibility(&phone, &request("a", 1, Reason::Defective), now, &policy).unwrap();
    assert_eq!(late_fault.decision, ELIGIBLE);
    // Fresh food is returnable under this marketplace's own list.
    let food = order_in(
        0,
        delivered(),
        vec![line("a", Category::FreshFood, false, 1, 900)],
    );
    let v = eligibility(
        &food,
        &request("a", 1, Reason::NoLongerWanted),
        delivered_at(),
        &policy,
    )
    .unwrap();
    assert_eq!(v.decision, ELIGIBLE);
}

#[test]
fn requests_that_do_not_fit_the_order_are_errors() {
    let o = general_order(0, delivered());
    let check = |lines: Vec<LineSelection>| {
        eligibility(
            &o,
            &ReturnRequest::new(lines, Reason::Defective),
            delivered_at(),
            &Policy::default(),
        )
        .unwrap_err()
    };
    assert_eq!(check(vec![]), SelectionError::NoLines);
    assert_eq!(
        check(one("zzz", 1)),
        SelectionError::UnknownLine("zzz".into())
    );
    assert_eq!(check(one("a", 3)).code(), "quantity_out_of_range");
    assert_eq!(check(one("a", 0)).code(), "quantity_out_of_range");
    let twice = [one("a", 1), one("a", 1)].concat();
    assert_eq!(check(twice), SelectionError::DuplicateLine("a".into()));
    let negative = ReturnRequest {
        return_shipping_cost: Some(Money::new(-1, Currency::EUR)),
        ..request("a", 1, Reason::Defective)
    };
    assert_eq!(
        eligibility(&o, &negative, delivered_at(), &Policy::default())
            .unwrap_err()
            .code(),
        "return_shipping_cost_invalid"
    );
}

#[test]
fn money_keeps_each_currencys_minor_units_in_refunds() {
    for (currency, unit) in [
        (Currency::JPY, 1500),
        (Currency::KWD, 12_345),
        (Currency::USD, 1999),
    ] {
        let mut o = general_order(0, delivered());
        o.currency = currency;
        o.lines[0].unit_price = Money::new(unit, currency);
        o.shipping = Money::new(100, currency);
        let v = verdict(&o, &request("a", 2, Reason::Defective), delivered_at());
        assert_eq!(v.max_refund, Money::new(2 * unit + 100, currency));
    }
}

#[test]
fn refunds_never_exceed_the_maximum_and_partials_are_validated() {
    use retour_rules::RefundError;
    let o = general_order(0, delivered());
    let v = verdict(&o, &request("a", 2, Reason::Defective), delivered_at());
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
    let late = verdict(
        &o,
        &request("a", 1, Reason::NoLongerWanted),
        delivered_at() + TimeDelta::days(30),
    );
    assert_eq!(
        late.refund_for(Resolution::ReturnAndRefund, None),
        Err(RefundError::NotEligible)
    );
}

#[test]
fn verdict_json_carries_codes_dates_and_amounts() {
    let o = general_order(0, delivered());
    let v = verdict(&o, &request("a", 1, Reason::NoLongerWanted), delivered_at());
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["decision"], "eligible");
    assert_eq!(json["explanations"][0]["code"], "change_of_mind_window");
    assert_eq!(json["explanations"][0]["closes_at"], "2026-03-12T23:59:59Z");
    assert_eq!(
        json["max_refund"],
        serde_json::json!({"minor": 1250, "currency": "EUR"})
    );
    let back: retour_rules::Eligibility = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
}

#[test]
fn every_explanation_and_fulfillment_round_trips_through_json() {
    let t = delivered_at();
    let eur = |minor| Money::new(minor, Currency::EUR);
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
        Explanation::SellerFaultStillOpen { closes_at: t },
        Explanation::ReturnCostsMoreThanGoods {
            return_cost: eur(3000),
            goods: eur(1250),
        },
        Explanation::ResolutionNotOffered {
            wanted: Resolution::Replacement,
        },
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

#[test]
fn a_lines_outlook_says_until_when_or_from_when() {
    let now = delivered_at() + TimeDelta::days(1);
    let policy = Policy::default();
    let order = general_order(0, delivered());
    let open = outlook(&order, &order.lines[0], now, &policy).unwrap();
    assert_eq!(open.decision, ELIGIBLE);
    assert_eq!(open.explanation().code(), "change_of_mind_window");

    // Past the change-of-mind window, the refusal says a problem can still be reported.
    let late = outlook(
        &order,
        &order.lines[0],
        delivered_at() + TimeDelta::days(10),
        &policy,
    )
    .unwrap();
    assert_eq!(late.decision, REFUSED);
    assert!(late
        .explanations
        .iter()
        .any(|e| e.code() == "seller_fault_still_open"));

    // On its way: "You can report it as not received from …", a date still to come.
    let travelling = general_order(
        0,
        Fulfillment::Shipped {
            shipped_at: now - TimeDelta::days(1),
            promised_by: None,
        },
    );
    let waiting = outlook(&travelling, &travelling.lines[0], now, &policy).unwrap();
    assert_eq!(waiting.decision, NOT_YET);
    let Explanation::NotReceivedOpensAt { opens_at } = waiting.explanation() else {
        panic!("{waiting:?}");
    };
    assert!(*opens_at > now);
}
