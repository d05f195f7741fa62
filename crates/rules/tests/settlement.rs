//! How a settled case reads: the decision behind each outcome, and what triggered each automatic
//! entry, story by story.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use retour_rules::{
    advance, apply, file, refund_unmatched_group_buy, settlement, triggers, Action, Actor, Case,
    Decree, Event, Filing, Fulfillment, Offer, Outcome, Party, Policy, Reached, Reason, Resolution,
    Trigger,
};

/// A case and every event recorded for it so far.
struct Story {
    case: Case,
    events: Vec<Event>,
    now: DateTime<Utc>,
}

impl Story {
    /// A defective item filed one day after delivery, asking for `resolution`.
    fn filed(resolution: Resolution, fulfillment: Fulfillment) -> Story {
        let now = delivered_at() + TimeDelta::days(1);
        let filing = Filing {
            request: request("a", 2, Reason::Defective),
            offer: offer(resolution, Some(1000)),
            description: String::new(),
        };
        let order = general_order(0, fulfillment);
        let (case, events) = file("c".into(), &order, &filing, now, &Policy::default()).unwrap();
        Story { case, events, now }
    }

    /// `party` acts a day later.
    fn then(mut self, party: Party, action: Action) -> Story {
        self.now += TimeDelta::days(1);
        let (case, events) = apply(&self.case, party, action, self.now, &Policy::default())
            .unwrap_or_else(|e| panic!("{e}"));
        self.case = case;
        self.events.extend(events);
        self
    }

    /// Nobody acts for `days` days.
    fn wait(mut self, days: i64) -> Story {
        self.now += TimeDelta::days(days);
        let (case, events) = advance(&self.case, self.now, &Policy::default());
        self.case = case;
        self.events.extend(events);
        self
    }

    fn automatic(&self) -> Vec<Trigger> {
        triggers(&self.case.explanation, &self.events)
            .into_iter()
            .flatten()
            .collect()
    }
}

fn offer(resolution: Resolution, partial: Option<i64>) -> Offer {
    Offer {
        resolution,
        partial_amount_minor: partial.filter(|_| resolution == Resolution::PartialRefund),
        return_shipping_paid_by: None,
        note: String::new(),
        evidence: vec!["photo-1".into()],
        exchange_for: None,
    }
}

#[test]
fn an_accepted_counter_offer_is_decided_by_whoever_accepted_and_paid_as_agreed() {
    let story = Story::filed(Resolution::PartialRefund, delivered())
        .then(
            Party::Seller,
            Action::Propose(offer(Resolution::PartialRefund, Some(700))),
        )
        .then(Party::Buyer, Action::Accept { of: Party::Seller })
        .wait(10);
    let accepted_at = story.now - TimeDelta::days(10);
    let s = settlement(&story.case, &story.events).expect("settled");
    assert_eq!(s.outcome, Outcome::Refunded { amount: eur(700) });
    let agreement = s.agreement.expect("the plan carried out");
    assert_eq!(agreement.terms.refund, eur(700));
    assert_eq!(agreement.proposed_by, Party::Seller);
    assert_eq!(agreement.reached, Reached::Accepted);
    assert_eq!((s.decided_by, s.decided_at), (Actor::Buyer, accepted_at));
    assert_eq!(s.reasons, None);
    assert_eq!(story.case.refund_at_stake(), eur(700));
    // The refund that follows an agreement is paid as agreed: nobody missed anything.
    assert_eq!(story.automatic(), vec![Trigger::RefundAgreed]);
    assert!(!Trigger::RefundAgreed.is_missed());
}

#[test]
fn a_ruling_is_decided_by_the_mediator_with_the_reasons_both_parties_read() {
    let rejected = Story::filed(Resolution::PartialRefund, delivered())
        .then(
            Party::Seller,
            Action::Reject {
                reason: "Worked when shipped".into(),
            },
        )
        .then(Party::Buyer, Action::Escalate);
    let ruled = rejected
        .then(
            Party::Platform,
            Action::Rule {
                decree: Decree::Plan(offer(Resolution::PartialRefund, Some(900))),
                reason: "The photos show a crack".into(),
            },
        )
        .wait(10);
    let s = settlement(&ruled.case, &ruled.events).expect("settled");
    assert_eq!(s.outcome, Outcome::Refunded { amount: eur(900) });
    assert_eq!(s.agreement.map(|a| a.reached), Some(Reached::Ruling));
    assert_eq!(s.decided_by, Actor::Platform);
    assert_eq!(s.reasons.as_deref(), Some("The photos show a crack"));
    assert_eq!(ruled.automatic(), vec![Trigger::RefundRuled]);
}

