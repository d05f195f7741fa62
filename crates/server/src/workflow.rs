//! The case workflows: filing, acting, the clock's catching up, messages, and telling the live
//! streams. The handlers call them for people, the sweeper and the carrier webhook for the system;
//! each reads through the store, lets the rules decide and writes back naming the version it read.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rules::api::{CaseDetail, NewReturn, DESCRIPTION_MAX_CHARS};
use rules::{advance, apply, file as file_with_rules, Action, CaseError, Filing, Offer, Party};
use rules::{ReturnRequest, TEXT_MAX_CHARS};
use serde_json::json;

use crate::carrier;
use crate::digest::sha256_hex;
use crate::error::AppError;
use crate::photos::MAX_PER_CASE;
use crate::store::cases::{self, Inserted, Keyed, NewCase, Scope, Stored};
use crate::store::orders;
use crate::store::{addresses, notifications};
use crate::AppState;

/// Keys the server files under itself (an unmatched group buy's refund, the demo). A client may
/// not use them, or it could take the place of the system's own filing.
pub const SYSTEM_KEY_PREFIX: &str = "system:";

/// A person acting on cases: who, for which side, and which cases they may see.
#[derive(Clone, Debug)]
pub struct Actor {
    pub user_id: String,
    pub party: Party,
    pub scope: Scope,
}

/// What a filing did: opened the case, or found the one the same request opened before.
pub enum Filed {
    New(Stored),
    Again(Stored),
}

/// Publishes a stored change to the live streams.
pub fn publish(state: &AppState, stored: &Stored) {
    state.live.publish(stored.change());
}

/// Writes the reminders of the deadlines a day ahead, and tells the live streams of each case
/// reminded: a reminder changes no case, but the header of whoever must act counts it at once.
/// Answers the cases reminded.
#[tracing::instrument(skip(state))]
pub async fn remind(state: &AppState) -> Result<Vec<String>, AppError> {
    let reminded = notifications::remind(&state.pool, state.now()).await?;
    for case_id in &reminded {
        if let Some(stored) = cases::load_any(&state.pool, case_id).await? {
            publish(state, &stored);
        }
    }
    Ok(reminded)
}

/// The case as `party` sees it.
pub async fn show(state: &AppState, stored: &Stored, party: Party) -> Result<CaseDetail, AppError> {
    Ok(cases::detail(&state.pool, stored, party).await?)
}

/// The case already filed under the key, if the body is the same one; a different body under
/// the same key is a client bug that must not pass for success.
fn same_filing(first: Keyed, request_sha256: &str) -> Result<Stored, AppError> {
    match first.request_sha256 {
        Some(sent) if sent != request_sha256 => Err(AppError::unprocessable(
            "idempotency_key_reused",
            "this Idempotency-Key already filed a different request; use a new key for a new \
             request",
        )
        .with_details(json!({ "case_id": first.stored.case.id }))),
        _ => Ok(first.stored),
    }
}

fn case_exists(case_id: String) -> AppError {
    AppError::conflict("case_exists", "these items already have a return case")
        .with_details(json!({ "case_id": case_id }))
}

