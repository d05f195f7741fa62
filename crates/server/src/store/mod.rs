//! Reading and writing the database. Rows are turned into the rules crate's types here, so
//! handlers only ever see domain values.

pub mod addresses;
pub mod carrier;
pub mod cases;
pub mod limits;
pub mod notifications;
pub mod orders;
pub mod policies;
pub mod queue;
pub mod stats;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rules::Currency;

/// Why the store could not answer. The store knows nothing of HTTP: the handlers' error type
/// turns each into a status and a code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Missing, or outside what the reader may see.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A query's filter that does not parse: which field, and a stable code.
    #[error("{message}")]
    InvalidFilter {
        code: &'static str,
        field: String,
        message: String,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    /// Stored data that does not read back as what was written, or a value that cannot be.
    #[error("{0}")]
    Corrupt(String),
}

/// Child rows by their parent's id, in their query order.
fn group_by<T>(rows: Vec<T>, parent: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(parent(&row).clone()).or_default().push(row);
    }
    groups
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("stored {what} {value:?} is not valid"))
}

fn currency(code: &str) -> Result<Currency, StoreError> {
    code.parse().map_err(|_| corrupt("currency", code))
}

fn quantity(q: i64) -> Result<u32, StoreError> {
    u32::try_from(q).map_err(|_| corrupt("quantity", &q.to_string()))
}

/// Instants the database sorts and compares are milliseconds since 1970, UTC.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn instant(ms: i64) -> Result<DateTime<Utc>, StoreError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| corrupt("instant", &ms.to_string()))
}

/// `?, ?, ?` for `n` values of an `IN (…)` list.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}
