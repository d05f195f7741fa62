//! Photos as evidence: uploaded by a party of the case, checked by content, stored under their
//! SHA-256, served only to those who may see the case.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use rules::api::EvidenceView;
use rules::CaseError;
use serde_json::json;

use super::cases::publish;
use super::{Api, ApiPath};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::openapi::{self, schema_of, Op};
use crate::photos::{self, PhotoError, MAX_BYTES, MAX_PER_CASE};
use crate::store::cases::{self, NewEvidence, Scope};
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.post(
        "/cases/{id}/evidence",
        // Room for the largest photo and the multipart framing around it.
        post(upload).layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024)),
        Op::new(
            "Attach a photo (JPEG, PNG or WebP, at most 10 MB, 8 per case) to a case",
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

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<EvidenceView>), AppError> {
    let stored = cases::load(&state.pool, &Scope::of(&user), &id).await?;
    if stored.case.state.is_terminal() {
        return Err(CaseError::Closed.into());
    }
    let (file_name, bytes) = file_part(&mut multipart).await?;
    let (photo, bytes) = tokio::task::spawn_blocking(move || (photos::check(&bytes), bytes))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let photo = photo?;
    photos::store(&state.data_dir, &photo.sha256, &bytes)
        .await
        .map_err(|e| AppError::Internal(format!("cannot store a photo: {e}")))?;
    let evidence_id = uuid::Uuid::now_v7().to_string();
    let new = NewEvidence {
        id: &evidence_id,
        case_id: &id,
        user_id: &user.id,
        party: user.party(),
        sha256: &photo.sha256,
        content_type: photo.content_type,
        size_bytes: bytes.len(),
        width: photo.width,
        height: photo.height,
        file_name: &file_name,
        uploaded_at: state.now(),
    };
    if !cases::insert_evidence(&state.pool, &new, MAX_PER_CASE).await? {
        return Err(AppError::unprocessable(
            "too_many_photos",
            format!("a case holds at most {MAX_PER_CASE} photos"),
        )
        .with_details(json!({ "field": "file", "max": MAX_PER_CASE })));
    }
    publish(&state, &stored);
    let view = cases::evidence_item(&state.pool, &Scope::of(&user), &evidence_id).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let evidence = cases::evidence_item(&state.pool, &Scope::of(&user), &id).await?;
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
    let bytes = tokio::fs::read(photos::path(&state.data_dir, &evidence.sha256))
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
