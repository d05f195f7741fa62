//! The signed-in person's notices and which e-mails they want.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Json;

use super::{Api, ApiJson, ApiPath, ApiQuery};
use axum::http::{header, HeaderMap};

use crate::auth::{cookie, CurrentUser, LOCALE_COOKIE};
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::store::notifications;
use crate::words::Words;
use crate::AppState;
use rules::api::{MailPreferences, Notices, Topic};
use serde::Deserialize;

pub(super) fn routes(api: Api) -> Api {
    api.get(
        "/notifications",
        get(list),
        Op::new(
            "The newest notices of the signed-in person, and how many are unread; with `open`, \
             the notices of that case are read first (its page is open)",
            Response::Json(schema_of::<Notices>),
        )
        .query(&[("open", "The id of the case whose page the person has open")]),
    )
    .post(
        "/notifications/{id}/read",
        post(read),
        Op::new(
            "Marks a notice read, with the others of its case: opening one shows the case",
            Response::Json(schema_of::<Notices>),
        ),
    )
    .get(
        "/account/mail",
        get(preferences),
        Op::new(
            "The kinds of e-mail the signed-in person turned off",
            Response::Json(schema_of::<MailPreferences>),
        ),
    )
    .post(
        "/account/mail",
        post(set_preferences),
        Op::new(
            "Turns off exactly these kinds of e-mail (the others on)",
            Response::Json(schema_of::<MailPreferences>),
        )
        .body(schema_of::<MailPreferences>),
    )
}

/// `user`'s notices, each said in the language of the app (its cookie) or of the browser.
async fn notices(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
) -> Result<Json<Notices>, AppError> {
    let mut notices = notifications::of_user(&state.pool, &user.id).await?;
    let w = Words::choose(
        cookie(headers, LOCALE_COOKIE),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    for n in &mut notices.items {
        let what = crate::mail::what(w, &n.kind, &n.actor);
        n.text = w.fill(
            "mail.case",
            &[("number", &n.number.to_string()), ("what", &what)],
        );
    }
    Ok(Json(notices))
}

/// The case whose page is open, if any: its notices are read.
#[derive(Deserialize)]
struct Open {
    open: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
    ApiQuery(open): ApiQuery<Open>,
) -> Result<Json<Notices>, AppError> {
    if let Some(case_id) = open.open {
        // Read before counting, in one request: the header drawn with a case page never
        // counts that case's notices unread. Marking someone else's case matches no row.
        notifications::read_case(&state.pool, &user.id, &case_id, state.now()).await?;
    }
    // The header reads these again whenever the app's language changes: the e-mails follow it.
    crate::auth::remember_language(&state, &headers, &user).await?;
    notices(&state, &headers, &user).await
}

async fn read(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Notices>, AppError> {
    if !notifications::read(&state.pool, &user.id, &id, state.now()).await? {
        return Err(AppError::NotFound("notification"));
    }
    notices(&state, &headers, &user).await
}

async fn preferences(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<MailPreferences>, AppError> {
    let off = notifications::muted(&state.pool, &user.id).await?;
    Ok(Json(MailPreferences { off }))
}

async fn set_preferences(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(wanted): ApiJson<MailPreferences>,
) -> Result<Json<MailPreferences>, AppError> {
    // At most one of each topic: the list is bounded by what exists.
    let off: Vec<Topic> = Topic::ALL
        .into_iter()
        .filter(|t| wanted.off.contains(t))
        .collect();
    notifications::mute(&state.pool, &user.id, &off).await?;
    Ok(Json(MailPreferences { off }))
}
