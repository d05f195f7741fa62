//! Filing, reading and acting on cases: one endpoint per action of the rules crate. Every write
//! names the version it saw; the rules decide, the store refuses a stale version.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use rules::api::{
    AcceptBody, AddressBody, CaseDetail, NewMessage, NewReturn, NoFields, RateBody, ReasonBody,
    RepairFailedBody, RuleBody, TrackingBody, Versioned,
};
use rules::{Action, ActionKind, Offer, TrackingError, TrackingNumber};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use super::{from_value, Api, ApiJson, ApiPath};
use crate::auth::{Buyer, CurrentUser};
use crate::error::AppError;
use crate::openapi::{schema_of, Op, Response};
use crate::workflow::{self, show, Actor, Filed, SYSTEM_KEY_PREFIX};
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
    let api = route::<TrackingBody>(
        api,
        ActionKind::ShipRepaired,
        "The seller ships the repaired item back",
        |b| {
            Ok(Action::ShipRepaired {
                tracking: tracking(b)?,
            })
        },
    );
    let api = route::<NoFields>(
        api,
        ActionKind::ConfirmItem,
        "The buyer has the repaired item or the other variant, and it is right",
        |_| Ok(Action::ConfirmItem),
    );
    let api = route::<RepairFailedBody>(
        api,
        ActionKind::RepairFailed,
        "The repaired item still does not work: the buyer's claim to a refund stands again",
        |b| {
            Ok(Action::RepairFailed {
                reason: b.reason,
                evidence: b.evidence,
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

/// The signed-in person as the workflows see them.
fn actor(user: &CurrentUser) -> Actor {
    user.actor()
}

async fn file_case(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    headers: HeaderMap,
    ApiJson(request): ApiJson<NewReturn>,
) -> Result<(StatusCode, Json<CaseDetail>), AppError> {
    let key = idempotency_key(&headers)?;
    let (status, stored) = match workflow::file(&state, &actor(&user), &key, &request).await? {
        Filed::New(stored) => (StatusCode::CREATED, stored),
        Filed::Again(stored) => (StatusCode::OK, stored),
    };
    Ok((status, Json(show(&state, &stored, user.party()).await?)))
}

async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CaseDetail>, AppError> {
    let stored = workflow::read(&state, &actor(&user), &id).await?;
    Ok(Json(show(&state, &stored, user.party()).await?))
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    seen: u32,
    action: Action,
) -> Result<Json<CaseDetail>, AppError> {
    let stored = workflow::act(&state, &actor(&user), &id, seen, action).await?;
    Ok(Json(show(&state, &stored, user.party()).await?))
}

async fn message(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(new): ApiJson<NewMessage>,
) -> Result<(StatusCode, Json<CaseDetail>), AppError> {
    let stored = workflow::message(&state, &actor(&user), &id, &new.body).await?;
    Ok((
        StatusCode::CREATED,
        Json(show(&state, &stored, user.party()).await?),
    ))
}
