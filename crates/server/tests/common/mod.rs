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
    /// Kept so the database outlives the test's requests; deleted on drop.
    _data: TempDir,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

/// Starts the app with demo data over a new database in a temporary directory.
pub async fn spawn_app(clock: Clock, dist: &Path) -> TestApp {
    let data = tempfile::tempdir().expect("temporary directory");
    let (addr, _) = serve(data.path(), clock, dist.to_path_buf()).await;
    TestApp {
        addr,
        client: reqwest::Client::new(),
        _data: data,
    }
}

/// Starts the app over the database in `data_dir`, seeding it only when empty.
pub async fn serve(data_dir: &Path, clock: Clock, dist: PathBuf) -> (SocketAddr, SqlitePool) {
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
    (addr, pool)
}
