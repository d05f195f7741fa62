//! Every reader of an API answer, in the browser, against the real shared types serialised by
//! serde: the rules crate's API types, filled by the rules themselves where they can be. A field
//! renamed or retyped on the server fails here, not only in the end-to-end test.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, TimeDelta, Utc};
use retour::api::{self, ApiError, Decode};
use retour::components::address_form::saved_addresses;
use retour::decode::{FromJs, Obj};
use retour::queue::QueuePage;
use retour::screen::{CaseScreen, What};
use rules::api::{
    BuyerRisk, CaseDetail, CaseLine, CaseView, CodeCount, ErrorBody, EvidenceView, Leg, LineCase,
    MailPreferences, Me, MessageView, OrderView, ParcelEvent, ParcelStatus, Queue, QueueItem,
    RiskSignals, Role, SavedAddress, SellerRisk, SellerStats, StateCount, StorePolicy, StoreRef,
    TimelineEntry, Topic,
};
use rules::{
    advance, apply, file, next_deadline, Action, Actor, Case, Category, Country, Currency, Event,
    EventKind, Filing, Fulfillment, LineSelection, Money, Offer, Order, OrderLine, Party, Policy,
    PolicyOverride, PolicySet, Product, Rating, Reason, Resolution, ReturnRequest, TrackingNumber,
};
use serde::Serialize;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

/// The instants of this test, to the second as the API writes them.
fn ago(hours: i64) -> DateTime<Utc> {
    let now = chrono::DateTime::from_timestamp(retour::clock::now().timestamp(), 0).unwrap();
    now - TimeDelta::hours(hours)
}

/// A lamp from China to Madrid, delivered three days ago.
fn order() -> Order {
    Order {
        id: "ord-9".into(),
        placed_at: ago(200),
        utc_offset_minutes: 60,
        currency: Currency::EUR,
        lines: vec![OrderLine {
            id: "l-1".into(),
            product: Product {
                title: "Lamp".into(),
                category: Category::General,
                no_returns: false,
            },
            quantity: 1,
            unit_price: eur(5900),
            weight_grams: Some(800),
            variant: Some("M".into()),
            variants: vec!["S".into(), "M".into(), "L".into()],
        }],
        shipping: eur(499),
        fulfillment: Fulfillment::Delivered {
            shipped_at: ago(190),
            delivered_at: ago(72),
        },
        ships_from: Some(Country::parse("CN").unwrap()),
        ships_to: Some(Country::parse("ES").unwrap()),
    }
}

/// The case filed for a cracked lamp, then each of `steps` by its party an hour apart, with the
/// events of each, as the rules make them.
fn story(resolution: Resolution, steps: Vec<(Party, Action)>) -> (Case, Vec<Event>) {
    let policy = Policy::default();
    let filing = Filing {
        request: ReturnRequest {
            lines: vec![LineSelection {
                line_id: "l-1".into(),
                quantity: 1,
            }],
            reason: Reason::Defective,
            wanted: Some(resolution),
            return_shipping_cost: None,
        },
        offer: Offer {
            resolution,
            partial_amount_minor: None,
            return_shipping_paid_by: resolution.sends_goods_back().then_some(Party::Seller),
            note: String::new(),
            evidence: vec!["ev-1".into()],
            exchange_for: None,
        },
        description: "Cracked on arrival".into(),
    };
    let (mut case, mut events) =
        file("case-9".into(), &order(), &filing, ago(10), &policy).unwrap();
    for (i, (party, action)) in steps.into_iter().enumerate() {
        let (next, more) = apply(&case, party, action, ago(9 - i as i64), &policy).unwrap();
        case = next;
        events.extend(more);
    }
    (case, events)
}

