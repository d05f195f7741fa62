//! `POST /api/carrier-events`: the webhook carriers and tracking aggregators call. A request is
//! signed by a carrier account (see [`crate::carrier::signature`]); it is refused before its
//! body is parsed when the signature or the timestamp is wrong.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Json;
use rules::api::{CarrierEvents, CarrierReceipt};
use serde_json::json;

use super::{parse_json, Api};
use crate::carrier::{
    self, ACCOUNT_HEADER, MAX_EVENTS, SIGNATURE_HEADER, TIMESTAMP_HEADER, TIMESTAMP_TOLERANCE_SECS,
};

/// The longest event id, tracking number and location kept: far above what carriers send.
const MAX_EVENT_ID_CHARS: usize = 200;
const MAX_TRACKING_CHARS: usize = 40;
const MAX_LOCATION_CHARS: usize = 200;
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.post(
        "/carrier-events",
        post(receive),
        Op::new(
            "Carriers report parcel events (headers X-Retour-Account, X-Retour-Timestamp in \
             Unix seconds, X-Retour-Signature: sha256= and the hex HMAC-SHA256 of \
             \"timestamp.body\" under the account's secret); each event id counts once",
            Response::Json(schema_of::<CarrierReceipt>),
        )
        .body(schema_of::<CarrierEvents>)
        .public(),
    )
}

fn refused(code: &'static str, message: &str) -> AppError {
    AppError::new(StatusCode::UNAUTHORIZED, code, message)
}

async fn receive(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<CarrierReceipt>, AppError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let (Some(account), Some(timestamp), Some(signature)) = (
        header(ACCOUNT_HEADER),
        header(TIMESTAMP_HEADER),
        header(SIGNATURE_HEADER),
    ) else {
        return Err(refused(
            "carrier_signature_missing",
            "sign the request: X-Retour-Account, X-Retour-Timestamp and X-Retour-Signature",
        ));
    };
    let timestamp: i64 = timestamp.trim().parse().map_err(|_| {
        refused(
            "carrier_timestamp_stale",
            "the timestamp is not Unix seconds",
        )
    })?;
    // An unknown account is refused like a wrong signature: nothing tells which accounts exist.
    let secret = state.carrier_secrets.get(account);
    if !secret.is_some_and(|secret| carrier::verify(secret, timestamp, &body, signature)) {
        return Err(refused(
            "carrier_signature_invalid",
            "the signature does not match this account, timestamp and body",
        ));
    }
    if (state.now().timestamp() - timestamp).abs() > TIMESTAMP_TOLERANCE_SECS {
        return Err(refused(
            "carrier_timestamp_stale",
            "the timestamp is more than five minutes from the server's clock; sign it anew",
        ));
    }
    let batch: CarrierEvents = parse_json(&body)?;
    if batch.events.len() > MAX_EVENTS {
        return Err(AppError::unprocessable(
            "too_many_events",
            format!("send at most {MAX_EVENTS} events a request"),
        )
        .with_details(json!({ "field": "events", "max": MAX_EVENTS })));
    }
    for (i, event) in batch.events.iter().enumerate() {
        for (name, value, max) in [
            ("id", &event.id, MAX_EVENT_ID_CHARS),
            (
                "tracking_number",
                &event.tracking_number,
                MAX_TRACKING_CHARS,
            ),
            ("location", &event.location, MAX_LOCATION_CHARS),
        ] {
            let length = value.trim().chars().count();
            if length > max || (length == 0 && name != "location") {
                let field = format!("events[{i}].{name}");
                return Err(AppError::unprocessable(
                    "invalid_field",
                    format!("{field}: 1 to {max} characters"),
                )
                .with_details(json!({ "field": field, "max": max })));
            }
        }
    }
    Ok(Json(
        carrier::receive(&state, account, &batch.events).await?,
    ))
}
