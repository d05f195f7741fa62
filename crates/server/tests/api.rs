//! Orders, filing and the rules at the edge, bad input, the app's paths and persistence: over
//! real HTTP against the real router and a fresh SQLite file each.

mod common;

use retour_server::on_db;
use std::collections::HashSet;

use common::{error_of, filing, fixed_now, serve, spawn_app, TestClock};
use reqwest::StatusCode;
use rules::api::{CaseDetail, OrderView, Queue};
use rules::{CaseState, Currency, Eligibility, Fulfillment, Money};
use serde_json::json;

#[tokio::test]
async fn orders_cover_every_shipping_situation_and_only_the_buyers_own() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let orders: Vec<OrderView> = lucia.get_json("/api/orders").await;
    let ids: Vec<_> = orders.iter().map(|o| o.order.id.as_str()).collect();
    assert!(
        !ids.contains(&"ord-2001"),
        "another buyer's order leaked: {ids:?}"
    );
    let states: HashSet<_> = orders
        .iter()
        .map(|o| match o.order.fulfillment {
            Fulfillment::NotShipped => "not_shipped",
            Fulfillment::GroupBuyWaiting { .. } => "group_buy",
            Fulfillment::Shipped { .. } => "shipped",
            Fulfillment::Delivered { .. } => "delivered",
        })
        .collect();
    assert_eq!(states.len(), 4, "{states:?}");
    let currencies: HashSet<_> = orders.iter().map(|o| o.order.currency).collect();
    for c in [
        Currency::CNY,
        Currency::EUR,
        Currency::USD,
        Currency::JPY,
        Currency::KWD,
    ] {
        assert!(currencies.contains(&c), "no demo order in {c}");
    }
    let (status, error) = error_of(lucia.get("/api/orders/ord-2001").await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
}

#[tokio::test]
async fn the_eligibility_endpoint_gives_the_browsers_verdict() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let request = json!({"lines": [{"line_id": "ord-1008-1", "quantity": 1}],
        "reason": "no_longer_wanted"});
    let response = lucia
        .post("/api/orders/ord-1008/eligibility", &request)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let verdict: Eligibility = response.json().await.unwrap();
    let order: OrderView = lucia.get_json("/api/orders/ord-1008").await;
    let expected = rules::eligibility(
        &order.order,
        &serde_json::from_value(request).unwrap(),
        fixed_now(),
        &rules::Policy::default(),
    )
    .unwrap();
    assert_eq!(verdict, expected);
    assert_eq!(verdict.explanation().code(), "non_returnable");
}

#[tokio::test]
async fn an_eligible_return_is_filed_and_the_seller_sees_it() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let mut body = filing(
        "ord-1005",
        "ord-1005-2",
        2,
        "no_longer_wanted",
        "return_and_refund",
    );
    body["description"] = json!("  Too warm for me  ");
    let case = lucia.file_ok(&body).await;
    assert_eq!(case.summary.state, CaseState::AwaitingSeller);
    assert_eq!(case.summary.refund, Money::new(2 * 1250, Currency::EUR));
    assert_eq!(case.summary.description, "Too warm for me");
    assert_eq!(case.summary.lines[0].title, "Merino socks");
    assert_eq!(case.summary.created_at, fixed_now());
    assert_eq!(case.summary.explanation.code(), "change_of_mind_window");
    assert_eq!(case.buyer, "Lucía García");
    assert_eq!(case.timeline.len(), 1);
    assert_eq!(case.timeline[0].who.as_deref(), Some("Lucía García"));
    let deadline = case.next_deadline.expect("the seller's answer is due");
    assert_eq!(deadline.party, rules::Party::Seller);

    assert_eq!(lucia.case(&case.summary.id).await, case);
    let jordan = app.jordan().await;
    let queue: Queue = jordan.get_json("/api/cases?state=awaiting_seller").await;
    assert!(
        queue.items.iter().any(|i| i.summary.id == case.summary.id),
        "the seller's queue lacks the new case"
    );
    let seen = jordan.case(&case.summary.id).await;
    assert_eq!(seen.viewer, rules::Party::Seller);
}

#[tokio::test]
async fn cancelling_before_shipment_is_approved_at_once_with_shipping() {
    let app = spawn_app().await;
    let case = app
        .lucia()
        .await
        .file_line("ord-1001", "ordered_by_mistake", "refund_only")
        .await;
    // Approved at filing and issued by the clock in the same request.
    assert_eq!(case.summary.state, CaseState::Resolved);
    assert_eq!(case.summary.refund, Money::new(8990 + 499, Currency::EUR));
    let kinds: Vec<_> = case.timeline.iter().map(|e| e.event.state).collect();
    assert_eq!(kinds.last(), Some(&CaseState::Resolved));
}

