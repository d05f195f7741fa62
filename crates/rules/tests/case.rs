//! The negotiation state machine: every action of DOMAIN.md, who may take it, and what it leads
//! to.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use retour_rules::{
    advance, apply, file, Action, ActionKind, Actor, Case, CaseError, CaseState, Decree, EventKind,
    Filing, Fulfillment, Offer, Outcome, Party, Permission, Policy, Reached, Reason, Resolution,
    TrackingNumber,
};

fn hours(n: i64) -> DateTime<Utc> {
    t0() + TimeDelta::hours(n)
}

fn partial(minor: i64) -> Offer {
    Offer {
        partial_amount_minor: Some(minor),
        note: "Keep it, with this off".into(),
        ..offer(Resolution::PartialRefund)
    }
}

/// Both items of line "a" (2 × 12.50) arrived defective: up to 29.99 with shipping.
fn filed(resolution: Resolution) -> Case {
    let order = general_order(0, delivered());
    let filing = Filing {
        request: request("a", 2, Reason::Defective),
        offer: with_photo(offer(resolution)),
        description: "The zip broke on first use".into(),
    };
    let (case, events) = file("c-1".into(), &order, &filing, t0(), &Policy::default()).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].by, Actor::Buyer);
    case
}

/// DOMAIN.md's policy, except that refunds wait for the payment provider (the platform's
/// `RefundIssued`) for up to two days instead of being issued by the clock at once.
fn policy() -> Policy {
    Policy {
        refund_issue_hours: 48,
        ..Policy::default()
    }
}

fn step(case: &Case, party: Party, action: Action, at: DateTime<Utc>) -> Case {
    let kind = action.kind();
    let (next, events) = apply(case, party, action, at, &policy())
        .unwrap_or_else(|e| panic!("{party:?} {kind:?} in {:?}: {e}", case.state));
    assert_eq!(events.last().unwrap().by, Actor::from(party));
    assert_eq!(events.last().unwrap().state, next.state);
    next
}

fn refuse(case: &Case, party: Party, action: Action, at: DateTime<Utc>) -> CaseError {
    apply(case, party, action, at, &policy()).unwrap_err()
}

fn tracking() -> TrackingNumber {
    TrackingNumber::parse("RR473124829GB").unwrap()
}

#[test]
fn filing_opens_the_case_with_the_buyers_proposal_and_the_seller_to_answer() {
    let case = filed(Resolution::ReturnAndRefund);
    assert_eq!(case.state, CaseState::AwaitingSeller);
    assert_eq!(case.awaiting, Some(Party::Seller));
    assert_eq!(case.max_refund, eur(2500 + 499));
    let proposal = case.proposals.buyer.as_ref().unwrap();
    assert_eq!(proposal.terms.refund, eur(2999));
    // Who pays return shipping is the policy's: the seller, for a defect.
    assert_eq!(proposal.terms.return_shipping_paid_by, Some(Party::Seller));
    assert_eq!(case.version, 1);
    assert_eq!(case.explanation.code(), "protection_window");
    assert_eq!(case.refund_at_stake(), eur(2999));
}

#[test]
fn a_request_to_keep_the_goods_carries_no_return_shipping() {
    for resolution in [Resolution::PartialRefund, Resolution::Replacement] {
        let order = general_order(0, delivered());
        let filing = Filing {
            request: request("a", 2, Reason::Defective),
            offer: with_photo(Offer {
                return_shipping_paid_by: None,
                ..if resolution == Resolution::PartialRefund {
                    partial(700)
                } else {
                    offer(resolution)
                }
            }),
            description: String::new(),
        };
        let (case, _) = file("c".into(), &order, &filing, t0(), &Policy::default()).unwrap();
        let terms = case.proposals.buyer.unwrap().terms;
        let payer = resolution.sends_goods_back().then_some(Party::Seller);
        assert_eq!(terms.return_shipping_paid_by, payer, "{resolution:?}");
    }
}

#[test]
fn a_refund_before_shipment_is_approved_at_filing_and_issued_by_the_clock() {
    let order = general_order(0, Fulfillment::NotShipped);
    let filing = Filing {
        request: request("a", 2, Reason::OrderedByMistake),
        offer: offer(Resolution::RefundOnly),
        description: String::new(),
    };
    let now = at(2026, 3, 1, 12);
    let (case, _) = file("c-2".into(), &order, &filing, now, &Policy::default()).unwrap();
    assert_eq!(case.state, CaseState::RefundDue);
    assert_eq!(case.agreement.clone().unwrap().reached, Reached::AtFiling);
    let (case, events) = advance(&case, now, &Policy::default());
    assert_eq!(case.outcome, Some(Outcome::Refunded { amount: eur(2999) }));
    assert_eq!(events[0].by, Actor::System);
}