/// The server's answer for `case`, as `viewer` reads it.
fn detail(case: Case, events: Vec<Event>, viewer: Party) -> CaseDetail {
    let who = |by: Actor| match by {
        Actor::System => None,
        other => Some(format!("{} person", other.code())),
    };
    let triggers = rules::triggers(&case.explanation, &events);
    let settlement = rules::settlement(&case, &events);
    CaseDetail {
        summary: CaseView {
            id: case.id.clone(),
            number: 3009,
            order_id: case.order_id.clone(),
            store: "Northwind".into(),
            state: case.state,
            reason: case.reason,
            resolution: Resolution::ReturnAndRefund,
            refund: case.max_refund,
            description: case.description.clone(),
            explanation: case.explanation.clone(),
            lines: vec![CaseLine {
                line_id: "l-1".into(),
                title: "Lamp".into(),
                quantity: 1,
            }],
            created_at: case.filed_at,
        },
        buyer: "Lucía".into(),
        version: case.version,
        next_deadline: next_deadline(&case, &Policy::default()),
        permissions: case.permissions(),
        viewer,
        timeline: events
            .into_iter()
            .zip(triggers)
            .enumerate()
            .map(|(i, (event, trigger))| TimelineEntry {
                seq: i as u64 + 1,
                who: who(event.by),
                event,
                trigger,
            })
            .collect(),
        evidence: vec![EvidenceView {
            id: "ev-1".into(),
            party: Party::Buyer,
            url: "/api/evidence/ev-1".into(),
            sha256: "ab".repeat(32),
            content_type: "image/jpeg".into(),
            size_bytes: 1234,
            width: 640,
            height: 480,
            file_name: "crack.jpg".into(),
            uploaded_at: ago(10),
        }],
        messages: vec![MessageView {
            id: "m-1".into(),
            party: Party::Seller,
            author: "Northwind".into(),
            body: "Sorry to hear that".into(),
            sent_at: ago(8),
        }],
        parcel: vec![ParcelEvent {
            leg: Leg::Return,
            tracking_number: "RB776655444CN".into(),
            status: ParcelStatus::InTransit,
            at: ago(2),
            location: "Leeds".into(),
        }],
        order: order(),
        case,
        settlement,
        credit_code: None,
    }
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap()
}

/// The case page's reading of `sent` is the server's answer, field by field.
fn reads_back(sent: &CaseDetail) {
    let read = CaseScreen::decode(&json(sent)).expect("the case reads");
    assert_eq!(read.summary, sent.summary);
    let parts = &read.parts;
    assert_eq!(parts.version, sent.version);
    assert_eq!(parts.viewer, sent.viewer);
    assert_eq!(parts.permissions, sent.permissions);
    assert_eq!(parts.next_deadline, sent.next_deadline);
    assert_eq!(parts.buyer, sent.buyer);
    assert_eq!(parts.order, sent.order);
    assert_eq!(parts.evidence, sent.evidence);
    assert_eq!(parts.messages, sent.messages);
    assert_eq!(parts.parcel, sent.parcel);
    let case = &parts.case;
    assert_eq!(case.proposals, sent.case.proposals);
    assert_eq!(case.rejection, sent.case.rejection);
    assert_eq!(case.return_address, sent.case.return_address);
    assert_eq!(case.return_tracking, sent.case.return_tracking);
    assert_eq!(case.rating, sent.case.rating);
    assert_eq!(case.limits, sent.case.limits());
    assert_eq!(case.exchange_options, sent.case.exchange_options);
    assert_eq!(parts.credit_code, sent.credit_code);
    assert_eq!(case.agreement, sent.case.agreement);
    assert_eq!(parts.settlement, sent.settlement);
    assert_eq!(parts.timeline.len(), sent.timeline.len());
    for (row, entry) in parts.timeline.iter().zip(&sent.timeline) {
        assert_eq!(row.who, entry.who);
        assert_eq!(row.at, entry.event.at);
        assert_eq!(row.state, entry.event.state);
        let what = match &entry.event.what {
            EventKind::Filed { .. } => What::Filed,
            EventKind::Acted(action) => What::Acted(action.kind()),
            EventKind::Automatic(deadline) => What::Automatic(deadline.then),
        };
        assert_eq!(row.what, what);
        assert_eq!(row.trigger, entry.trigger);
    }
}

