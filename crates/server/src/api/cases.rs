//! Filing, reading and acting on cases: one endpoint per action of the rules crate. Every write
//! names the version it saw; the rules decide, the store refuses a stale version.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use chrono::{DateTime, Utc};
use rules::api::{
    AcceptBody, AddressBody, CaseDetail, NewMessage, NewReturn, NoFields, RateBody, ReasonBody,
    RuleBody, TrackingBody, Versioned, DESCRIPTION_MAX_CHARS,
};
use rules::{
    advance, apply, file, Action, ActionKind, CaseError, Filing, Offer, Party, ReturnRequest,
    TrackingError, TrackingNumber, TEXT_MAX_CHARS,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::{from_value, Api, ApiJson, ApiPath};
use crate::auth::sha256_hex;
use crate::auth::{Buyer, CurrentUser};
use crate::carrier;
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::photos::MAX_PER_CASE;
use crate::store::addresses;
use crate::store::cases::{self, Inserted, Keyed, NewCase, Scope, Stored};
use crate::store::orders;
use crate::AppState;

pub const IDEMPOTENCY_HEADER: &str = "idempotency-key";

pub(super) fn routes(api: Api) -> Api {
    let api = api
        .post(
            "/cases",
            post(file_case),
            Op::new(
                "File a return (header Idempotency-Key: a retried submit finds the same case, \
                 answered 200 instead of 201)",
                Response::Json(schema_of::<CaseDetail>),
            )
            .body(schema_of::<NewReturn>)
            .status(201),
        )
        .get(
            "/cases/{id}",
            get(read),
            Op::new(
                "A case with its proposals, timeline, evidence, messages and next deadline",
                Response::Json(schema_of::<CaseDetail>),
            ),
        )
        .post(
            "/cases/{id}/messages",
            post(message),
            Op::new(
                "Write to the other parties of a case",
                Response::Json(schema_of::<CaseDetail>),
            )
            .body(schema_of::<NewMessage>)
            .status(201),
        );
    actions(api)
}

/// Why a body cannot become an action.
type Convert<T> = fn(T) -> Result<Action, AppError>;

fn tracking(body: TrackingBody) -> Result<TrackingNumber, AppError> {
    TrackingNumber::parse(&body.tracking_number).map_err(|e: TrackingError| {
        AppError::unprocessable(e.code(), e.to_string())
            .with_details(json!({ "field": "tracking_number" }))
    })
}

/// One route per action; the body is the action's fields plus the version seen.
fn actions(api: Api) -> Api {
    fn route<T: DeserializeOwned + JsonSchema + Send + 'static>(
        api: Api,
        kind: ActionKind,
        summary: &'static str,
        convert: Convert<T>,
    ) -> Api {
        let path = format!("/cases/{{id}}/{}", kind.code().replace('_', "-"));
        api.post(
            &path,
            post(
                move |state: State<AppState>,
                      user: CurrentUser,
                      id: ApiPath<String>,
                      ApiJson(mut body): ApiJson<Value>| async move {
                    // The version is taken out first, so an error in the action's own fields
                    // names its field (serde loses the path inside a flattened struct).
                    let version = body
                        .as_object_mut()
                        .and_then(|fields| fields.remove("version"))
                        .unwrap_or(Value::Null);
                    let version: u32 = from_value(version).map_err(|_| {
                        AppError::unprocessable(
                            "invalid_field",
                            "version: send the version of the case you saw, a whole number",
                        )
                        .with_details(json!({ "field": "version" }))
                    })?;
                    act(state, user, id, version, convert(from_value(body)?)?).await
                },
            ),
            Op::new(summary, Response::Json(schema_of::<CaseDetail>))
                .body(schema_of::<Versioned<T>>),
        )
    }
    let api = route::<Offer>(
        api,
        ActionKind::Propose,
        "Put forward a plan (a counter-offer replaces your standing proposal)",
        |offer| Ok(Action::Propose(offer)),
    );
    let api = route::<NoFields>(
        api,
        ActionKind::WithdrawProposal,
        "Take back your standing proposal",
        |_| Ok(Action::WithdrawProposal),
    );
    let api = route::<AcceptBody>(
        api,
        ActionKind::Accept,
        "Accept another party's standing proposal",
        |b| Ok(Action::Accept { of: b.of }),
    );
    let api = route::<ReasonBody>(
        api,
        ActionKind::Reject,
        "Turn down the other side's proposal, saying why",
        |b| Ok(Action::Reject { reason: b.reason }),
    );
    let api = route::<NoFields>(
        api,
        ActionKind::Escalate,
        "Ask the platform to step in",
        |_| Ok(Action::Escalate),
    );
    let api = route::<RuleBody>(
        api,
        ActionKind::Rule,
        "The mediator's ruling, with its reason: it ends the dispute",
        |b| {
            Ok(Action::Rule {
                decree: b.decree,
                reason: b.reason,
            })
        },
    );
    let api = route::<AddressBody>(
        api,
        ActionKind::GiveReturnAddress,
        "The seller gives the address the goods go back to",
        |b| Ok(Action::GiveReturnAddress { address: b.address }),
    );
    let api = route::<TrackingBody>(
        api,
        ActionKind::ShipReturn,
        "The buyer ships the return (the carrier is recognised from the number)",
        |b| {
            Ok(Action::ShipReturn {
                tracking: tracking(b)?,
            })
        },
    );
    let api = route::<NoFields>(
        api,
        ActionKind::ReturnDelivered,
        "The carrier delivered the return to the seller",
        |_| Ok(Action::ReturnDelivered),
    );
    let api = route::<NoFields>(
        api,
        ActionKind::ConfirmReceipt,
        "The seller confirms the goods came back as agreed",
        |_| Ok(Action::ConfirmReceipt),
    );
    let api = route::<ReasonBody>(
        api,
        ActionKind::ReportProblem,
        "The seller reports a problem with the returned goods: the platform decides",
        |b| Ok(Action::ReportProblem { reason: b.reason }),
    );
    let api = route::<NoFields>(
        api,
        ActionKind::RefundIssued,
        "The refund has been paid",
        |_| Ok(Action::RefundIssued),
    );
    let api = route::<TrackingBody>(
        api,
        ActionKind::ShipReplacement,
        "The seller ships the replacement",
        |b| {
            Ok(Action::ShipReplacement {
                tracking: tracking(b)?,
            })
        },
    );
    let api = route::<NoFields>(
        api,
        ActionKind::Withdraw,
        "The buyer takes the request back",
        |_| Ok(Action::Withdraw),
    );
    route::<RateBody>(
        api,
        ActionKind::Rate,
        "The buyer rates how the case went, 1 to 5 stars",
        |b| {
            Ok(Action::Rate {
                stars: b.stars,
                comment: b.comment,
            })
        },
    )
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::NotEligible(explanation) => AppError::NotEligible(explanation),
            CaseError::Selection(e) => e.into(),
            CaseError::Refund(e) => AppError::unprocessable(e.code(), e.to_string()),
            CaseError::NotAllowed {
                by,
                action,
                state,
                ref allowed,
            } => AppError::new(StatusCode::CONFLICT, "action_not_allowed", e.to_string())
                .with_details(json!({
                    "by": by, "action": action, "state": state, "allowed": allowed,
                })),
            CaseError::Closed => AppError::new(StatusCode::CONFLICT, e.code(), e.to_string()),
            other => AppError::unprocessable(other.code(), other.to_string()),
        }
    }
}

