//! Properties over random sequences of actions and random requests: refunds never exceed what
//! was paid nor credits that plus the bonus, the clock never settles on store credit, closed
//! stays closed, every open case has exactly one next deadline, `advance` is
//! idempotent, and everything survives a JSON round trip. Native only (proptest).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use proptest::prelude::*;
use retour_rules::{
    advance, apply, eligibility, file, next_deadline, with_bonus, Action, Case, CaseError,
    Category, Decree, Eligibility, Event, Filing, Fulfillment, Money, Offer, Order, Outcome, Party,
    Policy, PolicyOverride, PolicySet, Reached, Reason, Resolution, ReturnRequest, TrackingNumber,
};

const PARTIES: [Party; 3] = [Party::Buyer, Party::Seller, Party::Platform];

/// One step of a random story: who, what (an index into the kinds of action), an amount, and
/// how long after the previous step.
#[derive(Clone, Debug)]
struct Step {
    party: usize,
    action: usize,
    amount: i64,
    resolution: usize,
    payer: usize,
    hours_later: i64,
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (
            0..3usize,
            0..19usize,
            -100i64..4000,
            0..7usize,
            0..3usize,
            0i64..200,
        )
            .prop_map(
                |(party, action, amount, resolution, payer, hours_later)| Step {
                    party,
                    action,
                    amount,
                    resolution,
                    payer,
                    hours_later,
                },
            ),
        0..40,
    )
}

fn offer_of(step: &Step) -> Offer {
    let resolution = Resolution::ALL[step.resolution];
    Offer {
        resolution,
        partial_amount_minor: (resolution == Resolution::PartialRefund).then_some(step.amount),
        return_shipping_paid_by: resolution.sends_goods_back().then_some(PARTIES[step.payer]),
        note: "n".into(),
        evidence: vec![],
        // Sometimes one the listing offers, sometimes not.
        exchange_for: (resolution == Resolution::Exchange).then(|| VARIANTS[step.payer].to_owned()),
    }
}

/// The variants of line "a" in the exchange story; "M" is the one bought.
const VARIANTS: [&str; 3] = ["S", "L", "M"];

/// DOMAIN.md's policy with a 10 % bonus on store credit.
fn policy() -> Policy {
    Policy {
        store_credit_bonus_percent: 10,
        ..Policy::default()
    }
}

fn action_of(step: &Step) -> Action {
    let tracking = TrackingNumber::parse("RR473124829GB").unwrap();
    match step.action {
        0 | 1 => Action::Propose(offer_of(step)),
        2 => Action::WithdrawProposal,
        3 | 4 => Action::Accept {
            of: PARTIES[step.payer],
        },
        5 => Action::Reject {
            reason: "no".into(),
        },
        6 => Action::Escalate,
        7 => Action::Rule {
            decree: if step.amount % 3 == 0 {
                Decree::NoRefund
            } else {
                Decree::Plan(offer_of(step))
            },
            reason: "ruled".into(),
        },
        8 => Action::GiveReturnAddress {
            address: "Depot".into(),
        },
        9 => Action::ShipReturn {
            tracking: tracking.clone(),
        },
        10 => Action::ReturnDelivered,
        11 => Action::ConfirmReceipt,
        12 => Action::ReportProblem {
            reason: "empty box".into(),
        },
        13 => Action::RefundIssued,
        14 => Action::ShipReplacement {
            tracking: tracking.clone(),
        },
        15 => Action::ShipRepaired { tracking },
        16 => Action::ConfirmItem,
        17 => Action::RepairFailed {
            reason: "still broken".into(),
            evidence: vec!["photo-2".into()],
        },
        _ => Action::Rate {
            stars: (step.amount.rem_euclid(7)) as u8,
            comment: String::new(),
        },
    }
}

fn start() -> DateTime<Utc> {
    delivered_at() + TimeDelta::days(1)
}

