//! Photos as evidence: uploaded by a party of the case, checked by content, stored under their
//! SHA-256, served only to those who may see the case.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use rules::api::EvidenceView;
use rules::CaseError;
use serde_json::json;

use super::{Api, ApiPath};
use crate::auth::{Buyer, CurrentUser};
use crate::error::AppError;
use crate::openapi::{self, schema_of, Op};
use crate::photos::{self, PhotoError, MAX_BYTES, MAX_PER_CASE, MAX_UNFILED};
use crate::store::cases::{self, NewEvidence};
use crate::store::StoreError;
use crate::workflow::publish;
use crate::{AppState, WorkLimits};

pub(super) fn routes(api: Api) -> Api {
    // Room for the largest photo and the multipart framing around it.
    let body_limit = DefaultBodyLimit::max(MAX_BYTES + 64 * 1024);
    api.post(
        "/cases/{id}/evidence",
        post(upload_to_case).layer(body_limit),
        Op::new(
            "Attach a photo (JPEG, PNG or WebP, at most 10 MB and 40 megapixels, 8 per case) to \
             a case",
            openapi::Response::Json(schema_of::<EvidenceView>),
        )
        .upload()
        .status(201),
    )
    .post(
        "/evidence",
        post(upload_unfiled).layer(body_limit),
        Op::new(
            "Upload a photo before filing (buyers): the filing cites it in `evidence`; photos \
             no filing took are removed after a day",
            openapi::Response::Json(schema_of::<EvidenceView>),
        )
        .upload()
        .status(201),
    )
    .get(
        "/evidence/{id}",
        get(download),
        Op::new("A photo of a case", openapi::Response::File),
    )
}

impl From<PhotoError> for AppError {
    fn from(e: PhotoError) -> Self {
        let status = match e {
            PhotoError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        AppError::new(status, e.code(), e.to_string()).with_details(json!({ "field": "file" }))
    }
}

/// `Multipart` whose rejection (a body that is not multipart/form-data) answers in our error
/// shape. It reads nothing: the body is read part by part, after the handler's checks.
pub struct ApiMultipart(Multipart);

impl<S: Send + Sync> FromRequest<S> for ApiMultipart {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        Multipart::from_request(request, state)
            .await
            .map(ApiMultipart)
            .map_err(|rejection| {
                AppError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "multipart_expected",
                    format!(
                        "send the photo as multipart/form-data, in a part named \"file\" ({})",
                        rejection.body_text()
                    ),
                )
                .with_details(json!({ "field": "file" }))
            })
    }
}

/// The `file` part of the upload, refused as soon as it passes the size limit.
async fn file_part(multipart: &mut Multipart) -> Result<(String, Vec<u8>), AppError> {
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::from(PhotoError::TooLarge)
        } else {
            AppError::bad_request("invalid_upload", e.body_text())
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("file") {
            continue;
        }
        let name = field
            .file_name()
            .map(|n| n.chars().filter(|c| !c.is_control()).take(200).collect())
            .unwrap_or_else(|| "photo".to_owned());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > MAX_BYTES {
                return Err(PhotoError::TooLarge.into());
            }
            bytes.extend_from_slice(&chunk);
        }
        return Ok((name, bytes));
    }
    Err(AppError::bad_request(
        "file_missing",
        "send the photo as a multipart/form-data part named \"file\"",
    )
    .with_details(json!({ "field": "file" })))
}

fn too_many(max: i64) -> AppError {
    AppError::unprocessable(
        "too_many_photos",
        format!("a case holds at most {MAX_PER_CASE} photos"),
    )
    .with_details(json!({ "field": "file", "max": max }))
}

/// How long one photo may take to arrive: 10 MB at about 1 Mbit/s.
const UPLOAD_TIME: std::time::Duration = std::time::Duration::from_secs(120);

/// Where an upload goes, checked before its body is read.
struct Destination<'a> {
    /// `None`: the uploader's unfiled photos.
    case_id: Option<&'a str>,
    max: i64,
}

