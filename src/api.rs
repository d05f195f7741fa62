//! The typed client of Retour's JSON API.

use gloo_net::http::{Request, Response};
use rules::api::{CaseView, ErrorBody, NewReturn, OrderView};
use serde::de::DeserializeOwned;

/// Why a call to the API failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The request did not reach the server, or its answer was lost.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an error and its stable code.
    #[error("{message} ({code})")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The answer was not what this version of the app understands.
    #[error("unexpected answer from the server: {0}")]
    Decode(String),
}

impl ApiError {
    /// The stable code to translate: the server's own, or one for the failures on our side.
    pub fn code(&self) -> &str {
        match self {
            ApiError::Network(_) => "network",
            ApiError::Server { code, .. } => code,
            ApiError::Decode(_) => "decode",
        }
    }
}

async fn read<T: DeserializeOwned>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiError> {
    let response = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|e| ApiError::Decode(e.to_string()));
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Server {
            status,
            code: body.code,
            message: body.message,
        }),
        // A proxy or a crash answered, not our API.
        Err(_) => Err(ApiError::Server {
            status,
            code: "http_error".into(),
            message: format!("the server answered {status}"),
        }),
    }
}

async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    read(Request::get(path).send().await).await
}

pub async fn orders() -> Result<Vec<OrderView>, ApiError> {
    get("/api/orders").await
}

pub async fn order(id: &str) -> Result<OrderView, ApiError> {
    get(&format!("/api/orders/{}", encode(id))).await
}

pub async fn file_return(request: &NewReturn) -> Result<CaseView, ApiError> {
    let built = Request::post("/api/returns")
        .json(request)
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    read(built.send().await).await
}

pub async fn case(id: &str) -> Result<CaseView, ApiError> {
    get(&format!("/api/returns/{}", encode(id))).await
}

pub async fn seller_returns() -> Result<Vec<CaseView>, ApiError> {
    get("/api/seller/returns").await
}

/// Ids come from URLs the user can edit: keep them inside one path segment.
fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