#[wasm_bindgen_test]
fn a_case_reads_as_the_server_writes_it_at_every_step() {
    // Negotiated, then carried out by the clock: proposals, an outcome, a rating, automatic
    // and acted entries.
    let partial = Offer {
        resolution: Resolution::PartialRefund,
        partial_amount_minor: Some(2000),
        return_shipping_paid_by: None,
        note: "Keep it".into(),
        evidence: Vec::new(),
        exchange_for: None,
    };
    let (case, events) = story(
        Resolution::ReturnAndRefund,
        vec![
            (Party::Seller, Action::Propose(partial)),
            (Party::Buyer, Action::Accept { of: Party::Seller }),
        ],
    );
    // The clock issues the agreed refund.
    let (case, issued) = advance(&case, ago(0), &Policy::default());
    let events = [events, issued].concat();
    let mut settled = detail(case, events, Party::Buyer);
    assert!(settled.case.outcome.is_some(), "{:?}", settled.case.state);
    assert!(settled.settlement.is_some(), "a settled case says how");
    assert!(
        settled.timeline.iter().any(|e| e.trigger.is_some()),
        "the clock's entry says what triggered it"
    );
    settled.case.rating = Some(Rating {
        stars: 4,
        comment: "Quick".into(),
    });
    reads_back(&settled);

    // Sent back with a tracking number, for the seller: an address, a number, a deadline.
    let tracking = TrackingNumber::parse("RB776655444CN").unwrap();
    let (case, events) = story(
        Resolution::ReturnAndRefund,
        vec![
            (Party::Seller, Action::Accept { of: Party::Buyer }),
            (
                Party::Seller,
                Action::GiveReturnAddress {
                    address: "1 Dock Road, Leeds".into(),
                },
            ),
            (Party::Buyer, Action::ShipReturn { tracking }),
        ],
    );
    let shipped = detail(case, events, Party::Seller);
    assert!(shipped.case.return_tracking.is_some());
    assert!(shipped.next_deadline.is_some());
    reads_back(&shipped);

    // Rejected and escalated, for the mediator.
    let (case, events) = story(
        Resolution::ReturnAndRefund,
        vec![
            (
                Party::Seller,
                Action::Reject {
                    reason: "It works".into(),
                },
            ),
            (Party::Buyer, Action::Escalate),
        ],
    );
    let escalated = detail(case.clone(), events.clone(), Party::Platform);
    assert!(escalated.case.rejection.is_some());
    reads_back(&escalated);

    // Ruled, for the seller: a decision with the mediator's reasons.
    let (ruled, more) = apply(
        &case,
        Party::Platform,
        Action::Rule {
            decree: rules::Decree::NoRefund,
            reason: "The photos show wear, not a fault".into(),
        },
        ago(0),
        &Policy::default(),
    )
    .unwrap();
    let ruled = detail(ruled, [events, more].concat(), Party::Seller);
    assert!(ruled
        .settlement
        .as_ref()
        .is_some_and(|s| s.reasons.is_some()));
    reads_back(&ruled);
}

#[wasm_bindgen_test]
fn repairs_exchanges_and_store_credit_read_as_the_server_writes_them() {
    // A repair shipped back, for the buyer to check: the repaired item's tracking number.
    let tracking = TrackingNumber::parse("RB776655444CN").unwrap();
    let (case, events) = story(
        Resolution::Repair,
        vec![
            (Party::Seller, Action::Accept { of: Party::Buyer }),
            (
                Party::Seller,
                Action::GiveReturnAddress {
                    address: "1 Dock Road, Leeds".into(),
                },
            ),
            (
                Party::Buyer,
                Action::ShipReturn {
                    tracking: tracking.clone(),
                },
            ),
            (Party::Seller, Action::ConfirmReceipt),
            (Party::Seller, Action::ShipRepaired { tracking }),
        ],
    );
    assert_eq!(case.state, rules::CaseState::AwaitingBuyerConfirmation);
    reads_back(&detail(case, events, Party::Buyer));

    // An exchange asked for, with the sizes the listing offers.
    let exchange = Offer {
        resolution: Resolution::Exchange,
        partial_amount_minor: None,
        return_shipping_paid_by: Some(Party::Seller),
        note: String::new(),
        evidence: Vec::new(),
        exchange_for: Some("L".into()),
    };
    let (case, events) = story(
        Resolution::ReturnAndRefund,
        vec![(Party::Buyer, Action::Propose(exchange))],
    );
    assert_eq!(case.exchange_options, vec!["S".to_owned(), "L".to_owned()]);
    reads_back(&detail(case, events, Party::Seller));

    // Store credit accepted: the outcome, its amount and the code the buyer spends.
    let credit = Offer {
        resolution: Resolution::StoreCredit,
        partial_amount_minor: None,
        return_shipping_paid_by: None,
        note: "With 10 % on top".into(),
        evidence: Vec::new(),
        exchange_for: None,
    };
    let (case, events) = story(
        Resolution::ReturnAndRefund,
        vec![
            (Party::Seller, Action::Propose(credit)),
            (Party::Buyer, Action::Accept { of: Party::Seller }),
        ],
    );
    assert!(matches!(
        case.outcome,
        Some(rules::Outcome::Credited { .. })
    ));
    let credited = CaseDetail {
        credit_code: Some("RC-ABCD-EFGH-JKLM".into()),
        ..detail(case, events, Party::Buyer)
    };
    reads_back(&credited);
}

