//! The carrier webhook over real HTTP: signed requests only, each event once, events kept until
//! their tracking number is given, and deliveries that move cases and orders along.

mod common;

use retour_server::on_db;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use common::{error_of, spawn_app_with, TestApp};
use reqwest::StatusCode;
use retour_server::carrier::{signature, ACCOUNT_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use rules::api::{CarrierReceipt, Leg, ParcelStatus};
use rules::{CaseState, Party};
use serde_json::{json, Value};

const SECRET: &str = "test-carrier-secret-0001";

async fn app_with_carrier() -> TestApp {
    spawn_app_with(|state| {
        state.carrier_secrets = Arc::new(HashMap::from([(
            "tracker".to_owned(),
            SECRET.as_bytes().to_vec(),
        )]))
    })
    .await
}

fn event(id: &str, number: &str, status: &str, at: DateTime<Utc>) -> Value {
    json!({"id": id, "tracking_number": number, "status": status, "at": at,
           "location": "Madrid MAD1"})
}

/// Posts `events` signed with `secret` at `timestamp`.
async fn post_signed(
    app: &TestApp,
    secret: &str,
    timestamp: i64,
    events: Vec<Value>,
) -> reqwest::Response {
    let body = serde_json::to_vec(&json!({ "events": events })).unwrap();
    reqwest::Client::new()
        .post(app.url("/api/carrier-events"))
        .header("content-type", "application/json")
        .header(ACCOUNT_HEADER, "tracker")
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(
            SIGNATURE_HEADER,
            signature(secret.as_bytes(), timestamp, &body),
        )
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Posts `events` as the carrier, now; the receipt.
async fn report(app: &TestApp, events: Vec<Value>) -> CarrierReceipt {
    let response = post_signed(app, SECRET, app.clock.now().timestamp(), events).await;
    let status = response.status();
    let text = response.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn only_a_signed_fresh_request_is_heard() {
    let app = app_with_carrier().await;
    let now = app.clock.now();
    let events = || vec![event("e-1", "1Z999AA10123456784", "in_transit", now)];
    let (status, error) =
        error_of(post_signed(&app, "not-the-secret-at-all", now.timestamp(), events()).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("carrier_signature_invalid"))
    );
    let stale = (now - TimeDelta::minutes(10)).timestamp();
    let (status, error) = error_of(post_signed(&app, SECRET, stale, events()).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("carrier_timestamp_stale"))
    );
    let unsigned = reqwest::Client::new()
        .post(app.url("/api/carrier-events"))
        .json(&json!({ "events": events() }))
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(unsigned).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("carrier_signature_missing"))
    );
    // Signed, but a field no carrier would send: refused by name, nothing kept.
    let long = event("e-2", &"9".repeat(41), "in_transit", now);
    let response = post_signed(&app, SECRET, now.timestamp(), vec![long]).await;
    let (status, error) = error_of(response).await;
    assert_eq!(
        (status, error["details"]["field"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("events[0].tracking_number")
        )
    );
    let kept: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM carrier_events",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    assert_eq!(kept, 0, "nothing refused was kept");
}

