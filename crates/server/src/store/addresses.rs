//! The return addresses each store has given, offered again the next time a case needs one.

use chrono::{DateTime, Utc};
use rules::api::SavedAddress;
use sqlx::SqlitePool;

use super::millis;
use super::StoreError;

/// The seller's stores' addresses, the most recently used first.
pub async fn of_seller(
    pool: &SqlitePool,
    seller_id: &str,
) -> Result<Vec<SavedAddress>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.name, a.address FROM return_addresses a JOIN stores s ON s.id = a.store_id \
         WHERE s.owner_id = ? ORDER BY a.used_at DESC, a.address",
    )
    .bind(seller_id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(store, address)| SavedAddress { store, address })
        .collect())
}

/// Keeps `address` for the store, or marks it used again.
pub async fn remember(
    pool: &SqlitePool,
    store_id: &str,
    address: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO return_addresses (store_id, address, used_at) VALUES (?, ?, ?) \
         ON CONFLICT (store_id, address) DO UPDATE SET used_at = excluded.used_at",
    )
    .bind(store_id)
    .bind(address)
    .bind(millis(at))
    .execute(pool)
    .await?;
    Ok(())
}
