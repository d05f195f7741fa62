//! The JSON API under `/api`. Every route is registered through [`Api`], which also writes its
//! entry in the OpenAPI document served at `/api/openapi.json`.

pub mod bundle;
mod carrier;
mod cases;
mod evidence;
mod live;
mod orders;
mod queues;

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use rules::api::{Login, Me};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::auth;
use crate::error::AppError;
use crate::openapi::{schema_of, Doc, Op, Response};
use crate::AppState;

pub use cases::{carry_out, publish, settle, SYSTEM_KEY_PREFIX};

/// The largest JSON body accepted: far above any real request, far below harm.
pub const JSON_LIMIT: usize = 64 * 1024;

/// A JSON answer the browser may keep and revalidate: tagged with the SHA-256 of its body, and
/// answered `304 Not Modified` without a body when the client already holds that version.
pub fn revalidated<T: serde::Serialize>(
    request: &axum::http::HeaderMap,
    value: &T,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let body = serde_json::to_vec(value).map_err(|e| AppError::Internal(e.to_string()))?;
    let etag = format!("\"{}\"", auth::sha256_hex(&body));
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

/// A JSON body whose errors name the field at fault (`lines[0].quantity`) in `details.field`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON, with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "body_too_large",
                        format!("the body is larger than {} KB", JSON_LIMIT / 1024),
                    )
                } else {
                    AppError::bad_request("unreadable_body", rejection.body_text())
                }
            })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// JSON text to `T`, or an error that says which field is wrong and how.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(field_error)?;
    deserializer
        .end()
        .map_err(|e| AppError::bad_request("malformed_json", e.to_string()))?;
    Ok(value)
}

/// A JSON value to `T`, with the same errors as [`parse_json`].
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(value).map_err(field_error)
}

fn field_error(e: serde_path_to_error::Error<serde_json::Error>) -> AppError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let message = inner.to_string();
    if inner.is_syntax() || inner.is_eof() {
        return AppError::bad_request("malformed_json", message);
    }
    // A missing field is reported at its parent: name the field itself.
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        Some(name) if path == "." => name.to_owned(),
        Some(name) => format!("{path}.{name}"),
        None => path,
    };
    AppError::unprocessable("invalid_field", format!("{field}: {message}"))
        .with_details(json!({ "field": field }))
}

/// `axum::extract::Path` whose rejections answer in our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(AppError))]
pub struct ApiPath<T>(pub T);

/// `axum::extract::Query` whose rejections answer in our error shape.
#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(AppError))]
pub struct ApiQuery<T>(pub T);

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
    );
    let api = orders::routes(api);
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
        // Without its own fallback a nested router inherits the app's, which serves index.html.
        .fallback(unknown_endpoint)
        .method_not_allowed_fallback(wrong_method)
}

async fn health(State(state): State<AppState>) -> Result<Json<Value>, AppError> {
    sqlx::query("SELECT 1").execute(&state.pool).await?;
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
