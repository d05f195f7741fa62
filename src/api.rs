//! The typed client of Retour's JSON API.

use std::marker::PhantomData;

use gloo_net::http::{Request, Response};
use leptos::prelude::*;
use rules::api::{CaseView, ErrorBody, NewReturn, OrderView};
use serde::de::DeserializeOwned;
use serde::Serialize;

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
    /// What went wrong, in the viewer's words: our sentence for the code, else the server's.
    pub fn describe(&self) -> String {
        match self {
            ApiError::Server { code, message, .. } => crate::text::error(code, message),
            other => crate::text::error(other.code(), ""),
        }
    }

    /// The stable code to translate: the server's own, or one for the failures on our side.
    pub fn code(&self) -> &str {
        match self {
            ApiError::Network(_) => "network",
            ApiError::Server { code, .. } => code,
            ApiError::Decode(_) => "decode",
        }
    }
}

/// The body of a successful answer; anything else becomes an [`ApiError`]. Not generic, so it is
/// compiled once for every endpoint.
async fn body(sent: Result<Response, gloo_net::Error>) -> Result<String, ApiError> {
    let response = sent.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    if response.ok() {
        return Ok(text);
    }
    Err(match parse::<ErrorBody>(&text) {
        Ok(body) => ApiError::Server {
            status,
            code: body.code,
            message: body.message,
        },
        // A proxy or a crash answered, not our API: a 5xx means Retour is down for a moment.
        Err(_) => ApiError::Server {
            status,
            code: if status >= 500 {
                "unavailable"
            } else {
                "http_error"
            }
            .into(),
            message: format!("the server answered {status}"),
        },
    })
}

/// JSON text to a value, with the browser's own parser: serde_json's would add tens of kilobytes
/// to the bundle for the same result.
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let value = js_sys::JSON::parse(text).map_err(|_| "the answer is not JSON".to_owned())?;
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    parse(text).map_err(ApiError::Decode)
}

/// A value to JSON text, with the browser's own `JSON.stringify`.
fn to_json<T: Serialize>(value: &T) -> Result<String, String> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let value = value.serialize(&serializer).map_err(|e| e.to_string())?;
    js_sys::JSON::stringify(&value)
        .map(String::from)
        .map_err(|_| "the request cannot be written as JSON".to_owned())
}

/// The JSON text of a GET, decoded by whoever asked for it.
async fn get_text(path: String) -> Result<String, ApiError> {
    body(Request::get(&path).send().await).await
}

/// One field of a JSON answer, read with the browser's own parser: no decoder for the rest of
/// the answer is compiled into the bundle.
fn field(text: &str, name: &str) -> Result<wasm_bindgen::JsValue, ApiError> {
    js_sys::JSON::parse(text)
        .ok()
        .and_then(|value| js_sys::Reflect::get(&value, &name.into()).ok())
        .filter(|value| !value.is_undefined())
        .ok_or_else(|| ApiError::Decode(format!("the answer has no {name}")))
}

/// A page's load: the JSON answer of one GET, typed by `T` and decoded where it is shown.
///
/// Every page shares the one resource type underneath, so Leptos' async machinery is compiled
/// once rather than once per type: that keeps the bundle within its budget.
pub struct Load<T> {
    pub resource: LocalResource<Result<String, ApiError>>,
    _decodes_to: PhantomData<fn() -> T>,
}

/// Not generic, so it is compiled once for every page's load.
fn text_resource(
    path: Signal<String>,
    name: Option<&'static str>,
) -> LocalResource<Result<String, ApiError>> {
    LocalResource::new(move || {
        let path = path.get();
        async move {
            let text = get_text(path).await?;
            match name {
                Some(name) => js_sys::JSON::stringify(&field(&text, name)?)
                    .map(String::from)
                    .map_err(|_| ApiError::Decode(format!("{name} is not JSON"))),
                None => Ok(text),
            }
        }
    })
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Load<T> {}

impl<T: DeserializeOwned> Load<T> {
    fn new(path: Signal<String>) -> Self {
        Self::field_of(path, None)
    }

    /// The answer's field `name` when given, else the whole answer.
    fn field_of(path: Signal<String>, name: Option<&'static str>) -> Self {
        Load {
            resource: text_resource(path, name),
            _decodes_to: PhantomData,
        }
    }

    pub fn decode(text: &str) -> Result<T, ApiError> {
        decode(text)
    }
}

/// The signed-in buyer's orders.
pub fn orders() -> Load<Vec<OrderView>> {
    Load::new(Signal::stored("/api/orders".into()))
}

/// One of the buyer's orders; `id` may change with the route.
pub fn order(id: Signal<String>) -> Load<OrderView> {
    Load::new(Signal::derive(move || {
        format!("/api/orders/{}", encode(&id.get()))
    }))
}

/// One case, read as its summary (the answer carries much more).
pub fn case(id: Signal<String>) -> Load<CaseView> {
    Load::new(Signal::derive(move || {
        format!("/api/cases/{}", encode(&id.get()))
    }))
}

/// The signed-in seller's queue, most urgent first: the first page's cases.
pub fn seller_returns() -> Load<Vec<CaseView>> {
    Load::field_of(Signal::stored("/api/cases".into()), Some("items"))
}

/// Files the return. `key` stays the same for every submit of one form, so a double click or a
/// retry after a lost answer files one case.
pub async fn file_return(request: &NewReturn, key: &str) -> Result<CaseView, ApiError> {
    let token = field(&get_text("/api/me".into()).await?, "csrf_token")?
        .as_string()
        .unwrap_or_default();
    let built = Request::post("/api/cases")
        .header("content-type", "application/json")
        .header("x-csrf-token", &token)
        .header("idempotency-key", key)
        .body(to_json(request).map_err(ApiError::Decode)?)
        .map_err(|e| ApiError::Decode(e.to_string()))?;
    decode(&body(built.send().await).await?)
}

/// A key for one form's submits: random enough that two forms never share it. Written by the
/// browser's number formatting, which costs the bundle nothing.
pub fn idempotency_key() -> String {
    let base36 = |n: f64| {
        String::from(
            js_sys::Number::from(n.floor())
                .to_string_with_radix(36)
                .unwrap_or_default(),
        )
    };
    format!(
        "{}-{}",
        base36(js_sys::Date::now()),
        base36(js_sys::Math::random() * 2f64.powi(52))
    )
}

/// Ids come from URLs the user can edit: keep them inside one path segment.
fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}
