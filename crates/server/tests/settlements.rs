//! Repairs, exchanges and store credit over real HTTP, with a moved clock: each path from the
//! demo's cases; a repair shipped back late refunds in full, once; store credit is issued once,
//! shown to the buyer alone, and never carried out by the clock.

mod common;

use chrono::TimeDelta;
use common::{error_of, filing, sample_photo, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use retour_server::on_db;
use retour_server::sweeper::sweep;
use rules::api::CreditView;
use rules::PolicySet;
use rules::{AutoAction, CaseState, EventKind, Money, Outcome, Resolution};
use serde_json::json;
use std::sync::Arc;

/// How many store credits the case was given.
async fn credits_of(app: &common::TestApp, id: &str) -> i64 {
    on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM store_credits WHERE case_id = ?",
        |sql, p| sqlx::query_scalar(sql).bind(id).fetch_one(p).await
    )
    .unwrap()
}

/// `session` sends the demo's repaired grinder back (case-3012), as seen at `version`.
async fn ship_repaired(session: &common::Session, version: u32) -> (StatusCode, serde_json::Value) {
    let number = json!({"tracking_number": "RB202611076CN"});
    session
        .try_act("case-3012", version, "ship-repaired", number)
        .await
}

#[tokio::test]
async fn a_repair_comes_back_and_the_buyer_confirms_it_works() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let due = jordan.case("case-3012").await;
    assert_eq!(due.summary.state, CaseState::RepairDue);
    assert_eq!(due.summary.resolution, Resolution::Repair);
    let deadline = due.next_deadline.unwrap();
    assert_eq!(deadline.then, AutoAction::IssueRefund);

    // The buyer cannot ship it for the seller: the rules say who may.
    let (status, body) = ship_repaired(&lucia, due.version).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "action_not_allowed");

    let (status, shipped) = ship_repaired(&jordan, due.version).await;
    assert_eq!(status, StatusCode::OK, "{shipped}");
    let shipped: rules::api::CaseDetail = serde_json::from_value(shipped).unwrap();
    assert_eq!(shipped.summary.state, CaseState::AwaitingBuyerConfirmation);
    let seen = lucia.case("case-3012").await;
    assert_eq!(
        seen.case
            .replacement_tracking
            .as_ref()
            .map(|t| t.number.as_str()),
        Some("RB202611076CN")
    );
    let confirmed = lucia.act(&seen, "confirm-item", json!({})).await;
    assert_eq!(confirmed.case.outcome, Some(Outcome::Repaired));
    let settlement = confirmed.settlement.expect("a settled case says how");
    let agreement = settlement.agreement.expect("the repair agreed on");
    assert_eq!(agreement.terms.resolution, Resolution::Repair);
}

#[tokio::test]
async fn a_repair_that_did_not_work_needs_photos_and_reopens_the_claim() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let due = jordan.case("case-3012").await;
    let (status, _) = ship_repaired(&jordan, due.version).await;
    assert_eq!(status, StatusCode::OK);
    let back = lucia.case("case-3012").await;
    let said = json!({"reason": "It still hums and grinds nothing", "evidence": []});
    let (status, body) = lucia
        .try_act("case-3012", back.version, "repair-failed", said)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "photos_required");
    let stranger = json!({"reason": "Still broken", "evidence": ["not-a-photo-of-this-case"]});
    let (status, body) = lucia
        .try_act("case-3012", back.version, "repair-failed", stranger)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "unknown_evidence");

    let uploaded = lucia
        .upload("case-3012", "still-broken.png", sample_photo([200, 40, 40]))
        .await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let photo: serde_json::Value = uploaded.json().await.unwrap();
    let reopened = lucia
        .act(
            &lucia.case("case-3012").await,
            "repair-failed",
            json!({"reason": "Still broken", "evidence": [photo["id"]]}),
        )
        .await;
    assert_eq!(reopened.summary.state, CaseState::Negotiating);
    let claim = reopened.case.proposals.buyer.expect("the buyer's claim");
    assert_eq!(claim.terms.resolution, Resolution::ReturnAndRefund);
    assert_eq!(claim.terms.refund, reopened.case.max_refund);
    // Either side may now take it to the platform.
    let escalated = jordan
        .act(&jordan.case("case-3012").await, "escalate", json!({}))
        .await;
    assert_eq!(escalated.summary.state, CaseState::Escalated);
}

