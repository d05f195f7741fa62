//! The return addresses each store has given, offered again the next time a case needs one.

use crate::db::Db;
use chrono::{DateTime, Utc};
use rules::api::SavedAddress;

use super::millis;
use super::StoreError;

/// The seller's stores' addresses, the most recently used first.
pub async fn of_seller(pool: &Db, seller_id: &str) -> Result<Vec<SavedAddress>, StoreError> {
    let rows: Vec<(String, String)> = on_db!(
        pool,
        "SELECT s.name, a.address FROM return_addresses a JOIN stores s ON s.id = a.store_id \
         WHERE s.owner_id = ? ORDER BY a.used_at DESC, a.address",
        |sql, p| sqlx::query_as(sql).bind(seller_id).fetch_all(p).await
    )?;
    Ok(rows
        .into_iter()
        .map(|(store, address)| SavedAddress { store, address })
        .collect())
}

/// Keeps `address` for the store, or marks it used again.
pub async fn remember(
    pool: &Db,
    store_id: &str,
    address: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(
        pool,
        "INSERT INTO return_addresses (store_id, address, used_at) VALUES (?, ?, ?) \
         ON CONFLICT (store_id, address) DO UPDATE SET used_at = excluded.used_at",
        |sql, p| sqlx::query(sql)
            .bind(store_id)
            .bind(address)
            .bind(millis(at))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}
