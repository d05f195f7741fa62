//! The settlements beyond money back: a repair, an exchange for another variant of the listing,
//! and store credit the buyer may accept but the clock never imposes.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use retour_rules::{
    advance, apply, eligibility, file, next_deadline, settlement, triggers, Action, ActionKind,
    Actor, AutoAction, Case, CaseError, CaseState, Decree, Event, EventKind, Filing, Offer, Order,
    Outcome, Party, Policy, PolicySet, Reached, Reason, RefundError, Resolution, TrackingNumber,
    Trigger,
};

fn days(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::days(n)
}

/// DOMAIN.md's policy with a 10 % bonus on store credit.
fn policy() -> Policy {
    Policy {
        store_credit_bonus_percent: 10,
        ..Policy::default()
    }
}

fn exchange(to: &str) -> Offer {
    Offer {
        exchange_for: Some(to.into()),
        ..with_photo(offer(Resolution::Exchange))
    }
}

/// Line "a" (two items at 12.50) bought in size M of a listing sold in S, M and L.
fn sized_order() -> Order {
    let mut order = general_order(0, delivered());
    order.lines[0].variant = Some("M".into());
    order.lines[0].variants = vec!["S".into(), "M".into(), "L".into()];
    order
}

fn filed_on(order: &Order, reason: Reason, offer: Offer) -> Result<Case, CaseError> {
    let filing = Filing {
        request: request("a", 2, reason),
        offer,
        description: String::new(),
    };
    file("c-1".into(), order, &filing, t0(), &policy()).map(|(case, _)| case)
}

/// Line "a" of a delivered order came defective: filed with a photo, asking for `resolution`.
fn defect(resolution: Resolution) -> Case {
    let order = general_order(0, delivered());
    filed_on(&order, Reason::Defective, with_photo(offer(resolution))).unwrap()
}

/// `party` puts forward `resolution` at `at`.
fn propose(case: &Case, party: Party, resolution: Resolution, at: DateTime<Utc>) -> Case {
    step(
        case,
        party,
        Action::Propose(with_photo(offer(resolution))),
        at,
    )
}

fn step(case: &Case, party: Party, action: Action, at: DateTime<Utc>) -> Case {
    let kind = action.kind();
    apply(case, party, action, at, &policy())
        .unwrap_or_else(|e| panic!("{party:?} {kind:?} in {:?}: {e}", case.state))
        .0
}

fn tracking() -> TrackingNumber {
    TrackingNumber::parse("RR473124829GB").unwrap()
}

/// Agreed at day 1, the goods sent back and confirmed received by the seller at day 4.
fn received_by_seller(case: &Case) -> Case {
    let case = step(
        case,
        Party::Seller,
        Action::Accept { of: Party::Buyer },
        days(1),
    );
    let address = Action::GiveReturnAddress {
        address: "Depot 4, Lyon".into(),
    };
    let case = step(&case, Party::Seller, address, days(1));
    let ship = Action::ShipReturn {
        tracking: tracking(),
    };
    let case = step(&case, Party::Buyer, ship, days(2));
    let case = step(&case, Party::Platform, Action::ReturnDelivered, days(3));
    step(&case, Party::Seller, Action::ConfirmReceipt, days(4))
}

#[test]
fn repair_is_offered_for_faults_a_repair_can_fix() {
    let order = general_order(0, delivered());
    let ask = |reason| {
        let v = eligibility(&order, &request("a", 2, reason), t0(), &policy()).unwrap();
        v.resolutions.contains(&Resolution::Repair)
    };
    for reason in [
        Reason::Defective,
        Reason::DamagedInTransit,
        Reason::MissingParts,
    ] {
        assert!(ask(reason), "{reason:?}");
    }
    for reason in [
        Reason::Counterfeit,
        Reason::WrongItemSent,
        Reason::NoLongerWanted,
    ] {
        assert!(!ask(reason), "{reason:?}");
    }
    // Nor may either side propose one later for a fault a repair cannot fix.
    let wrong = filed_on(
        &order,
        Reason::WrongItemSent,
        with_photo(offer(Resolution::ReturnAndRefund)),
    );
    let repair = Action::Propose(with_photo(offer(Resolution::Repair)));
    let refused = apply(&wrong.unwrap(), Party::Seller, repair, days(1), &policy());
    assert_eq!(refused.unwrap_err(), CaseError::NotRepairable);
}