#[tokio::test]
async fn a_repair_shipped_back_late_is_refunded_in_full_once() {
    let app = spawn_app().await;
    let jordan = app.jordan().await;
    let due = jordan.case("case-3012").await;
    let deadline = due.next_deadline.unwrap();
    app.clock.set(deadline.at + TimeDelta::seconds(1));
    let (first, again) = tokio::join!(sweep(&app.state), sweep(&app.state));
    first.unwrap();
    again.unwrap();
    sweep(&app.state).await.unwrap();
    // Signed in again: the first session expired meanwhile.
    let jordan = app.jordan().await;
    let refunded = jordan.case("case-3012").await;
    assert_eq!(
        refunded.case.outcome,
        Some(Outcome::Refunded {
            amount: refunded.case.max_refund
        })
    );
    let refunds = refunded
        .timeline
        .iter()
        .filter(|e| matches!(&e.event.what, EventKind::Automatic(d) if d.then == AutoAction::IssueRefund))
        .count();
    assert_eq!(refunds, 1);
    assert_eq!(
        refunded
            .timeline
            .last()
            .and_then(|e| e.trigger)
            .map(|t| t.code()),
        Some("repair_not_shipped")
    );
    // Shipping it now is too late.
    let (status, body) = ship_repaired(&jordan, due.version).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

#[tokio::test]
async fn an_exchange_asks_for_a_size_the_listing_offers() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let mut body = filing("ord-1005", "ord-1005-1", 1, "no_longer_wanted", "exchange");
    let (status, said) = error_of(lucia.file(&body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(said["code"], "variant_required");
    body["exchange_for"] = json!("XXL");
    let (status, said) = error_of(lucia.file(&body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(said["code"], "variant_not_offered");
    body["exchange_for"] = json!("L");
    let filed = lucia.file_ok(&body).await;
    let terms = filed.case.proposals.buyer.expect("the request").terms;
    assert_eq!(terms.exchange_for.as_deref(), Some("L"));
    assert_eq!(terms.refund.minor, 0);
    // A change of mind: the buyer pays to send it back, as for a return.
    assert_eq!(terms.return_shipping_paid_by, Some(rules::Party::Buyer));
    assert_eq!(
        filed.case.exchange_options,
        ["S", "L", "XL"].map(String::from).to_vec()
    );

    // The demo's shirt in L is on its way: the buyer confirms it fits.
    let sent = lucia.case("case-3013").await;
    assert_eq!(sent.summary.state, CaseState::AwaitingBuyerConfirmation);
    let done = lucia.act(&sent, "confirm-item", json!({})).await;
    assert_eq!(done.case.outcome, Some(Outcome::Exchanged));
}

#[tokio::test]
async fn store_credit_is_issued_once_and_its_code_is_the_buyers() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let credited = lucia.case("case-3014").await;
    let Some(Outcome::Credited { amount }) = credited.case.outcome else {
        panic!("{:?}", credited.case.outcome);
    };
    // The kettle's 258.00 and 8.00 shipping, under the tests' policy without a bonus.
    assert_eq!(amount, Money::new(26_600, rules::Currency::CNY));
    let code = credited
        .credit_code
        .clone()
        .expect("the buyer sees the code");
    assert_eq!(mei.case("case-3014").await.credit_code, None);
    let mine: Vec<CreditView> = lucia.get_json("/api/credits").await;
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].code.as_str(), mine[0].amount),
        (code.as_str(), amount)
    );
    assert_eq!(mine[0].number, 3014);
    let none: Vec<CreditView> = app.wei().await.get_json("/api/credits").await;
    assert!(none.is_empty());
    // Saved again (rated), the case keeps its one credit and its code.
    let rated = lucia
        .act(&credited, "rate", json!({"stars": 5, "comment": "Fair"}))
        .await;
    assert_eq!(rated.credit_code.as_deref(), Some(code.as_str()));
    assert_eq!(credits_of(&app, "case-3014").await, 1);
}

