//! The JSON API under `/api`.

use axum::extract::{FromRequest, FromRequestParts, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use rules::api::{CaseView, NewReturn, OrderView, DESCRIPTION_MAX_CHARS};
use rules::{advance, file, CaseError, Filing, Offer, RefundError, ReturnRequest};

use crate::demo::DEMO_BUYER_ID;
use crate::error::AppError;
use crate::store::{self, NewCase};
use crate::AppState;

/// `axum::Json` whose rejections answer in our `{code, message}` shape.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

/// `axum::extract::Path` whose rejections answer in our `{code, message}` shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/orders", get(list_orders))
        .route("/orders/{id}", get(get_order))
        .route("/returns", post(file_return))
        .route("/returns/{id}", get(get_return))
        .route("/seller/returns", get(seller_returns))
        // Without its own fallback a nested router inherits the app's, which serves index.html.
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(wrong_method)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn unknown_endpoint() -> AppError {
    AppError::NotFound("endpoint")
}

async fn wrong_method(method: axum::http::Method) -> AppError {
    AppError::Invalid {
        status: StatusCode::METHOD_NOT_ALLOWED,
        code: "method_not_allowed",
        message: format!("this endpoint does not accept {method}"),
    }
}

async fn list_orders(State(state): State<AppState>) -> Result<Json<Vec<OrderView>>, AppError> {
    Ok(Json(
        store::orders_of_buyer(&state.pool, DEMO_BUYER_ID).await?,
    ))
}

async fn get_order(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(
        store::order_of_buyer(&state.pool, DEMO_BUYER_ID, &id).await?,
    ))
}

impl From<RefundError> for AppError {
    fn from(e: RefundError) -> Self {
        AppError::unprocessable(e.code(), e.to_string())
    }
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotEligible(explanation) => AppError::NotEligible(explanation),
            CaseError::Selection(e) => e.into(),
            CaseError::Refund(e) => e.into(),
            other => AppError::unprocessable(other.code(), other.to_string()),
        }
    }
}

/// Files a return after checking it again with the same rules the browser ran.
async fn file_return(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<NewReturn>,
) -> Result<(StatusCode, Json<CaseView>), AppError> {
    let description = request.description.trim();
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(AppError::unprocessable(
            "description_too_long",
            format!("the description is longer than {DESCRIPTION_MAX_CHARS} characters"),
        ));
    }
    let view = store::order_of_buyer(&state.pool, DEMO_BUYER_ID, &request.order_id).await?;
    let now = state.now();
    let id = uuid::Uuid::now_v7().to_string();
    let filing = Filing {
        request: ReturnRequest::new(request.lines.clone(), request.reason),
        offer: Offer {
            resolution: request.resolution,
            partial_amount_minor: request.partial_amount_minor,
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: vec![],
        },
        description: description.to_owned(),
    };
    let (filed, _) = file(id.clone(), &view.order, &filing, now, &state.policy)?;
    // A refund approved at filing is issued by the clock straight away.
    let (case, _) = advance(&filed, now, &state.policy);
    store::insert_case(
        &state.pool,
        &NewCase {
            id: id.clone(),
            order_id: &view.order.id,
            state: case.state,
            reason: request.reason,
            resolution: request.resolution,
            refund: case.refund_at_stake(),
            description,
            explanation: &case.explanation,
            lines: &request.lines,
            created_at: now,
        },
    )
    .await?;
    let case = store::case_of_buyer(&state.pool, DEMO_BUYER_ID, &id).await?;
    Ok((StatusCode::CREATED, Json(case)))
}

async fn get_return(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CaseView>, AppError> {
    Ok(Json(
        store::case_of_buyer(&state.pool, DEMO_BUYER_ID, &id).await?,
    ))
}

async fn seller_returns(State(state): State<AppState>) -> Result<Json<Vec<CaseView>>, AppError> {
    Ok(Json(store::all_cases(&state.pool).await?))
}