#[test]
fn a_repair_goes_back_is_repaired_and_comes_back_within_the_repair_period() {
    let case = defect(Resolution::Repair);
    let terms = &case.proposals.buyer.as_ref().unwrap().terms;
    assert_eq!(terms.refund, eur(0));
    assert_eq!(terms.return_shipping_paid_by, Some(Party::Seller));

    let case = received_by_seller(&case);
    assert_eq!(case.state, CaseState::RepairDue);
    let due = next_deadline(&case, &policy()).unwrap();
    assert_eq!(due.at, days(4 + 15), "the policy's repair period");
    assert_eq!(due.party, Party::Seller);
    assert_eq!(due.then, AutoAction::IssueRefund);
    assert!(case.may(Party::Seller, ActionKind::ShipRepaired));

    let ship = Action::ShipRepaired {
        tracking: tracking(),
    };
    let case = step(&case, Party::Seller, ship, days(10));
    assert_eq!(case.state, CaseState::AwaitingBuyerConfirmation);
    assert_eq!(case.replacement_tracking, Some(tracking()));
    let due = next_deadline(&case, &policy()).unwrap();
    assert_eq!(
        (due.at, due.party, due.then),
        (days(17), Party::Buyer, AutoAction::ItemAccepted)
    );
    assert!(case.may(Party::Buyer, ActionKind::RepairFailed));

    let case = step(&case, Party::Buyer, Action::ConfirmItem, days(12));
    assert_eq!(case.outcome, Some(Outcome::Repaired));
    assert_eq!(case.state, CaseState::Resolved);
}

#[test]
fn a_repair_not_shipped_back_in_time_is_refunded_in_full_once() {
    let case = defect(Resolution::Repair);
    let case = received_by_seller(&case);
    let (late, events) = advance(&case, days(4 + 15), &policy());
    assert_eq!(late.outcome, Some(Outcome::Refunded { amount: eur(2999) }));
    assert_eq!(events.len(), 1);
    let (again, more) = advance(&late, days(4 + 15), &policy());
    assert!(more.is_empty());
    assert_eq!(again, late);
    // Read after the event that made the repair due, the clock's entry says why it refunded.
    let confirmed = Event {
        at: days(4),
        by: Actor::Seller,
        what: EventKind::Acted(Action::ConfirmReceipt),
        state: CaseState::RepairDue,
    };
    let said = triggers(&late.explanation, &[confirmed, events[0].clone()]);
    assert_eq!(said, vec![None, Some(Trigger::RepairNotShipped)]);
}

