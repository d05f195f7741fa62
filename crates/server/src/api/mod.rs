//! The JSON API under `/api`. Every route is registered through [`Api`], which also writes its
//! entry in the OpenAPI document served at `/api/openapi.json`.

pub mod bundle;
mod carrier;
mod cases;
mod evidence;
mod live;
mod notifications;
mod orders;
mod queues;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use rules::api::{Login, Me};
use serde_json::{json, Value};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth;
use crate::error::AppError;
use crate::openapi::{schema_of, Doc, Op, Response};
use crate::AppState;

pub use crate::extract::{from_value, parse_json, ApiJson, ApiPath, ApiQuery, JSON_LIMIT};

/// A JSON answer the browser may keep and revalidate: tagged with the SHA-256 of its body, and
/// answered `304 Not Modified` without a body when the client already holds that version.
pub fn revalidated<T: serde::Serialize>(
    request: &axum::http::HeaderMap,
    value: &T,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let body = serde_json::to_vec(value).map_err(|e| AppError::Internal(e.to_string()))?;
    let etag = format!("\"{}\"", crate::digest::sha256_hex(&body));
    let held = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim().trim_start_matches("W/") == etag);
    let headers = [
        (header::ETAG, etag),
        // Private: an order is its buyer's. no-cache: kept, but asked again each time.
        (header::CACHE_CONTROL, "private, no-cache".to_owned()),
    ];
    Ok(if held {
        (StatusCode::NOT_MODIFIED, headers).into_response()
    } else {
        (
            headers,
            [(header::CONTENT_TYPE, "application/json".to_owned())],
            body,
        )
            .into_response()
    })
}

/// The router under construction and its description, kept in step.
pub struct Api {
    router: Router<AppState>,
    doc: Doc,
}

impl Api {
    fn route(
        mut self,
        method: Method,
        path: &str,
        handler: MethodRouter<AppState>,
        op: Op,
    ) -> Self {
        self.doc
            .add(&method.as_str().to_lowercase(), &format!("/api{path}"), &op);
        self.router = self.router.route(path, handler);
        self
    }

    fn get(self, path: &str, handler: MethodRouter<AppState>, op: Op) -> Self {
        self.route(Method::GET, path, handler, op)
    }

    fn post(self, path: &str, handler: MethodRouter<AppState>, op: Op) -> Self {
        self.route(Method::POST, path, handler, op)
    }
}

pub fn router() -> Router<AppState> {
    let api = Api {
        router: Router::new(),
        doc: Doc::default(),
    }
    .get(
        "/health",
        get(health),
        Op::new("Is the server up", Response::Json(schema_of::<Value>)).public(),
    )
    .post(
        "/login",
        post(auth::login),
        Op::new(
            "Sign in: sets the session cookie, answers who you are and the CSRF token",
            Response::Json(schema_of::<Me>),
        )
        .body(schema_of::<Login>)
        .public(),
    )
    .post(
        "/logout",
        post(auth::logout),
        Op::new("Sign out", Response::Empty).status(204),
    )
    .post(
        "/csp-report",
        post(crate::security::report),
        Op::new(
            "Browsers report here what the Content-Security-Policy blocked",
            Response::Empty,
        )
        .status(204)
        .public(),
    )
    .get(
        "/me",
        get(auth::get_me),
        Op::new("Who is signed in", Response::Json(schema_of::<Me>)),
    )
    .get(
        "/session",
        get(auth::get_session),
        Op::new(
            "Who is signed in, or null for nobody: what the app asks as it starts",
            Response::Json(schema_of::<Option<Me>>),
        )
        .public(),
    );
    let api = orders::routes(api);
    let api = notifications::routes(api);
    let api = cases::routes(api);
    let api = evidence::routes(api);
    let api = bundle::routes(api);
    let api = carrier::routes(api);
    let api = queues::routes(api);
    let api = live::routes(api);
    let document = Arc::new(api.doc.finish());
    api.router
        .route(
            "/openapi.json",
            get(move || {
                let document = Arc::clone(&document);
                async move { Json(document.as_ref().clone()) }
            }),
        )
        .layer(axum::extract::DefaultBodyLimit::max(JSON_LIMIT))
        // A person's data is never kept by the browser unless an answer says how (the orders
        // are revalidated by their ETag): a page come back to with Back may take its preloads
        // from the cache without asking, and met "nobody is signed in" from before signing in.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Without its own fallback a nested router inherits the app's, which serves index.html.
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(wrong_method)
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    on_db!(&state.pool, "SELECT 1", |sql, p| sqlx::query(sql)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(Json(json!({ "status": "ok" })))
}

async fn unknown_endpoint() -> AppError {
    AppError::new(
        StatusCode::NOT_FOUND,
        "unknown_endpoint",
        "there is no such endpoint; see /api/openapi.json",
    )
}

async fn wrong_method(method: Method) -> AppError {
    AppError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("this endpoint does not accept {method}"),
    )
}
