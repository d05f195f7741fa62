//! The clock's hand: every case whose deadline has passed is advanced by the rules, once, in a
//! transaction, with the automatic actions recorded in its timeline as done by the system. It
//! runs at start (catching up on whatever came due while the server was down) and then at an
//! interval.

use std::time::Duration;

use rules::{refund_unmatched_group_buy, Resolution};

use crate::error::AppError;
use crate::store::cases::{self, Inserted, NewCase, Stored};
use crate::store::orders;
use crate::workflow::{publish, settle, SYSTEM_KEY_PREFIX};
use crate::AppState;

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Cases the clock moved.
    pub advanced: usize,
    /// Group buys refunded because their group never formed.
    pub group_buys_refunded: usize,
    /// Cases or orders that failed; each was logged with its id and is tried again next pass.
    pub failed: usize,
    pub sessions_expired: u64,
    /// Photos uploaded for a filing that never came, and their files.
    pub unfiled_photos_removed: usize,
}

/// Cases claimed per query, so one sweep never holds a long list in memory.
const BATCH: i64 = 200;

/// How long a claim keeps other instances' sweepers off a due case: one that fails is tried
/// again after it.
const CLAIM: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// How long an uploaded photo waits for the filing that cites it.
pub const UNFILED_PHOTO_DAYS: i64 = 1;

/// One pass over everything that came due. One case that fails (a document that no longer
/// parses, a write that errs) is logged and skipped: every other due case is still carried out.
pub async fn sweep(state: &AppState) -> Result<Swept, AppError> {
    let now = state.now();
    let mut swept = Swept::default();
    let mut failed = Vec::new();
    loop {
        let due = cases::claim_due(&state.pool, now, CLAIM, BATCH).await?;
        if due.is_empty() {
            break;
        }
        for id in due {
            match advance_case(state, &id).await {
                Ok(true) => swept.advanced += 1,
                Ok(false) => {}
                Err(e) => {
                    swept.failed += 1;
                    tracing::error!(case = %id, error = %e, "the clock could not act on a case; \
                        it is tried again at the next sweep");
                    failed.push(id);
                }
            }
        }
    }
    // Claimed until the pass ends, so it does not take them again; the next pass does.
    for id in failed {
        cases::release_claim(&state.pool, &id).await?;
    }
    for order_id in orders::unmatched_group_buys(&state.pool).await? {
        match refund_group_buy(state, &order_id).await {
            Ok(true) => swept.group_buys_refunded += 1,
            Ok(false) => {}
            Err(e) => {
                swept.failed += 1;
                tracing::error!(order = %order_id, error = %e, "the clock could not refund an \
                    unmatched group buy; it is tried again at the next sweep");
            }
        }
    }
    swept.sessions_expired = crate::auth::delete_expired_sessions(&state.pool, now).await?;
    crate::store::limits::forget_expired(&state.pool, now).await?;
    let unused = cases::forget_unfiled_evidence(
        &state.pool,
        now - chrono::TimeDelta::days(UNFILED_PHOTO_DAYS),
    )
    .await?;
    let stale = std::time::SystemTime::now() - Duration::from_secs(3600);
    swept.unfiled_photos_removed = state
        .photos
        .remove_unused(&unused, stale)
        .await
        .map_err(|e| AppError::Internal(format!("cannot remove unused photos: {e}")))?;
    Ok(swept)
}

/// Carries out the case's passed deadlines; `true` when the clock moved it.
async fn advance_case(state: &AppState, id: &str) -> Result<bool, AppError> {
    let Some(stored) = cases::load_any(&state.pool, id).await? else {
        return Ok(false);
    };
    let version = stored.case.version;
    Ok(settle(state, stored).await?.case.version != version)
}

/// Refunds an order whose group never formed; `true` when this pass did it.
async fn refund_group_buy(state: &AppState, order_id: &str) -> Result<bool, AppError> {
    let now = state.now();
    let view = orders::order(&state.pool, order_id).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let (policy, _) = state.judging(&view, &view.order.every_line());
    let Some((case, events)) = refund_unmatched_group_buy(id, &view.order, now, &policy) else {
        return Ok(false);
    };
    let parties = orders::parties(&state.pool, order_id).await?;
    let stored = Stored::filed(
        case,
        &events,
        parties,
        Resolution::RefundOnly,
        std::sync::Arc::new(policy),
    );
    // The key makes a second sweep (or a second server) find the refund already made; clients
    // cannot file under the system's keys.
    let key = format!("{SYSTEM_KEY_PREFIX}group-buy-refund:{order_id}");
    let new = NewCase {
        stored: &stored,
        events: &events,
        idempotency_key: &key,
        request_sha256: None,
        filed_by: None,
        evidence: &[],
    };
    match cases::insert(&state.pool, &new).await? {
        Inserted::Stored => {
            publish(state, &stored);
            Ok(true)
        }
        // Made already, or the buyer's own case holds the lines: nothing to do.
        Inserted::SameKey(_) | Inserted::LinesTaken { .. } | Inserted::EvidenceUnavailable(_) => {
            Ok(false)
        }
    }
}

/// Sweeps now and then every `interval`, for as long as the server runs.
pub fn spawn(state: AppState, interval: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(interval);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match sweep(&state).await {
                Ok(swept) if swept != Swept::default() => {
                    tracing::info!(?swept, "the clock acted");
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "sweep failed; retrying at the next tick"),
            }
        }
    })
}