#[test]
fn filing_refuses_what_eligibility_refuses() {
    let order = general_order(0, delivered());
    let late = delivered_at() + TimeDelta::days(30);
    let filing = Filing {
        request: request("a", 1, Reason::Defective),
        offer: with_photo(offer(Resolution::ReturnAndRefund)),
        description: String::new(),
    };
    let error = file("c".into(), &order, &filing, late, &Policy::default()).unwrap_err();
    assert_eq!(error.code(), "not_eligible");
    let greedy = Filing {
        offer: with_photo(partial(1251 + 499 + 1)),
        ..filing.clone()
    };
    let error = file("c".into(), &order, &greedy, t0(), &Policy::default()).unwrap_err();
    assert_eq!(error.code(), "partial_amount_out_of_range");
    let not_offered = Filing {
        offer: with_photo(offer(Resolution::RefundOnly)),
        ..filing
    };
    let error = file("c".into(), &order, &not_offered, t0(), &Policy::default()).unwrap_err();
    assert_eq!(error.code(), "resolution_not_allowed");
}

#[test]
fn a_reason_that_needs_photos_is_not_filed_without_one() {
    let order = general_order(0, delivered());
    for reason in Reason::ALL {
        let bare = Filing {
            request: request("a", 1, reason),
            offer: offer(Resolution::ReturnAndRefund),
            description: String::new(),
        };
        let result = file("c".into(), &order, &bare, t0(), &Policy::default());
        if reason.photos_required() {
            let error = result.expect_err("no photo, no case");
            assert_eq!(error.code(), "photos_required", "{reason:?}");
            let cited = Filing {
                offer: with_photo(bare.offer.clone()),
                ..bare
            };
            let (case, _) = file("c".into(), &order, &cited, t0(), &Policy::default())
                .unwrap_or_else(|e| panic!("{reason:?} with a photo: {e}"));
            // The seller's clock starts only on a claim with its evidence.
            assert_eq!(case.awaiting, Some(Party::Seller));
            assert_eq!(case.proposals.buyer.unwrap().evidence, vec!["photo-1"]);
        } else if let Err(e) = result {
            assert_ne!(e.code(), "photos_required", "{reason:?}");
        }
    }
}

#[test]
fn counter_offer_accepted_then_refunded_rated_and_closed() {
    let case = filed(Resolution::ReturnAndRefund);
    let case = step(
        &case,
        Party::Seller,
        Action::Propose(partial(1000)),
        hours(2),
    );
    assert_eq!(case.state, CaseState::Negotiating);
    assert_eq!(case.awaiting, Some(Party::Buyer));
    // Not agreed yet: the buyer's request is what is at stake.
    assert_eq!(case.refund_at_stake(), eur(2999));
    let case = step(
        &case,
        Party::Buyer,
        Action::Accept { of: Party::Seller },
        hours(3),
    );
    assert_eq!(case.state, CaseState::RefundDue);
    assert_eq!(case.refund_at_stake(), eur(1000));
    let agreement = case.agreement.clone().unwrap();
    assert_eq!(
        (agreement.proposed_by, agreement.reached),
        (Party::Seller, Reached::Accepted)
    );
    let case = step(&case, Party::Platform, Action::RefundIssued, hours(3));
    assert_eq!(case.outcome, Some(Outcome::Refunded { amount: eur(1000) }));
    assert_eq!(case.state, CaseState::Resolved);
    let case = step(
        &case,
        Party::Buyer,
        Action::Rate {
            stars: 5,
            comment: " Fast ".into(),
        },
        hours(4),
    );
    assert_eq!(case.state, CaseState::Closed);
    assert_eq!(case.rating.as_ref().unwrap().comment, "Fast");
    assert_eq!(case.version, 5);
    // Closed accepts nothing, from anyone.
    for (party, action) in [
        (Party::Buyer, Action::Withdraw),
        (Party::Seller, Action::Propose(partial(10))),
        (Party::Platform, Action::RefundIssued),
    ] {
        assert_eq!(refuse(&case, party, action, hours(5)), CaseError::Closed);
    }
}

