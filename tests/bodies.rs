//! The bodies the app writes by hand are exactly what serde writes for the API's types, which
//! the server reads.
#![cfg(target_arch = "wasm32")]

use retour::body::ToBody;
use rules::api::{
    AcceptBody, AddressBody, Login, MailPreferences, NewMessage, NewReturn, NoFields, RateBody,
    ReasonBody, RepairFailedBody, RuleBody, Topic, TrackingBody,
};
use rules::{Action, Decree, LineSelection, Offer, Party, Reason, Resolution, TrackingNumber};
use serde::Serialize;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn same<T: Serialize + ToBody>(value: T) {
    let by_hand: serde_json::Value = serde_json::from_str(&value.body().text()).unwrap();
    let by_serde = serde_json::to_value(&value).unwrap();
    assert_eq!(by_hand, by_serde);
}

#[wasm_bindgen_test]
fn every_body_matches_its_api_type() {
    same(Login {
        email: "lucia@demo.retour".into(),
        password: "p\"w\\n".into(),
    });
    same(MailPreferences {
        off: vec![Topic::NewCases, Topic::Steps],
    });
    same(MailPreferences { off: vec![] });
    same(NewMessage {
        body: "Hola — 你好\nline two".into(),
    });
    for partial in [None, Some(750)] {
        same(NewReturn {
            order_id: "ord-1005".into(),
            lines: vec![
                LineSelection {
                    line_id: "ord-1005-1".into(),
                    quantity: 1,
                },
                LineSelection {
                    line_id: "ord-1005-2".into(),
                    quantity: 3,
                },
            ],
            reason: Reason::Defective,
            resolution: Resolution::PartialRefund,
            partial_amount_minor: partial,
            exchange_for: partial.is_none().then(|| "Size L".into()),
            description: "Cracked lid".into(),
            evidence: vec!["01a2-photo".into(), "01a3-photo".into()],
        });
    }
    for (resolution, payer) in [
        (Resolution::PartialRefund, None),
        (Resolution::ReturnAndRefund, Some(Party::Buyer)),
        (Resolution::Exchange, Some(Party::Seller)),
    ] {
        same(Offer {
            resolution,
            partial_amount_minor: payer.is_none().then_some(2000),
            return_shipping_paid_by: payer,
            note: "Keep it".into(),
            evidence: vec!["ev-1".into()],
            exchange_for: (resolution == Resolution::Exchange).then(|| "Navy, M".into()),
        });
    }
    same(AcceptBody { of: Party::Seller });
    same(NoFields {});
    same(RateBody {
        stars: 4,
        comment: "Fast".into(),
    });
    same(TrackingBody {
        tracking_number: "1Z999AA10123456784".into(),
    });
    same(ReasonBody {
        reason: "Used, \"as new\" it is not".into(),
    });
    same(AddressBody {
        address: "88 Longjing Road\nHangzhou".into(),
    });
    for decree in [
        Decree::NoRefund,
        Decree::Plan(Offer {
            resolution: Resolution::PartialRefund,
            partial_amount_minor: Some(1500),
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: Vec::new(),
            exchange_for: None,
        }),
    ] {
        same(RuleBody {
            decree,
            reason: "The photos show the damage".into(),
        });
    }
}

/// Each case action is sent with the body its endpoint reads, written from the action itself.
#[wasm_bindgen_test]
fn every_case_action_travels_with_its_own_body() {
    let body = |action: &Action| -> serde_json::Value {
        serde_json::from_str(&action.body().text()).unwrap()
    };
    let api = |value: &dyn erased::Json| value.json();
    let tracking = TrackingNumber::parse("1z999aa1 0123456784").unwrap();
    let offer = Offer {
        resolution: Resolution::PartialRefund,
        partial_amount_minor: Some(1500),
        return_shipping_paid_by: None,
        note: "Keep it".into(),
        evidence: Vec::new(),
        exchange_for: None,
    };
    let cases: Vec<(Action, serde_json::Value)> = vec![
        (Action::Propose(offer.clone()), api(&offer)),
        (
            Action::Accept { of: Party::Seller },
            api(&AcceptBody { of: Party::Seller }),
        ),
        (
            Action::Reject {
                reason: "Used".into(),
            },
            api(&ReasonBody {
                reason: "Used".into(),
            }),
        ),
        (
            Action::ReportProblem {
                reason: "Empty box".into(),
            },
            api(&ReasonBody {
                reason: "Empty box".into(),
            }),
        ),
        (
            Action::Rule {
                decree: Decree::NoRefund,
                reason: "Worn".into(),
            },
            api(&RuleBody {
                decree: Decree::NoRefund,
                reason: "Worn".into(),
            }),
        ),
        (
            Action::GiveReturnAddress {
                address: "1 Dock Road".into(),
            },
            api(&AddressBody {
                address: "1 Dock Road".into(),
            }),
        ),
        (
            Action::ShipReturn {
                tracking: tracking.clone(),
            },
            api(&TrackingBody {
                tracking_number: "1Z999AA10123456784".into(),
            }),
        ),
        (
            Action::ShipReplacement {
                tracking: tracking.clone(),
            },
            api(&TrackingBody {
                tracking_number: "1Z999AA10123456784".into(),
            }),
        ),
        (
            Action::ShipRepaired { tracking },
            api(&TrackingBody {
                tracking_number: "1Z999AA10123456784".into(),
            }),
        ),
        (
            Action::RepairFailed {
                reason: "Still dead".into(),
                evidence: vec!["ev-2".into(), "ev-3".into()],
            },
            api(&RepairFailedBody {
                reason: "Still dead".into(),
                evidence: vec!["ev-2".into(), "ev-3".into()],
            }),
        ),
        (
            Action::Rate {
                stars: 5,
                comment: "Fair".into(),
            },
            api(&RateBody {
                stars: 5,
                comment: "Fair".into(),
            }),
        ),
    ];
    for (action, expected) in cases {
        assert_eq!(body(&action), expected, "{:?}", action.kind());
    }
    for action in [
        Action::WithdrawProposal,
        Action::Escalate,
        Action::ReturnDelivered,
        Action::ConfirmReceipt,
        Action::ConfirmItem,
        Action::RefundIssued,
        Action::Withdraw,
    ] {
        assert_eq!(body(&action), api(&NoFields {}), "{:?}", action.kind());
    }
}

/// serde's JSON of any of the API's bodies, behind one type for the table above.
mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap()
        }
    }
}
