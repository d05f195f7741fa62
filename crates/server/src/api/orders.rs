//! The signed-in buyer's orders and store credits, and the eligibility verdict for clients without
//! the wasm rules.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Json;
use rules::api::{CreditView, OrderView};
use rules::{eligibility, Eligibility, ReturnRequest};

use axum::http::HeaderMap;

use super::{revalidated, Api, ApiJson, ApiPath};
use crate::auth::Buyer;
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::store::{cases, orders};
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
    .get(
        "/credits",
        get(credits),
        Op::new(
            "The store credits the buyer holds, newest first",
            Response::Json(schema_of::<Vec<CreditView>>),
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

// Orders carry the policy they are judged by, so the browser keeps them and revalidates.
async fn list(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
) -> Result<axum::response::Response, AppError> {
    let mut views = orders::orders_of_buyer(&state.pool, &user.id).await?;
    for view in &mut views {
        view.policy = state.order_policy(view);
    }
    revalidated(&headers, &views)
}

async fn one(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
) -> Result<axum::response::Response, AppError> {
    let mut view = orders::order_of_buyer(&state.pool, &user.id, &id).await?;
    view.policy = state.order_policy(&view);
    revalidated(&headers, &view)
}

async fn credits(
    State(state): State<AppState>,
    Buyer(user): Buyer,
) -> Result<Json<Vec<CreditView>>, AppError> {
    Ok(Json(cases::credits(&state.pool, &user.id).await?))
}

async fn verdict(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    ApiPath(id): ApiPath<String>,
    ApiJson(mut request): ApiJson<ReturnRequest>,
) -> Result<Json<Eligibility>, AppError> {
    let view = orders::order_of_buyer(&state.pool, &user.id, &id).await?;
    // A quote the client sent is replaced by the server's own.
    let (policy, quote) = state.judging(&view, &request.lines);
    request.return_shipping_cost = quote;
    Ok(Json(eligibility(
        &view.order,
        &request,
        state.now(),
        &policy,
    )?))
}