/// An order says which of its lines are in a case, and where each case stands, so the buyer's
/// app never offers a return for them again; nobody else's cases show.
#[tokio::test]
async fn an_order_names_the_case_each_of_its_lines_is_in() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let before: OrderView = lucia.get_json("/api/orders/ord-1006").await;
    assert_eq!(before.cases, vec![]);
    let case = lucia
        .file_line("ord-1006", "defective", "replacement")
        .await;
    let after: OrderView = lucia.get_json("/api/orders/ord-1006").await;
    assert_eq!(
        after.cases,
        vec![rules::api::LineCase {
            line_id: "ord-1006-1".into(),
            case_id: case.summary.id.clone(),
            number: case.summary.number,
            state: case.summary.state,
        }]
    );
    let listed: Vec<OrderView> = lucia.get_json("/api/orders").await;
    let ord = listed.iter().find(|o| o.order.id == "ord-1006").unwrap();
    assert_eq!(ord.cases, after.cases);
    // Her other orders have no line in a case but the demo's own.
    for other in listed.iter().filter(|o| o.order.id != "ord-1006") {
        assert!(
            other.cases.iter().all(|c| c.case_id != case.summary.id),
            "{}",
            other.order.id
        );
    }
    // The state follows the case: the buyer withdraws it.
    let answered = lucia.act(&case, "withdraw", json!({})).await;
    let now: OrderView = lucia.get_json("/api/orders/ord-1006").await;
    assert_eq!(now.cases[0].state, answered.summary.state);
    assert_ne!(answered.summary.state, case.summary.state);
}

#[tokio::test]
async fn a_retried_filing_creates_one_case_and_the_same_items_cannot_be_filed_twice() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let mut body = filing("ord-1006", "ord-1006-1", 1, "defective", "replacement");
    body["evidence"] = json!([lucia.unfiled_photo().await]);
    // A double click: both submits at once, with the same key.
    let (first, second) = tokio::join!(
        lucia.file_with_key(&body, "key-1"),
        lucia.file_with_key(&body, "key-1")
    );
    let mut statuses = vec![first.status(), second.status()];
    statuses.sort();
    assert_eq!(statuses, vec![StatusCode::OK, StatusCode::CREATED]);
    let a: CaseDetail = first.json().await.unwrap();
    let b: CaseDetail = second.json().await.unwrap();
    assert_eq!(a.summary.id, b.summary.id);
    let mine: Queue = lucia.get_json("/api/cases").await;
    let on_order = mine
        .items
        .iter()
        .filter(|i| i.summary.order_id == "ord-1006")
        .count();
    assert_eq!(on_order, 1);

    let (status, error) = error_of(lucia.file_with_key(&body, "key-2").await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::CONFLICT, Some("case_exists"))
    );
    assert_eq!(error["details"]["case_id"], json!(a.summary.id));

    let no_key = lucia
        .client
        .post(lucia.url("/api/cases"))
        .header("x-csrf-token", &lucia.csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(no_key).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("idempotency_key_required"))
    );
}