#[test]
fn rejection_escalation_and_a_ruling() {
    let case = filed(Resolution::ReturnAndRefund);
    assert_eq!(
        refuse(&case, Party::Buyer, Action::Escalate, hours(1)).code(),
        "action_not_allowed"
    );
    assert_eq!(
        refuse(
            &case,
            Party::Seller,
            Action::Reject {
                reason: "  ".into()
            },
            hours(1)
        ),
        CaseError::ReasonRequired
    );
    let case = step(
        &case,
        Party::Seller,
        Action::Reject {
            reason: "Used, not defective".into(),
        },
        hours(1),
    );
    assert_eq!(case.state, CaseState::Negotiating);
    assert_eq!(case.awaiting, Some(Party::Buyer));
    // The buyer's proposal stays on the board for the mediator.
    assert!(case.proposals.buyer.is_some());
    let case = step(&case, Party::Buyer, Action::Escalate, hours(2));
    assert_eq!(case.state, CaseState::Escalated);
    let case = step(
        &case,
        Party::Platform,
        Action::Propose(partial(1500)),
        hours(3),
    );
    assert_eq!(
        case.proposals.platform.as_ref().unwrap().terms.refund,
        eur(1500)
    );
    let ruling = Action::Rule {
        decree: Decree::Plan(offer(Resolution::RefundOnly)),
        reason: "Photos show the defect".into(),
    };
    assert_eq!(
        refuse(&case, Party::Seller, ruling.clone(), hours(4)).code(),
        "action_not_allowed"
    );
    let case = step(&case, Party::Platform, ruling, hours(4));
    assert_eq!(case.state, CaseState::RefundDue);
    assert_eq!(case.agreement.clone().unwrap().reached, Reached::Ruling);
    assert_eq!(case.refund_owed(), eur(2999));
}

#[test]
fn a_ruling_of_no_refund_ends_the_case() {
    let case = filed(Resolution::ReturnAndRefund);
    let case = step(
        &case,
        Party::Seller,
        Action::Reject {
            reason: "Worn".into(),
        },
        hours(1),
    );
    let case = step(&case, Party::Seller, Action::Escalate, hours(2));
    let case = step(
        &case,
        Party::Platform,
        Action::Rule {
            decree: Decree::NoRefund,
            reason: "Damage caused by the buyer".into(),
        },
        hours(3),
    );
    assert_eq!(
        (case.state, case.outcome),
        (CaseState::Resolved, Some(Outcome::RuledNoRefund))
    );
}

/// Filed, accepted by the seller, the return address given and the goods shipped back, checking
/// each step's state on the way.
fn sent_back(resolution: Resolution) -> Case {
    let case = filed(resolution);
    let accept = Action::Accept { of: Party::Buyer };
    let case = step(&case, Party::Seller, accept, hours(1));
    assert_eq!(case.state, CaseState::AwaitingReturnAddress);
    let blank = Action::GiveReturnAddress {
        address: " ".into(),
    };
    assert_eq!(
        refuse(&case, Party::Seller, blank, hours(2)),
        CaseError::AddressRequired
    );
    let address = Action::GiveReturnAddress {
        address: "Calle Mayor 1, Madrid".into(),
    };
    let case = step(&case, Party::Seller, address, hours(2));
    assert_eq!(case.state, CaseState::AwaitingReturnShipment);
    let ship = Action::ShipReturn {
        tracking: tracking(),
    };
    let case = step(&case, Party::Buyer, ship, hours(3));
    assert_eq!(case.state, CaseState::ReturnInTransit);
    assert_eq!(case.return_tracking, Some(tracking()));
    case
}

#[test]
fn return_and_refund_goes_address_tracking_delivery_receipt_refund() {
    let case = sent_back(Resolution::ReturnAndRefund);
    let withdraw = refuse(&case, Party::Buyer, Action::Withdraw, hours(4));
    assert_eq!(withdraw.code(), "action_not_allowed");
    let case = step(&case, Party::Platform, Action::ReturnDelivered, hours(50));
    let case = step(&case, Party::Seller, Action::ConfirmReceipt, hours(51));
    assert_eq!(case.state, CaseState::RefundDue);
    let case = step(&case, Party::Platform, Action::RefundIssued, hours(51));
    assert_eq!(case.outcome, Some(Outcome::Refunded { amount: eur(2999) }));
}

#[test]
fn a_return_parcel_in_trouble_lets_the_platform_step_in_and_only_the_platform() {
    let case = sent_back(Resolution::ReturnAndRefund);
    for party in [Party::Buyer, Party::Seller] {
        let error = refuse(&case, party, Action::Escalate, hours(20));
        assert_eq!(error.code(), "action_not_allowed", "{party:?}");
    }
    let case = step(&case, Party::Platform, Action::Escalate, hours(20));
    assert_eq!(case.state, CaseState::Escalated);
    // From there the mediator rules as in any dispute.
    assert!(case.may(Party::Platform, ActionKind::Rule));
}

