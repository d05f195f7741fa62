//! The policies cases were filed under, each stored once under the SHA-256 of its JSON.

use std::collections::HashMap;
use std::sync::Arc;

use crate::db::Tx;
use rules::Policy;

use super::StoreError;
use crate::digest::sha256_hex;

/// Stores `policy` unless it is already; its hash, for the case to name.
pub async fn remember(tx: &mut Tx, policy: &Policy) -> Result<String, StoreError> {
    let document = serde_json::to_string(policy)
        .map_err(|e| StoreError::Corrupt(format!("policy to JSON: {e}")))?;
    let sha256 = sha256_hex(document.as_bytes());
    on_tx!(
        tx,
        "INSERT INTO policies (sha256, document) VALUES (?, ?) ON CONFLICT DO NOTHING",
        |sql, c| sqlx::query(sql)
            .bind(&sha256)
            .bind(&document)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(sha256)
}

/// The policy a stored case names: its JSON, or DOMAIN.md's defaults for a case filed before
/// cases kept theirs.
pub fn read(document: Option<&str>) -> Result<Policy, StoreError> {
    document.map_or_else(
        || Ok(Policy::default()),
        |d| {
            serde_json::from_str(d)
                .map_err(|e| StoreError::Corrupt(format!("stored policy does not parse: {e}")))
        },
    )
}

/// Policies read once per list, however many cases name the same one.
#[derive(Default)]
pub struct Read(HashMap<Option<String>, Arc<Policy>>);

impl Read {
    pub fn get(&mut self, document: Option<String>) -> Result<Arc<Policy>, StoreError> {
        if let Some(policy) = self.0.get(&document) {
            return Ok(Arc::clone(policy));
        }
        let policy = Arc::new(read(document.as_deref())?);
        self.0.insert(document, Arc::clone(&policy));
        Ok(policy)
    }
}