#[tokio::test]
async fn store_credit_carries_the_policys_bonus_over_the_refund() {
    let policies = PolicySet::from_toml("[sellers.s-tea]\nstore_credit_bonus_percent = 10\n")
        .expect("a valid policy");
    let app = spawn_app_with(|state| state.policies = Arc::new(policies)).await;
    let (wei, mei) = (app.wei().await, app.mei().await);
    let filed = wei
        .file_line("ord-2001", "arrived_late", "return_and_refund")
        .await;
    let offered = mei
        .act(
            &mei.case(&filed.summary.id).await,
            "propose",
            json!({"resolution": "store_credit", "note": "10 % more to spend"}),
        )
        .await;
    let terms = offered.case.proposals.seller.expect("the offer").terms;
    // One phone case of 39.00 (shipping was free): 42.90 to spend.
    assert_eq!(terms.credit, Some(Money::new(4290, rules::Currency::CNY)));
    assert_eq!(terms.refund.minor, 0);
    let (status, body) = mei
        .try_act(
            &filed.summary.id,
            offered.version,
            "propose",
            json!({"resolution": "store_credit", "partial_amount_minor": 9999}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["code"], "partial_amount_unexpected");
}

#[tokio::test]
async fn twenty_acceptances_of_store_credit_at_once_issue_one_credit() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let offered = lucia.case("case-3015").await;
    let accepts = (0..20).map(|_| {
        lucia.try_act(
            "case-3015",
            offered.version,
            "accept",
            json!({"of": "seller"}),
        )
    });
    let answers = futures_util::future::join_all(accepts).await;
    let ok = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    assert!(answers
        .iter()
        .all(|(s, _)| *s == StatusCode::OK || *s == StatusCode::CONFLICT));
    assert_eq!(credits_of(&app, "case-3015").await, 1);
    assert!(matches!(
        mei.case("case-3015").await.case.outcome,
        Some(Outcome::Credited { .. })
    ));
}

#[tokio::test]
async fn the_clock_never_carries_out_store_credit() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let offered = lucia.case("case-3015").await;
    let deadline = offered.next_deadline.unwrap();
    assert_eq!(
        deadline.then,
        AutoAction::RefundInsteadOfCredit {
            of: rules::Party::Seller
        }
    );
    app.clock.set(deadline.at + TimeDelta::days(40));
    sweep(&app.state).await.unwrap();
    // Signed in again: the first session expired meanwhile.
    let lucia = app.lucia().await;
    let after = lucia.case("case-3015").await;
    assert_eq!(
        after.case.outcome.map(|o| o.code()),
        Some("refunded"),
        "silence ends in money"
    );
    assert_eq!(credits_of(&app, "case-3015").await, 0);
    let mine: Vec<CreditView> = lucia.get_json("/api/credits").await;
    assert!(mine.iter().all(|c| c.case_id != "case-3015"));
}

#[tokio::test]
async fn the_mediator_rules_store_credit_only_when_the_buyer_asked_for_it() {
    let app = spawn_app().await;
    let amara = app.amara().await;
    let escalated = amara.case("case-3004").await;
    let (status, body) = amara
        .try_act(
            "case-3004",
            escalated.version,
            "rule",
            json!({"decree": {"plan": {"resolution": "store_credit"}}, "reason": "Credit"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["code"], "credit_not_asked");
}

/// The case file records the settlement: the store credit with its code for the buyer, without
/// it for the seller who honours it; the exchange's size in the plan.
/// The case file's `summary.txt`, in English, as `session` downloads it.
async fn summary(session: &common::Session, id: &str) -> String {
    use std::io::Read;
    let zipped = session
        .get(&format!("/api/cases/{id}/bundle?lang=en"))
        .await
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zipped.to_vec())).unwrap();
    let mut text = String::new();
    zip.by_name("summary.txt")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[tokio::test]
async fn the_case_file_records_store_credit_and_the_size_of_an_exchange() {
    let app = spawn_app().await;
    let (lucia, mei, jordan) = (app.lucia().await, app.mei().await, app.jordan().await);
    let code = lucia.case("case-3014").await.credit_code.unwrap();
    let buyers = summary(&lucia, "case-3014").await;
    assert!(
        buyers.contains("Outcome: Store credit, 266.00 CNY"),
        "{buyers}"
    );
    assert!(
        buyers.contains(&format!("Store credit code: {code}")),
        "{buyers}"
    );
    let sellers = summary(&mei, "case-3014").await;
    assert!(
        sellers.contains("Outcome: Store credit, 266.00 CNY"),
        "{sellers}"
    );
    assert!(!sellers.contains(&code), "{sellers}");
    let exchange = summary(&jordan, "case-3013").await;
    assert!(exchange.contains("Exchange, \"L\""), "{exchange}");
}