/// Keys the server files under itself (an unmatched group buy's refund, the demo). A client may
/// not use them, or it could take the place of the system's own filing.
pub const SYSTEM_KEY_PREFIX: &str = "system:";

/// The key a client sends with a filing: any text of 1 to 100 visible ASCII characters (a UUID
/// is typical), outside the system's own key space.
fn idempotency_key(headers: &HeaderMap) -> Result<String, AppError> {
    let key = headers
        .get(IDEMPOTENCY_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .unwrap_or("");
    if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::bad_request(
            "idempotency_key_required",
            "send an Idempotency-Key header (1 to 100 visible characters, e.g. a UUID) so a \
             retried submit cannot file twice",
        ));
    }
    if key
        .get(..SYSTEM_KEY_PREFIX.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(SYSTEM_KEY_PREFIX))
    {
        return Err(AppError::bad_request(
            "idempotency_key_reserved",
            format!("keys starting with \"{SYSTEM_KEY_PREFIX}\" are the server's own"),
        ));
    }
    Ok(key.to_owned())
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
    AppError::new(
        StatusCode::CONFLICT,
        "case_exists",
        "these items already have a return case",
    )
    .with_details(json!({ "case_id": case_id }))
}

pub(super) async fn show(
    state: &AppState,
    stored: &Stored,
    user: &CurrentUser,
) -> Result<CaseDetail, AppError> {
    cases::detail(&state.pool, stored, user.party()).await
}

/// Publishes a stored change to the live streams.
pub fn publish(state: &AppState, stored: &Stored) {
    state.live.publish(stored.change());
}

