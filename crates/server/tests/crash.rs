//! A killed process loses nothing it acknowledged: the real server binary takes writes from
//! several clients, is killed with SIGKILL mid-stream, restarts on the same data, and every
//! write it answered 201 to is there, in a database that passes SQLite's integrity check.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rules::api::{CaseDetail, Me, Queue};
use serde_json::json;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `retour-server` over `data` on a free port and waits until it answers.
async fn start(data: &Path) -> Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(env!("CARGO_BIN_EXE_retour-server"))
        .args(["--addr", &format!("127.0.0.1:{port}")])
        .arg("--data-dir")
        .arg(data)
        .arg("--dist")
        .arg(data.join("no-app"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()
        .expect("the server binary starts");
    let server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = reqwest::get(format!("{}/api/health", server.base)).await {
            if r.status().is_success() {
                return server;
            }
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A signed-in client and its CSRF token.
async fn sign_in(base: &str, email: &str, password: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let me: Me = client
        .post(format!("{base}/api/login"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (client, me.csrf_token)
}

async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    base: &str,
    path: &str,
) -> T {
    let response = client.get(format!("{base}{path}")).send().await.unwrap();
    assert!(response.status().is_success(), "GET {path}");
    response.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_write_survives_a_kill() {
    let data = tempfile::tempdir().unwrap();
    let server = start(data.path()).await;
    let (lucia, csrf) = sign_in(&server.base, "lucia@demo.retour", "lucia-demo-1").await;
    let queue: Queue = get_json(&lucia, &server.base, "/api/cases?state=negotiating").await;
    let case_id = queue.items[0].summary.id.clone();

    // Four writers post messages as fast as they are answered; each keeps what was acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for writer in 0..4 {
        let (client, csrf) = (lucia.clone(), csrf.clone());
        let url = format!("{}/api/cases/{case_id}/messages", server.base);
        let acknowledged = Arc::clone(&acknowledged);
        writers.push(tokio::spawn(async move {
            for n in 0.. {
                let body = format!("writer {writer} message {n}");
                let sent = client
                    .post(&url)
                    .header("x-csrf-token", &csrf)
                    .json(&json!({ "body": body }))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status() == reqwest::StatusCode::CREATED => {
                        acknowledged.lock().unwrap().push(body)
                    }
                    // The server is gone: stop.
                    _ => break,
                }
            }
        }));
    }
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

    let server = start(data.path()).await;
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
