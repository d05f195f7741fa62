//! Integrity under concurrency and hostile input: what a storm of requests or a crafted file
//! must never achieve. Each test failed on the server before the defences it checks.

mod common;

use retour_server::on_db;
use std::time::Duration;

use chrono::TimeDelta;
use common::{error_of, filing, sample_photo, spawn_app, spawn_app_with, uuid, Session, TestApp};
use image::ImageFormat;
use reqwest::StatusCode;
use retour_server::photos;
use rules::api::CaseDetail;
use serde_json::{json, Value};

/// Every file under the data directory's `evidence/`, as paths relative to it.
fn evidence_files(app: &TestApp) -> Vec<String> {
    let root = app.state.data_dir.join("evidence");
    let mut found = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                found.push(path.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// The files the evidence table points at.
async fn referenced_files(app: &TestApp) -> Vec<String> {
    let hashes: Vec<String> = on_db!(
        &app.state.pool,
        "SELECT DISTINCT sha256 FROM evidence",
        |sql, p| sqlx::query_scalar(sql).fetch_all(p).await
    )
    .unwrap();
    let mut files: Vec<String> = hashes.iter().map(|h| format!("{}/{h}", &h[..2])).collect();
    files.sort();
    files
}

/// The silk scarf of ord-1011: one item, delivered yesterday; a change of mind needs no photo.
fn scarf_returned() -> Value {
    filing(
        "ord-1011",
        "ord-1011-1",
        1,
        "no_longer_wanted",
        "return_and_refund",
    )
}

/// Twenty filings of the same scarf at once, each under a key of its own: the cases made, and
/// each refusal's status and body.
async fn twenty_filings_of_the_scarf_at_once(
    lucia: &Session,
) -> (Vec<CaseDetail>, Vec<(StatusCode, Value)>) {
    let body = scarf_returned();
    let keys: Vec<String> = (0..20).map(|_| uuid()).collect();
    let answers =
        futures_util::future::join_all(keys.iter().map(|key| lucia.file_with_key(&body, key)))
            .await;
    let (mut created, mut refused) = (Vec::new(), Vec::new());
    for response in answers {
        match response.status() {
            StatusCode::CREATED => created.push(response.json::<CaseDetail>().await.unwrap()),
            _ => refused.push(error_of(response).await),
        }
    }
    (created, refused)
}

#[tokio::test]
async fn twenty_simultaneous_filings_for_one_item_make_one_case() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let (created, conflicts) = twenty_filings_of_the_scarf_at_once(&lucia).await;
    assert_eq!(created.len(), 1, "exactly one filing wins: {conflicts:?}");
    let winner = &created[0].summary.id;
    assert_eq!(conflicts.len(), 19);
    for (status, error) in &conflicts {
        assert_eq!(
            (*status, error["code"].as_str()),
            (StatusCode::CONFLICT, Some("case_exists"))
        );
        assert_eq!(
            error["details"]["case_id"],
            json!(winner),
            "names the winner"
        );
    }
    let stored: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM cases WHERE order_id = 'ord-1011'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    assert_eq!(stored, 1);
}

#[tokio::test]
async fn a_key_reused_with_another_body_is_refused_and_system_keys_are_not_for_clients() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let body = scarf_returned();
    let first = lucia.file_with_key(&body, "form-7").await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: CaseDetail = first.json().await.unwrap();
    let mut other = body.clone();
    other["description"] = json!("Another request under the same key");
    let (status, error) = error_of(lucia.file_with_key(&other, "form-7").await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("idempotency_key_reused")
        )
    );
    // The same body again is a retry: the case it filed.
    let again = lucia.file_with_key(&body, "form-7").await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        again.json::<CaseDetail>().await.unwrap().summary.id,
        first.summary.id
    );

    // The group buy waiting for its group: a client key shaped like the system's refund key
    // is refused, so the clock's refund cannot be blocked.
    let group = filing(
        "ord-1002",
        "ord-1002-1",
        1,
        "ordered_by_mistake",
        "refund_only",
    );
    for key in ["system:group-buy-refund:ord-1002", "SYSTEM:x"] {
        let (status, error) = error_of(lucia.file_with_key(&group, key).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some("idempotency_key_reserved")),
            "{key}"
        );
    }
}

#[tokio::test]
async fn a_claim_that_needs_photos_is_not_filed_without_one_of_the_buyers_own() {
    let app = spawn_app().await;
    let (lucia, wei) = (app.lucia().await, app.wei().await);
    let mut body = filing("ord-1006", "ord-1006-1", 1, "defective", "replacement");
    let (status, error) = error_of(lucia.file_with_key(&body, &uuid()).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("photos_required"))
    );
    // Somebody else's upload is not evidence of this claim.
    body["evidence"] = json!([wei.unfiled_photo().await]);
    let (status, error) = error_of(lucia.file_with_key(&body, &uuid()).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown_evidence"))
    );
    let cases: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM cases WHERE order_id = 'ord-1006'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    assert_eq!(
        cases, 0,
        "nothing was filed, and the seller's clock never started"
    );

    let photo = lucia.unfiled_photo().await;
    body["evidence"] = json!([photo]);
    let response = lucia.file_with_key(&body, &uuid()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let case: CaseDetail = response.json().await.unwrap();
    assert_eq!(case.evidence.len(), 1);
    assert_eq!(case.evidence[0].id, photo);
    let proposal = case.case.proposals.buyer.expect("the buyer's proposal");
    assert_eq!(proposal.evidence, vec![photo]);
}

