//! Carriers' events about parcels: kept once each, matched by tracking number to a case's
//! return parcel or an order's outbound parcel, and read back as the parcel's journey.

use crate::db::Db;
use chrono::{DateTime, Utc};
use rules::api::{CarrierEvent, Leg, ParcelEvent, ParcelStatus};

use super::StoreError;
use super::{corrupt, instant, millis};

/// The parcel an event was matched to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parcel {
    /// A case's goods on their way back.
    Return { case_id: String },
    /// An order on its way to the buyer.
    Outbound { order_id: String },
}

/// What storing an event came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The carrier sent this event before: nothing changed.
    Duplicate,
    /// Kept; matched to a parcel, or waiting for its tracking number to be given.
    New(Option<Parcel>),
}

/// The parcel a tracking number belongs to: a return parcel first (the newest case that gave
/// it), else an order's outbound parcel.
async fn parcel_of(pool: &Db, number: &str) -> Result<Option<Parcel>, StoreError> {
    let case: Option<String> = on_db!(
        pool,
        "SELECT id FROM cases WHERE return_tracking = ? ORDER BY filed_at DESC, id DESC LIMIT 1",
        |sql, p| sqlx::query_scalar(sql).bind(number).fetch_optional(p).await
    )?;
    if let Some(case_id) = case {
        return Ok(Some(Parcel::Return { case_id }));
    }
    let order: Option<String> = on_db!(
        pool,
        "SELECT id FROM orders WHERE tracking_number = ? LIMIT 1",
        |sql, p| sqlx::query_scalar(sql).bind(number).fetch_optional(p).await
    )?;
    Ok(order.map(|order_id| Parcel::Outbound { order_id }))
}

/// Keeps `event` from `account` under its tracking number `number` (normalised), once.
pub async fn record(
    pool: &Db,
    account: &str,
    number: &str,
    event: &CarrierEvent,
    received_at: DateTime<Utc>,
) -> Result<Recorded, StoreError> {
    let parcel = parcel_of(pool, number).await?;
    let (leg, order_id, case_id) = match &parcel {
        Some(Parcel::Return { case_id }) => (Some(Leg::Return), None, Some(case_id.as_str())),
        Some(Parcel::Outbound { order_id }) => (Some(Leg::Outbound), Some(order_id.as_str()), None),
        None => (None, None, None),
    };
    let inserted = on_db!(
        pool,
        "INSERT INTO carrier_events (account, id, tracking_number, status, at, location, \
         received_at, leg, order_id, case_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (account, id) DO NOTHING",
        |sql, p| sqlx::query(sql)
            .bind(account)
            .bind(&event.id)
            .bind(number)
            .bind(event.status.code())
            .bind(millis(event.at))
            .bind(&event.location)
            .bind(millis(received_at))
            .bind(leg.map(Leg::code))
            .bind(order_id)
            .bind(case_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(if inserted == 0 {
        Recorded::Duplicate
    } else {
        Recorded::New(parcel)
    })
}

/// Gives the events kept for `number`, matched to nothing yet, to the case that just gave it as
/// its return parcel's; answers when the parcel was delivered, if it was.
pub async fn claim_for_return(
    pool: &Db,
    number: &str,
    case_id: &str,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    on_db!(
        pool,
        "UPDATE carrier_events SET leg = 'return', case_id = ? \
         WHERE tracking_number = ? AND leg IS NULL",
        |sql, p| sqlx::query(sql)
            .bind(case_id)
            .bind(number)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    let delivered: Option<i64> = on_db!(
        pool,
        "SELECT MIN(at) FROM carrier_events WHERE case_id = ? AND status = 'delivered'",
        |sql, p| sqlx::query_scalar(sql).bind(case_id).fetch_one(p).await
    )?;
    delivered.map(instant).transpose()
}

/// The journey of the order's parcel and of the case's return parcel, oldest first.
pub async fn journey(
    pool: &Db,
    order_id: &str,
    case_id: &str,
) -> Result<Vec<ParcelEvent>, StoreError> {
    on_db!(
        pool,
        "SELECT leg, tracking_number, status, at, location FROM carrier_events \
         WHERE order_id = ? OR case_id = ? ORDER BY at, received_at",
        |sql, p| sqlx::query_as::<_, (String, String, String, i64, String)>(sql)
            .bind(order_id)
            .bind(case_id)
            .fetch_all(p)
            .await
    )?
    .into_iter()
    .map(|(leg, tracking_number, status, at, location)| {
        Ok(ParcelEvent {
            leg: Leg::from_code(&leg).ok_or_else(|| corrupt("leg", &leg))?,
            status: ParcelStatus::from_code(&status).ok_or_else(|| corrupt("status", &status))?,
            at: instant(at)?,
            tracking_number,
            location,
        })
    })
    .collect()
}
