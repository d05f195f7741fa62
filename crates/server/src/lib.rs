//! Retour's server: the one authority over cases. It serves the JSON API under `/api` and the
//! built app for every other path. It never writes a case state that the rules crate did not
//! produce: every change goes through `rules::file`, `rules::apply` or `rules::advance`.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod live;
pub mod openapi;
pub mod photos;
pub mod spa;
pub mod store;
pub mod sweeper;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::Router;
use chrono::{DateTime, TimeDelta, Utc};
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
    /// Where evidence files are stored.
    pub data_dir: PathBuf,
    /// Case changes, for the live streams.
    pub live: live::Hub,
    pub limiter: Arc<Mutex<auth::LoginLimiter>>,
    /// How long a session lasts after signing in.
    pub session_ttl: TimeDelta,
    /// Mark the session cookie `Secure` (served over HTTPS).
    pub secure_cookies: bool,
}

impl AppState {
    /// The state for a database and data directory, with the default policy and settings.
    pub fn new(pool: SqlitePool, clock: Clock, dist: PathBuf, data_dir: PathBuf) -> Self {
        AppState {
            pool,
            policy: Arc::new(Policy::default()),
            clock,
            dist,
            data_dir,
            live: live::Hub::default(),
            limiter: Arc::default(),
            session_ttl: TimeDelta::days(7),
            secure_cookies: false,
        }
    }

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