/// The cases a story can start from: every resolution of a delivered, defective order (a
/// repair, and an exchange of a line with sizes), and a refund before shipment.
fn opening(kind: usize) -> (Case, Order) {
    let (order, reason, resolution) = match kind {
        0 => (
            general_order(0, delivered()),
            Reason::Defective,
            Resolution::ReturnAndRefund,
        ),
        1 => (
            general_order(480, delivered()),
            Reason::Defective,
            Resolution::Replacement,
        ),
        2 => (
            general_order(-360, delivered()),
            Reason::Defective,
            Resolution::PartialRefund,
        ),
        3 => (
            general_order(0, delivered()),
            Reason::NoLongerWanted,
            Resolution::ReturnAndRefund,
        ),
        5 => (
            general_order(60, delivered()),
            Reason::Defective,
            Resolution::Repair,
        ),
        6 => {
            let mut order = general_order(0, delivered());
            order.lines[0].variant = Some("M".into());
            order.lines[0].variants = VARIANTS.map(String::from).to_vec();
            (order, Reason::NoLongerWanted, Resolution::Exchange)
        }
        _ => (
            general_order(0, Fulfillment::NotShipped),
            Reason::OrderedByMistake,
            Resolution::RefundOnly,
        ),
    };
    let filing = Filing {
        request: request("a", 2, reason),
        offer: Offer {
            resolution,
            partial_amount_minor: (resolution == Resolution::PartialRefund).then_some(700),
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: vec!["photo-1".into()],
            exchange_for: (resolution == Resolution::Exchange).then(|| "L".into()),
        },
        description: String::new(),
    };
    let (case, _) = file("c".into(), &order, &filing, start(), &policy()).unwrap();
    (case, order)
}

/// What the buyer paid for the two items of line "a", plus shipping.
fn paid(order: &Order) -> i64 {
    order.lines[0].unit_price.minor * 2 + order.shipping.minor
}