#[wasm_bindgen_test]
fn a_queue_page_reads_as_the_server_writes_it() {
    let (case, events) = story(Resolution::ReturnAndRefund, Vec::new());
    let one = detail(case, events, Party::Seller);
    let item = QueueItem {
        summary: one.summary.clone(),
        buyer: one.buyer.clone(),
        version: one.version,
        next_deadline: one.next_deadline,
        needs_my_action: true,
        escalated: false,
    };
    let quiet = QueueItem {
        next_deadline: None,
        needs_my_action: false,
        escalated: true,
        ..item.clone()
    };
    let sent = Queue {
        items: vec![item, quiet],
        next_cursor: Some("123:case-9".into()),
        counts: vec![StateCount {
            state: rules::CaseState::AwaitingSeller,
            count: 2,
        }],
        total: 2,
    };
    let page: QueuePage = FromJs::from_js(&Obj::parse(&json(&sent)).unwrap()).unwrap();
    assert_eq!(page.next_cursor, sent.next_cursor);
    assert_eq!(page.total, sent.total);
    assert_eq!(page.counts, vec![(rules::CaseState::AwaitingSeller, 2)]);
    for (row, item) in page.rows.iter().zip(&sent.items) {
        assert_eq!(row.summary, item.summary);
        assert_eq!(row.buyer, item.buyer);
        assert_eq!(row.version, item.version);
        assert_eq!(row.due, item.next_deadline);
        assert_eq!(row.needs_my_action, item.needs_my_action);
        assert_eq!(row.escalated, item.escalated);
    }
    assert_eq!(page.rows.len(), 2);
}