/// The buyer files `request` under `key`: once, with the photos it cites, judged by the server's
/// own policy and quote.
#[tracing::instrument(skip_all, fields(buyer = %buyer.user_id, order = %request.order_id))]
pub async fn file(
    state: &AppState,
    buyer: &Actor,
    key: &str,
    request: &NewReturn,
) -> Result<Filed, AppError> {
    let request_sha256 = sha256_hex(
        &serde_json::to_vec(request)
            .map_err(|e| AppError::Internal(format!("filing to JSON: {e}")))?,
    );
    if let Some(first) = cases::filed_under(&state.pool, &buyer.user_id, key).await? {
        return Ok(Filed::Again(same_filing(first, &request_sha256)?));
    }
    let description = request.description.trim();
    if description.chars().count() > DESCRIPTION_MAX_CHARS {
        return Err(AppError::unprocessable(
            "description_too_long",
            format!("the description is longer than {DESCRIPTION_MAX_CHARS} characters"),
        )
        .with_details(json!({ "field": "description", "max": DESCRIPTION_MAX_CHARS })));
    }
    let mut evidence = request.evidence.clone();
    evidence.sort();
    evidence.dedup();
    within_allowance(&evidence)?;
    let view = orders::order_of_buyer(&state.pool, &buyer.user_id, &request.order_id).await?;
    let parties = orders::parties(&state.pool, &view.order.id).await?;
    let now = state.now();
    // The policy and the quote are the server's own: nothing the client sends sets them.
    let (policy, quote) = state.judging(&view, &request.lines);
    let filing = Filing {
        request: ReturnRequest {
            return_shipping_cost: quote,
            ..ReturnRequest::new(request.lines.clone(), request.reason)
        },
        offer: Offer {
            resolution: request.resolution,
            partial_amount_minor: request.partial_amount_minor,
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: evidence.clone(),
            exchange_for: request.exchange_for.clone(),
        },
        description: description.to_owned(),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let (filed, mut events) = file_with_rules(id, &view.order, &filing, now, &policy)?;
    // A refund approved at filing is issued by the clock straight away.
    let (case, more) = advance(&filed, now, &policy);
    events.extend(more);
    let stored = Stored::filed(case, &events, parties, request.resolution, Arc::new(policy));
    let new = NewCase {
        stored: &stored,
        events: &events,
        idempotency_key: key,
        request_sha256: Some(&request_sha256),
        filed_by: Some(&buyer.user_id),
        evidence: &evidence,
    };
    match cases::insert(&state.pool, &new).await? {
        Inserted::Stored => {}
        // The same submit, sent twice at once: the other one filed it meanwhile.
        Inserted::SameKey(first) => {
            return Ok(Filed::Again(same_filing(*first, &request_sha256)?));
        }
        Inserted::LinesTaken { case_id } => return Err(case_exists(case_id)),
        Inserted::EvidenceUnavailable(unknown) => {
            return Err(AppError::unprocessable(
                "unknown_evidence",
                "the filing cites photos that are not your unfiled uploads",
            )
            .with_details(json!({ "field": "evidence", "unknown": unknown })))
        }
    }
    publish(state, &stored);
    Ok(Filed::New(stored))
}

/// Refuses a list of photos longer than one case may hold.
fn within_allowance(evidence: &[String]) -> Result<(), AppError> {
    if evidence.len() > MAX_PER_CASE as usize {
        return Err(AppError::unprocessable(
            "too_many_photos",
            format!("a case holds at most {MAX_PER_CASE} photos"),
        )
        .with_details(json!({ "field": "evidence", "max": MAX_PER_CASE })));
    }
    Ok(())
}

/// `party` takes `action` on the stored case at `at` (done by `user`, or for the platform by the
/// system when `None`): the rules decide, a deadline that falls due by now is carried out in the
/// same write (a refund issued the moment it is due), and the write names the version read.
/// `None` when another writer got there first and nothing was written.
pub async fn carry_out(
    state: &AppState,
    stored: &Stored,
    party: Party,
    action: Action,
    at: DateTime<Utc>,
    user: Option<&str>,
) -> Result<Option<Stored>, AppError> {
    let (case, mut events) = apply(&stored.case, party, action, at, &stored.policy)?;
    let (case, more) = advance(&case, state.now(), &stored.policy);
    events.extend(more);
    let saved = cases::save(
        &state.pool,
        stored.case.version,
        &case,
        &events,
        user,
        &stored.policy,
    )
    .await?;
    if !saved {
        return Ok(None);
    }
    let after = stored.clone().after(case, &events);
    publish(state, &after);
    Ok(Some(after))
}

/// Carries out the deadlines of the case that passed, if the sweeper has not yet: whoever looks
/// at a case sees it as the clock left it. Returns the case as stored afterwards.
pub async fn settle(state: &AppState, stored: Stored) -> Result<Stored, AppError> {
    let (case, events) = advance(&stored.case, state.now(), &stored.policy);
    if events.is_empty() {
        return Ok(stored);
    }
    let saved = cases::save(
        &state.pool,
        stored.case.version,
        &case,
        &events,
        None,
        &stored.policy,
    )
    .await?;
    if !saved {
        // Another writer (the sweeper, a party) got there first: read what it wrote.
        return cases::load_any(&state.pool, &stored.case.id)
            .await?
            .ok_or(AppError::NotFound("case"));
    }
    let stored = stored.after(case, &events);
    publish(state, &stored);
    Ok(stored)
}

/// The case as the clock left it, if `actor` may see it.
pub async fn read(state: &AppState, actor: &Actor, id: &str) -> Result<Stored, AppError> {
    let stored = cases::load(&state.pool, &actor.scope, id).await?;
    settle(state, stored).await
}

/// The actor saw an older version than `current`: the answer carries `current`.
async fn stale(state: &AppState, current: &Stored, actor: &Actor) -> AppError {
    match show(state, current, actor.party).await {
        Ok(detail) => AppError::Stale(Box::new(detail)),
        Err(e) => e,
    }
}

/// `actor` takes `action` on the case they saw at version `seen`.
#[tracing::instrument(skip_all, fields(case = %id, by = %actor.user_id, action = action.kind().code()))]
pub async fn act(
    state: &AppState,
    actor: &Actor,
    id: &str,
    seen: u32,
    action: Action,
) -> Result<Stored, AppError> {
    // The clock may have acted since the client looked: then its view is stale too.
    let stored = read(state, actor, id).await?;
    if stored.case.version != seen {
        return Err(stale(state, &stored, actor).await);
    }
    let cited = match &action {
        Action::Propose(offer)
        | Action::Rule {
            decree: rules::Decree::Plan(offer),
            ..
        } => Some(&offer.evidence),
        Action::RepairFailed { evidence, .. } => Some(evidence),
        _ => None,
    };
    if let Some(evidence) = cited {
        // Counted before anything is looked up: a list longer than a case can hold is refused.
        within_allowance(evidence)?;
        let unknown = cases::unknown_evidence(&state.pool, id, evidence).await?;
        if !unknown.is_empty() {
            return Err(AppError::unprocessable(
                "unknown_evidence",
                "the proposal cites evidence that is not part of this case",
            )
            .with_details(json!({ "field": "evidence", "unknown": unknown })));
        }
    }
    let now = state.now();
    let shipped_return = matches!(action, Action::ShipReturn { .. });
    let address = match &action {
        Action::GiveReturnAddress { address } => Some(address.clone()),
        _ => None,
    };
    let Some(stored) = carry_out(
        state,
        &stored,
        actor.party,
        action,
        now,
        Some(&actor.user_id),
    )
    .await?
    else {
        // Another party wrote between our read and our write.
        let current = cases::load(&state.pool, &actor.scope, id).await?;
        return Err(stale(state, &current, actor).await);
    };
    if let Some(address) = address {
        addresses::remember(&state.pool, &stored.store_id, address.trim(), now).await?;
    }
    let shipped = shipped_return
        .then(|| stored.case.return_tracking.clone())
        .flatten();
    if let Some(tracking) = shipped {
        // The carrier may have reported the parcel before the buyer gave its number.
        carrier::catch_up(state, id, &tracking.number).await?;
        return Ok(cases::load(&state.pool, &actor.scope, id).await?);
    }
    Ok(stored)
}

/// `actor` writes `body` on an open case.
pub async fn message(
    state: &AppState,
    actor: &Actor,
    id: &str,
    body: &str,
) -> Result<Stored, AppError> {
    let stored = cases::load(&state.pool, &actor.scope, id).await?;
    let body = body.trim();
    if body.is_empty() {
        return Err(
            AppError::unprocessable("message_empty", "write a message first")
                .with_details(json!({ "field": "body" })),
        );
    }
    if body.chars().count() > TEXT_MAX_CHARS {
        return Err(AppError::unprocessable(
            "text_too_long",
            format!("the message is longer than {TEXT_MAX_CHARS} characters"),
        )
        .with_details(json!({ "field": "body", "max": TEXT_MAX_CHARS })));
    }
    if stored.case.state.is_terminal() {
        return Err(CaseError::Closed.into());
    }
    // The other sides, and the mediator once the platform is involved.
    let mut told = vec![Party::Buyer, Party::Seller];
    if stored.escalated {
        told.push(Party::Platform);
    }
    told.retain(|p| *p != actor.party);
    cases::insert_message(
        &state.pool,
        id,
        &actor.user_id,
        actor.party,
        body,
        state.now(),
        &told,
    )
    .await?;
    publish(state, &stored);
    Ok(stored)
}
