//! The typed client of Retour's JSON API.

use std::marker::PhantomData;

use gloo_net::http::{Request, Response};
use leptos::prelude::*;
use rules::api::{
    first, CreditView, Login, MailPreferences, NewMessage, NewReturn, Notices, OrderView, Role,
    Topic,
};

use crate::body::{Json, ToBody};
use crate::decode::{FromJs, Obj};
use crate::route::encode;
use crate::screen::CaseScreen;

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

/// A request that failed on the way, with the browser's own words. Not the error's `Display`:
/// that compiles in serde_json's messages (for a JSON reading the app never asks gloo for),
/// about 0.6 KB of the first load, measured.
fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(match error {
        gloo_net::Error::JsError(js) => js.message,
        gloo_net::Error::GlooError(said) => said,
        _ => "the request failed".into(),
    })
}

/// The body of a successful answer; anything else becomes an [`ApiError`]. Not generic, so it is
/// compiled once for every endpoint.
async fn body(sent: Result<Response, gloo_net::Error>) -> Result<String, ApiError> {
    let response = sent.map_err(network)?;
    let status = response.status();
    let text = response.text().await.map_err(network)?;
    check(status, text)
}

/// An answer's text if its status is a success, else its error.
pub fn check(status: u16, text: String) -> Result<String, ApiError> {
    if (200..300).contains(&status) {
        return Ok(text);
    }
    // Our API's `{code, message}` (`ErrorBody`), read as two fields.
    let said = Obj::parse(&text).unwrap_or(Obj(wasm_bindgen::JsValue::NULL));
    Err(match (said.opt_text("code"), said.opt_text("message")) {
        (Some(code), Some(message)) => ApiError::Server {
            status,
            code,
            message,
        },
        // A proxy or a crash answered, not our API: a 5xx means Retour is down for a moment.
        _ => ApiError::Server {
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

/// The text of a GET of one of the app's own files or of the API.
pub async fn text(path: &str) -> Result<String, ApiError> {
    get_text(path.to_owned()).await
}

/// The JSON text of a GET, decoded by whoever asked for it.
async fn get_text(path: String) -> Result<String, ApiError> {
    body(Request::get(&path).send().await).await
}

/// A page's load: the JSON answer of one GET, typed by `T` and decoded where it is shown.
///
/// Every page shares the one load type underneath, so it is compiled once rather than once per
/// type: that keeps the bundle within its budget.
pub struct Load<T> {
    pub resource: TextLoad,
    _decodes_to: PhantomData<fn() -> T>,
}

/// The text of a GET, read again whenever its path changes or [`TextLoad::refetch`] is called;
/// `None` until the first answer arrives, then the latest answer (the last one stays while the
/// next is on its way).
///
/// A signal and a task rather than Leptos' `LocalResource`, whose async machinery (transitions
/// and their channels) cost about 5 KB gzip of the first load, measured, for the same behaviour.
#[derive(Clone, Copy)]
pub struct TextLoad {
    value: RwSignal<Option<Result<String, ApiError>>>,
    again: RwSignal<u32>,
}

impl TextLoad {
    pub fn get(self) -> Option<Result<String, ApiError>> {
        self.value.get()
    }

    /// Reads the same path again.
    pub fn refetch(self) {
        self.again.update(|n| *n += 1);
    }
}

/// Not generic, so it is compiled once for every page's load.
fn text_resource(path: Signal<String>) -> TextLoad {
    let load = TextLoad {
        value: RwSignal::new(None),
        again: RwSignal::new(0),
    };
    // Only the newest request's answer is shown: an older one that arrives late is dropped.
    let newest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let path = path.get();
        load.again.track();
        let ticket = newest.get_value().wrapping_add(1);
        newest.set_value(ticket);
        leptos::task::spawn_local(async move {
            let answer = get_text(path).await;
            if newest.try_get_value() == Some(ticket) {
                load.value.try_set(Some(answer));
            }
        });
    });
    load
}

impl<T> Clone for Load<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Load<T> {}

/// How a loaded answer becomes what its page shows.
pub trait Decode: Sized {
    fn decode(text: &str) -> Result<Self, ApiError>;
}

/// An answer that could not be read, with the field that was wrong.
impl From<crate::decode::Wrong> for ApiError {
    fn from(wrong: crate::decode::Wrong) -> Self {
        ApiError::Decode(wrong.to_string())
    }
}

impl<T: FromJs> Decode for T {
    fn decode(text: &str) -> Result<Self, ApiError> {
        Obj::parse(text)
            .and_then(|o| T::from_js(&o))
            .map_err(ApiError::from)
    }
}

impl<T: Decode> Load<T> {
    pub fn new(path: Signal<String>) -> Self {
        Load {
            resource: text_resource(path),
            _decodes_to: PhantomData,
        }
    }

    pub fn decode(text: &str) -> Result<T, ApiError> {
        T::decode(text)
    }
}

/// The signed-in buyer's orders.
pub fn orders() -> Load<Vec<OrderView>> {
    Load::new(Signal::stored(first::ORDERS.into()))
}

/// The store credit the signed-in buyer holds.
pub fn credits() -> Load<Vec<CreditView>> {
    Load::new(Signal::stored(first::CREDITS.into()))
}

/// The signed-in person's newest notices, those of the case `open` (whose page is open) read
/// first; its resource's `refetch` reads them again.
pub fn notices(open: Option<&str>) -> Load<Notices> {
    let path = match open {
        Some(case) => format!("{}?open={}", first::NOTICES, encode(case)),
        None => first::NOTICES.into(),
    };
    Load::new(Signal::stored(path))
}

/// The e-mails the signed-in person turned off.
pub fn mail() -> Load<MailPreferences> {
    Load::new(Signal::stored(first::MAIL.into()))
}

/// Turns off exactly the e-mails of `off`, the others on.
pub async fn save_mail(off: Vec<Topic>) -> Result<(), ApiError> {
    post(first::MAIL, &MailPreferences { off }).await.map(drop)
}

/// One of the buyer's orders.
pub fn order(id: String) -> Load<OrderView> {
    Load::new(Signal::stored(format!("/api/orders/{}", encode(&id))))
}

/// One case with everything its viewer may see; its resource's `refetch` reads it again.
pub fn case(id: String) -> Load<CaseScreen> {
    Load::new(Signal::stored(case_path(&id, "")))
}

thread_local! {
    /// The session's CSRF token, sent with every write.
    static CSRF: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The session's CSRF token, for a write that does not go through [`post_text`].
pub(crate) fn csrf_token() -> String {
    CSRF.with(|c| c.borrow().clone())
}

/// Who is signed in, as the app needs it: the rest of `Me` is read by no page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Viewer {
    pub display_name: String,
    pub role: Role,
}

/// The answer `Me` as a [`Viewer`], keeping its CSRF token for the writes to come.
pub fn viewer(text: &str) -> Result<Viewer, ApiError> {
    let said = Obj::parse(text)?;
    let (Ok(display_name), Ok(role), Ok(token)) = (
        said.text("display_name"),
        said.code("role", Role::from_code),
        said.text("csrf_token"),
    ) else {
        return Err(ApiError::Decode(
            "the answer is not who is signed in".into(),
        ));
    };
    CSRF.with(|c| *c.borrow_mut() = token);
    Ok(Viewer { display_name, role })
}

/// A write: JSON in, the answer's text out. Not generic, so it is compiled once.
async fn post_text(path: &str, json: String, key: Option<&str>) -> Result<String, ApiError> {
    let token = csrf_token();
    let mut request = Request::post(path)
        .header("content-type", "application/json")
        .header("x-csrf-token", &token);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let built = request.body(json).map_err(network)?;
    body(built.send().await).await
}

async fn post(path: &str, body: &dyn ToBody) -> Result<String, ApiError> {
    post_text(path, body.body().text(), None).await
}

/// Who is signed in; `Ok(None)` when nobody is (the session endpoint says so without an error,
/// so the browser logs none for a visitor who has not signed in).
pub async fn me() -> Result<Option<Viewer>, ApiError> {
    let text = get_text(first::SESSION.into()).await?;
    if text.trim() == "null" {
        return Ok(None);
    }
    viewer(&text).map(Some)
}

pub async fn sign_in(login: &Login) -> Result<Viewer, ApiError> {
    viewer(&post("/api/login", login).await?)
}

pub async fn sign_out() -> Result<(), ApiError> {
    post_text("/api/logout", "{}".into(), None).await.map(drop)
}

/// Files the return. `key` stays the same for every submit of one form, so a double click or a
/// retry after a lost answer files one case.
pub async fn file_return(request: &NewReturn, key: &str) -> Result<String, ApiError> {
    let text = post_text("/api/cases", request.body().text(), Some(key)).await?;
    Obj::parse(&text)
        .and_then(|case| case.text("id"))
        .map_err(ApiError::from)
}

/// One action on a case, e.g. `accept` with `{"of": "seller"}` as JSON, at the version the
/// viewer saw. The page reads the case again afterwards.
pub async fn act(case_id: &str, action: &str, version: u32, fields: Json) -> Result<(), ApiError> {
    let path = case_path(case_id, &format!("/{}", action.replace('_', "-")));
    // The body is the action's fields with the version beside them.
    let body = fields.set("version", version).text();
    post_text(&path, body, None).await.map(drop)
}

pub async fn send_message(case_id: &str, body: String) -> Result<(), ApiError> {
    post(&case_path(case_id, "/messages"), &NewMessage { body })
        .await
        .map(drop)
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

/// `/api/cases/{id}` and what follows it (`/live`, `/evidence`…), the id kept inside its segment.
pub(crate) fn case_path(case_id: &str, tail: &str) -> String {
    format!("/api/cases/{}{tail}", encode(case_id))
}
