//! Sign-in attempts, counted in the database: every instance counts the same ones.
//!
//! Each key (an account, an address) has a window that starts with its first attempt and lasts
//! [`WINDOW`]; an attempt is counted, or refused with the time left, in one upsert per key that
//! the database serialises (a row lock in PostgreSQL, the one writer in SQLite), so of a hundred
//! attempts at once on any number of instances exactly the allowed number go through.

use chrono::{DateTime, TimeDelta, Utc};

use super::{millis, StoreError};
use crate::db::Db;

/// How long a key's attempts count.
pub const WINDOW: TimeDelta = TimeDelta::minutes(15);

const COUNT: &str = "INSERT INTO login_limits (key, window_start, attempts) VALUES (?, ?, 1) \
     ON CONFLICT (key) DO UPDATE SET \
     attempts = CASE WHEN login_limits.window_start <= ? THEN 1 \
                     ELSE login_limits.attempts + 1 END, \
     window_start = CASE WHEN login_limits.window_start <= ? THEN excluded.window_start \
                         ELSE login_limits.window_start END \
     RETURNING window_start, attempts";

/// Counts an attempt at `now` against each key, unless one is over its limit: then nothing is
/// counted and the answer is the seconds to wait.
pub async fn reserve(
    pool: &Db,
    keys: &[(String, i64)],
    now: DateTime<Utc>,
) -> Result<Result<(), u64>, StoreError> {
    let now_ms = millis(now);
    let expired = millis(now - WINDOW);
    let mut tx = pool.begin().await?;
    let mut wait: Option<i64> = None;
    for (key, limit) in keys {
        let (started, attempts): (i64, i64) = on_tx!(&mut tx, COUNT, |sql, c| {
            sqlx::query_as(sql)
                .bind(key)
                .bind(now_ms)
                .bind(expired)
                .bind(expired)
                .fetch_one(c)
                .await
        })?;
        if attempts > *limit {
            let left = started + WINDOW.num_milliseconds() - now_ms;
            wait = Some(wait.unwrap_or(0).max(left));
        }
    }
    if let Some(left) = wait {
        tx.rollback().await?;
        return Ok(Err(u64::try_from(left.div_euclid(1000))
            .unwrap_or(0)
            .max(1)));
    }
    tx.commit().await?;
    Ok(Ok(()))
}

/// The attempt succeeded: the account (the first key) starts afresh, and the other keys (the
/// address) do not count it.
pub async fn succeed(pool: &Db, keys: &[(String, i64)]) -> Result<(), StoreError> {
    for (i, (key, _)) in keys.iter().enumerate() {
        let sql = if i == 0 {
            "DELETE FROM login_limits WHERE key = ?"
        } else {
            "UPDATE login_limits SET attempts = attempts - 1 WHERE key = ? AND attempts > 0"
        };
        on_db!(pool, sql, |sql, p| sqlx::query(sql)
            .bind(key)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Forgets the windows that ended before `now`; how many.
pub async fn forget_expired(pool: &Db, now: DateTime<Utc>) -> Result<u64, StoreError> {
    Ok(on_db!(
        pool,
        "DELETE FROM login_limits WHERE window_start <= ?",
        |sql, p| sqlx::query(sql)
            .bind(millis(now - WINDOW))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?)
}