#[test]
fn a_repair_that_did_not_work_reopens_the_choice_and_either_side_may_escalate() {
    let case = defect(Resolution::Repair);
    let case = received_by_seller(&case);
    let ship = Action::ShipRepaired {
        tracking: tracking(),
    };
    let back = step(&case, Party::Seller, ship, days(10));
    let no_photo = Action::RepairFailed {
        reason: "It still does not turn on".into(),
        evidence: vec![],
    };
    let refused = apply(&back, Party::Buyer, no_photo, days(12), &policy());
    assert_eq!(refused.unwrap_err(), CaseError::PhotosRequired);

    let failed = Action::RepairFailed {
        reason: "It still does not turn on".into(),
        evidence: vec!["photo-9".into()],
    };
    let reopened = step(&back, Party::Buyer, failed, days(12));
    assert_eq!(reopened.state, CaseState::Negotiating);
    assert_eq!(reopened.awaiting, Some(Party::Seller));
    assert_eq!(reopened.agreement, None);
    let claim = reopened.proposals.buyer.as_ref().unwrap();
    assert_eq!(claim.terms.resolution, Resolution::ReturnAndRefund);
    assert_eq!(claim.terms.refund, eur(2999));
    assert_eq!(claim.evidence, vec!["photo-9".to_owned()]);
    for party in [Party::Buyer, Party::Seller] {
        assert!(reopened.may(party, ActionKind::Escalate), "{party:?}");
    }
    // The talks count from the reopening, not from the filing weeks ago.
    let due = next_deadline(&reopened, &policy()).unwrap();
    assert_eq!(due.at, days(12 + 5));
    assert_eq!(due.then, AutoAction::CarryOutProposal { of: Party::Buyer });

    // The buyer may ask for a replacement instead; the seller may take it to the platform.
    let replace = propose(&reopened, Party::Buyer, Resolution::Replacement, days(13));
    let escalated = step(&replace, Party::Seller, Action::Escalate, days(14));
    assert_eq!(escalated.state, CaseState::Escalated);
}

#[test]
fn an_exchange_is_offered_for_a_line_whose_listing_has_other_variants() {
    let order = sized_order();
    let mind = eligibility(
        &order,
        &request("a", 2, Reason::NoLongerWanted),
        t0(),
        &policy(),
    )
    .unwrap();
    assert_eq!(
        mind.resolutions,
        vec![Resolution::ReturnAndRefund, Resolution::Exchange]
    );
    assert_eq!(mind.return_shipping_paid_by, Some(Party::Buyer));
    let broken = eligibility(
        &order,
        &request("a", 2, Reason::WrongItemSent),
        t0(),
        &policy(),
    );
    assert!(broken.unwrap().resolutions.contains(&Resolution::Exchange));

    // Nothing to exchange for: no variants, or only the one bought.
    let plain = general_order(0, delivered());
    let v = eligibility(
        &plain,
        &request("a", 2, Reason::NoLongerWanted),
        t0(),
        &policy(),
    );
    assert_eq!(v.unwrap().resolutions, vec![Resolution::ReturnAndRefund]);
    let mut single = sized_order();
    single.lines[0].variants = vec!["M".into()];
    let v = eligibility(
        &single,
        &request("a", 2, Reason::NoLongerWanted),
        t0(),
        &policy(),
    );
    assert!(!v.unwrap().resolutions.contains(&Resolution::Exchange));
}

#[test]
fn an_exchange_names_a_variant_the_listing_offers() {
    let order = sized_order();
    let mind = Reason::NoLongerWanted;
    assert_eq!(
        filed_on(&order, mind, with_photo(offer(Resolution::Exchange))).unwrap_err(),
        CaseError::VariantRequired
    );
    assert_eq!(
        filed_on(&order, mind, exchange("XXL")).unwrap_err(),
        CaseError::VariantNotOffered
    );
    assert_eq!(
        filed_on(&order, mind, exchange("M")).unwrap_err(),
        CaseError::VariantNotOffered,
        "the size bought is no exchange"
    );
    let stray = Offer {
        exchange_for: Some("L".into()),
        ..with_photo(offer(Resolution::ReturnAndRefund))
    };
    assert_eq!(
        filed_on(&order, mind, stray).unwrap_err(),
        CaseError::VariantUnexpected
    );
    let case = filed_on(&order, mind, exchange("L")).unwrap();
    assert_eq!(case.exchange_options, vec!["S".to_owned(), "L".to_owned()]);
    let terms = &case.proposals.buyer.as_ref().unwrap().terms;
    assert_eq!(terms.exchange_for.as_deref(), Some("L"));
    // A change of mind: the buyer pays return shipping, as for a return.
    assert_eq!(terms.return_shipping_paid_by, Some(Party::Buyer));
    assert_eq!(terms.refund, eur(0));
}

