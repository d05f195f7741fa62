//! The authorization matrix: every endpoint about a case or an order, for every role, on their own
//! and on others' resources. What is not yours is "not found", with nothing of it in the answer.

mod common;

use retour_server::on_db;
use std::collections::HashSet;

use common::{error_of, spawn_app, Session};
use reqwest::StatusCode;
use rules::api::Queue;
use serde_json::{json, Value};

/// Every action route with a body that passes parsing, so the answer is about access.
fn action_bodies() -> Vec<(&'static str, Value)> {
    let tracking = json!({"tracking_number": "1Z999AA10123456784"});
    vec![
        ("propose", json!({"resolution": "refund_only"})),
        ("withdraw-proposal", json!({})),
        ("accept", json!({"of": "buyer"})),
        ("reject", json!({"reason": "no"})),
        ("escalate", json!({})),
        ("rule", json!({"decree": "no_refund", "reason": "no"})),
        ("give-return-address", json!({"address": "1 Main St"})),
        ("ship-return", tracking.clone()),
        ("return-delivered", json!({})),
        ("confirm-receipt", json!({})),
        ("report-problem", json!({"reason": "broken"})),
        ("refund-issued", json!({})),
        ("ship-replacement", tracking),
        ("withdraw", json!({})),
        ("rate", json!({"stars": 5})),
    ]
}

/// Every request about one case, with what it answers.
async fn case_requests(
    session: &Session,
    case_id: &str,
    evidence: &[String],
) -> Vec<(String, StatusCode, String)> {
    let mut answers = Vec::new();
    let record = |what: String, response: reqwest::Response| async move {
        let status = response.status();
        // An event stream never ends: its status and headers are the answer.
        let body = if response
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"))
        {
            String::new()
        } else {
            response.text().await.unwrap()
        };
        (what, status, body)
    };
    answers.push(
        record(
            "read".into(),
            session.get(&format!("/api/cases/{case_id}")).await,
        )
        .await,
    );
    answers.push(
        record(
            "live".into(),
            session.get(&format!("/api/cases/{case_id}/live")).await,
        )
        .await,
    );
    answers.push(
        record(
            "bundle".into(),
            session.get(&format!("/api/cases/{case_id}/bundle")).await,
        )
        .await,
    );
    answers.push(
        record(
            "message".into(),
            session
                .post(
                    &format!("/api/cases/{case_id}/messages"),
                    &json!({"body": "hello"}),
                )
                .await,
        )
        .await,
    );
    let upload = session
        .upload(case_id, "x.jpg", b"not an image".to_vec())
        .await;
    answers.push(record("upload".into(), upload).await);
    for (action, mut body) in action_bodies() {
        // A version no case has: an allowed reader gets "stale", and nothing changes.
        body["version"] = json!(999_999);
        let response = session
            .post(&format!("/api/cases/{case_id}/{action}"), &body)
            .await;
        answers.push(record(action.into(), response).await);
    }
    for id in evidence {
        answers.push(
            record(
                format!("evidence {id}"),
                session.get(&format!("/api/evidence/{id}")).await,
            )
            .await,
        );
    }
    answers
}

async fn evidence_of(app: &common::TestApp, case_id: &str) -> Vec<String> {
    on_db!(
        &app.state.pool,
        "SELECT id FROM evidence WHERE case_id = ?",
        |sql, p| sqlx::query_scalar(sql).bind(case_id).fetch_all(p).await
    )
    .unwrap()
}

