//! `spawn_app()`: the real router on a free port of 127.0.0.1, over a fresh database, with a
//! clock the test moves; `Session`: one person signed in, with their own cookie jar.
//!
//! The database is a SQLite file in the test's data directory, or, when `RETOUR_TEST_POSTGRES`
//! names a PostgreSQL server (`cargo xtask test` starts one), a database of its own there: the
//! same tests run against both engines.
#![allow(dead_code)] // Each test binary uses its own share of the helpers.

pub mod process;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use reqwest::StatusCode;
use retour_server::{app, db, demo, AppState, Clock};
use rules::api::{CaseDetail, Me};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tempfile::TempDir;

/// A fixed "now" the tests start from, so dates in answers are predictable.
pub fn fixed_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
}

/// A clock the test sets and moves; the server reads it for every "now".
#[derive(Clone)]
pub struct TestClock(Arc<Mutex<DateTime<Utc>>>);

impl TestClock {
    pub fn at(now: DateTime<Utc>) -> Self {
        TestClock(Arc::new(Mutex::new(now)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.0.lock().unwrap() = now;
    }

    pub fn advance(&self, by: TimeDelta) {
        *self.0.lock().unwrap() += by;
    }

    pub fn clock(&self) -> Clock {
        let shared = Arc::clone(&self.0);
        Arc::new(move || *shared.lock().unwrap())
    }
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: TestClock,
    /// The temporary data directory when the app owns it: deleted on drop.
    _data: Option<TempDir>,
    _dist: Option<TempDir>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// How many cases have a deadline that passed by the app's clock.
    pub async fn due_cases(&self) -> i64 {
        retour_server::on_db!(
            &self.state.pool,
            "SELECT COUNT(*) FROM cases WHERE deadline_at <= ?",
            |sql, p| sqlx::query_scalar(sql)
                .bind(self.clock.now().timestamp_millis())
                .fetch_one(p)
                .await
        )
        .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A client with no session.
    pub fn anonymous(&self) -> Session {
        Session {
            client: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            base: format!("http://{}", self.addr),
            csrf: String::new(),
            me: None,
        }
    }

    /// Signs in with a demo account's email; fails the test if that does not work.
    pub async fn login(&self, email: &str) -> Session {
        let account = demo::ACCOUNTS
            .iter()
            .find(|a| a.email == email)
            .expect("a demo account");
        let mut session = self.anonymous();
        let response = session
            .post(
                "/api/login",
                &json!({"email": email, "password": account.password}),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "signing in as {email}");
        let me: Me = response.json().await.unwrap();
        session.csrf = me.csrf_token.clone();
        session.me = Some(me);
        session
    }

    pub async fn lucia(&self) -> Session {
        self.login("lucia@demo.retour").await
    }

    pub async fn wei(&self) -> Session {
        self.login("wei@demo.retour").await
    }

    /// The seller of Lin's Tea House.
    pub async fn mei(&self) -> Session {
        self.login("mei@demo.retour").await
    }

    /// The seller of Northwind Outfitters.
    pub async fn jordan(&self) -> Session {
        self.login("jordan@demo.retour").await
    }

    pub async fn amara(&self) -> Session {
        self.login("amara@demo.retour").await
    }
}

/// One person's browser: a cookie jar and the CSRF token their sign-in gave.
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
    pub me: Option<Me>,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// GETs `path` and decodes its JSON, failing the test on any error status.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> T {
        let response = self.get(path).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "GET {path}: {status} {text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("GET {path}: {e}: {text}"))
    }

    /// POSTs JSON with the session's CSRF token.
    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("x-csrf-token", &self.csrf)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Files a return under a fresh idempotency key, as the app does: when the reason needs
    /// photos and the body cites none, a photo is uploaded first and cited.
    pub async fn file(&self, body: &Value) -> reqwest::Response {
        let mut body = body.clone();
        let needs_photos = serde_json::from_value::<rules::Reason>(body["reason"].clone())
            .is_ok_and(|r| r.photos_required());
        if needs_photos && body.get("evidence").is_none() {
            // Only a buyer may upload: anyone else's filing fails on its own.
            let response = self
                .upload_unfiled("damage.png", sample_photo([120, 60, 30]))
                .await;
            if response.status() == StatusCode::CREATED {
                let uploaded: Value = response.json().await.unwrap();
                body["evidence"] = json!([uploaded["id"]]);
            }
        }
        self.file_with_key(&body, &uuid()).await
    }

    /// Uploads `bytes` as a photo for a filing to cite.
    pub async fn upload_unfiled(&self, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        self.client
            .post(self.url("/api/evidence"))
            .header("x-csrf-token", &self.csrf)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    /// Uploads a sample photo for a filing to cite; its id.
    pub async fn unfiled_photo(&self) -> String {
        let bytes = sample_photo([120, 60, 30]);
        let response = self.upload_unfiled("damage.png", bytes).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "photo before filing: {body}");
        body["id"].as_str().expect("an evidence id").to_owned()
    }

    pub async fn file_with_key(&self, body: &Value, key: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/cases"))
            .header("x-csrf-token", &self.csrf)
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Files a return that must succeed.
    pub async fn file_ok(&self, body: &Value) -> CaseDetail {
        let response = self.file(body).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "filing: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Files a return of one item of the order's first line; must succeed.
    pub async fn file_line(&self, order: &str, reason: &str, resolution: &str) -> CaseDetail {
        self.file_ok(&filing(order, &format!("{order}-1"), 1, reason, resolution))
            .await
    }

    /// Uploads `bytes` as the multipart `file` of a case's evidence.
    pub async fn upload(&self, case_id: &str, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned());
        self.client
            .post(self.url(&format!("/api/cases/{case_id}/evidence")))
            .header("x-csrf-token", &self.csrf)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap()
    }

    /// Adds photos to the case until it holds as many as a case may; the case afterwards.
    pub async fn fill_with_photos(&self, case: &CaseDetail) -> CaseDetail {
        let id = &case.summary.id;
        for i in case.evidence.len()..retour_server::photos::MAX_PER_CASE as usize {
            let bytes = sample_photo([10 * i as u8, 200, 90]);
            let response = self.upload(id, "more.png", bytes).await;
            assert_eq!(response.status(), StatusCode::CREATED, "photo {i}");
        }
        self.case(id).await
    }

    /// Takes an action on the case at the version given; must succeed.
    pub async fn act(&self, case: &CaseDetail, action: &str, fields: Value) -> CaseDetail {
        let (status, body) = self
            .try_act(&case.summary.id, case.version, action, fields)
            .await;
        assert_eq!(status, StatusCode::OK, "{action}: {body}");
        serde_json::from_value(body).unwrap()
    }

    /// Takes an action and returns the status and JSON answer, whatever they are.
    pub async fn try_act(
        &self,
        case_id: &str,
        version: u32,
        action: &str,
        mut fields: Value,
    ) -> (StatusCode, Value) {
        fields["version"] = json!(version);
        let response = self
            .post(&format!("/api/cases/{case_id}/{action}"), &fields)
            .await;
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    pub async fn case(&self, id: &str) -> CaseDetail {
        self.get_json(&format!("/api/cases/{id}")).await
    }
}

/// A small real photo (PNG), tinted so different tints hash differently.
pub fn sample_photo(tint: [u8; 3]) -> Vec<u8> {
    retour_server::photos::sample(64, 48, tint, image::ImageFormat::Png)
}

pub fn uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A filing body for one line.
pub fn filing(order: &str, line: &str, quantity: u32, reason: &str, resolution: &str) -> Value {
    json!({
        "order_id": order,
        "lines": [{"line_id": line, "quantity": quantity}],
        "reason": reason,
        "resolution": resolution,
    })
}

/// The `{code, message, details}` of an error answer, with its status.
pub async fn error_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body: Value = response.json().await.expect("errors are JSON");
    assert!(
        body["code"].is_string() && body["message"].is_string(),
        "{body}"
    );
    (status, body)
}

/// Starts the app with demo data over a new database in a temporary directory, at `now`.
pub async fn spawn_app_at(now: DateTime<Utc>) -> TestApp {
    let data = tempfile::tempdir().expect("temporary directory");
    let dist = tempfile::tempdir().expect("temporary directory");
    let mut app = serve(data.path(), TestClock::at(now), dist.path().to_path_buf()).await;
    app._data = Some(data);
    app._dist = Some(dist);
    app
}

/// Starts the app serving the built app in `dist`, on the real time of day (a browser judges
/// eligibility with its own clock).
pub async fn spawn_app_serving(dist: &Path) -> TestApp {
    spawn_app_serving_with(dist, |_| {}).await
}

/// [`spawn_app_serving`] with settings changed by `configure`.
pub async fn spawn_app_serving_with(dist: &Path, configure: impl FnOnce(&mut AppState)) -> TestApp {
    let data = tempfile::tempdir().expect("temporary directory");
    let clock = TestClock::at(Utc::now());
    let mut state = seeded_state(data.path(), &clock, dist.to_path_buf()).await;
    // As the demo does: the carrier command's default account may report parcels.
    let (account, secret) = retour_server::carrier::DEMO_ACCOUNT;
    state.carrier_secrets = std::sync::Arc::new(std::collections::HashMap::from([(
        account.to_owned(),
        secret.as_bytes().to_vec(),
    )]));
    configure(&mut state);
    let mut app = start(state, clock).await;
    app._data = Some(data);
    app
}

/// Starts the app at the tests' fixed "now", with settings changed by `configure`.
pub async fn spawn_app_with(configure: impl FnOnce(&mut AppState)) -> TestApp {
    let data = tempfile::tempdir().expect("temporary directory");
    let dist = tempfile::tempdir().expect("temporary directory");
    let clock = TestClock::at(fixed_now());
    let mut state = seeded_state(data.path(), &clock, dist.path().to_path_buf()).await;
    configure(&mut state);
    let mut app = start(state, clock).await;
    app._data = Some(data);
    app._dist = Some(dist);
    app
}

/// Starts the app at the tests' fixed "now".
pub async fn spawn_app() -> TestApp {
    spawn_app_at(fixed_now()).await
}

/// Starts the app over the database in `data_dir`, seeding it only when empty.
pub async fn serve(data_dir: &Path, clock: TestClock, dist: PathBuf) -> TestApp {
    let state = seeded_state(data_dir, &clock, dist).await;
    start(state, clock).await
}

/// The database of the test whose files are in `data_dir`: its SQLite file, or a PostgreSQL
/// database named after the directory, created on first use (so a server started again over the
/// same directory finds the same data).
pub async fn database_url(data_dir: &Path) -> String {
    let Ok(server) = std::env::var("RETOUR_TEST_POSTGRES") else {
        return format!("sqlite://{}", data_dir.join("retour.db").display());
    };
    let name = format!(
        "t_{}",
        &retour_server::digest::sha256_hex(data_dir.to_string_lossy().as_bytes())[..24]
    );
    let admin = sqlx::PgPool::connect(&server)
        .await
        .expect("the PostgreSQL server of RETOUR_TEST_POSTGRES answers");
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&admin)
            .await
            .unwrap();
    if !exists {
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("a database for the test");
    }
    admin.close().await;
    let (base, _) = server.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{base}/{name}")
}

/// The state over the database in `data_dir`, seeded only when empty.
async fn seeded_state(data_dir: &Path, clock: &TestClock, dist: PathBuf) -> AppState {
    let url = database_url(data_dir).await;
    let pool = db::connect(&url)
        .await
        .expect("database opens and migrates");
    let mut state = AppState::new(pool, clock.clock(), dist, data_dir.to_path_buf());
    state
        .share_live_updates()
        .await
        .expect("live updates through the database");
    demo::seed_if_empty(&state.pool, &state.photos, clock.now(), &state.policies)
        .await
        .expect("demo data seeds");
    state
}

/// Serves `state` on a free port.
pub async fn start(state: AppState, clock: TestClock) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("free port");
    let addr = listener.local_addr().expect("bound address");
    let service = app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server =
        tokio::spawn(async move { axum::serve(listener, service).await.expect("server runs") });
    TestApp {
        addr,
        state,
        clock,
        _data: None,
        _dist: None,
        server,
    }
}
