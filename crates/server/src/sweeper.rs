//! The clock's hand: every case whose deadline has passed is advanced by the rules, once, in a
//! transaction, with the automatic actions recorded in its timeline as done by the system. It
//! runs at start (catching up on whatever came due while the server was down) and then at an
//! interval.

use std::time::Duration;

use rules::{refund_unmatched_group_buy, Resolution};

use crate::api::settle;
use crate::error::AppError;
use crate::store::cases::{self, NewCase, Stored};
use crate::store::{millis, orders};
use crate::AppState;

/// What one sweep did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    /// Cases the clock moved.
    pub advanced: usize,
    /// Group buys refunded because their group never formed.
    pub group_buys_refunded: usize,
    pub sessions_expired: u64,
}

/// Cases handled per query, so one sweep never holds a long list in memory.
const BATCH: i64 = 200;

/// One pass over everything that came due.
pub async fn sweep(state: &AppState) -> Result<Swept, AppError> {
    let now = state.now();
    let mut swept = Swept::default();
    let mut after = String::new();
    loop {
        let due: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM cases WHERE deadline_at <= ? AND id > ? ORDER BY id LIMIT ?",
        )
        .bind(millis(now))
        .bind(&after)
        .bind(BATCH)
        .fetch_all(&state.pool)
        .await?;
        let Some(last) = due.last().cloned() else {
            break;
        };
        for id in due {
            let Some(stored) = cases::load_any(&state.pool, &id).await? else {
                continue;
            };
            let version = stored.case.version;
            if settle(state, stored).await?.case.version != version {
                swept.advanced += 1;
            }
        }
        after = last;
    }
    for order_id in orders::unmatched_group_buys(&state.pool).await? {
        let view = orders::order(&state.pool, &order_id).await?;
        let id = uuid::Uuid::now_v7().to_string();
        let Some((case, events)) = refund_unmatched_group_buy(id, &view.order, now, &state.policy)
        else {
            continue;
        };
        let parties = orders::parties(&state.pool, &order_id).await?;
        let stored = Stored::filed(case, &events, parties, Resolution::RefundOnly);
        // The key makes a second sweep (or a second server) find the refund already made.
        let key = format!("system:group-buy-refund:{order_id}");
        let new = NewCase {
            stored: &stored,
            events: &events,
            idempotency_key: &key,
            filed_by: None,
        };
        if cases::insert(&state.pool, &new, &state.policy)
            .await?
            .is_none()
        {
            crate::api::publish(state, &stored);
            swept.group_buys_refunded += 1;
        }
    }
    swept.sessions_expired = crate::auth::delete_expired_sessions(&state.pool, now).await?;
    Ok(swept)
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
