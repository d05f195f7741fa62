//! Queues of cases for each role, the seller's statistics and saved addresses, and the
//! mediator's risk signals.

use axum::extract::State;
use axum::routing::get;
use axum::Json;
use chrono::{DateTime, TimeDelta, Utc};
use rules::api::{Queue, RiskSignals, SavedAddress, SellerStats, StorePolicy};
use serde::Deserialize;

use super::{Api, ApiPath, ApiQuery};
use crate::auth::{CurrentUser, Mediator, Seller};
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::store::cases;
use crate::store::queue::{self, Filters, QUERY_DOC};
use crate::store::{addresses, orders, stats};
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.get(
        "/cases",
        get(list),
        Op::new(
            "The signed-in person's queue: a buyer's own cases, a seller's stores' cases, the \
             mediator's escalated cases; filtered, by deadline, paged by cursor",
            Response::Json(schema_of::<Queue>),
        )
        .query(QUERY_DOC),
    )
    .get(
        "/seller/stats",
        get(seller_stats),
        Op::new(
            "The seller's return rate, reasons, outcomes, time to resolution and automatic \
             actions over a period (default: the last 30 days)",
            Response::Json(schema_of::<SellerStats>),
        )
        .query(&[
            ("from", "Start of the period, RFC 3339 (included)"),
            ("to", "End of the period, RFC 3339 (excluded)"),
        ]),
    )
    .get(
        "/seller/addresses",
        get(seller_addresses),
        Op::new(
            "The return addresses the seller's stores have given, the most recently used first",
            Response::Json(schema_of::<Vec<SavedAddress>>),
        ),
    )
    .get(
        "/seller/policy",
        get(seller_policy),
        Op::new(
            "The rules the seller's orders are judged by, per store: the marketplace's policy \
             with the seller's and each category's changes (the operator's policy file)",
            Response::Json(schema_of::<Vec<StorePolicy>>),
        ),
    )
    .get(
        "/cases/{id}/risk",
        get(risk),
        Op::new(
            "For the mediator: the buyer's cases and refund rate, the seller's fault rate and \
             automatic actions, over the last 90 days",
            Response::Json(schema_of::<RiskSignals>),
        ),
    )
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(filters): ApiQuery<Filters>,
) -> Result<Json<Queue>, AppError> {
    Ok(Json(
        queue::page(&state.pool, &user.scope(), user.party(), filters).await?,
    ))
}

#[derive(Deserialize)]
struct Period {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

async fn seller_stats(
    State(state): State<AppState>,
    Seller(user): Seller,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Json<SellerStats>, AppError> {
    let to = period.to.unwrap_or_else(|| state.now());
    let from = period.from.unwrap_or(to - TimeDelta::days(30));
    if from >= to {
        return Err(AppError::bad_request(
            "invalid_period",
            "the period must start before it ends",
        )
        .with_details(serde_json::json!({ "field": "from" })));
    }
    Ok(Json(stats::seller(&state.pool, &user.id, from, to).await?))
}

async fn seller_addresses(
    State(state): State<AppState>,
    Seller(user): Seller,
) -> Result<Json<Vec<SavedAddress>>, AppError> {
    Ok(Json(addresses::of_seller(&state.pool, &user.id).await?))
}

async fn seller_policy(
    State(state): State<AppState>,
    Seller(user): Seller,
) -> Result<Json<Vec<StorePolicy>>, AppError> {
    let stores = orders::stores_of(&state.pool, &user.id).await?;
    Ok(Json(
        stores
            .into_iter()
            .map(|(store_id, store)| StorePolicy {
                policy: state.policies.for_seller(&store_id),
                store_id,
                store,
            })
            .collect(),
    ))
}

async fn risk(
    State(state): State<AppState>,
    Mediator(user): Mediator,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RiskSignals>, AppError> {
    let stored = cases::load(&state.pool, &user.scope(), &id).await?;
    Ok(Json(
        stats::risk(&state.pool, &stored.buyer_id, &stored.store_id, state.now()).await?,
    ))
}