fn refunds_within(case: &Case, events: &[Event], cap: i64) -> Result<(), TestCaseError> {
    prop_assert!(case.max_refund.minor <= cap);
    prop_assert!(case.refund_owed().minor <= case.max_refund.minor);
    for p in [
        &case.proposals.buyer,
        &case.proposals.seller,
        &case.proposals.platform,
    ]
    .into_iter()
    .flatten()
    {
        prop_assert!(p.terms.refund.minor <= case.max_refund.minor && p.terms.refund.minor >= 0);
    }
    let most_credit = with_bonus(Money::new(cap, case.max_refund.currency), 10).minor;
    for terms in case
        .proposals
        .buyer
        .iter()
        .chain(&case.proposals.seller)
        .chain(&case.proposals.platform)
        .map(|p| &p.terms)
        .chain(case.agreement.as_ref().map(|a| &a.terms))
    {
        prop_assert!(terms.refund.minor <= case.max_refund.minor);
        prop_assert!(terms.credit.is_none_or(|c| c.minor <= most_credit));
        prop_assert_eq!(
            terms.credit.is_some(),
            terms.resolution == Resolution::StoreCredit
        );
        prop_assert_eq!(
            terms.exchange_for.is_some(),
            terms.resolution == Resolution::Exchange
        );
    }
    match case.outcome {
        Some(Outcome::Refunded { amount }) => {
            prop_assert!(amount.minor > 0 && amount.minor <= case.max_refund.minor);
        }
        Some(Outcome::Credited { amount }) => {
            prop_assert!(amount.minor <= most_credit);
            // Silence never trades the refund away for credit.
            let reached = case.agreement.as_ref().map(|a| a.reached);
            prop_assert!(
                reached != Some(Reached::Automatically),
                "the clock gave credit"
            );
        }
        _ => {}
    }
    for e in events {
        let json = serde_json::to_string(e).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Event>(&json).unwrap(), e);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_story_breaks_the_rules(kind in 0..7usize, story in steps()) {
        let policy = policy();
        let (mut case, order) = opening(kind);
        let cap = paid(&order);
        let mut now = start();
        let mut closed = false;
        for step in &story {
            now += TimeDelta::hours(step.hours_later);
            let before = case.clone();
            match apply(&case, PARTIES[step.party], action_of(step), now, &policy) {
                Ok((next, events)) => {
                    prop_assert!(!closed, "a closed case accepted {:?}", step);
                    prop_assert!(next.version > before.version);
                    refunds_within(&next, &events, cap)?;
                    case = next;
                }
                Err(CaseError::Closed) => prop_assert!(closed || advance(&before, now, &policy).0.state.is_terminal()),
                Err(_) => {}
            }
            // The clock, as the sweeper runs it.
            let (advanced, events) = advance(&case, now, &policy);
            refunds_within(&advanced, &events, cap)?;
            let (again, more) = advance(&advanced, now, &policy);
            prop_assert!(more.is_empty(), "advance was not idempotent: {:?}", more);
            prop_assert_eq!(&again, &advanced);
            case = advanced;
            closed = case.state.is_terminal();
            match next_deadline(&case, &policy) {
                None => prop_assert!(closed, "{:?} has no deadline", case.state),
                Some(d) => {
                    prop_assert!(!closed, "closed case has a deadline");
                    prop_assert!(d.at > now, "a passed deadline survived advance");
                    let json = serde_json::to_string(&d).unwrap();
                    prop_assert_eq!(serde_json::from_str::<retour_rules::Deadline>(&json).unwrap(), d);
                }
            }
            let json = serde_json::to_string(&case).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Case>(&json).unwrap(), &case);
        }
        // However the story went, the clock ends every case.
        let (end, _) = advance(&case, now + TimeDelta::days(400), &policy);
        prop_assert!(end.state.is_terminal(), "{:?}", end.state);
        prop_assert_eq!(next_deadline(&end, &policy), None);
    }

    #[test]
    fn verdicts_never_offer_more_than_was_paid(
        quantity in 1..=2u32,
        reason in 0..13usize,
        category in 0..8usize,
        no_returns in any::<bool>(),
        state in 0..4usize,
        offset in -720..=840i32,
        hours in -100..1000i64,
        return_cost in proptest::option::of(0..10_000i64),
    ) {
        let t = at(2026, 3, 2, 8);
        let fulfillment = match state {
            0 => Fulfillment::NotShipped,
            1 => Fulfillment::GroupBuyWaiting { since: t },
            2 => Fulfillment::Shipped { shipped_at: t, promised_by: None },
            _ => Fulfillment::Delivered { shipped_at: t, delivered_at: t + TimeDelta::days(3) },
        };
        let o = order_in(offset, fulfillment, vec![line("a", Category::ALL[category], no_returns, 2, 1250)]);
        let request = ReturnRequest {
            return_shipping_cost: return_cost.map(|minor| Money::new(minor, o.currency)),
            ..ReturnRequest::new(one("a", quantity), Reason::ALL[reason])
        };
        let v = eligibility(&o, &request, t + TimeDelta::hours(hours), &Policy::default()).unwrap();
        prop_assert!(v.max_refund.minor <= 1250 * i64::from(quantity) + 499);
        prop_assert!(!v.explanations.is_empty());
        prop_assert_eq!(v.resolutions.is_empty(), v.decision != retour_rules::Decision::Eligible);
        let json = serde_json::to_string(&v).unwrap();
        prop_assert_eq!(serde_json::from_str::<Eligibility>(&json).unwrap(), v);
        let json = serde_json::to_string(&o).unwrap();
        prop_assert_eq!(serde_json::from_str::<Order>(&json).unwrap(), o);
        let filing = Filing {
            request,
            offer: Offer { resolution: Resolution::PartialRefund, partial_amount_minor: Some(hours), return_shipping_paid_by: None, note: "n".into(), evidence: vec!["e1".into()], exchange_for: None },
            description: "d".into(),
        };
        let json = serde_json::to_string(&filing).unwrap();
        prop_assert_eq!(serde_json::from_str::<Filing>(&json).unwrap(), filing);
    }

    #[test]
    fn policies_round_trip_through_json_and_toml(days in proptest::option::of(1..3650u32), hours in proptest::option::of(0..1000u32)) {
        let o = PolicyOverride { protection_days: days, refund_issue_hours: hours, ..PolicyOverride::default() };
        let set = PolicySet { marketplace: o.clone(), sellers: [("s-1".to_owned(), o.clone())].into(), categories: [(Category::Home, o)].into(), shipping: None };
        let json = serde_json::to_string(&set).unwrap();
        prop_assert_eq!(&PolicySet::from_json(&json).unwrap(), &set);
        let toml = toml::to_string(&set).unwrap();
        prop_assert_eq!(&PolicySet::from_toml(&toml).unwrap(), &set);
        let policy = set.policy_for("s-1", &[Category::Home]);
        let json = serde_json::to_string(&policy).unwrap();
        prop_assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    }
}