#[tokio::test]
async fn every_case_endpoint_answers_only_the_cases_parties() {
    let app = spawn_app().await;
    let people = [
        ("lucia", app.lucia().await),
        ("wei", app.wei().await),
        ("mei", app.mei().await),
        ("jordan", app.jordan().await),
        ("amara", app.amara().await),
    ];
    // (case, who may see it): Lucía's case at Mei's store, not escalated; Wei's escalated case at
    // Mei's store; Wei's case at Jordan's store.
    let cases = [
        ("case-3001", vec!["lucia", "mei"]),
        ("case-3004", vec!["wei", "mei", "amara"]),
        ("case-3002", vec!["wei", "jordan"]),
    ];
    let mut failures = Vec::new();
    for (case_id, parties) in &cases {
        let evidence = evidence_of(&app, case_id).await;
        let text = app.state.pool.json_text("document", &["description"]);
        let description: String = on_db!(
            &app.state.pool,
            format!("SELECT {text} FROM cases WHERE id = ?"),
            |sql, p| sqlx::query_scalar(sql).bind(case_id).fetch_one(p).await
        )
        .unwrap();
        for (name, session) in &people {
            let allowed = parties.contains(name);
            for (what, status, body) in case_requests(session, case_id, &evidence).await {
                let hidden = status == StatusCode::NOT_FOUND;
                if allowed == hidden {
                    failures.push(format!("{name} {what} {case_id}: {status} {body}"));
                }
                if hidden
                    && (body.contains(&description) || !body.contains("\"code\":\"not_found\""))
                {
                    failures.push(format!("{name} {what} {case_id}: leaks {body}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn orders_and_role_endpoints_answer_their_own_role_only() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let wei = app.wei().await;
    let mei = app.mei().await;
    let amara = app.amara().await;
    let verdict =
        json!({"lines": [{"line_id": "ord-1005-1", "quantity": 1}], "reason": "defective"});
    let filing = common::filing("ord-1005", "ord-1005-1", 1, "defective", "replacement");
    let mut failures = Vec::new();
    for (name, session, own) in [
        ("lucia", &lucia, true),
        ("wei", &wei, false),
        ("mei", &mei, false),
        ("amara", &amara, false),
    ] {
        let answers = [
            ("order", session.get("/api/orders/ord-1005").await),
            (
                "verdict",
                session
                    .post("/api/orders/ord-1005/eligibility", &verdict)
                    .await,
            ),
            ("file", session.file(&filing).await),
        ];
        for (what, response) in answers {
            let status = response.status();
            let ok = status.is_success();
            if ok != own {
                failures.push(format!("{name} {what} ord-1005: {status}"));
            }
            if !ok {
                let (status, error) = error_of(response).await;
                if status != StatusCode::NOT_FOUND || error["code"] != "not_found" {
                    failures.push(format!("{name} {what}: {status} {error}"));
                }
            }
        }
    }
    for (name, session, path, allowed) in [
        ("mei", &mei, "/api/orders", false),
        ("amara", &amara, "/api/orders", false),
        ("mei", &mei, "/api/credits", false),
        ("amara", &amara, "/api/credits", false),
        ("lucia", &lucia, "/api/credits", true),
        ("lucia", &lucia, "/api/seller/stats", false),
        ("amara", &amara, "/api/seller/stats", false),
        ("mei", &mei, "/api/seller/stats", true),
    ] {
        let status = session.get(path).await.status();
        if status.is_success() != allowed || (!allowed && status != StatusCode::NOT_FOUND) {
            failures.push(format!("{name} {path}: {status}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn each_queue_holds_only_what_its_reader_may_see() {
    let app = spawn_app().await;
    let visible = |sql: &'static str| {
        let pool = app.state.pool.clone();
        async move {
            on_db!(&pool, sql, |sql, p| sqlx::query_scalar::<_, String>(sql)
                .fetch_all(p)
                .await)
            .unwrap()
            .into_iter()
            .collect::<HashSet<_>>()
        }
    };
    for (session, expected) in [
        (
            app.lucia().await,
            visible("SELECT id FROM cases WHERE buyer_id = 'u-lucia'").await,
        ),
        (
            app.mei().await,
            visible("SELECT id FROM cases WHERE store_id = 's-tea'").await,
        ),
        (
            app.jordan().await,
            visible("SELECT id FROM cases WHERE store_id = 's-north'").await,
        ),
        (
            app.amara().await,
            visible("SELECT id FROM cases WHERE escalated_at IS NOT NULL").await,
        ),
    ] {
        let queue: Queue = session.get_json("/api/cases?limit=200").await;
        let got: HashSet<_> = queue.items.into_iter().map(|i| i.summary.id).collect();
        assert!(!expected.is_empty());
        assert_eq!(got, expected, "{:?}", session.me.as_ref().map(|m| &m.email));
    }
}