#[wasm_bindgen_test]
fn the_other_answers_read_as_the_server_writes_them() {
    // A seller and a category with rules of their own.
    let mut set = PolicySet::default();
    set.sellers.insert(
        "s-north".into(),
        PolicyOverride {
            change_of_mind_days: Some(30),
            ..PolicyOverride::default()
        },
    );
    set.categories.insert(
        Category::General,
        PolicyOverride {
            protection_days: Some(60),
            ..PolicyOverride::default()
        },
    );
    let view = OrderView {
        store: "Northwind".into(),
        store_id: "s-north".into(),
        policy: set.for_order("s-north", &order()),
        order: order(),
        cases: vec![LineCase {
            line_id: "l-1".into(),
            case_id: "case-9".into(),
            number: 3009,
            state: rules::CaseState::Negotiating,
        }],
    };
    let orders: Vec<OrderView> = Decode::decode(&json(&vec![view.clone()])).unwrap();
    assert_eq!(orders, vec![view]);

    let stores = vec![StorePolicy {
        store_id: "s-north".into(),
        store: "Northwind".into(),
        policy: set.for_seller("s-north"),
    }];
    let read: Vec<StorePolicy> = Decode::decode(&json(&stores)).unwrap();
    assert_eq!(read, stores);

    let stats = SellerStats {
        from: ago(720),
        to: ago(0),
        orders: 120,
        cases: 9,
        return_rate_basis_points: 750,
        reasons: vec![CodeCount {
            code: "defective".into(),
            count: 5,
        }],
        outcomes: vec![CodeCount {
            code: "refunded".into(),
            count: 4,
        }],
        median_seconds_to_resolution: Some(93_600),
        automatic_actions: vec![CodeCount {
            code: "carry_out_proposal".into(),
            count: 1,
        }],
    };
    assert_eq!(SellerStats::decode(&json(&stats)).unwrap(), stats);
    let none = SellerStats {
        median_seconds_to_resolution: None,
        ..stats
    };
    assert_eq!(SellerStats::decode(&json(&none)).unwrap(), none);

    let risk = RiskSignals {
        days: 180,
        buyer: BuyerRisk {
            cases: 3,
            refunded: 2,
            credited: 1,
            refund_rate_basis_points: 6667,
        },
        seller: SellerRisk {
            cases: 40,
            settled: 30,
            seller_fault: 12,
            fault_rate_basis_points: 3000,
            automatic_actions: 2,
        },
    };
    assert_eq!(RiskSignals::decode(&json(&risk)).unwrap(), risk);

    let credits = vec![rules::api::CreditView {
        case_id: "case-9".into(),
        number: 3009,
        code: "RC-ABCD-EFGH-JKLM".into(),
        amount: eur(3299),
        issued_at: ago(1),
        store: "Northwind".into(),
    }];
    let read = Vec::<rules::api::CreditView>::decode(&json(&credits)).unwrap();
    assert_eq!(read, credits);

    let notices = rules::api::Notices {
        unread: 1,
        items: vec![rules::api::NoticeView {
            id: "case-9:4:u-2".into(),
            case_id: "case-9".into(),
            number: 3009,
            kind: "propose".into(),
            actor: "seller".into(),
            text: "Case 3009: the seller proposed a partial refund".into(),
            created_at: ago(2),
            read: false,
        }],
    };
    assert_eq!(
        rules::api::Notices::decode(&json(&notices)).unwrap(),
        notices
    );

    for off in [vec![], vec![Topic::Talks, Topic::Refunds]] {
        let mail = MailPreferences { off };
        assert_eq!(MailPreferences::decode(&json(&mail)).unwrap(), mail);
    }
    // A topic this version of the app does not know is an error, never dropped in silence.
    assert!(MailPreferences::decode(r#"{"off":["talks","faxes"]}"#).is_err());

    let saved = vec![SavedAddress {
        store: "Northwind".into(),
        address: "1 Dock Road".into(),
    }];
    assert_eq!(saved_addresses(&json(&saved)).unwrap(), saved);

    let me = Me {
        id: "u-1".into(),
        email: "sam@demo.retour".into(),
        display_name: "Sam".into(),
        role: Role::Seller,
        stores: vec![StoreRef {
            id: "s-north".into(),
            name: "Northwind".into(),
        }],
        csrf_token: "t0k3n".into(),
    };
    let viewer = api::viewer(&json(&me)).unwrap();
    assert_eq!(viewer.display_name, me.display_name);
    assert_eq!(viewer.role, me.role);

    let error = ErrorBody {
        code: "stale_version".into(),
        message: "The case changed".into(),
    };
    assert_eq!(
        api::check(409, json(&error)),
        Err(ApiError::Server {
            status: 409,
            code: error.code,
            message: error.message,
        })
    );
}

/// A field the server renamed or retyped fails the reading, which names the field.
#[wasm_bindgen_test]
fn an_answer_missing_a_field_is_refused_naming_it() {
    let (case, events) = story(Resolution::ReturnAndRefund, Vec::new());
    let mut sent: serde_json::Value =
        serde_json::to_value(detail(case, events, Party::Buyer)).unwrap();
    sent.as_object_mut().unwrap().remove("number");
    match CaseScreen::decode(&sent.to_string()) {
        Err(ApiError::Decode(why)) => assert!(why.starts_with("number "), "{why}"),
        other => panic!("read anyway: {other:?}"),
    }
    sent["number"] = serde_json::json!("3009");
    assert!(
        CaseScreen::decode(&sent.to_string()).is_err(),
        "a number written as text"
    );
}
