//! Deadlines and what the clock does: each state's deadline, one second either side of it, a
//! case overdue several times, and advancing twice.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use retour_rules::{
    advance, apply, file, next_deadline, refund_unmatched_group_buy, Action, Actor, AutoAction,
    Case, CaseState, Currency, Deadline, EventKind, Filing, Money, Offer, Outcome, Party, Policy,
    Reached, Reason, Resolution, TrackingNumber,
};

fn days(n: i64) -> TimeDelta {
    TimeDelta::days(n)
}

/// Filed one day after delivery, by a buyer at `offset` minutes from UTC.
fn filed_at(offset: i32) -> DateTime<Utc> {
    delivered_at() + days(1) + TimeDelta::minutes(i64::from(offset))
}

fn filed_in(offset: i32, resolution: Resolution) -> Case {
    let order = general_order(offset, delivered());
    let filing = Filing {
        request: request("a", 2, Reason::Defective),
        offer: Offer {
            resolution,
            partial_amount_minor: (resolution == Resolution::PartialRefund).then_some(1000),
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: vec!["photo-1".into()],
            exchange_for: None,
        },
        description: String::new(),
    };
    file(
        "c-1".into(),
        &order,
        &filing,
        filed_at(offset),
        &Policy::default(),
    )
    .unwrap()
    .0
}

fn act(case: &Case, party: Party, action: Action, at: DateTime<Utc>) -> Case {
    apply(case, party, action, at, &Policy::default())
        .unwrap()
        .0
}

fn partial(minor: i64) -> Action {
    Action::Propose(Offer {
        resolution: Resolution::PartialRefund,
        partial_amount_minor: Some(minor),
        return_shipping_paid_by: None,
        note: String::new(),
        evidence: vec![],
        exchange_for: None,
    })
}

fn tracking() -> TrackingNumber {
    TrackingNumber::parse("EE123456785CN").unwrap()
}

/// A case in each open state, with the deadline DOMAIN.md (or the policy) gives it.
fn every_open_state(offset: i32) -> Vec<(&'static str, Case, Deadline)> {
    let t = filed_at(offset);
    let new = filed_in(offset, Resolution::ReturnAndRefund);
    let countered = act(&new, Party::Seller, partial(1000), t + days(1));
    let rejected = act(
        &new,
        Party::Seller,
        Action::Reject {
            reason: "No".into(),
        },
        t + days(1),
    );
    let escalated = act(&rejected, Party::Buyer, Action::Escalate, t + days(2));
    let agreed = act(
        &new,
        Party::Seller,
        Action::Accept { of: Party::Buyer },
        t + days(1),
    );
    let addressed = act(
        &agreed,
        Party::Seller,
        Action::GiveReturnAddress {
            address: "Depot".into(),
        },
        t + days(2),
    );
    let shipped = act(
        &addressed,
        Party::Buyer,
        Action::ShipReturn {
            tracking: tracking(),
        },
        t + days(3),
    );
    let delivered = act(
        &shipped,
        Party::Platform,
        Action::ReturnDelivered,
        t + days(6),
    );
    let replacing = {
        let c = filed_in(offset, Resolution::Replacement);
        let c = act(
            &c,
            Party::Seller,
            Action::Accept { of: Party::Buyer },
            t + days(1),
        );
        let c = act(
            &c,
            Party::Seller,
            Action::GiveReturnAddress {
                address: "Depot".into(),
            },
            t + days(2),
        );
        let c = act(
            &c,
            Party::Buyer,
            Action::ShipReturn {
                tracking: tracking(),
            },
            t + days(3),
        );
        act(&c, Party::Seller, Action::ConfirmReceipt, t + days(5))
    };
    let withdrawn = act(&new, Party::Buyer, Action::Withdraw, t + days(1));
    let d = |at, party, then| Deadline { at, party, then };
    vec![
        (
            "seller answers a new request",
            new.clone(),
            d(
                t + days(5),
                Party::Seller,
                AutoAction::CarryOutProposal { of: Party::Buyer },
            ),
        ),
        (
            "buyer answers a counter-offer",
            countered,
            d(
                t + days(6),
                Party::Buyer,
                AutoAction::CarryOutProposal { of: Party::Seller },
            ),
        ),
        (
            "buyer answers a rejection",
            rejected,
            d(t + days(6), Party::Buyer, AutoAction::CloseRejected),
        ),
        (
            "mediator decides",
            escalated,
            d(
                t + days(9),
                Party::Platform,
                AutoAction::CarryOutProposal { of: Party::Buyer },
            ),
        ),
        (
            "seller gives the return address",
            agreed,
            d(t + days(4), Party::Seller, AutoAction::RefundWithoutReturn),
        ),
        (
            "buyer ships the return",
            addressed,
            d(t + days(12), Party::Buyer, AutoAction::CloseNotShipped),
        ),
        (
            "the return arrives",
            shipped,
            d(t + days(33), Party::Seller, AutoAction::PlatformStepsIn),
        ),
        (
            "seller confirms receipt",
            delivered,
            d(t + days(13), Party::Seller, AutoAction::IssueRefund),
        ),
        (
            "seller ships the replacement",
            replacing,
            d(t + days(10), Party::Seller, AutoAction::IssueRefund),
        ),
        (
            "buyer rates",
            withdrawn,
            d(t + days(31), Party::Buyer, AutoAction::Close),
        ),
    ]
}

