//! Every action of the rules crate through its endpoint, by the party that takes it, over real
//! HTTP: counter-offers, returns, replacements, escalation and rulings, messages, and two parties
//! acting at once.

mod common;

use common::{error_of, filing, spawn_app, Session, TestClock};
use reqwest::StatusCode;
use retour_server::on_db;
use rules::api::{CaseDetail, Queue};
use rules::{CaseState, Currency, Money, Outcome, Party, PolicySet};
use serde_json::json;

const UPS: &str = "1Z999AA10123456784";

/// The goods go back: the seller accepts the buyer's proposal and gives the address, and the
/// buyer ships them with a tracking number.
async fn send_back(buyer: &Session, seller: &Session, case: &CaseDetail) -> CaseDetail {
    let case = seller.act(case, "accept", json!({"of": "buyer"})).await;
    assert_eq!(case.summary.state, CaseState::AwaitingReturnAddress);
    let case = seller
        .act(
            &case,
            "give-return-address",
            json!({"address": "8 Tea Lane, Hangzhou"}),
        )
        .await;
    let case = buyer
        .act(&case, "ship-return", json!({"tracking_number": UPS}))
        .await;
    assert_eq!(case.summary.state, CaseState::ReturnInTransit);
    case
}

fn states(case: &CaseDetail) -> Vec<CaseState> {
    case.timeline.iter().map(|e| e.event.state).collect()
}

#[tokio::test]
async fn a_counter_offer_accepted_is_refunded_and_rated() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let case = jordan
        .act(
            &jordan.case(&case.summary.id).await,
            "propose",
            json!({"resolution": "partial_refund", "partial_amount_minor": 2000,
                   "note": "Keep it, with 20 € back"}),
        )
        .await;
    assert_eq!(case.summary.state, CaseState::Negotiating);
    let offer = case
        .case
        .proposals
        .seller
        .as_ref()
        .expect("the seller's counter-offer");
    assert_eq!(offer.terms.refund, Money::new(2000, Currency::EUR));
    let case = lucia.act(&case, "accept", json!({"of": "seller"})).await;
    // Accepted, due and issued at once.
    assert_eq!(case.summary.state, CaseState::Resolved);
    assert_eq!(
        case.case.outcome,
        Some(Outcome::Refunded {
            amount: Money::new(2000, Currency::EUR)
        })
    );
    let case = lucia
        .act(&case, "rate", json!({"stars": 4, "comment": "Fair"}))
        .await;
    assert_eq!(case.summary.state, CaseState::Closed);
    assert_eq!(case.next_deadline, None);
    let (stars, proposals): (i64, i64) = on_db!(
        &app.state.pool,
        "SELECT (SELECT stars FROM ratings WHERE case_id = ?1), \
         (SELECT COUNT(*) FROM proposals WHERE case_id = ?1)",
        |sql, p| sqlx::query_as(sql)
            .bind(&case.summary.id)
            .fetch_one(p)
            .await
    )
    .unwrap();
    assert_eq!(
        (stars, proposals),
        (4, 2),
        "the rating and both proposals are kept"
    );
    let who: Vec<_> = case.timeline.iter().map(|e| e.who.clone()).collect();
    assert_eq!(who[1].as_deref(), Some("Jordan Smith"));
}

#[tokio::test]
async fn a_return_goes_back_with_a_checked_tracking_number_and_is_refunded() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let case = lucia
        .file_line("ord-1006", "defective", "return_and_refund")
        .await;
    let case = mei.act(&case, "accept", json!({"of": "buyer"})).await;
    assert_eq!(case.summary.state, CaseState::AwaitingReturnAddress);
    let case = mei
        .act(
            &case,
            "give-return-address",
            json!({"address": "Returns, 8 Tea Lane, Hangzhou"}),
        )
        .await;
    let (status, error) = lucia
        .try_act(
            &case.summary.id,
            case.version,
            "ship-return",
            json!({"tracking_number": "1Z999AA10123456785"}),
        )
        .await;
    assert_eq!(
        (
            status,
            error["code"].as_str(),
            error["details"]["field"].as_str()
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("tracking_check_failed"),
            Some("tracking_number")
        ),
        "{error}"
    );
    let case = lucia
        .act(
            &case,
            "ship-return",
            json!({"tracking_number": "1z 999 aa1 0123456784"}),
        )
        .await;
    assert_eq!(case.summary.state, CaseState::ReturnInTransit);
    assert_eq!(case.case.return_tracking.as_ref().unwrap().number, UPS);
    // The parcel is the carrier's to bring: the seller's queue does not say it is their move.
    let queue: Queue = mei.get_json("/api/cases?limit=200").await;
    let row = queue
        .items
        .iter()
        .find(|i| i.summary.id == case.summary.id)
        .unwrap();
    assert!(row.next_deadline.is_some_and(|d| d.party == Party::Seller));
    assert!(!row.needs_my_action);
    let waiting: Queue = mei
        .get_json("/api/cases?needs_my_action=true&limit=200")
        .await;
    assert!(waiting
        .items
        .iter()
        .all(|i| i.summary.id != case.summary.id));
    let case = mei.act(&case, "confirm-receipt", json!({})).await;
    assert_eq!(case.summary.state, CaseState::Resolved);
    assert!(matches!(case.case.outcome, Some(Outcome::Refunded { .. })));
}

