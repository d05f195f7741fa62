//! Live updates as server-sent events: a case's parties hear of each change to it, and each
//! person's queue hears of changes to the cases in it. An event says which case moved to which
//! version; the screen loads what it needs.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use rules::api::Role;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::BroadcastStream;

use super::{Api, ApiPath};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::live::Change;
use crate::openapi::{schema_of, Op, Response};
use crate::store::cases;
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.get(
        "/cases/{id}/live",
        get(case_live),
        Op::new(
            "Changes to one case: `ready` once listening, then `case` at each change (and \
             `reload` if events were missed)",
            Response::Events(schema_of::<Change>),
        ),
    )
    .get(
        "/live",
        get(queue_live),
        Op::new(
            "Changes to the cases in the signed-in person's queue, as `case` events",
            Response::Events(schema_of::<Change>),
        ),
    )
}

fn event(name: &str, change: &Change) -> Event {
    Event::default()
        .event(name)
        .json_data(change)
        .unwrap_or_else(|_| Event::default().event("reload"))
}

/// The changes `hears` lets through, after a first `ready` event, until the viewer's session
/// ends (signed out anywhere, or expired).
fn stream_of(
    state: &AppState,
    user: &CurrentUser,
    ready: Event,
    hears: impl Fn(&Change) -> bool + Send + 'static,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let lasts = (user.session_expires_at - state.now())
        .to_std()
        .unwrap_or_default();
    let over = state.live.session_over(user.session.clone(), lasts);
    let changes = BroadcastStream::new(state.live.subscribe()).filter_map(move |received| {
        let out = match received {
            Ok(change) if hears(&change) => Some(Ok(event("case", &change))),
            Ok(_) => None,
            // This listener fell behind: the screen should load everything again.
            Err(BroadcastStreamRecvError::Lagged(_)) => {
                Some(Ok(Event::default().event("reload").data("{}")))
            }
        };
        async move { out }
    });
    let events = stream::once(async move { Ok(ready) })
        .chain(changes)
        .take_until(over);
    Sse::new(events).keep_alive(KeepAlive::default())
}

async fn case_live(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let stored = cases::load(&state.pool, &user.scope(), &id).await?;
    let ready = event("ready", &stored.change());
    Ok(stream_of(&state, &user, ready, move |change| {
        change.case_id == id
    }))
}

async fn queue_live(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let stores: Vec<String> = on_db!(
        &state.pool,
        "SELECT id FROM stores WHERE owner_id = ?",
        |sql, p| sqlx::query_scalar(sql).bind(&user.id).fetch_all(p).await
    )?;
    let ready = Event::default().event("ready").data("{}");
    let (role, user_id) = (user.role, user.id.clone());
    let hears = move |change: &Change| match role {
        Role::Buyer => change.buyer_id == user_id,
        Role::Seller => stores.contains(&change.store_id),
        Role::Mediator => change.escalated,
    };
    Ok(stream_of(&state, &user, ready, hears))
}
