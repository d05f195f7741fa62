//! `spawn_app()`: the real router on a free port of 127.0.0.1, over a fresh SQLite file.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use retour_server::{app, db, demo, AppState, Clock};
use sqlx::SqlitePool;
use tempfile::TempDir;

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    /// The temporary data directory when the app owns it: deleted on drop.
    _data: Option<TempDir>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// GETs `path` and decodes its JSON, failing the test on any error status.
    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let response = self
            .client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        assert!(
            response.status().is_success(),
            "GET {path}: {}",
            response.status()
        );
        response.json().await.expect("a JSON answer")
    }
}

/// Starts the app with demo data over a new database in a temporary directory.
pub async fn spawn_app(clock: Clock, dist: &Path) -> TestApp {
    let data = tempfile::tempdir().expect("temporary directory");
    let (app, _) = serve(data.path(), clock, dist.to_path_buf()).await;
    TestApp {
        _data: Some(data),
        ..app
    }
}

/// Starts the app over the database in `data_dir`, seeding it only when empty.
pub async fn serve(data_dir: &Path, clock: Clock, dist: PathBuf) -> (TestApp, SqlitePool) {
    let url = format!("sqlite://{}", data_dir.join("retour.db").display());
    let pool = db::connect(&url)
        .await
        .expect("database opens and migrates");
    demo::seed_if_empty(&pool, clock())
        .await
        .expect("demo data seeds");
    let state = AppState {
        pool: pool.clone(),
        policy: Arc::new(Default::default()),
        clock,
        dist,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("free port");
    let addr = listener.local_addr().expect("bound address");
    tokio::spawn(async move {
        axum::serve(listener, app(state))
            .await
            .expect("server runs")
    });
    let app = TestApp {
        addr,
        client: reqwest::Client::new(),
        _data: None,
    };
    (app, pool)
}
