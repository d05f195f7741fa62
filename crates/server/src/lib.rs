//! Retour's server: the one authority over cases. It serves the JSON API under `/api` and the
//! built app for every other path. It never writes a case state that the rules crate did not
//! produce: every change goes through `rules::file`, `rules::apply` or `rules::advance`.

// First, so its query macros are in scope in every module after it.
#[macro_use]
pub mod db;
pub mod api;
pub mod auth;
pub mod carrier;
pub mod config;
pub mod demo;
pub mod digest;
pub mod error;
pub mod extract;
pub mod live;
pub mod mail;
pub mod openapi;
pub mod photos;
pub mod security;
pub mod spa;
pub mod store;
pub mod sweeper;
pub mod words;
pub mod workflow;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use crate::db::Db;
use axum::Router;
use chrono::{DateTime, TimeDelta, Utc};
use rules::api::OrderView;
use rules::{LineSelection, Money, OrderPolicy, Policy, PolicySet};
use tokio::sync::{Semaphore, SemaphorePermit};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

/// Where "now" comes from: the system clock in production, a fixed or moving one in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The system clock moved forward by the whole seconds written in `file` (none while it is
/// missing or unreadable), read at each use: how the tests move the clock of running server
/// processes past a deadline.
pub fn offset_clock(file: PathBuf) -> Clock {
    Arc::new(move || {
        let seconds = std::fs::read_to_string(&file)
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(0);
        Utc::now() + TimeDelta::seconds(seconds)
    })
}

/// How much costly work runs at once, whatever arrives: each kind waits for a free place, so a
/// burst queues instead of exhausting memory or starving everything else.
pub struct WorkLimits {
    /// Password hashes (Argon2id: 19 MiB and tens of milliseconds of CPU each).
    pub hashes: Semaphore,
    /// Photo decodes (up to about 190 MB each for the largest allowed photo).
    pub decodes: Semaphore,
    /// Uploads being received (up to 10 MB each held in memory).
    pub uploads: Semaphore,
}

impl WorkLimits {
    /// Sized to the machine: one hash and one decode per core, four uploads per core.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        WorkLimits {
            hashes: Semaphore::new(cores),
            decodes: Semaphore::new(cores),
            uploads: Semaphore::new(4 * cores),
        }
    }

    /// Waits for a free place under `limit`, held until the permit is dropped.
    pub async fn place(limit: &Semaphore) -> Result<SemaphorePermit<'_>, error::AppError> {
        limit
            .acquire()
            .await
            .map_err(|e| error::AppError::Internal(e.to_string()))
    }

    /// Runs `work` on a blocking thread once `limit` has a free place.
    pub async fn run_blocking<T: Send + 'static>(
        limit: &Semaphore,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, error::AppError> {
        let _place = Self::place(limit).await?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| error::AppError::Internal(e.to_string()))
    }
}

#[derive(Clone)]
pub struct AppState {
    pub pool: Db,
    /// The operator's policy file (`--policy`), or DOMAIN.md's defaults.
    pub policies: Arc<PolicySet>,
    pub clock: Clock,
    /// Trunk's output directory.
    pub dist: PathBuf,
    /// The data directory (the SQLite file, and photos kept as files).
    pub data_dir: PathBuf,
    /// Where the photos' bytes are kept (`--photos`).
    pub photos: photos::PhotoStore,
    /// Case changes, for the live streams.
    pub live: live::Hub,
    /// How long a session lasts after signing in.
    pub session_ttl: TimeDelta,
    /// Mark the session cookie `Secure` (served over HTTPS); also sends HSTS.
    pub secure_cookies: bool,
    /// Believe `X-Forwarded-For`, `-Host` and `-Proto`: only behind a proxy that sets them.
    pub trusted_proxy: bool,
    pub limits: Arc<WorkLimits>,
    /// Each carrier account's secret, which signs its events (`--carrier-secret`).
    pub carrier_secrets: Arc<HashMap<String, Vec<u8>>>,
    /// Content-Security-Policy violations browsers reported (see `/api/csp-report`).
    pub csp_violations: Arc<AtomicU64>,
    /// What sends the notices' e-mails (`--smtp-url`, else files under the data directory).
    pub mailer: Arc<mail::Mailer>,
}

/// Who the e-mails come from unless `--mail-from` says otherwise.
pub const DEFAULT_MAIL_FROM: &str = "Retour <retour@localhost>";
/// The app's address in e-mails' links unless `--public-url` says otherwise.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl AppState {
    /// The state for a database and data directory, with the default policy and settings.
    pub fn new(pool: Db, clock: Clock, dist: PathBuf, data_dir: PathBuf) -> Self {
        let mailer = mail::Mailer::new(None, DEFAULT_MAIL_FROM, DEFAULT_PUBLIC_URL, &data_dir)
            .expect("the default sender is an address");
        AppState {
            pool,
            policies: Arc::default(),
            clock,
            dist,
            photos: photos::PhotoStore::Directory(data_dir.clone()),
            data_dir,
            live: live::Hub::default(),
            session_ttl: TimeDelta::days(7),
            secure_cookies: false,
            trusted_proxy: false,
            limits: Arc::new(WorkLimits::for_this_machine()),
            carrier_secrets: Arc::default(),
            csp_violations: Arc::default(),
            mailer: Arc::new(mailer),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// On PostgreSQL, live updates go through the database, so that instances sharing it reach
    /// each other's streams; on SQLite (one instance) they stay in this process.
    pub async fn share_live_updates(&mut self) -> Result<(), sqlx::Error> {
        if let db::Db::Postgres(pool) = &self.pool {
            self.live = live::Hub::shared(pool.clone()).await?;
        }
        Ok(())
    }

    /// The rules `view`'s order is judged by, as served to its buyer.
    pub fn order_policy(&self, view: &OrderView) -> OrderPolicy {
        self.policies.for_order(&view.store_id, &view.order)
    }

    /// The policy and the return quote for a request on `view`'s order for `lines`: computed
    /// here, never taken from the client.
    pub fn judging(&self, view: &OrderView, lines: &[LineSelection]) -> (Policy, Option<Money>) {
        self.order_policy(view).for_request(&view.order, lines)
    }
}

/// The whole application, so tests drive the same router as production.
pub fn app(state: AppState) -> Router {
    let spa = spa::service(&state);
    Router::new()
        // Answers are compressed as they are made; the app's files were compressed at build
        // time and are sent as they are (see `spa`).
        .nest("/api", api::router().layer(CompressionLayer::new()))
        .fallback_service(spa)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
