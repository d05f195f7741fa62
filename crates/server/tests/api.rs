mod common;

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use common::{serve, spawn_app, TestApp};
use reqwest::StatusCode;
use retour_server::Clock;
use rules::api::{CaseView, ErrorBody, NewReturn, OrderView};
use rules::{CaseState, Currency, Fulfillment, LineSelection, Money, Reason, Resolution};
use serde_json::json;

/// A fixed "now", so dates in answers are predictable.
fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

fn fixed_clock() -> Clock {
    Arc::new(fixed_now)
}

fn no_dist() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn request(
    order: &str,
    line: &str,
    quantity: u32,
    reason: Reason,
    resolution: Resolution,
) -> NewReturn {
    NewReturn {
        order_id: order.into(),
        lines: vec![LineSelection {
            line_id: line.into(),
            quantity,
        }],
        reason,
        resolution,
        partial_amount_minor: None,
        description: String::new(),
    }
}

async fn post_json(app: &TestApp, body: &impl serde::Serialize) -> reqwest::Response {
    app.client
        .post(app.url("/api/returns"))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn error_of(response: reqwest::Response) -> (StatusCode, ErrorBody) {
    let status = response.status();
    (
        status,
        response
            .json()
            .await
            .expect("errors are JSON {code, message}"),
    )
}

async fn seller_cases(app: &TestApp) -> Vec<CaseView> {
    app.get_json("/api/seller/returns").await
}

#[tokio::test]
async fn orders_cover_every_shipping_situation_and_only_the_buyers_own() {
    let dist = no_dist();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    let orders: Vec<OrderView> = app.get_json("/api/orders").await;
    let ids: Vec<_> = orders.iter().map(|o| o.order.id.as_str()).collect();
    assert!(
        !ids.contains(&"ord-2001"),
        "another buyer's order leaked: {ids:?}"
    );
    let states: std::collections::HashSet<_> = orders
        .iter()
        .map(|o| match o.order.fulfillment {
            Fulfillment::NotShipped => "not_shipped",
            Fulfillment::GroupBuyWaiting { .. } => "group_buy",
            Fulfillment::Shipped { .. } => "shipped",
            Fulfillment::Delivered { .. } => "delivered",
        })
        .collect();
    assert_eq!(states.len(), 4, "{states:?}");
    let currencies: std::collections::HashSet<_> =
        orders.iter().map(|o| o.order.currency).collect();
    for c in [
        Currency::CNY,
        Currency::EUR,
        Currency::USD,
        Currency::JPY,
        Currency::KWD,
    ] {
        assert!(currencies.contains(&c), "no demo order in {c}");
    }
    let other = app
        .client
        .get(app.url("/api/orders/ord-2001"))
        .send()
        .await
        .unwrap();
    assert_eq!(error_of(other).await.1.code, "not_found");
}

#[tokio::test]
async fn an_eligible_return_is_filed_and_the_seller_sees_it() {
    let dist = no_dist();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    let mut body = request(
        "ord-1005",
        "ord-1005-2",
        2,
        Reason::NoLongerWanted,
        Resolution::ReturnAndRefund,
    );
    body.description = "  Too warm for me  ".into();
    let response = post_json(&app, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case: CaseView = response.json().await.unwrap();
    assert_eq!(case.state, CaseState::AwaitingSeller);
    assert_eq!(case.refund, Money::new(2 * 1250, Currency::EUR));
    assert_eq!(case.description, "Too warm for me");
    assert_eq!(case.lines[0].title, "Merino socks");
    assert_eq!(case.created_at, fixed_now());
    assert_eq!(case.explanation.code(), "change_of_mind_window");

    let again: CaseView = app.get_json(&format!("/api/returns/{}", case.id)).await;
    assert_eq!(again, case);
    assert_eq!(seller_cases(&app).await, vec![case]);
}

#[tokio::test]
async fn cancelling_before_shipment_is_approved_at_once_with_shipping() {
    let dist = no_dist();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    let response = post_json(
        &app,
        &request(
            "ord-1001",
            "ord-1001-1",
            1,
            Reason::OrderedByMistake,
            Resolution::RefundOnly,
        ),
    )
    .await;
    let case: CaseView = response.json().await.unwrap();
    // Approved at filing and issued by the clock in the same request.
    assert_eq!(case.state, CaseState::Resolved);
    assert_eq!(case.refund, Money::new(8990 + 499, Currency::EUR));
}

#[tokio::test]
async fn the_server_applies_the_rules_even_when_the_browser_is_bypassed() {
    let dist = no_dist();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    let cases = [
        (
            request(
                "ord-1007",
                "ord-1007-1",
                1,
                Reason::NoLongerWanted,
                Resolution::ReturnAndRefund,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "change_of_mind_closed",
        ),
        (
            request(
                "ord-1008",
                "ord-1008-1",
                1,
                Reason::NoLongerWanted,
                Resolution::ReturnAndRefund,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "non_returnable",
        ),
        (
            request(
                "ord-1010",
                "ord-1010-1",
                1,
                Reason::BetterPriceFound,
                Resolution::ReturnAndRefund,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "listing_no_returns",
        ),
        (
            request(
                "ord-1003",
                "ord-1003-1",
                1,
                Reason::NotReceived,
                Resolution::RefundOnly,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_received_opens_at",
        ),
        (
            request(
                "ord-1005",
                "ord-1005-1",
                1,
                Reason::NoLongerWanted,
                Resolution::Replacement,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "resolution_not_allowed",
        ),
        (
            request(
                "ord-1005",
                "ord-1005-2",
                4,
                Reason::Defective,
                Resolution::Replacement,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "quantity_out_of_range",
        ),
        (
            request(
                "ord-1005",
                "ord-1001-1",
                1,
                Reason::Defective,
                Resolution::Replacement,
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_line",
        ),
        (
            request(
                "ord-2001",
                "ord-2001-1",
                1,
                Reason::Defective,
                Resolution::Replacement,
            ),
            StatusCode::NOT_FOUND,
            "not_found",
        ),
        (
            NewReturn {
                partial_amount_minor: Some(5900 + 499 + 1),
                ..request(
                    "ord-1005",
                    "ord-1005-1",
                    1,
                    Reason::Defective,
                    Resolution::PartialRefund,
                )
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "partial_amount_out_of_range",
        ),
        (
            NewReturn {
                description: "x".repeat(2001),
                ..request(
                    "ord-1005",
                    "ord-1005-1",
                    1,
                    Reason::Defective,
                    Resolution::Replacement,
                )
            },
            StatusCode::UNPROCESSABLE_ENTITY,
            "description_too_long",
        ),
    ];
    for (body, status, code) in cases {
        let (got_status, error) = error_of(post_json(&app, &body).await).await;
        assert_eq!(
            (got_status, error.code.as_str()),
            (status, code),
            "{body:?}: {}",
            error.message
        );
        assert!(!error.message.is_empty());
    }
    let late = request(
        "ord-1007",
        "ord-1007-1",
        1,
        Reason::NoLongerWanted,
        Resolution::ReturnAndRefund,
    );
    let (_, error) = error_of(post_json(&app, &late).await).await;
    // The 7th day ended at midnight in Madrid, where Lucía ordered (UTC+1).
    assert_eq!(
        error.message,
        "Not eligible: the change-of-mind window closed on 2026-02-25 22:59 UTC"
    );
    assert!(
        seller_cases(&app).await.is_empty(),
        "a refused request left a case behind"
    );
}

#[tokio::test]
async fn bad_input_is_a_json_error_that_names_the_field() {
    let dist = no_dist();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    let unknown_reason = json!({"order_id": "ord-1005", "lines": [], "reason": "bored", "resolution": "refund_only"});
    let (status, error) = error_of(post_json(&app, &unknown_reason).await).await;
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_body")
    );
    assert!(error.message.contains("reason"), "{}", error.message);

    let wrong_type = json!({"order_id": "ord-1005", "lines": [{"line_id": "ord-1005-1", "quantity": "two"}], "reason": "defective", "resolution": "replacement"});
    let (_, error) = error_of(post_json(&app, &wrong_type).await).await;
    assert!(error.message.contains("quantity"), "{}", error.message);

    let huge = json!({"order_id": "ord-1005", "lines": [], "reason": "defective",
        "resolution": "replacement", "description": "x".repeat(3 * 1024 * 1024)});
    let (status, error) = error_of(post_json(&app, &huge).await).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{}", error.message);

    let wrong_method = app
        .client
        .delete(app.url("/api/orders"))
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(wrong_method).await;
    assert_eq!(
        (status, error.code.as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );

    // Bodies that are not JSON at all.
    let raw = [
        (
            Some("application/json"),
            "{",
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
        let mut request = app.client.post(app.url("/api/returns")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (got, error) = error_of(request.send().await.unwrap()).await;
        assert_eq!((got, error.code.as_str()), (status, code), "{body:?}");
    }
}

#[tokio::test]
async fn app_paths_get_the_app_and_unknown_api_or_asset_paths_get_404() {
    let dist = no_dist();
    std::fs::write(
        dist.path().join("index.html"),
        "<!DOCTYPE html><title>Retour</title>",
    )
    .unwrap();
    std::fs::write(dist.path().join("retour-abc123.js"), "console.log(1)").unwrap();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    let get = |path: &str| app.client.get(app.url(path)).send();

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
    let js = get("/retour-abc123.js").await.unwrap();
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    for page in ["/", "/seller/returns"] {
        let response = get(page).await.unwrap();
        assert_eq!(response.headers()["cache-control"], "no-cache", "{page}");
    }
    let compressed = app
        .client
        .get(app.url("/"))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    let missing = get("/retour-old.wasm").await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(
        !missing.headers().contains_key("cache-control"),
        "a 404 must not be cached: {:?}",
        missing.headers().get("cache-control")
    );

    for api in [
        "/api/nope",
        "/api/returns/no-such-case",
        "/api/orders/ord-9999",
    ] {
        let (status, error) = error_of(get(api).await.unwrap()).await;
        assert_eq!(
            (status, error.code.as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{api}"
        );
    }
}

#[tokio::test]
async fn an_unbuilt_app_says_so_and_is_not_cached() {
    let dist = no_dist();
    let app = spawn_app(fixed_clock(), dist.path()).await;
    for path in ["/", "/seller/returns"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE, "{path}");
        assert!(!response.headers().contains_key("cache-control"), "{path}");
        assert!(response.text().await.unwrap().contains("cargo xtask serve"));
    }
}

#[tokio::test]
async fn cases_survive_a_restart_and_demo_data_is_seeded_once() {
    let dist = no_dist();
    let data = tempfile::tempdir().unwrap();
    let (app, pool) = serve(data.path(), fixed_clock(), dist.path().to_path_buf()).await;
    let body = request(
        "ord-1006",
        "ord-1006-1",
        1,
        Reason::Defective,
        Resolution::Replacement,
    );
    let filed: CaseView = post_json(&app, &body).await.json().await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    pool.close().await;

    let (app, pool) = serve(data.path(), fixed_clock(), dist.path().to_path_buf()).await;
    let after: CaseView = app.get_json(&format!("/api/returns/{}", filed.id)).await;
    assert_eq!(after, filed);
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(users, 5);
}