/// Reads, checks and stores one photo, cheapest checks first: the allowance before the body is
/// read, the header's size before any decoding, the decode under the server's limit, and the
/// file put in place only once the database took its row.
async fn receive(
    state: &AppState,
    user: &CurrentUser,
    to: Destination<'_>,
    mut multipart: Multipart,
) -> Result<String, AppError> {
    if cases::evidence_count(&state.pool, to.case_id, &user.id).await? >= to.max {
        return Err(too_many(to.max));
    }
    let _reading = WorkLimits::place(&state.limits.uploads).await?;
    // A client that trickles its body would hold a place for ever.
    let (file_name, bytes) = tokio::time::timeout(UPLOAD_TIME, file_part(&mut multipart))
        .await
        .map_err(|_| {
            AppError::new(
                StatusCode::REQUEST_TIMEOUT,
                "upload_too_slow",
                format!(
                    "the photo did not arrive within {} seconds",
                    UPLOAD_TIME.as_secs()
                ),
            )
            .with_details(json!({ "field": "file" }))
        })??;
    photos::inspect(&bytes)?;
    let photo =
        WorkLimits::run_blocking(&state.limits.decodes, move || photos::check(&bytes)).await??;
    let staged = state
        .photos
        .stage(&photo.sha256, &photo.bytes)
        .await
        .map_err(|e| AppError::Internal(format!("cannot store a photo: {e}")))?;
    let evidence_id = uuid::Uuid::now_v7().to_string();
    let new = NewEvidence {
        id: &evidence_id,
        case_id: to.case_id,
        user_id: &user.id,
        party: user.party(),
        sha256: &photo.sha256,
        content_type: photo.content_type,
        size_bytes: photo.bytes.len(),
        width: photo.width,
        height: photo.height,
        file_name: &file_name,
        uploaded_at: state.now(),
    };
    if !cases::insert_evidence(&state.pool, &new, to.max).await? {
        // Dropping the staged file removes it.
        return Err(too_many(to.max));
    }
    staged
        .keep()
        .await
        .map_err(|e| AppError::Internal(format!("cannot store a photo: {e}")))?;
    Ok(evidence_id)
}

async fn upload_to_case(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiMultipart(multipart): ApiMultipart,
) -> Result<(StatusCode, Json<EvidenceView>), AppError> {
    let stored = cases::load(&state.pool, &user.scope(), &id).await?;
    if stored.case.state.is_terminal() {
        return Err(CaseError::Closed.into());
    }
    let to = Destination {
        case_id: Some(&id),
        max: MAX_PER_CASE,
    };
    let evidence_id = receive(&state, &user, to, multipart).await?;
    publish(&state, &stored);
    let view = cases::evidence_item(&state.pool, &user.scope(), &evidence_id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn upload_unfiled(
    State(state): State<AppState>,
    Buyer(user): Buyer,
    ApiMultipart(multipart): ApiMultipart,
) -> Result<(StatusCode, Json<EvidenceView>), AppError> {
    let to = Destination {
        case_id: None,
        max: MAX_UNFILED,
    };
    let evidence_id = receive(&state, &user, to, multipart).await?;
    let view = cases::unfiled_evidence_item(&state.pool, &user.id, &evidence_id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let evidence = match cases::evidence_item(&state.pool, &user.scope(), &id).await {
        // The uploader may look at a photo no filing has taken yet.
        Err(StoreError::NotFound(_)) => {
            cases::unfiled_evidence_item(&state.pool, &user.id, &id).await?
        }
        found => found?,
    };
    let etag = format!("\"{}\"", evidence.sha256);
    // The bytes under a hash never change: a browser may keep them, but only for this person.
    let cache = [
        (
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable".to_owned(),
        ),
        (header::ETAG, etag.clone()),
    ];
    if headers
        .get(header::IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes())
    {
        return Ok((StatusCode::NOT_MODIFIED, cache).into_response());
    }
    let bytes = state
        .photos
        .read(&evidence.sha256)
        .await
        .map_err(|e| AppError::Internal(format!("evidence {id} unreadable: {e}")))?;
    Ok((
        cache,
        [
            (header::CONTENT_TYPE, evidence.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        Body::from(bytes),
    )
        .into_response())
}