#[tokio::test]
async fn a_rejection_escalated_is_ruled_by_the_mediator_through_a_reported_problem() {
    let app = spawn_app().await;
    let (wei, mei, amara) = (app.wei().await, app.mei().await, app.amara().await);
    let case = wei
        .file_ok(&filing(
            "ord-2001",
            "ord-2001-1",
            2,
            "not_as_described",
            "return_and_refund",
        ))
        .await;
    // Before it is escalated the mediator cannot see it.
    assert_eq!(
        amara
            .get(&format!("/api/cases/{}", case.summary.id))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let case = mei
        .act(&case, "reject", json!({"reason": "As pictured"}))
        .await;
    let case = wei.act(&case, "escalate", json!({})).await;
    assert_eq!(case.summary.state, CaseState::Escalated);
    let case = amara.case(&case.summary.id).await;
    assert_eq!(case.viewer, Party::Platform);
    let case = amara
        .act(
            &case,
            "propose",
            json!({"resolution": "partial_refund", "partial_amount_minor": 1000}),
        )
        .await;
    assert!(case.case.proposals.platform.is_some());
    let case = amara
        .act(
            &case,
            "rule",
            json!({"decree": {"plan": {"resolution": "return_and_refund",
                                       "return_shipping_paid_by": "seller"}},
                   "reason": "The photos show another colour"}),
        )
        .await;
    assert_eq!(case.summary.state, CaseState::AwaitingReturnAddress);
    let case = mei
        .act(
            &case,
            "give-return-address",
            json!({"address": "8 Tea Lane"}),
        )
        .await;
    let case = wei
        .act(&case, "ship-return", json!({"tracking_number": UPS}))
        .await;
    // Once involved, the platform follows the case to the end.
    let case = amara.act(&case, "return-delivered", json!({})).await;
    assert_eq!(case.summary.state, CaseState::ReturnDelivered);
    let case = mei
        .act(&case, "report-problem", json!({"reason": "Box empty"}))
        .await;
    assert_eq!(case.summary.state, CaseState::Escalated);
    let case = amara
        .act(
            &case,
            "rule",
            json!({"decree": "no_refund", "reason": "Carrier weighed it empty"}),
        )
        .await;
    assert_eq!(case.case.outcome, Some(Outcome::RuledNoRefund));
    assert_eq!(states(&case).last(), Some(&CaseState::Resolved));
}

#[tokio::test]
async fn a_replacement_is_shipped_after_the_return_arrives() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let case = lucia
        .file_line("ord-1011", "defective", "replacement")
        .await;
    let case = send_back(&lucia, &mei, &case).await;
    let case = mei.act(&case, "confirm-receipt", json!({})).await;
    assert_eq!(case.summary.state, CaseState::ReplacementDue);
    let case = mei
        .act(&case, "ship-replacement", json!({"tracking_number": UPS}))
        .await;
    assert_eq!(case.case.outcome, Some(Outcome::Replaced));
}

#[tokio::test]
async fn proposals_are_withdrawn_and_the_buyer_withdraws_the_request() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let case = lucia
        .file_line("ord-1009", "defective", "return_and_refund")
        .await;
    let case = jordan
        .act(
            &case,
            "propose",
            json!({"resolution": "partial_refund", "partial_amount_minor": 500}),
        )
        .await;
    let case = jordan.act(&case, "withdraw-proposal", json!({})).await;
    assert!(case.case.proposals.seller.is_none());
    let case = lucia.act(&case, "withdraw", json!({})).await;
    assert_eq!(case.case.outcome, Some(Outcome::Withdrawn));
    // Every party reads who decided, and the refund shown is what was paid: nothing.
    let settled = case.settlement.as_ref().expect("a settled case says how");
    assert_eq!(
        (
            settled.outcome,
            settled.decided_by,
            settled.agreement.clone()
        ),
        (Outcome::Withdrawn, rules::Actor::Buyer, None)
    );
    assert_eq!(case.summary.refund.minor, 0);
    let queue: Queue = jordan.get_json("/api/cases?limit=200").await;
    let row = queue
        .items
        .iter()
        .find(|i| i.summary.id == case.summary.id)
        .unwrap();
    assert_eq!(row.summary.refund.minor, 0, "the queue shows what was paid");
}

