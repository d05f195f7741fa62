use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use rules::api::ErrorBody;
use rules::{Explanation, SelectionError};

/// Every way a request can fail. Each maps to a status and a JSON `{code, message}`; internal
/// failures are logged and answered without their details.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input that does not parse or does not fit (400/422), with a stable code.
    #[error("{message}")]
    Invalid {
        status: StatusCode,
        code: &'static str,
        message: String,
    },
    /// The rules say no; the code is the verdict's explanation code.
    #[error("not eligible: {}", .0.code())]
    NotEligible(Explanation),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

impl AppError {
    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            message: message.into(),
        }
    }
}

impl From<SelectionError> for AppError {
    fn from(e: SelectionError) -> Self {
        AppError::unprocessable(e.code(), e.to_string())
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        // The body text names the field at fault (axum uses serde_path_to_error).
        let code = match rejection {
            JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            _ => "invalid_body",
        };
        AppError::Invalid {
            status: rejection.status(),
            code,
            message: rejection.body_text(),
        }
    }
}

impl From<PathRejection> for AppError {
    fn from(rejection: PathRejection) -> Self {
        AppError::Invalid {
            status: StatusCode::BAD_REQUEST,
            code: "invalid_path",
            message: rejection.body_text(),
        }
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
        let (status, code, message) = match &self {
            AppError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                "not_found".to_owned(),
                format!("{what} not found"),
            ),
            AppError::Invalid {
                status,
                code,
                message,
            } => (*status, (*code).to_owned(), message.clone()),
            AppError::NotEligible(explanation) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                explanation.code().to_owned(),
                format!("Not eligible: {}", explanation_message(explanation)),
            ),
            AppError::Database(_) | AppError::Internal(_) => {
                tracing::error!(error = %self, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal".to_owned(),
                    "Something went wrong on our side; nothing was changed. Please try again."
                        .to_owned(),
                )
            }
        };
        (status, Json(ErrorBody { code, message })).into_response()
    }
}