#[tokio::test]
async fn a_delivered_return_starts_the_sellers_clock_and_the_clock_refunds_a_silent_seller() {
    let app = app_with_carrier().await;
    let lucia = app.lucia().await;
    let before = lucia.case("case-3007").await;
    assert_eq!(before.summary.state, CaseState::ReturnInTransit);
    let now = app.clock.now();
    let number = retour_server::demo::DEMO_RETURN_IN_TRANSIT;
    let receipt = report(&app, vec![event("e-1", number, "out_for_delivery", now)]).await;
    assert_eq!((receipt.matched, receipt.unmatched), (1, 0));

    let delivered = event("e-2", number, "delivered", now);
    let receipt = report(&app, vec![delivered.clone()]).await;
    assert_eq!(receipt.matched, 1);
    // The same event again (a carrier retrying): applied once.
    let receipt = report(&app, vec![delivered]).await;
    assert_eq!((receipt.matched, receipt.duplicates), (0, 1));

    let case = lucia.case("case-3007").await;
    assert_eq!(case.summary.state, CaseState::ReturnDelivered);
    assert_eq!(
        case.version,
        before.version + 1,
        "one change, however often it was sent"
    );
    let deadline = case.next_deadline.expect("the seller must inspect");
    assert_eq!(deadline.party, Party::Seller);
    assert_eq!(deadline.at, now + TimeDelta::days(7));
    // Both parties see the parcel's journey.
    let journey: Vec<_> = case.parcel.iter().map(|e| (e.leg, e.status)).collect();
    assert_eq!(
        journey,
        [
            (Leg::Return, ParcelStatus::OutForDelivery),
            (Leg::Return, ParcelStatus::Delivered)
        ]
    );
    assert_eq!(app.jordan().await.case("case-3007").await.parcel.len(), 2);

    // The seller stays silent for a week: the refund is issued.
    app.clock
        .advance(TimeDelta::days(7) + TimeDelta::minutes(1));
    retour_server::sweeper::sweep(&app.state).await.unwrap();
    // A week on, her session has ended too.
    let case = app.lucia().await.case("case-3007").await;
    assert!(
        matches!(case.case.outcome, Some(rules::Outcome::Refunded { .. })),
        "{:?}",
        case.case.outcome
    );
}

#[tokio::test]
async fn an_event_for_a_number_nobody_gave_yet_is_kept_and_counts_once_it_is_given() {
    let app = app_with_carrier().await;
    let wei = app.wei().await;
    // case-3006 waits for Wei to ship; the carrier reports the delivery first.
    let case = wei.case("case-3006").await;
    assert_eq!(case.summary.state, CaseState::AwaitingReturnShipment);
    let now = app.clock.now();
    let receipt = report(
        &app,
        vec![event("e-9", "rb 7766 5544 4cn", "delivered", now)],
    )
    .await;
    assert_eq!((receipt.matched, receipt.unmatched), (0, 1));
    let shipped = wei
        .act(
            &case,
            "ship-return",
            json!({"tracking_number": "RB776655444CN"}),
        )
        .await;
    assert_eq!(shipped.summary.state, CaseState::ReturnDelivered);
    assert_eq!(shipped.parcel.len(), 1);
}

#[tokio::test]
async fn a_return_parcel_that_cannot_be_delivered_brings_in_the_mediator() {
    let app = app_with_carrier().await;
    let number = retour_server::demo::DEMO_RETURN_IN_TRANSIT;
    let now = app.clock.now();
    let receipt = report(&app, vec![event("f-1", number, "delivery_failed", now)]).await;
    assert_eq!(receipt.matched, 1);
    let case = app.amara().await.case("case-3007").await;
    assert_eq!(case.summary.state, CaseState::Escalated);
    assert_eq!(case.parcel[0].status, ParcelStatus::DeliveryFailed);
    // Sent back to the buyer afterwards: the mediator already has it, nothing more changes.
    let receipt = report(&app, vec![event("f-2", number, "returned_to_sender", now)]).await;
    assert_eq!(receipt.matched, 1);
    let again = app.lucia().await.case("case-3007").await;
    assert_eq!(again.version, case.version);
    assert_eq!(again.parcel.len(), 2);
}

#[tokio::test]
async fn a_delivered_order_opens_its_windows_from_the_delivery() {
    let app = app_with_carrier().await;
    let lucia = app.lucia().await;
    // The rain jacket of ord-1003, on its way: a change of mind is not open yet.
    let change_of_mind = json!({"lines": [{"line_id": "ord-1003-1", "quantity": 1}],
                                "reason": "no_longer_wanted"});
    let decision = || async {
        let verdict: Value = lucia
            .post("/api/orders/ord-1003/eligibility", &change_of_mind)
            .await
            .json()
            .await
            .unwrap();
        verdict["decision"].as_str().unwrap_or_default().to_owned()
    };
    assert_ne!(decision().await, "eligible");
    let now = app.clock.now();
    let receipt = report(&app, vec![event("o-1", "RR473124829GB", "delivered", now)]).await;
    assert_eq!(receipt.matched, 1);
    assert_eq!(decision().await, "eligible");
    let order: Value = lucia.get_json("/api/orders/ord-1003").await;
    assert_eq!(order["order"]["fulfillment"]["delivered_at"], json!(now));
}