#[tokio::test]
async fn the_platform_records_a_refund_it_issued_when_refunds_take_time() {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let clock = TestClock::at(common::fixed_now());
    let url = common::database_url(data.path()).await;
    let pool = retour_server::db::connect(&url).await.unwrap();
    let mut state = retour_server::AppState::new(
        pool,
        clock.clock(),
        dist.path().to_path_buf(),
        data.path().to_path_buf(),
    );
    state.policies = std::sync::Arc::new(
        PolicySet::from_toml("[marketplace]\nrefund_issue_hours = 24").unwrap(),
    );
    retour_server::demo::seed_if_empty(&state.pool, &state.photos, clock.now(), &state.policies)
        .await
        .unwrap();
    let app = common::start(state, clock).await;
    let (wei, mei, amara) = (app.wei().await, app.mei().await, app.amara().await);
    let mut body = filing("ord-2001", "ord-2001-1", 1, "defective", "partial_refund");
    body["partial_amount_minor"] = json!(1000);
    let case = wei.file_ok(&body).await;
    let case = mei
        .act(&case, "reject", json!({"reason": "Works for us"}))
        .await;
    let case = wei.act(&case, "escalate", json!({})).await;
    let case = amara
        .act(
            &case,
            "rule",
            json!({"decree": {"plan": {"resolution": "refund_only"}},
                                    "reason": "Seller at fault"}),
        )
        .await;
    assert_eq!(case.summary.state, CaseState::RefundDue);
    let case = amara.act(&case, "refund-issued", json!({})).await;
    assert!(matches!(case.case.outcome, Some(Outcome::Refunded { .. })));
}

#[tokio::test]
async fn two_parties_acting_at_once_never_overwrite_each_other() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let id = case.summary.id.clone();
    let (seller, buyer) = tokio::join!(
        jordan.try_act(&id, case.version, "accept", json!({"of": "buyer"})),
        lucia.try_act(&id, case.version, "withdraw", json!({})),
    );
    let mut statuses = [seller.0, buyer.0];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{seller:?} {buyer:?}"
    );
    let loser = if seller.0 == StatusCode::CONFLICT {
        &seller.1
    } else {
        &buyer.1
    };
    assert_eq!(loser["code"], "stale_version");
    let current: CaseDetail = serde_json::from_value(loser["details"]["case"].clone()).unwrap();
    assert_eq!(
        current.version,
        case.version + 1,
        "the 409 carries the current case"
    );
    // Exactly one action is in the timeline.
    let stored = lucia.case(&id).await;
    assert_eq!(stored.timeline.len(), 2, "{:?}", states(&stored));
}

#[tokio::test]
async fn refused_actions_say_why_and_who_may_act() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let (status, error) = lucia
        .try_act(
            &case.summary.id,
            case.version,
            "give-return-address",
            json!({"address": "x"}),
        )
        .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("action_not_allowed"))
    );
    let allowed = error["details"]["allowed"].as_array().unwrap();
    assert!(
        allowed.contains(&json!({"party": "seller", "action": "accept"})),
        "{error}"
    );
    let (status, error) = lucia
        .try_act(
            &case.summary.id,
            case.version,
            "propose",
            json!({"resolution": "refund_only", "evidence": ["not-a-photo"]}),
        )
        .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_evidence"))
    );
    let (status, error) = lucia
        .try_act(
            &case.summary.id,
            case.version,
            "rate",
            json!({"stars": "five"}),
        )
        .await;
    assert_eq!(
        (status, error["details"]["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("stars"))
    );
}

#[tokio::test]
async fn messages_are_kept_in_the_case_and_checked() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let response = mei
        .post(
            "/api/cases/case-3001/messages",
            &json!({"body": "  Could you send a photo of the base?  "}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case = lucia.case("case-3001").await;
    let message = case.messages.last().expect("the message");
    assert_eq!(
        (
            message.party,
            message.author.as_str(),
            message.body.as_str()
        ),
        (
            Party::Seller,
            "Mei Lin",
            "Could you send a photo of the base?"
        )
    );
    for (body, code) in [
        ("   ", "message_empty"),
        (&*"x".repeat(2001), "text_too_long"),
    ] {
        let (status, error) = error_of(
            lucia
                .post("/api/cases/case-3001/messages", &json!({"body": body}))
                .await,
        )
        .await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some(code))
        );
    }
    // A closed case takes no more messages.
    let (status, error) = error_of(
        lucia
            .post("/api/cases/case-3011/messages", &json!({"body": "hi"}))
            .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("case_closed"))
    );
}