/// A JPEG with an EXIF block holding a GPS position, as a phone writes it.
fn jpeg_with_gps() -> Vec<u8> {
    let jpeg = photos::sample(120, 90, [30, 90, 150], ImageFormat::Jpeg);
    let payload = b"Exif\0\0GPSLatitude=48.8584;GPSLongitude=2.2945";
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend(&jpeg[2..]);
    out
}

async fn upload_error(session: &Session, case_id: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    error_of(session.upload(case_id, "photo", bytes).await).await
}

#[tokio::test]
async fn hostile_files_are_refused_before_they_cost_anything_and_leave_nothing_on_disk() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let case = lucia
        .file_line("ord-1006", "defective", "replacement")
        .await;
    let id = case.summary.id.clone();

    // 16384 × 10922 pixels in a few dozen bytes: refused from the header.
    let bomb = photos::pixel_bomb(16_384, 10_922);
    assert!(bomb.len() < 100);
    let (status, error) = upload_error(&lucia, &id, bomb.clone()).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("photo_too_many_pixels")
        )
    );
    // Before filing too.
    let (status, error) = error_of(lucia.upload_unfiled("bomb.png", bomb).await).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("photo_too_many_pixels")
        )
    );

    // A JPEG cut in half with an end marker glued on: decoded whole, so refused.
    let jpeg = photos::sample(320, 240, [200, 120, 40], ImageFormat::Jpeg);
    let mut glued = jpeg[..jpeg.len() / 2].to_vec();
    glued.extend([0xFF, 0xD9]);
    let (_, error) = upload_error(&lucia, &id, glued).await;
    assert_eq!(error["code"], "photo_damaged");

    // A body that is not multipart answers our JSON error.
    let plain = lucia
        .client
        .post(lucia.url(&format!("/api/cases/{id}/evidence")))
        .header("x-csrf-token", &lucia.csrf)
        .header("content-type", "text/plain")
        .body("not a form")
        .send()
        .await
        .unwrap();
    let (status, error) = error_of(plain).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Some("multipart_expected")
        )
    );

    // Fill the case to its limit, then one more: refused before its body is read, and nothing
    // of it is kept.
    lucia.fill_with_photos(&case).await;
    let (_, error) = upload_error(&lucia, &id, sample_photo([1, 2, 3])).await;
    assert_eq!(error["code"], "too_many_photos");

    assert_eq!(
        evidence_files(&app),
        referenced_files(&app).await,
        "every file on disk is evidence, and nothing waits half-way"
    );
}

#[tokio::test]
async fn a_photos_metadata_and_gps_position_are_not_kept() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let response = lucia.upload_unfiled("holiday.jpg", jpeg_with_gps()).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let evidence: Value = response.json().await.unwrap();
    let stored = lucia.get(evidence["url"].as_str().unwrap()).await;
    assert_eq!(stored.status(), StatusCode::OK);
    let bytes = stored.bytes().await.unwrap();
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!has(b"Exif"), "the EXIF block is gone");
    assert!(!has(b"GPSLatitude"), "the position is gone");
    // Still the same picture, and the hash is of what is kept.
    let kept = image::load_from_memory(&bytes).expect("still a photo");
    assert_eq!((kept.width(), kept.height()), (120, 90));
    assert_eq!(
        evidence["sha256"],
        retour_server::digest::sha256_hex(&bytes)
    );
}