#[test]
fn each_open_state_has_its_deadline_and_acts_exactly_at_it_in_any_time_zone() {
    let policy = Policy::default();
    let mut failures = Vec::new();
    for offset in [0, 480, -360] {
        for (name, case, expected) in every_open_state(offset) {
            let got = next_deadline(&case, &policy);
            if got != Some(expected) {
                failures.push(format!(
                    "UTC{offset:+} min, {name}: got {got:?}, want {expected:?}"
                ));
                continue;
            }
            let (before, events) = advance(&case, expected.at - SECOND, &policy);
            if before != case || !events.is_empty() {
                failures.push(format!("UTC{offset:+} min, {name}: moved one second early"));
            }
            let (after, events) = advance(&case, expected.at + SECOND, &policy);
            let first = events.first();
            if first.map(|e| (e.at, e.by, &e.what))
                != Some((expected.at, Actor::System, &EventKind::Automatic(expected)))
            {
                failures.push(format!(
                    "UTC{offset:+} min, {name}: one second late, events {events:?}"
                ));
            }
            if after.version != case.version + events.len() as u32 {
                failures.push(format!(
                    "{name}: version {} after {} events",
                    after.version,
                    events.len()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_closed_case_has_no_deadline_and_the_clock_leaves_it_alone() {
    let case = filed_in(0, Resolution::ReturnAndRefund);
    let resolved = act(&case, Party::Buyer, Action::Withdraw, filed_at(0));
    let closed = act(
        &resolved,
        Party::Buyer,
        Action::Rate {
            stars: 3,
            comment: String::new(),
        },
        filed_at(0),
    );
    assert_eq!(closed.state, CaseState::Closed);
    assert_eq!(next_deadline(&closed, &Policy::default()), None);
    let (later, events) = advance(&closed, filed_at(0) + days(3650), &Policy::default());
    assert_eq!((later, events.len()), (closed, 0));
}

#[test]
fn a_case_overdue_several_times_moves_through_each_deadline_in_order() {
    let policy = Policy::default();
    let case = filed_in(0, Resolution::ReturnAndRefund);
    let t = filed_at(0);
    let (after, events) = advance(&case, t + days(100), &policy);
    let steps: Vec<_> = events
        .iter()
        .map(|e| (e.at, e.what.clone(), e.state))
        .collect();
    assert_eq!(
        steps,
        vec![
            // The seller never answered: the buyer's return and refund is carried out…
            (
                t + days(5),
                EventKind::Automatic(Deadline {
                    at: t + days(5),
                    party: Party::Seller,
                    then: AutoAction::CarryOutProposal { of: Party::Buyer }
                }),
                CaseState::AwaitingReturnAddress
            ),
            // …the seller never gave an address: refunded without a return…
            (
                t + days(8),
                EventKind::Automatic(Deadline {
                    at: t + days(8),
                    party: Party::Seller,
                    then: AutoAction::RefundWithoutReturn
                }),
                CaseState::Resolved
            ),
            // …and nobody rated it within 30 days.
            (
                t + days(38),
                EventKind::Automatic(Deadline {
                    at: t + days(38),
                    party: Party::Buyer,
                    then: AutoAction::Close
                }),
                CaseState::Closed
            ),
        ]
    );
    assert_eq!(
        after.outcome,
        Some(Outcome::Refunded {
            amount: Money::new(2999, Currency::EUR)
        })
    );
    assert_eq!(
        after.agreement.clone().unwrap().reached,
        Reached::Automatically
    );
    // Idempotent: the same `now` again changes nothing.
    let (again, more) = advance(&after, t + days(100), &policy);
    assert_eq!((again, more.len()), (after.clone(), 0));
    // Advancing in two steps ends where one step does.
    let (halfway, _) = advance(&case, t + days(6), &policy);
    let (rest, _) = advance(&halfway, t + days(100), &policy);
    assert_eq!(rest, after);
}

#[test]
fn negotiation_without_agreement_for_seven_days_brings_in_the_platform() {
    let policy = Policy::default();
    let t = filed_at(0);
    let case = filed_in(0, Resolution::ReturnAndRefund);
    // Countered on day 4: the buyer's turn would run to day 9, but talks end on day 7.
    let countered = act(&case, Party::Seller, partial(1200), t + days(4));
    let deadline = next_deadline(&countered, &policy).unwrap();
    assert_eq!(
        (deadline.at, deadline.then),
        (t + days(7), AutoAction::PlatformStepsIn)
    );
    let (escalated, _) = advance(&countered, t + days(7), &policy);
    assert_eq!(escalated.state, CaseState::Escalated);
    // The mediator never ruled: the first standing proposal of platform, buyer, seller wins.
    let deadline = next_deadline(&escalated, &policy).unwrap();
    assert_eq!(
        deadline.then,
        AutoAction::CarryOutProposal { of: Party::Buyer }
    );
}

#[test]
fn an_unanswered_counter_offer_is_carried_out_and_an_unanswered_rejection_stands() {
    let policy = Policy {
        negotiation_days: 30,
        ..Policy::default()
    };
    let t = filed_at(0);
    let case = filed_in(0, Resolution::ReturnAndRefund);
    let countered = apply(&case, Party::Seller, partial(1200), t + days(1), &policy)
        .unwrap()
        .0;
    let (done, _) = advance(&countered, t + days(6), &policy);
    assert_eq!(done.agreement.unwrap().proposed_by, Party::Seller);
    assert_eq!(
        done.outcome,
        Some(Outcome::Refunded {
            amount: Money::new(1200, Currency::EUR)
        })
    );

    let rejected = apply(
        &case,
        Party::Seller,
        Action::Reject {
            reason: "No".into(),
        },
        t + days(1),
        &policy,
    )
    .unwrap()
    .0;
    assert_eq!(
        next_deadline(&rejected, &policy).unwrap().then,
        AutoAction::CloseRejected
    );
    let (closed, _) = advance(&rejected, t + days(6), &policy);
    assert_eq!(closed.outcome, Some(Outcome::Rejected));
}

#[test]
fn a_lost_return_goes_to_the_platform_and_then_the_agreed_refund_is_issued() {
    let policy = Policy::default();
    let t = filed_at(0);
    let case = filed_in(0, Resolution::ReturnAndRefund);
    let agreed = act(&case, Party::Seller, Action::Accept { of: Party::Buyer }, t);
    let addressed = act(
        &agreed,
        Party::Seller,
        Action::GiveReturnAddress {
            address: "Depot".into(),
        },
        t,
    );
    let shipped = act(
        &addressed,
        Party::Buyer,
        Action::ShipReturn {
            tracking: tracking(),
        },
        t,
    );
    let (lost, events) = advance(&shipped, t + days(30), &policy);
    assert_eq!(lost.state, CaseState::Escalated);
    assert_eq!(events.len(), 1);
    assert_eq!(
        next_deadline(&lost, &policy).unwrap().then,
        AutoAction::IssueRefund
    );
    let (refunded, _) = advance(&lost, t + days(37), &policy);
    assert_eq!(
        refunded.outcome,
        Some(Outcome::Refunded {
            amount: Money::new(2999, Currency::EUR)
        })
    );
}

#[test]
fn a_replacement_never_shipped_is_refunded_in_full() {
    let policy = Policy::default();
    let (_, case, deadline) = every_open_state(0).remove(8);
    assert_eq!(case.state, CaseState::ReplacementDue);
    let (refunded, _) = advance(&case, deadline.at, &policy);
    assert_eq!(
        refunded.outcome,
        Some(Outcome::Refunded {
            amount: case.max_refund
        })
    );
}

#[test]
fn deadlines_follow_the_policy() {
    let quick = Policy {
        seller_answer_days: 2,
        ..Policy::default()
    };
    let case = filed_in(0, Resolution::ReturnAndRefund);
    assert_eq!(
        next_deadline(&case, &quick).unwrap().at,
        filed_at(0) + days(2)
    );
}

#[test]
fn an_unmatched_group_buy_is_refunded_by_the_system_after_24_hours() {
    let since = at(2026, 3, 1, 10);
    let due = since + TimeDelta::hours(24);
    for offset in [0, 480] {
        let order = general_order(offset, retour_rules::Fulfillment::GroupBuyWaiting { since });
        let policy = Policy::default();
        assert!(refund_unmatched_group_buy("g".into(), &order, due - SECOND, &policy).is_none());
        let (case, events) =
            refund_unmatched_group_buy("g".into(), &order, due + SECOND, &policy).unwrap();
        assert_eq!(case.filed_at, due);
        assert_eq!(
            case.outcome,
            Some(Outcome::Refunded {
                amount: Money::new(2 * 1250 + 499, Currency::EUR)
            })
        );
        assert!(events.iter().all(|e| e.by == Actor::System), "{events:?}");
        assert_eq!(case.lines, one("a", 2));
    }
    let shipped = general_order(0, delivered());
    assert!(refund_unmatched_group_buy("g".into(), &shipped, due, &Policy::default()).is_none());
}

#[test]
fn the_move_is_a_partys_only_where_it_has_something_to_do() {
    use Party::{Buyer, Platform, Seller};
    let expected = [
        ("seller answers a new request", Some(Seller)),
        ("buyer answers a counter-offer", Some(Buyer)),
        ("buyer answers a rejection", Some(Buyer)),
        ("mediator decides", Some(Platform)),
        ("seller gives the return address", Some(Seller)),
        ("buyer ships the return", Some(Buyer)),
        // The carrier brings it; the seller can only wait.
        ("the return arrives", None),
        ("seller confirms receipt", Some(Seller)),
        ("seller ships the replacement", Some(Seller)),
        // Rating is optional.
        ("buyer rates", None),
    ];
    let states = every_open_state(0);
    assert_eq!(states.len(), expected.len());
    for ((name, case, deadline), (named, party)) in states.iter().zip(expected) {
        assert_eq!(*name, named);
        assert_eq!(
            retour_rules::whose_move(case.state, Some(deadline)),
            party,
            "{name}"
        );
    }
    assert_eq!(
        retour_rules::whose_move(CaseState::RefundDue, Some(&states[0].2)),
        None,
        "a refund being paid waits on nobody"
    );
}