#[test]
fn an_exchange_goes_back_and_the_other_variant_comes_to_the_buyer() {
    let case = filed_on(&sized_order(), Reason::NoLongerWanted, exchange("L")).unwrap();
    let case = received_by_seller(&case);
    assert_eq!(case.state, CaseState::ReplacementDue);
    let due = next_deadline(&case, &policy()).unwrap();
    assert_eq!(due.at, days(4 + 5), "the replacement period");
    let ship = Action::ShipReplacement {
        tracking: tracking(),
    };
    let case = step(&case, Party::Seller, ship, days(6));
    assert_eq!(case.state, CaseState::AwaitingBuyerConfirmation);
    assert!(!case.may(Party::Buyer, ActionKind::RepairFailed));
    let case = step(&case, Party::Buyer, Action::ConfirmItem, days(8));
    assert_eq!(case.outcome, Some(Outcome::Exchanged));
    let decided = settlement(&case, &[]);
    assert_eq!(decided, None, "no events, no decision to read");
}

#[test]
fn the_seller_may_counter_an_exchange_with_a_refund_and_silence_takes_the_item_as_right() {
    let case = filed_on(&sized_order(), Reason::NoLongerWanted, exchange("S")).unwrap();
    let refund = Offer {
        return_shipping_paid_by: Some(Party::Buyer),
        ..with_photo(offer(Resolution::ReturnAndRefund))
    };
    let countered = step(&case, Party::Seller, Action::Propose(refund), days(1));
    assert_eq!(countered.awaiting, Some(Party::Buyer));

    let case = received_by_seller(&case);
    let ship = Action::ShipReplacement {
        tracking: tracking(),
    };
    let case = step(&case, Party::Seller, ship, days(6));
    let (quiet, events) = advance(&case, days(6 + 7), &policy());
    assert_eq!(quiet.outcome, Some(Outcome::Exchanged));
    let said = triggers(&quiet.explanation, &events);
    assert_eq!(said, vec![Some(Trigger::ItemNotDisputed)]);
    // An exchange not shipped in time is refunded in full instead.
    let (late, _) = advance(
        &received_by_seller(
            &filed_on(&sized_order(), Reason::NoLongerWanted, exchange("S")).unwrap(),
        ),
        days(4 + 5),
        &policy(),
    );
    assert_eq!(late.outcome, Some(Outcome::Refunded { amount: eur(2500) }));
}

#[test]
fn store_credit_is_worth_the_refund_plus_the_bonus_and_settles_when_accepted() {
    let case = defect(Resolution::ReturnAndRefund);
    let credit = propose(&case, Party::Seller, Resolution::StoreCredit, days(1));
    let terms = &credit.proposals.seller.as_ref().unwrap().terms;
    // 29.99 plus 10 %, rounded up: never worth less than the refund.
    assert_eq!(terms.credit, Some(eur(3299)));
    assert_eq!(terms.refund, eur(0));
    assert_eq!(terms.return_shipping_paid_by, None, "the goods stay");

    let accepted = step(
        &credit,
        Party::Buyer,
        Action::Accept { of: Party::Seller },
        days(2),
    );
    assert_eq!(
        accepted.outcome,
        Some(Outcome::Credited { amount: eur(3299) })
    );
    assert_eq!(accepted.state, CaseState::Resolved);
    assert_eq!(accepted.refund_at_stake(), eur(0), "no money was paid");

    // No amount of one's own: the credit is what the policy says.
    let priced = Offer {
        partial_amount_minor: Some(5000),
        ..with_photo(offer(Resolution::StoreCredit))
    };
    let refused = apply(
        &case,
        Party::Seller,
        Action::Propose(priced),
        days(1),
        &policy(),
    );
    assert_eq!(
        refused.unwrap_err(),
        CaseError::Refund(RefundError::PartialAmountUnexpected)
    );
}