#[test]
fn replacement_is_shipped_after_the_return_arrives() {
    let case = sent_back(Resolution::Replacement);
    // The seller may confirm before the carrier reports delivery.
    let case = step(&case, Party::Seller, Action::ConfirmReceipt, hours(40));
    assert_eq!(case.state, CaseState::ReplacementDue);
    let replacement = TrackingNumber::parse("1Z879E930346834440").unwrap();
    let ship = Action::ShipReplacement {
        tracking: replacement.clone(),
    };
    let case = step(&case, Party::Seller, ship, hours(41));
    assert_eq!(case.outcome, Some(Outcome::Replaced));
    assert_eq!(case.replacement_tracking, Some(replacement));
}

#[test]
fn a_problem_with_the_returned_goods_goes_to_the_platform() {
    let case = sent_back(Resolution::ReturnAndRefund);
    let case = step(&case, Party::Platform, Action::ReturnDelivered, hours(30));
    let silent = Action::ReportProblem { reason: "".into() };
    assert_eq!(
        refuse(&case, Party::Seller, silent, hours(31)),
        CaseError::ReasonRequired
    );
    let problem = Action::ReportProblem {
        reason: "The box was empty".into(),
    };
    let case = step(&case, Party::Seller, problem, hours(31));
    assert_eq!(case.state, CaseState::Escalated);
}

#[test]
fn the_buyer_may_withdraw_until_the_goods_are_on_their_way() {
    let case = filed(Resolution::ReturnAndRefund);
    let withdrawn = step(&case, Party::Buyer, Action::Withdraw, hours(1));
    assert_eq!(withdrawn.outcome, Some(Outcome::Withdrawn));
    assert_eq!(
        refuse(&case, Party::Seller, Action::Withdraw, hours(1)).code(),
        "action_not_allowed"
    );
}

#[test]
fn withdrawing_and_replacing_proposals_passes_the_turn() {
    let case = filed(Resolution::ReturnAndRefund);
    // The buyer's request is all there is to answer: it cannot be withdrawn on its own.
    assert_eq!(
        refuse(&case, Party::Buyer, Action::WithdrawProposal, hours(1)).code(),
        "action_not_allowed"
    );
    // The buyer may amend the request before the seller answers: the seller keeps the turn.
    let case = step(
        &case,
        Party::Buyer,
        Action::Propose(partial(2000)),
        hours(1),
    );
    assert_eq!(
        (case.state, case.awaiting),
        (CaseState::AwaitingSeller, Some(Party::Seller))
    );
    let case = step(
        &case,
        Party::Seller,
        Action::Propose(partial(800)),
        hours(2),
    );
    assert_eq!(case.awaiting, Some(Party::Buyer));
    let case = step(&case, Party::Seller, Action::WithdrawProposal, hours(3));
    assert_eq!(case.awaiting, Some(Party::Seller));
    assert!(case.proposals.seller.is_none());
    let case = step(
        &case,
        Party::Seller,
        Action::Propose(partial(900)),
        hours(4),
    );
    let case = step(
        &case,
        Party::Buyer,
        Action::Reject {
            reason: "Too little".into(),
        },
        hours(5),
    );
    assert!(case.proposals.seller.is_none());
    assert_eq!(case.awaiting, Some(Party::Seller));
    assert_eq!(case.rejection, None);
}

#[test]
fn proposals_are_checked_against_what_was_paid() {
    let case = filed(Resolution::ReturnAndRefund);
    let too_much = refuse(
        &case,
        Party::Seller,
        Action::Propose(partial(3000)),
        hours(1),
    );
    assert_eq!(too_much.code(), "partial_amount_out_of_range");
    let nothing = refuse(&case, Party::Seller, Action::Propose(partial(0)), hours(1));
    assert_eq!(nothing.code(), "partial_amount_out_of_range");
    let no_payer = Offer {
        return_shipping_paid_by: None,
        ..offer(Resolution::ReturnAndRefund)
    };
    assert_eq!(
        refuse(&case, Party::Seller, Action::Propose(no_payer), hours(1)),
        CaseError::ShippingPayerMissing
    );
    let stray_payer = Offer {
        return_shipping_paid_by: Some(Party::Buyer),
        ..offer(Resolution::RefundOnly)
    };
    assert_eq!(
        refuse(&case, Party::Seller, Action::Propose(stray_payer), hours(1)),
        CaseError::ShippingPayerUnexpected
    );
    let long_note = Offer {
        note: "x".repeat(2001),
        ..partial(100)
    };
    assert_eq!(
        refuse(&case, Party::Seller, Action::Propose(long_note), hours(1)).code(),
        "text_too_long"
    );
}