#[test]
fn a_ruling_of_no_refund_keeps_its_reasons_and_carries_no_plan() {
    let story = Story::filed(Resolution::PartialRefund, delivered())
        .then(
            Party::Seller,
            Action::Reject {
                reason: "No".into(),
            },
        )
        .then(Party::Buyer, Action::Escalate)
        .then(
            Party::Platform,
            Action::Rule {
                decree: Decree::NoRefund,
                reason: "Outside what the listing promised".into(),
            },
        );
    let s = settlement(&story.case, &story.events).expect("settled");
    assert_eq!(s.outcome, Outcome::RuledNoRefund);
    assert_eq!(s.agreement, None);
    assert_eq!(s.decided_by, Actor::Platform);
    assert_eq!(
        s.reasons.as_deref(),
        Some("Outside what the listing promised")
    );
}

#[test]
fn a_seller_who_never_answers_lets_the_clock_decide_and_the_timeline_says_so() {
    let story = Story::filed(Resolution::PartialRefund, delivered()).wait(30);
    let s = settlement(&story.case, &story.events).expect("settled");
    assert_eq!(s.decided_by, Actor::System);
    assert_eq!(s.agreement.map(|a| a.reached), Some(Reached::Automatically));
    assert_eq!(
        story.automatic()[..2],
        [
            Trigger::NoAnswer {
                party: Party::Seller
            },
            Trigger::RefundCarriedOut
        ]
    );
    assert!(story.automatic()[0].is_missed());
}

#[test]
fn a_withdrawal_is_the_buyers_decision_and_an_open_case_has_none() {
    let open = Story::filed(Resolution::PartialRefund, delivered());
    assert_eq!(settlement(&open.case, &open.events), None);
    let withdrawn = open.then(Party::Buyer, Action::Withdraw);
    let s = settlement(&withdrawn.case, &withdrawn.events).expect("settled");
    assert_eq!(
        (s.outcome, s.decided_by, s.agreement),
        (Outcome::Withdrawn, Actor::Buyer, None)
    );
    // What a queue shows as the refund of a settled case is what was paid: nothing.
    assert_eq!(withdrawn.case.refund_at_stake(), eur(0));
}

#[test]
fn refunds_approved_at_filing_say_why_and_a_group_that_never_formed_is_the_systems_doing() {
    let unshipped = Story::filed(Resolution::RefundOnly, Fulfillment::NotShipped).wait(3);
    assert_eq!(unshipped.automatic(), vec![Trigger::OrderNotShipped]);
    let s = settlement(&unshipped.case, &unshipped.events).expect("settled");
    assert_eq!(s.decided_by, Actor::Buyer);

    let since = at(2026, 3, 1, 10);
    let order = general_order(0, Fulfillment::GroupBuyWaiting { since });
    let (case, events) = refund_unmatched_group_buy(
        "g".into(),
        &order,
        since + TimeDelta::days(5),
        &Policy::default(),
    )
    .unwrap();
    let automatic: Vec<_> = triggers(&case.explanation, &events)
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(automatic, vec![Trigger::GroupNeverFormed]);
    let s = settlement(&case, &events).expect("settled");
    assert_eq!(s.decided_by, Actor::System);
    assert_eq!(s.agreement.map(|a| a.proposed_by), Some(Party::Buyer));
}

#[test]
fn every_trigger_reads_back_from_its_json_code() {
    let no_answer =
        [Party::Buyer, Party::Seller, Party::Platform].map(|party| Trigger::NoAnswer { party });
    for trigger in Trigger::PLAIN.into_iter().chain(no_answer) {
        let json = serde_json::to_value(trigger).unwrap();
        assert_eq!(json["code"], trigger.code());
        let party = json["party"].as_str().and_then(Party::from_code);
        assert_eq!(Trigger::from_code(trigger.code(), party), Some(trigger));
    }
    assert_eq!(Trigger::from_code("no_answer", None), None);
    for actor in Actor::ALL {
        assert_eq!(Actor::from_code(actor.code()), Some(actor));
    }
    for reached in Reached::ALL {
        assert_eq!(Reached::from_code(reached.code()), Some(reached));
        let json = serde_json::to_value(reached).unwrap();
        assert_eq!(json, reached.code(), "the code is the JSON form");
    }
}
