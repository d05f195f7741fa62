//! Retour's server: the one authority over cases. It serves the JSON API under `/api` and the
//! built app for every other path.

pub mod api;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod spa;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use chrono::{DateTime, Utc};
use rules::Policy;
use sqlx::SqlitePool;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Where "now" comes from: the system clock in production, a fixed or moving one in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    pub policy: Arc<Policy>,
    pub clock: Clock,
    /// Trunk's output directory.
    pub dist: PathBuf,
}

impl AppState {
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

/// The whole application, so tests drive the same router as production.
pub fn app(state: AppState) -> Router {
    let spa = spa::service(&state.dist);
    Router::new()
        .nest("/api", api::router())
        .fallback_service(spa)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