#[test]
fn a_refused_action_says_who_may_do_what() {
    let case = filed(Resolution::ReturnAndRefund);
    match refuse(&case, Party::Buyer, Action::ConfirmReceipt, hours(1)) {
        CaseError::NotAllowed {
            by,
            action,
            state,
            allowed,
        } => {
            assert_eq!(
                (by, action, state),
                (
                    Party::Buyer,
                    ActionKind::ConfirmReceipt,
                    CaseState::AwaitingSeller
                )
            );
            for expected in [
                (Party::Seller, ActionKind::Accept),
                (Party::Seller, ActionKind::Reject),
                (Party::Seller, ActionKind::Propose),
                (Party::Buyer, ActionKind::Withdraw),
            ] {
                let p = Permission {
                    party: expected.0,
                    action: expected.1,
                };
                assert!(allowed.contains(&p), "{p:?} missing from {allowed:?}");
            }
            assert!(!allowed.iter().any(|p| p.party == Party::Platform));
        }
        other => panic!("{other:?}"),
    }
    let resolved = step(&case, Party::Buyer, Action::Withdraw, hours(1));
    assert_eq!(
        refuse(
            &resolved,
            Party::Buyer,
            Action::Rate {
                stars: 0,
                comment: String::new()
            },
            hours(2)
        ),
        CaseError::Stars
    );
}

#[test]
fn an_answer_after_the_deadline_finds_the_clock_has_acted() {
    let case = filed(Resolution::ReturnAndRefund);
    let late = t0() + TimeDelta::days(5) + SECOND;
    let error = refuse(
        &case,
        Party::Seller,
        Action::Reject {
            reason: "Too late?".into(),
        },
        late,
    );
    match error {
        CaseError::NotAllowed { state, .. } => assert_eq!(state, CaseState::AwaitingReturnAddress),
        other => panic!("{other:?}"),
    }
    // One second before, the seller was in time.
    let in_time = t0() + TimeDelta::days(5) - SECOND;
    let case = step(
        &case,
        Party::Seller,
        Action::Reject {
            reason: "Not defective".into(),
        },
        in_time,
    );
    assert_eq!(case.state, CaseState::Negotiating);
}

#[test]
fn the_timeline_records_who_did_what_and_when() {
    let case = filed(Resolution::ReturnAndRefund);
    let (case, events) = apply(
        &case,
        Party::Seller,
        Action::Propose(partial(1000)),
        hours(2),
        &policy(),
    )
    .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].at, hours(2));
    assert!(matches!(
        events[0].what,
        EventKind::Acted(Action::Propose(_))
    ));
    let json = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(json["by"], "seller");
    assert_eq!(json["state"], "negotiating");
    assert_eq!(
        json["what"]["acted"]["propose"]["partial_amount_minor"],
        1000
    );
    let back: retour_rules::Event = serde_json::from_value(json).unwrap();
    assert_eq!(back, events[0]);
    let case_json = serde_json::to_string(&case).unwrap();
    assert_eq!(serde_json::from_str::<Case>(&case_json).unwrap(), case);
}

#[test]
fn only_the_other_sides_standing_proposal_can_be_accepted() {
    let case = filed(Resolution::ReturnAndRefund);
    let early = refuse(
        &case,
        Party::Buyer,
        Action::Accept { of: Party::Seller },
        hours(1),
    );
    assert_eq!(early.code(), "action_not_allowed");
    let countered = step(
        &case,
        Party::Seller,
        Action::Propose(partial(1000)),
        hours(1),
    );
    let own = refuse(
        &countered,
        Party::Seller,
        Action::Accept { of: Party::Seller },
        hours(2),
    );
    assert_eq!(own, CaseError::OwnProposal);
    let platform = refuse(
        &countered,
        Party::Buyer,
        Action::Accept {
            of: Party::Platform,
        },
        hours(2),
    );
    assert_eq!(platform, CaseError::NoProposal(Party::Platform));
    let error = refuse(&countered, Party::Buyer, Action::Escalate, hours(2));
    assert_eq!(
        error.to_string(),
        "the buyer cannot escalate while the case is negotiating"
    );
}

#[test]
fn an_actors_code_is_its_json_form() {
    for actor in [Actor::Buyer, Actor::Seller, Actor::Platform, Actor::System] {
        assert_eq!(
            serde_json::to_value(actor).unwrap(),
            serde_json::Value::from(actor.code())
        );
    }
}