async fn file_case(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewReturn>,
) -> Result<(StatusCode, Json<CaseDetail>), AppError> {
    let key = idempotency_key(&headers)?;
    let request_sha256 = sha256_hex(
        &serde_json::to_vec(&request)
            .map_err(|e| AppError::Internal(format!("filing to JSON: {e}")))?,
    );
    if let Some(first) = cases::filed_under(&state.pool, &user.id, &key).await? {
        let first = same_filing(first, &request_sha256)?;
        return Ok((StatusCode::OK, Json(show(&state, &first, &user).await?)));
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
    if evidence.len() > MAX_PER_CASE as usize {
        return Err(AppError::unprocessable(
            "too_many_photos",
            format!("a case holds at most {MAX_PER_CASE} photos"),
        )
        .with_details(json!({ "field": "evidence", "max": MAX_PER_CASE })));
    }
    let view = orders::order_of_buyer(&state.pool, &user.id, &request.order_id).await?;
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
        },
        description: description.to_owned(),
    };
    let id = uuid::Uuid::now_v7().to_string();
    let (filed, mut events) = file(id, &view.order, &filing, now, &policy)?;
    // A refund approved at filing is issued by the clock straight away.
    let (case, more) = advance(&filed, now, &policy);
    events.extend(more);
    let stored = Stored::filed(case, &events, parties, request.resolution, Arc::new(policy));
    let new = NewCase {
        stored: &stored,
        events: &events,
        idempotency_key: &key,
        request_sha256: Some(&request_sha256),
        filed_by: Some(&user.id),
        evidence: &evidence,
    };
    match cases::insert(&state.pool, &new).await? {
        Inserted::Stored => {}
        // The same submit, sent twice at once: the other one filed it meanwhile.
        Inserted::SameKey(first) => {
            let first = same_filing(*first, &request_sha256)?;
            return Ok((StatusCode::OK, Json(show(&state, &first, &user).await?)));
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
    publish(&state, &stored);
    Ok((
        StatusCode::CREATED,
        Json(show(&state, &stored, &user).await?),
    ))
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

async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CaseDetail>, AppError> {
    let stored = cases::load(&state.pool, &Scope::of(&user), &id).await?;
    let stored = settle(&state, stored).await?;
    Ok(Json(show(&state, &stored, &user).await?))
}

/// The caller saw an older version than `current`: answer with `current`.
async fn stale(state: &AppState, current: &Stored, user: &CurrentUser) -> AppError {
    match show(state, current, user).await {
        Ok(detail) => AppError::Stale(Box::new(detail)),
        Err(e) => e,
    }
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    seen: u32,
    action: Action,
) -> Result<Json<CaseDetail>, AppError> {
    let stored = cases::load(&state.pool, &Scope::of(&user), &id).await?;
    // The clock may have acted since the client looked: then its view is stale too.
    let stored = settle(&state, stored).await?;
    if stored.case.version != seen {
        return Err(stale(&state, &stored, &user).await);
    }
    if let Action::Propose(offer)
    | Action::Rule {
        decree: rules::Decree::Plan(offer),
        ..
    } = &action
    {
        let unknown = cases::unknown_evidence(&state.pool, &id, &offer.evidence).await?;
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
    let Some(stored) =
        carry_out(&state, &stored, user.party(), action, now, Some(&user.id)).await?
    else {
        // Another party wrote between our read and our write.
        let current = cases::load(&state.pool, &Scope::of(&user), &id).await?;
        return Err(stale(&state, &current, &user).await);
    };
    if let Some(address) = address {
        addresses::remember(&state.pool, &stored.store_id, address.trim(), now).await?;
    }
    let shipped = shipped_return
        .then(|| stored.case.return_tracking.clone())
        .flatten();
    if let Some(tracking) = shipped {
        // The carrier may have reported the parcel before the buyer gave its number.
        carrier::catch_up(&state, &id, &tracking.number).await?;
        let current = cases::load(&state.pool, &Scope::of(&user), &id).await?;
        return Ok(Json(show(&state, &current, &user).await?));
    }
    Ok(Json(show(&state, &stored, &user).await?))
}

async fn message(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(new): ApiJson<NewMessage>,
) -> Result<(StatusCode, Json<CaseDetail>), AppError> {
    let stored = cases::load(&state.pool, &Scope::of(&user), &id).await?;
    let body = new.body.trim();
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
    cases::insert_message(&state.pool, &id, &user, body, state.now()).await?;
    publish(&state, &stored);
    Ok((
        StatusCode::CREATED,
        Json(show(&state, &stored, &user).await?),
    ))
}