#[tokio::test]
async fn a_hundred_wrong_passwords_at_once_check_only_the_allowed_five() {
    let app = spawn_app().await;
    let session = app.anonymous();
    let answers = futures_util::future::join_all((0..100).map(|_| {
        session
            .client
            .post(app.url("/api/login"))
            .json(&json!({"email": "mei@demo.retour", "password": "guess"}))
            .send()
    }))
    .await;
    let mut wrong = 0;
    let mut waiting = 0;
    for response in answers {
        match response.unwrap().status() {
            StatusCode::UNAUTHORIZED => wrong += 1,
            StatusCode::TOO_MANY_REQUESTS => waiting += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((wrong, waiting), (5, 95));
    // The right password is refused too until the window passes: the account is protected.
    let right = session
        .post(
            "/api/login",
            &json!({"email": "mei@demo.retour", "password": "mei-demo-1"}),
        )
        .await;
    assert_eq!(right.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Reads the stream until it ends; `false` if it is still open after `within`.
async fn ends_within(mut response: reqwest::Response, within: Duration) -> bool {
    tokio::time::timeout(within, async {
        while let Ok(Some(_)) = response.chunk().await {}
    })
    .await
    .is_ok()
}

#[tokio::test]
async fn a_live_stream_ends_when_its_session_signs_out_or_expires() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let case_stream = lucia.get("/api/cases/case-3001/live").await;
    let queue_stream = lucia.get("/api/live").await;
    assert_eq!(case_stream.status(), StatusCode::OK);
    // Another session of the same person stays open.
    let other = app.lucia().await;
    let other_stream = other.get("/api/live").await;
    let out = lucia.post("/api/logout", &json!({})).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert!(ends_within(case_stream, Duration::from_secs(5)).await);
    assert!(ends_within(queue_stream, Duration::from_secs(5)).await);
    assert!(!ends_within(other_stream, Duration::from_millis(500)).await);

    let app = spawn_app_with(|state| state.session_ttl = TimeDelta::seconds(1)).await;
    let short = app.lucia().await;
    let stream = short.get("/api/live").await;
    assert_eq!(stream.status(), StatusCode::OK);
    assert!(
        ends_within(stream, Duration::from_secs(5)).await,
        "closed when the session expired"
    );
}

#[tokio::test]
async fn the_sweeper_skips_a_broken_case_and_carries_out_the_rest() {
    let app = spawn_app().await;
    app.clock.advance(TimeDelta::days(40));
    let due = app.due_cases().await;
    assert!(due >= 3, "the demo has several cases due");
    // case-3001 sorts among the first of the pass: before the fix, every case after it stalled.
    let saved: String = on_db!(
        &app.state.pool,
        "SELECT document FROM cases WHERE id = 'case-3001'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    on_db!(
        &app.state.pool,
        "UPDATE cases SET document = '{\"broken\": true}' WHERE id = 'case-3001'",
        |sql, p| sqlx::query(sql).execute(p).await.map(|r| r.rows_affected())
    )
    .unwrap();
    let swept = retour_server::sweeper::sweep(&app.state)
        .await
        .expect("one broken case does not fail the pass");
    assert_eq!(swept.failed, 1);
    assert_eq!(swept.advanced as i64, due - 1);
    // Mended, it is carried out at the next pass, once.
    on_db!(
        &app.state.pool,
        "UPDATE cases SET document = ? WHERE id = 'case-3001'",
        |sql, p| sqlx::query(sql)
            .bind(saved)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )
    .unwrap();
    let swept = retour_server::sweeper::sweep(&app.state).await.unwrap();
    assert_eq!((swept.advanced, swept.failed), (1, 0));
}

#[tokio::test]
async fn unfiled_photos_are_removed_after_a_day_with_their_files() {
    let app = spawn_app().await;
    let lucia = app.lucia().await;
    let bytes = sample_photo([77, 88, 99]);
    let response = lucia.upload_unfiled("never-filed.png", bytes).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let sha = retour_server::digest::sha256_hex(&sample_photo([77, 88, 99]));
    assert!(photos::path(&app.state.data_dir, &sha).exists());
    app.clock.advance(TimeDelta::hours(25));
    let swept = retour_server::sweeper::sweep(&app.state).await.unwrap();
    assert_eq!(swept.unfiled_photos_removed, 1);
    assert!(!photos::path(&app.state.data_dir, &sha).exists());
    assert_eq!(evidence_files(&app), referenced_files(&app).await);
}

/// Cases carry short numbers in filing order: the demo's `case-3001` is 3001, a new case takes
/// the next one, and filings refused in a race give theirs back, so the numbers have no gaps.
#[tokio::test]
async fn cases_are_numbered_in_filing_order_and_a_refused_filing_takes_no_number() {
    let app = spawn_app().await;
    let number_of = |id: &'static str| {
        let pool = app.state.pool.clone();
        async move {
            let n: i64 = on_db!(&pool, "SELECT number FROM cases WHERE id = ?", |sql, p| {
                sqlx::query_scalar(sql).bind(id).fetch_one(p).await
            })
            .unwrap();
            n
        }
    };
    assert_eq!(number_of("case-3001").await, 3001);
    assert_eq!(number_of("case-3011").await, 3011);
    let highest: i64 = on_db!(
        &app.state.pool,
        "SELECT MAX(number) FROM cases",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    let lucia = app.lucia().await;
    let (winners, _) = twenty_filings_of_the_scarf_at_once(&lucia).await;
    assert_eq!(winners.len(), 1);
    assert_eq!(winners[0].summary.number as i64, highest + 1);
    let next = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    assert_eq!(
        next.summary.number as i64,
        highest + 2,
        "no number was lost"
    );
    // The seller finds it by its number.
    let jordan = app.jordan().await;
    let found: rules::api::Queue = jordan
        .get_json(&format!("/api/cases?q={}", next.summary.number))
        .await;
    assert!(found.items.iter().any(|i| i.summary.id == next.summary.id));
}
