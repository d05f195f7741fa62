//! What the benches share: the demo data in a real SQLite file, and the real router on a free
//! port of 127.0.0.1.
#![allow(dead_code)] // Each bench uses its own share.

use std::path::Path;

use retour_server::{app, db, demo, system_clock, AppState};

/// The server's state over a new database in `data`, seeded with the demo data.
pub async fn demo_state(data: &Path) -> AppState {
    demo_state_serving(data, data.join("dist")).await
}

/// The same, serving the app built in `dist`.
pub async fn demo_state_serving(data: &Path, dist: std::path::PathBuf) -> AppState {
    let url = format!("sqlite://{}", data.join("bench.db").display());
    let pool = db::connect(&url).await.expect("the database");
    let state = AppState::new(pool, system_clock(), dist, data.to_path_buf());
    demo::seed_if_empty(&state.pool, &state.photos, state.now(), &state.policies)
        .await
        .expect("the demo data");
    state
}

/// Serves `state` on a free port; its base URL.
pub async fn serve(state: AppState) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
    base
}
