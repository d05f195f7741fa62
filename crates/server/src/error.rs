use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use rules::api::CaseDetail;
use rules::{CaseError, Explanation, SelectionError};
use serde::Serialize;
use serde_json::{json, Value};

use crate::store::StoreError;

/// Every way a request can fail. Each maps to a status and a JSON `{code, message, details}`;
/// internal failures are logged and answered without their details.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Missing, or not the caller's to see: the same answer either way, so nothing leaks.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input that does not parse or does not fit, or a request the rules refuse, with a stable
    /// code and what the client needs to show it (the field at fault, who may act instead).
    #[error("{message}")]
    Invalid {
        status: StatusCode,
        code: &'static str,
        message: String,
        details: Value,
    },
    /// The rules say no; the code is the verdict's explanation code.
    #[error("not eligible: {}", .0.code())]
    NotEligible(Explanation),
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// The caller acted on an old version of the case; here is the current one.
    #[error("stale case version")]
    Stale(Box<CaseDetail>),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

/// The JSON of every error answer. `ErrorBody` (what the app reads) is its first two fields.
#[derive(Serialize, schemars::JsonSchema)]
pub struct ErrorResponse {
    /// Stable, for clients to translate.
    pub code: String,
    /// English, for people reading the API directly.
    pub message: String,
    /// What the code needs to be shown: the field at fault, dates, the current case…
    #[serde(skip_serializing_if = "Value::is_null")]
    pub details: Value,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            status,
            code,
            message: message.into(),
            details: Value::Null,
        }
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        AppError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        AppError::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// The request clashes with what is already there.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        AppError::new(StatusCode::CONFLICT, code, message)
    }

    /// The same error, saying more in `details`.
    pub fn with_details(self, more: Value) -> Self {
        match self {
            AppError::Invalid {
                status,
                code,
                message,
                ..
            } => AppError::Invalid {
                status,
                code,
                message,
                details: more,
            },
            other => other,
        }
    }

    /// Sign in first (or again).
    pub fn unauthenticated(code: &'static str, message: &str) -> Self {
        AppError::new(StatusCode::UNAUTHORIZED, code, message)
    }
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotEligible(explanation) => AppError::NotEligible(explanation),
            CaseError::Selection(e) => e.into(),
            CaseError::Refund(e) => AppError::unprocessable(e.code(), e.to_string()),
            CaseError::NotAllowed {
                by,
                action,
                state,
                ref allowed,
            } => AppError::new(StatusCode::CONFLICT, "action_not_allowed", e.to_string())
                .with_details(json!({
                    "by": by, "action": action, "state": state, "allowed": allowed,
                })),
            CaseError::Closed => AppError::new(StatusCode::CONFLICT, e.code(), e.to_string()),
            other => AppError::unprocessable(other.code(), other.to_string()),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::InvalidFilter {
                code,
                field,
                message,
            } => AppError::bad_request(code, message).with_details(json!({ "field": field })),
            StoreError::Database(e) => AppError::Database(e),
            StoreError::Corrupt(message) => AppError::Internal(message),
        }
    }
}

impl From<SelectionError> for AppError {
    fn from(e: SelectionError) -> Self {
        AppError::unprocessable(e.code(), e.to_string())
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::bad_request("invalid_path", rejection.body_text())
    }
}

impl From<QueryRejection> for AppError {
    fn from(rejection: QueryRejection) -> Self {
        AppError::bad_request("invalid_query", rejection.body_text())
    }
}

/// An instant as people read it in a message: minutes, UTC.
fn when(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn explanation_message(explanation: &Explanation) -> String {
    match explanation {
        Explanation::GroupBuyWaiting { opens_at } => {
            format!(
                "the group-buy order can be refunded from {}",
                when(opens_at)
            )
        }
        Explanation::InTransit {
            not_received_opens_at,
        } => format!(
            "the order is on its way; it can be reported as not received from {}",
            when(not_received_opens_at)
        ),
        Explanation::NotReceivedOpensAt { opens_at } => {
            format!("a not-received claim opens on {}", when(opens_at))
        }
        Explanation::ChangeOfMindClosed { closed_at } => {
            format!("the change-of-mind window closed on {}", when(closed_at))
        }
        Explanation::ProtectionClosed { closed_at } => {
            format!("the protection period closed on {}", when(closed_at))
        }
        Explanation::NonReturnable { category } => format!(
            "{} goods cannot be returned for a change of mind",
            category.code()
        ),
        Explanation::ListingNoReturns => "the listing says no returns".to_owned(),
        other => format!("not eligible ({})", other.code()),
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code, message, details) = match self {
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found"),
                Value::Null,
            ),
            AppError::Invalid {
                status,
                code,
                message,
                details,
            } => (status, code, message, details),
            AppError::NotEligible(explanation) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                explanation.code(),
                format!("Not eligible: {}", explanation_message(&explanation)),
                serde_json::to_value(explanation).unwrap_or_default(),
            ),
            AppError::TooManyAttempts { retry_after_secs } => {
                let body = ErrorResponse {
                    code: "too_many_attempts".into(),
                    message: format!(
                        "too many failed sign-ins; try again in {} minutes",
                        retry_after_secs.div_ceil(60)
                    ),
                    details: json!({ "retry_after_secs": retry_after_secs }),
                };
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [(header::RETRY_AFTER, retry_after_secs.to_string())],
                    Json(body),
                )
                    .into_response();
            }
            AppError::Stale(current) => (
                StatusCode::CONFLICT,
                "stale_version",
                format!(
                    "the case changed meanwhile (it is now at version {}); nothing was done, \
                     look at it again",
                    current.version
                ),
                json!({ "case": current }),
            ),
            AppError::Database(_) | AppError::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "Something went wrong on our side; nothing was changed. Please try again."
                        .to_owned(),
                    Value::Null,
                )
            }
        };
        let body = ErrorResponse {
            code: code.to_owned(),
            message,
            details,
        };
        (status, Json(body)).into_response()
    }
}
