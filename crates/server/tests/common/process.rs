//! The real `retour-server` binary as a child process, for tests that kill it or run several.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use rules::api::Me;
use serde_json::json;

/// A running server; killed (SIGKILL) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `retour-server` over `data` on a free port, with `args` besides, and waits until it
/// answers.
pub async fn start(data: &Path, args: &[&str]) -> Server {
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
        .args(args)
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
pub async fn sign_in(base: &str, email: &str, password: &str) -> (reqwest::Client, String) {
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

pub async fn get_json<T: serde::de::DeserializeOwned>(
    client: &reqwest::Client,
    base: &str,
    path: &str,
) -> T {
    let response = client.get(format!("{base}{path}")).send().await.unwrap();
    assert!(response.status().is_success(), "GET {path}");
    response.json().await.unwrap()
}

/// Posts messages to the case through `base` until told to stop or the server is gone; what
/// was acknowledged goes into `acknowledged`.
pub fn writer(
    client: reqwest::Client,
    csrf: String,
    url: String,
    label: &'static str,
    acknowledged: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        for n in 0.. {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let body = format!("{label} message {n}");
            let sent = client
                .post(&url)
                .header("x-csrf-token", &csrf)
                .json(&json!({ "body": body }))
                .send()
                .await;
            match sent {
                Ok(r) if r.status() == StatusCode::CREATED => {
                    acknowledged.lock().unwrap().push(body)
                }
                _ => break,
            }
        }
    })
}
