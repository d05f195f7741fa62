//! Several stateless instances on one PostgreSQL database behave as one: two real server
//! processes, the buyer on one and the seller on the other. A counter-offer reaches the buyer's
//! screen live across them; a photo uploaded through one is read through the other; with the
//! clock moved past the deadlines and both sweepers running, each deadline is carried out once;
//! one instance killed with SIGKILL under write load while the other keeps answering loses no
//! acknowledged write. (SQLite is one machine's database: this runs when `RETOUR_TEST_POSTGRES`
//! names a server, as under `cargo xtask test`.)

mod common;

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::process::{get_json, sign_in, start, writer};
use image::ImageFormat;
use reqwest::StatusCode;
use rules::api::{CaseDetail, EvidenceView};
use serde_json::{json, Value};

/// The data of the next event named `name` on an open event stream.
async fn next_event(stream: &mut reqwest::Response, buffer: &mut String, name: &str) -> Value {
    let wait = async {
        loop {
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                let field = |key: &str| {
                    block
                        .lines()
                        .find_map(|l| l.strip_prefix(key).map(str::trim).map(str::to_owned))
                };
                if field("event:").as_deref() == Some(name) {
                    return serde_json::from_str(&field("data:").unwrap_or_default()).unwrap();
                }
            }
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| panic!("no {name} event within 10 s"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_behave_as_one() {
    if std::env::var("RETOUR_TEST_POSTGRES").is_err() {
        println!("PostgreSQL only: set RETOUR_TEST_POSTGRES (cargo xtask test does)");
        return;
    }
    let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let url = common::database_url(here.path()).await;
    let clock = here.path().join("clock-offset");
    let clock = clock.to_str().unwrap();
    let args = [
        "--database-url",
        &url,
        "--photos",
        "database",
        "--sweep-seconds",
        "1",
        "--clock-offset-file",
        clock,
    ];
    // The first seeds the demo; the second finds it there.
    let one = start(here.path(), &args).await;
    let other = start(there.path(), &args).await;

    // A counter-offer made on the other instance reaches the buyer's screen on this one.
    let (lucia, lucia_csrf) = sign_in(&one.base, "lucia@demo.retour", "lucia-demo-1").await;
    let (mei, mei_csrf) = sign_in(&other.base, "mei@demo.retour", "mei-demo-1").await;
    let mut screen = lucia
        .get(format!("{}/api/cases/case-3001/live", one.base))
        .send()
        .await
        .unwrap();
    let mut buffer = String::new();
    next_event(&mut screen, &mut buffer, "ready").await;
    let case: CaseDetail = get_json(&mei, &other.base, "/api/cases/case-3001").await;
    let countered = mei
        .post(format!("{}/api/cases/case-3001/propose", other.base))
        .header("x-csrf-token", &mei_csrf)
        .json(
            &json!({"version": case.version, "resolution": "partial_refund",
                      "partial_amount_minor": 2000}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(countered.status(), StatusCode::OK);
    let heard = next_event(&mut screen, &mut buffer, "case").await;
    assert_eq!(heard["version"], json!(case.version + 1));
    drop(screen);

    // A photo uploaded through this instance is read through the other.
    let photo = retour_server::photos::sample(96, 64, [90, 30, 160], ImageFormat::Png);
    let part = reqwest::multipart::Part::bytes(photo.clone()).file_name("scratch.png");
    let uploaded: EvidenceView = lucia
        .post(format!("{}/api/cases/case-3001/evidence", one.base))
        .header("x-csrf-token", &lucia_csrf)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let read = mei
        .get(format!("{}{}", other.base, uploaded.url))
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.bytes().await.unwrap().as_ref(), photo.as_slice());

    // Forty days later, both sweepers running: every passed deadline carried out, each once.
    let database = sqlx::PgPool::connect(&url).await.unwrap();
    let offset = chrono::TimeDelta::days(40);
    std::fs::write(
        here.path().join("clock-offset"),
        offset.num_seconds().to_string(),
    )
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let now = (chrono::Utc::now() + offset).timestamp_millis();
        let due: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases WHERE deadline_at <= $1")
            .bind(now)
            .fetch_one(&database)
            .await
            .unwrap();
        if due == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{due} deadlines still not carried out"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let twice: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT case_id, body, COUNT(*) FROM case_events WHERE actor = 'system' \
         GROUP BY case_id, body HAVING COUNT(*) > 1",
    )
    .fetch_all(&database)
    .await
    .unwrap();
    assert!(twice.is_empty(), "carried out twice: {twice:?}");
    let by_clock: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE actor = 'system'")
            .fetch_one(&database)
            .await
            .unwrap();
    assert!(by_clock > 0, "the clock acted");

    // Write load on both; this instance is killed mid-stream, the other keeps answering. The
    // clock back to today, the buyer opens a case to write on.
    std::fs::write(here.path().join("clock-offset"), "0").unwrap();
    let (lucia_there, csrf_there) = sign_in(&other.base, "lucia@demo.retour", "lucia-demo-1").await;
    let filed = lucia_there
        .post(format!("{}/api/cases", other.base))
        .header("x-csrf-token", &csrf_there)
        .header("idempotency-key", "two-instances-1")
        .json(
            &json!({"order_id": "ord-1005", "lines": [{"line_id": "ord-1005-1", "quantity": 1}],
                      "reason": "no_longer_wanted", "resolution": "return_and_refund"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::CREATED);
    let case_id = filed.json::<CaseDetail>().await.unwrap().summary.id;
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for (client, csrf, base, labels) in [
        (&lucia, &lucia_csrf, &one.base, ["here 0", "here 1"]),
        (
            &lucia_there,
            &csrf_there,
            &other.base,
            ["there 0", "there 1"],
        ),
    ] {
        for label in labels {
            writers.push(writer(
                client.clone(),
                csrf.clone(),
                format!("{base}/api/cases/{case_id}/messages"),
                label,
                Arc::clone(&acknowledged),
                Arc::clone(&stop),
            ));
        }
    }
    let written = || acknowledged.lock().unwrap().len();
    let deadline = Instant::now() + Duration::from_secs(30);
    while written() < 100 {
        assert!(Instant::now() < deadline, "the writers are too slow");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(one); // SIGKILL
    let at_kill = written();
    let deadline = Instant::now() + Duration::from_secs(30);
    while written() < at_kill + 50 {
        assert!(
            Instant::now() < deadline,
            "the other instance stopped answering"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    let case: CaseDetail =
        get_json(&lucia_there, &other.base, &format!("/api/cases/{case_id}")).await;
    let kept: std::collections::HashSet<_> = case.messages.iter().map(|m| &m.body).collect();
    let lost: Vec<_> = acknowledged.iter().filter(|b| !kept.contains(b)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost: {lost:?}",
        lost.len()
    );
    println!(
        "{} acknowledged writes across two instances, one killed: all kept",
        acknowledged.len()
    );
}
