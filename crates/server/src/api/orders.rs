//! The signed-in buyer's orders, and the eligibility verdict for clients without the wasm rules.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Json;
use rules::api::OrderView;
use rules::{eligibility, Eligibility, ReturnRequest};

use super::{Api, ApiJson, ApiPath};
use crate::auth::Buyer;
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::store::orders;
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.get(
        "/orders",
        get(list),
        Op::new(
            "The buyer's orders, newest first",
            Response::Json(schema_of::<Vec<OrderView>>),
        ),
    )
    .get(
        "/orders/{id}",
        get(one),
        Op::new(
            "One of the buyer's orders",
            Response::Json(schema_of::<OrderView>),
        ),
    )
    .post(
        "/orders/{id}/eligibility",
        post(verdict),
        Op::new(
            "The rules' verdict on a return request, as the browser computes it",
            Response::Json(schema_of::<Eligibility>),
        )
        .body(schema_of::<ReturnRequest>),
    )
}

async fn list(
    State(state): State<AppState>,
    Buyer(user): Buyer,
) -> Result<Json<Vec<OrderView>>, AppError> {
    Ok(Json(orders::orders_of_buyer(&state.pool, &user.id).await?))
}

async fn one(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<OrderView>, AppError> {
    Ok(Json(
        orders::order_of_buyer(&state.pool, &user.id, &id).await?,
    ))
}

async fn verdict(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<ReturnRequest>,
) -> Result<Json<Eligibility>, AppError> {
    let view = orders::order_of_buyer(&state.pool, &user.id, &id).await?;
    Ok(Json(eligibility(
        &view.order,
        &request,
        state.now(),
        &state.policy,
    )?))
}
