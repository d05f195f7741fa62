//! Reading and writing the database. Rows are turned into the rules crate's types here, so
//! handlers only ever see domain values.

pub mod addresses;
pub mod carrier;
pub mod cases;
pub mod orders;
pub mod policies;
pub mod queue;
pub mod stats;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rules::Currency;

use crate::error::AppError;

/// Child rows by their parent's id, in their query order.
fn group_by<T>(rows: Vec<T>, parent: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(parent(&row).clone()).or_default().push(row);
    }
    groups
}

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::Internal(format!("stored {what} {value:?} is not valid"))
}

fn currency(code: &str) -> Result<Currency, AppError> {
    code.parse().map_err(|_| corrupt("currency", code))
}

fn quantity(q: i64) -> Result<u32, AppError> {
    u32::try_from(q).map_err(|_| corrupt("quantity", &q.to_string()))
}

/// Instants the database sorts and compares are milliseconds since 1970, UTC.
pub fn millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

fn instant(ms: i64) -> Result<DateTime<Utc>, AppError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| corrupt("instant", &ms.to_string()))
}

/// `?, ?, ?` for `n` values of an `IN (…)` list.
fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}