#[test]
fn the_clock_never_carries_out_store_credit_it_refunds_in_money() {
    let case = defect(Resolution::ReturnAndRefund);
    let credit = propose(&case, Party::Seller, Resolution::StoreCredit, days(1));
    let due = next_deadline(&credit, &policy()).unwrap();
    assert_eq!(
        due.then,
        AutoAction::RefundInsteadOfCredit { of: Party::Seller }
    );
    let (after, events) = advance(&credit, days(30), &policy());
    assert_eq!(after.outcome, Some(Outcome::Refunded { amount: eur(2999) }));
    let agreement = after.agreement.as_ref().unwrap();
    assert_eq!(agreement.terms.resolution, Resolution::RefundOnly);
    assert_eq!(agreement.reached, Reached::Automatically);
    assert_eq!(
        triggers(&after.explanation, &events)[0],
        Some(Trigger::NoAnswer {
            party: Party::Buyer
        })
    );

    // Not even the credit the buyer asked for, when the seller stays silent.
    let asked = propose(&case, Party::Buyer, Resolution::StoreCredit, days(1));
    let (after, _) = advance(&asked, days(30), &policy());
    assert_eq!(after.outcome, Some(Outcome::Refunded { amount: eur(2999) }));
}

#[test]
fn the_mediator_rules_store_credit_only_when_the_buyer_asked_for_it() {
    let case = defect(Resolution::ReturnAndRefund);
    let rejected = step(
        &case,
        Party::Seller,
        Action::Reject {
            reason: "Misuse".into(),
        },
        days(1),
    );
    let escalated = step(&rejected, Party::Buyer, Action::Escalate, days(2));
    let rule_credit = || Action::Rule {
        decree: Decree::Plan(with_photo(offer(Resolution::StoreCredit))),
        reason: "Credit".into(),
    };
    let refused = apply(
        &escalated,
        Party::Platform,
        rule_credit(),
        days(3),
        &policy(),
    );
    assert_eq!(refused.unwrap_err(), CaseError::CreditNotAsked);

    let asked = propose(&escalated, Party::Buyer, Resolution::StoreCredit, days(3));
    let ruled = step(&asked, Party::Platform, rule_credit(), days(4));
    assert_eq!(ruled.outcome, Some(Outcome::Credited { amount: eur(3299) }));
}

#[test]
fn a_buyer_cannot_file_for_store_credit_it_is_the_sellers_to_offer() {
    let refused = filed_on(
        &general_order(0, delivered()),
        Reason::Defective,
        with_photo(offer(Resolution::StoreCredit)),
    );
    assert_eq!(
        refused.unwrap_err(),
        CaseError::Refund(RefundError::ResolutionNotAllowed)
    );
}

#[test]
fn the_repair_period_and_the_credit_bonus_are_policy_fields() {
    let policy = Policy::default();
    assert_eq!(policy.repair_days, 15);
    assert_eq!(policy.store_credit_bonus_percent, 0);
    let set =
        PolicySet::from_toml("[marketplace]\nrepair_days = 20\nstore_credit_bonus_percent = 10\n")
            .unwrap();
    let mine = set.marketplace_policy();
    assert_eq!(
        (mine.repair_days, mine.store_credit_bonus_percent),
        (20, 10)
    );
    let greedy = PolicySet::from_toml("[marketplace]\nstore_credit_bonus_percent = 101\n");
    assert_eq!(greedy.unwrap_err().code(), "policy_out_of_range");
    // A policy stored before repairs existed reads with the defaults.
    let mut old = serde_json::to_value(Policy::default()).unwrap();
    for field in [
        "repair_days",
        "buyer_check_days",
        "store_credit_bonus_percent",
    ] {
        old.as_object_mut().unwrap().remove(field);
    }
    let read: Policy = serde_json::from_value(old).unwrap();
    assert_eq!(read, Policy::default());
}
