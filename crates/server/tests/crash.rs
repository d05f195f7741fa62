//! A killed process loses nothing it acknowledged: the real server binary takes writes from
//! several clients, is killed with SIGKILL mid-stream, restarts on the same data, and every
//! write it answered 201 to is there, in a database that passes SQLite's integrity check.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::process::{get_json, sign_in, start, writer};
use rules::api::{CaseDetail, Queue};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_a_kill() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path(), &[]).await;
    let (lucia, csrf) = sign_in(&server.base, "lucia@demo.retour", "lucia-demo-1").await;
    let queue: Queue = get_json(&lucia, &server.base, "/api/cases?state=negotiating").await;
    let case_id = queue.items[0].summary.id.clone();

    // Four writers post messages as fast as they are answered; each keeps what was acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let never = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = ["writer 0", "writer 1", "writer 2", "writer 3"]
        .into_iter()
        .map(|label| {
            writer(
                lucia.clone(),
                csrf.clone(),
                format!("{}/api/cases/{case_id}/messages", server.base),
                label,
                Arc::clone(&acknowledged),
                Arc::clone(&never),
            )
        })
        .collect();
    // Let them write for a while, then kill the process without warning.
    let deadline = Instant::now() + Duration::from_secs(20);
    while acknowledged.lock().unwrap().len() < 200 {
        assert!(Instant::now() < deadline, "the writers are too slow");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(server); // SIGKILL
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let server = start(data.path(), &[]).await;
    let (lucia, _) = sign_in(&server.base, "lucia@demo.retour", "lucia-demo-1").await;
    let case: CaseDetail = get_json(&lucia, &server.base, &format!("/api/cases/{case_id}")).await;
    let kept: std::collections::HashSet<_> = case.messages.iter().map(|m| &m.body).collect();
    let lost: Vec<_> = acknowledged.iter().filter(|b| !kept.contains(b)).collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged writes lost: {lost:?}",
        lost.len()
    );
    drop(server);

    let url = format!("sqlite://{}", data.path().join("retour.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    // SQLite's own check of the file: a question for that engine only.
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    println!("{} acknowledged writes, all kept", acknowledged.len());
}
