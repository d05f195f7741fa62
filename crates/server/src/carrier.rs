//! Carriers tell Retour where parcels are. Each event is kept once and matched by tracking
//! number; a delivered return parcel is recorded through the rules (`return delivered`, done for
//! the platform) and starts the seller's inspection clock; a delivered order sets its delivery
//! time, which opens and closes its eligibility windows. Every other event is shown to the
//! case's parties as the parcel's journey.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rules::api::{CarrierEvent, CarrierReceipt, ParcelStatus};
use rules::{Action, Party, TrackingNumber};
use sha2::Sha256;

use crate::error::AppError;
use crate::store::carrier::{self, Parcel, Recorded};
use crate::store::{cases, orders};
use crate::workflow::{carry_out, publish, settle};
use crate::AppState;

pub const ACCOUNT_HEADER: &str = "x-retour-account";
pub const TIMESTAMP_HEADER: &str = "x-retour-timestamp";
pub const SIGNATURE_HEADER: &str = "x-retour-signature";
/// How far a request's timestamp may be from the server's clock, either way.
pub const TIMESTAMP_TOLERANCE_SECS: i64 = 300;
/// The carrier account the demo accepts when none is configured, and its secret.
pub const DEMO_ACCOUNT: (&str, &str) = ("demo", "demo-carrier-secret");

/// Events in one request at the most.
pub const MAX_EVENTS: usize = 100;

/// The signature of a request: `sha256=` and the HMAC-SHA256, in hex, of the timestamp, a dot
/// and the body, under the carrier account's secret.
pub fn signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("sha256={}", crate::digest::hex(&digest))
}

/// The HMAC-SHA256 of `timestamp.body` under `secret`, before it is finished.
fn mac(secret: &[u8], timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any size");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks that `signature` is `secret`'s for this timestamp and body, in constant time.
pub fn verify(secret: &[u8], timestamp: i64, body: &[u8], signature: &str) -> bool {
    let Some(hex) = signature.strip_prefix("sha256=") else {
        return false;
    };
    let Some(sent) = decode_hex(hex) else {
        return false;
    };
    mac(secret, timestamp, body).verify_slice(&sent).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// A tracking number as stored: the rules' form when it is one they know (upper case, no
/// spaces or dashes), else the same clean-up.
pub fn normalise(number: &str) -> String {
    TrackingNumber::parse(number).map_or_else(
        |_| {
            number
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .flat_map(char::to_uppercase)
                .collect()
        },
        |t| t.number,
    )
}

/// Keeps and applies a batch of events from `account`.
#[tracing::instrument(skip(state, events), fields(events = events.len()))]
pub async fn receive(
    state: &AppState,
    account: &str,
    events: &[CarrierEvent],
) -> Result<CarrierReceipt, AppError> {
    let mut receipt = CarrierReceipt {
        matched: 0,
        unmatched: 0,
        duplicates: 0,
    };
    for event in events {
        let number = normalise(&event.tracking_number);
        match carrier::record(&state.pool, account, &number, event, state.now()).await? {
            Recorded::Duplicate => receipt.duplicates += 1,
            Recorded::New(None) => receipt.unmatched += 1,
            Recorded::New(Some(parcel)) => {
                receipt.matched += 1;
                arrived(state, &parcel, event).await?;
            }
        }
    }
    Ok(receipt)
}

/// What a new event about a known parcel changes, and who hears of it.
async fn arrived(state: &AppState, parcel: &Parcel, event: &CarrierEvent) -> Result<(), AppError> {
    let delivered = event.status == ParcelStatus::Delivered;
    let trouble = matches!(
        event.status,
        ParcelStatus::DeliveryFailed | ParcelStatus::ReturnedToSender
    );
    match parcel {
        Parcel::Return { case_id } if delivered => {
            act_for_platform(state, case_id, Action::ReturnDelivered, event.at).await
        }
        Parcel::Return { case_id } if trouble => {
            act_for_platform(state, case_id, Action::Escalate, event.at).await
        }
        Parcel::Return { case_id } => announce(state, case_id).await,
        Parcel::Outbound { order_id } => {
            if delivered {
                orders::delivered(&state.pool, order_id, event.at.min(state.now())).await?;
            }
            for case_id in cases::ids_on_order(&state.pool, order_id).await? {
                announce(state, &case_id).await?;
            }
            Ok(())
        }
    }
}

/// Tells the case's parties that something about it changed.
async fn announce(state: &AppState, case_id: &str) -> Result<(), AppError> {
    if let Some(stored) = cases::load_any(&state.pool, case_id).await? {
        publish(state, &stored);
    }
    Ok(())
}

/// What a carrier's event about the return parcel does, through the rules, for the platform,
/// once: `ReturnDelivered` (the seller's time to inspect runs from `at`), or `Escalate` when the
/// parcel could not be delivered or went back to the buyer (the platform steps in). A case where
/// the rules no longer allow it keeps the event in its journey and nothing more.
async fn act_for_platform(
    state: &AppState,
    case_id: &str,
    action: Action,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    // Another writer may move the case between our read and our write: read again and retry.
    for _ in 0..3 {
        let Some(stored) = cases::load_any(&state.pool, case_id).await? else {
            return Ok(());
        };
        let stored = settle(state, stored).await?;
        if !stored.case.may(Party::Platform, action.kind()) {
            publish(state, &stored);
            return Ok(());
        }
        let at = at.min(state.now()).max(stored.case.since);
        let done = carry_out(state, &stored, Party::Platform, action.clone(), at, None).await?;
        if done.is_some() {
            return Ok(());
        }
    }
    Err(AppError::Internal(format!(
        "case {case_id} kept changing while a carrier's event was recorded"
    )))
}

/// A case just gave `number` as its return parcel's: events kept for it before are its now, and
/// a delivery among them is recorded.
pub async fn catch_up(state: &AppState, case_id: &str, number: &str) -> Result<(), AppError> {
    if let Some(delivered_at) = carrier::claim_for_return(&state.pool, number, case_id).await? {
        act_for_platform(state, case_id, Action::ReturnDelivered, delivered_at).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_secret_timestamp_and_body_only() {
        let body = br#"{"events":[]}"#;
        let signed = signature(b"s3cret", 1_700_000_000, body);
        assert!(
            signed.starts_with("sha256=") && signed.len() == 7 + 64,
            "{signed}"
        );
        assert!(verify(b"s3cret", 1_700_000_000, body, &signed));
        assert!(!verify(b"other", 1_700_000_000, body, &signed));
        assert!(!verify(b"s3cret", 1_700_000_001, body, &signed));
        assert!(!verify(b"s3cret", 1_700_000_000, b"{}", &signed));
        assert!(!verify(b"s3cret", 1_700_000_000, body, &signed[7..]));
        assert!(!verify(b"s3cret", 1_700_000_000, body, "sha256=zz"));
    }

    #[test]
    fn tracking_numbers_are_matched_in_one_form() {
        assert_eq!(normalise("ee 1234 5678 5cn"), "EE123456785CN");
        assert_eq!(normalise("lp-0012 3456"), "LP00123456");
    }
}