#[tokio::test]
async fn the_server_applies_the_rules_even_when_the_browser_is_bypassed() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let mut partial = filing("ord-1005", "ord-1005-1", 1, "defective", "partial_refund");
    partial["partial_amount_minor"] = json!(5900 + 499 + 1);
    let mut long = filing("ord-1005", "ord-1005-1", 1, "defective", "replacement");
    long["description"] = json!("x".repeat(2001));
    let cases = [
        (
            filing(
                "ord-1007",
                "ord-1007-1",
                1,
                "no_longer_wanted",
                "return_and_refund",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "change_of_mind_closed",
        ),
        (
            filing(
                "ord-1008",
                "ord-1008-1",
                1,
                "no_longer_wanted",
                "return_and_refund",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "non_returnable",
        ),
        (
            filing(
                "ord-1010",
                "ord-1010-1",
                1,
                "better_price_found",
                "return_and_refund",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "listing_no_returns",
        ),
        (
            filing("ord-1003", "ord-1003-1", 1, "not_received", "refund_only"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_received_opens_at",
        ),
        (
            filing(
                "ord-1005",
                "ord-1005-1",
                1,
                "no_longer_wanted",
                "replacement",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "resolution_not_allowed",
        ),
        (
            filing("ord-1005", "ord-1005-2", 4, "defective", "replacement"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "quantity_out_of_range",
        ),
        (
            filing("ord-1005", "ord-1001-1", 1, "defective", "replacement"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_line",
        ),
        (
            filing("ord-2001", "ord-2001-1", 1, "defective", "replacement"),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            partial,
            StatusCode::UNPROCESSABLE_ENTITY,
            "partial_amount_out_of_range",
        ),
        (
            long,
            StatusCode::UNPROCESSABLE_ENTITY,
            "description_too_long",
        ),
    ];
    for (body, status, code) in cases {
        let (got_status, error) = error_of(lucia.file(&body).await).await;
        assert_eq!(
            (got_status, error["code"].as_str()),
            (status, Some(code)),
            "{body}: {error}"
        );
    }
    let late = filing(
        "ord-1007",
        "ord-1007-1",
        1,
        "no_longer_wanted",
        "return_and_refund",
    );
    let (_, error) = error_of(lucia.file(&late).await).await;
    // The 7th day ended at midnight in Madrid, where Lucía ordered (UTC+1).
    assert_eq!(
        error["message"],
        "Not eligible: the change-of-mind window closed on 2026-02-25 22:59 UTC"
    );
    // The details carry the explanation with its dates, for clients to translate.
    assert_eq!(error["details"]["code"], "change_of_mind_closed");
    assert!(error["details"]["closed_at"].is_string(), "{error}");
    let mine: Queue = lucia.get_json("/api/cases").await;
    let demo_cases = mine.items.len();
    assert!(
        mine.items.iter().all(|i| i.summary.id.starts_with("case-")),
        "a refused request left a case behind ({demo_cases} cases)"
    );
}

#[tokio::test]
async fn bad_input_is_a_json_error_that_names_the_field() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let field_errors = [
        (
            json!({"order_id": "ord-1005", "lines": [], "reason": "bored", "resolution": "refund_only"}),
            "reason",
        ),
        (
            json!({"order_id": "ord-1005", "lines": [{"line_id": "ord-1005-1", "quantity": "two"}],
                   "reason": "defective", "resolution": "replacement"}),
            "lines[0].quantity",
        ),
        (
            json!({"order_id": "ord-1005", "lines": [], "reason": "defective"}),
            "resolution",
        ),
        (
            json!({"order_id": 5, "lines": [], "reason": "defective", "resolution": "replacement"}),
            "order_id",
        ),
    ];
    for (body, field) in field_errors {
        let (status, error) = error_of(lucia.file(&body).await).await;
        assert_eq!(
            (
                status,
                error["code"].as_str(),
                error["details"]["field"].as_str()
            ),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Some("invalid_field"),
                Some(field)
            ),
            "{body}: {error}"
        );
    }

    let huge = json!({"order_id": "ord-1005", "lines": [], "reason": "defective",
        "resolution": "replacement", "description": "x".repeat(3 * 1024 * 1024)});
    let (status, error) = error_of(lucia.file(&huge).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("body_too_large"))
    );

    let wrong_method = lucia
        .client
        .delete(lucia.url("/api/orders"))
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(wrong_method).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );

    let bad_query = lucia.get("/api/cases?limit=many").await;
    let (status, error) = error_of(bad_query).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_query"))
    );
    let (status, error) = error_of(lucia.get("/api/cases?state=lost").await).await;
    assert_eq!(
        (
            status,
            error["code"].as_str(),
            error["details"]["field"].as_str()
        ),
        (
            StatusCode::BAD_REQUEST,
            Some("unknown_state"),
            Some("state")
        )
    );

    // Bodies that are not JSON at all.
    let trailing = format!(
        "{} and more",
        filing("ord-1006", "ord-1006-1", 1, "defective", "replacement")
    );
    let raw = [
        (
            Some("application/json"),
            "{",
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            Some("application/json"),
            trailing.as_str(),
            StatusCode::BAD_REQUEST,
            "malformed_json",
        ),
        (
            None,
            "order_id=1",
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ),
    ];
    for (content_type, body, status, code) in raw {
        let mut request = lucia
            .client
            .post(lucia.url("/api/cases"))
            .header("x-csrf-token", &lucia.csrf)
            .header("idempotency-key", "k")
            .body(body.to_owned());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (got, error) = error_of(request.send().await.unwrap()).await;
        assert_eq!(
            (got, error["code"].as_str()),
            (status, Some(code)),
            "{body:?}"
        );
    }
}

#[tokio::test]
async fn app_paths_get_the_app_and_unknown_api_or_asset_paths_get_404() {
    let app = spawn_app().await;
    let dist = &app.state.dist;
    std::fs::write(
        dist.join("index.html"),
        "<!DOCTYPE html><title>Retour</title>",
    )
    .unwrap();
    // Trunk names assets after a 16-digit hash of their content.
    std::fs::write(dist.join("retour-4f2a1b1c9d3e8f70.js"), "console.log(1)").unwrap();
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(app.url(path)).send();

    for deep_link in [
        "/",
        "/seller/returns",
        "/returns/some-id",
        "/orders/ord-1005/return?line=ord-1005-1",
    ] {
        let response = get(deep_link).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{deep_link}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<title>Retour</title>"),
            "{deep_link}"
        );
    }
    let js = get("/retour-4f2a1b1c9d3e8f70.js").await.unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    for page in ["/", "/seller/returns"] {
        let response = get(page).await.unwrap();
        assert_eq!(response.headers()["cache-control"], "no-store", "{page}");
    }
    // The page as `cargo xtask build` compressed it, for a browser that takes Brotli.
    let page = "<!DOCTYPE html><title>Retour</title>";
    std::fs::write(dist.join("index.html.br"), brotli_of(page.as_bytes())).unwrap();
    let compressed = client
        .get(app.url("/"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut &compressed.bytes().await.unwrap()[..], &mut unpacked).unwrap();
    assert_eq!(unpacked, page.as_bytes());
    let missing = get("/retour-old.wasm").await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(!missing.headers().contains_key("cache-control"));

    let (status, error) = error_of(get("/api/nope").await.unwrap()).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("unknown_endpoint"))
    );
    let lucia = app.lucia().await;
    for api in ["/api/cases/no-such-case", "/api/orders/ord-9999"] {
        let (status, error) = error_of(lucia.get(api).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::NOT_FOUND, Some("not_found")),
            "{api}"
        );
    }
}

#[tokio::test]
async fn an_unbuilt_app_says_so_and_is_not_cached() {
    let app = spawn_app().await;
    for path in ["/", "/seller/returns"] {
        let response = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(!response.headers().contains_key("cache-control"), "{path}");
        assert!(response.text().await.unwrap().contains("cargo xtask serve"));
    }
}

#[tokio::test]
async fn cases_survive_a_restart_and_demo_data_is_seeded_once() {
    let dist = tempfile::tempdir().unwrap();
    let data = tempfile::tempdir().unwrap();
    let clock = TestClock::at(fixed_now());
    let app = serve(data.path(), clock.clone(), dist.path().to_path_buf()).await;
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "defective", "replacement")
        .await;
    // SQLite writes ahead (readers never wait for a writer); PostgreSQL always does.
    if let retour_server::db::Db::Sqlite(pool) = &app.state.pool {
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }
    app.state.pool.close().await;
    drop(app);

    let app = serve(data.path(), clock, dist.path().to_path_buf()).await;
    let after = app.lucia().await.case(&filed.summary.id).await;
    assert_eq!(after, filed);
    let users: i64 = on_db!(&app.state.pool, "SELECT COUNT(*) FROM users", |sql, p| {
        sqlx::query_scalar(sql).fetch_one(p).await
    })
    .unwrap();
    assert_eq!(users, 5);
}

#[tokio::test]
async fn the_demo_has_a_case_in_every_state_that_lasts() {
    let app = spawn_app().await;
    let states: HashSet<String> = on_db!(
        &app.state.pool,
        "SELECT DISTINCT state FROM cases",
        |sql, p| sqlx::query_scalar(sql).fetch_all(p).await
    )
    .unwrap()
    .into_iter()
    .collect();
    for state in CaseState::ALL {
        // Under the default policy a due refund is issued the moment it is due.
        if state != CaseState::RefundDue {
            assert!(
                states.contains(state.code()),
                "no demo case is {}",
                state.code()
            );
        }
    }
    let photos: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM evidence",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    assert!(photos >= 5, "{photos} demo photos");
}

fn brotli_of(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &Default::default()).unwrap();
    out
}

/// Instances started at the same moment on an empty database seed the demo once between them.
#[tokio::test]
async fn instances_starting_together_seed_the_demo_once() {
    let data = tempfile::tempdir().unwrap();
    let url = common::database_url(data.path()).await;
    let pool = retour_server::db::connect(&url).await.unwrap();
    let photos = retour_server::photos::PhotoStore::Directory(data.path().to_path_buf());
    let policies = rules::PolicySet::default();
    let now = fixed_now();
    let seed = || retour_server::demo::seed_if_empty(&pool, &photos, now, &policies);
    let (a, b, c) = tokio::join!(seed(), seed(), seed());
    let seeds = [a, b, c];
    let seeded: Vec<bool> = seeds
        .into_iter()
        .map(|s| s.expect("no seeding fails"))
        .collect();
    assert_eq!(seeded.iter().filter(|s| **s).count(), 1, "{seeded:?}");
    let users: i64 = on_db!(&pool, "SELECT COUNT(*) FROM users", |sql, p| {
        sqlx::query_scalar(sql).fetch_one(p).await
    })
    .unwrap();
    assert_eq!(users, 5);
}
