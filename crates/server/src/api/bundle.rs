//! The evidence bundle: one ZIP file with the case as its reader sees it, a summary a person can
//! read, every photo, and their SHA-256 sums, ready to hand to a payment provider or a court.

use async_zip::error::ZipError;
use async_zip::tokio::write::ZipFileWriter;
use async_zip::{Compression, ZipDateTimeBuilder, ZipEntryBuilder};
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use rules::api::CaseDetail;
use rules::{Actor, EventKind, Proposal};
use tokio::io::AsyncWrite;
use tokio_util::compat::TokioAsyncReadCompatExt;
use tokio_util::io::ReaderStream;

use super::{Api, ApiPath};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::openapi::{self, Op};
use crate::store::cases;
use crate::workflow::{settle, show};
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.get(
        "/cases/{id}/bundle",
        get(bundle),
        Op::new(
            "The case file as one ZIP: summary.txt to read, case.json (summary, proposals, \
             timeline, messages, evidence list), every photo under evidence/, and SHA256SUMS",
            openapi::Response::File,
        ),
    )
}

/// Bytes the ZIP writer may run ahead of the client: the whole bundle is never in memory, a
/// slow download holds back its writer instead.
pub const PIPE_BYTES: usize = 64 * 1024;

async fn bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, AppError> {
    let stored = cases::load(&state.pool, &user.scope(), &id).await?;
    let stored = settle(&state, stored).await?;
    let detail = show(&state, &stored, user.party()).await?;
    let mut files = Vec::with_capacity(detail.evidence.len());
    for evidence in &detail.evidence {
        // Every photo is there before the answer starts: a missing one is an honest 500, not a
        // download cut off half-way.
        files.push(
            state.photos.open(&evidence.sha256).await.map_err(|e| {
                AppError::Internal(format!("photo {} unreadable: {e}", evidence.id))
            })?,
        );
    }
    let made_at = state.now();
    let (pipe, reader) = tokio::io::duplex(PIPE_BYTES);
    tokio::spawn(async move {
        if let Err(e) = write_zip(pipe, &detail, files, made_at).await {
            // The client went away, or a photo vanished mid-way: the download ends short.
            tracing::warn!(case = %detail.summary.id, error = %e, "case file cut short");
        }
    });
    let name: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"retour-case-{name}.zip\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(ReaderStream::new(reader)),
    )
        .into_response())
}

/// The photo's name inside the bundle: its order, id and format, so names never clash.
fn photo_name(index: usize, id: &str, content_type: &str) -> String {
    let extension = content_type.strip_prefix("image/").unwrap_or("bin");
    format!("evidence/{:02}-{id}.{extension}", index + 1)
}

/// Writes the case file to `out` as it goes: the summary, the case as JSON, every photo copied
/// from its file a few kilobytes at a time, and their sums. Memory stays the same whatever the
/// photos weigh; `out` sets the pace.
pub async fn write_zip<W: AsyncWrite + Unpin>(
    out: W,
    detail: &CaseDetail,
    photos: Vec<Box<dyn tokio::io::AsyncRead + Send + Unpin>>,
    made_at: DateTime<Utc>,
) -> Result<W, ZipError> {
    let stamp = ZipDateTimeBuilder::new()
        .year(made_at.year())
        .month(made_at.month())
        .day(made_at.day())
        .hour(made_at.hour())
        .minute(made_at.minute())
        .second(made_at.second())
        .build();
    // Photos are already compressed: stored as they are, byte for byte, so their sums hold.
    let entry = |name: &str| {
        ZipEntryBuilder::new(name.to_owned().into(), Compression::Stored)
            .last_modification_date(stamp)
    };
    let mut zip = ZipFileWriter::with_tokio(out);
    zip.write_entry_whole(entry("summary.txt"), summary(detail, made_at).as_bytes())
        .await?;
    let json = serde_json::to_vec_pretty(detail).map_err(std::io::Error::other)?;
    zip.write_entry_whole(entry("case.json"), &json).await?;
    let mut sums = String::new();
    for (i, (evidence, file)) in detail.evidence.iter().zip(photos).enumerate() {
        let name = photo_name(i, &evidence.id, &evidence.content_type);
        let mut writer = zip.write_entry_stream(entry(&name)).await?;
        futures_lite::io::copy(file.compat(), &mut writer).await?;
        writer.close().await?;
        sums.push_str(&format!("{}  {name}\n", evidence.sha256));
    }
    zip.write_entry_whole(entry("SHA256SUMS"), sums.as_bytes())
        .await?;
    Ok(zip.close().await?.into_inner())
}

fn when(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn proposal_line(p: &Proposal) -> String {
    let shipping = p
        .terms
        .return_shipping_paid_by
        .map(|by| format!(", return shipping paid by the {}", by.code()))
        .unwrap_or_default();
    format!(
        "{}: {} of {}{shipping}, made {}{}{}",
        p.by.code(),
        p.terms.resolution.code(),
        p.terms.refund,
        when(p.made_at),
        if p.note.is_empty() {
            String::new()
        } else {
            format!(", note: {:?}", p.note)
        },
        if p.evidence.is_empty() {
            String::new()
        } else {
            format!(", evidence: {}", p.evidence.join(", "))
        }
    )
}

/// The case in plain English, for a person reading the bundle without tools. Codes are the
/// API's stable codes, explained in the OpenAPI document.
fn summary(d: &CaseDetail, made_at: DateTime<Utc>) -> String {
    let s = &d.summary;
    let mut out = format!(
        "Retour case file\n================\n\
         Case: {}\nOrder: {} at {}\nBuyer: {}\nFiled: {}\nState: {}\nReason: {}\n\
         Resolution asked for: {}\nRefund at stake: {}\nItems: {}\n\
         Description:\n  {}\n\nBundle made {} for the {}.\n",
        s.id,
        s.order_id,
        s.store,
        d.buyer,
        when(s.created_at),
        s.state.code(),
        s.reason.code(),
        s.resolution.code(),
        s.refund,
        s.lines
            .iter()
            .map(|l| format!("{} x {}", l.quantity, l.title))
            .collect::<Vec<_>>()
            .join("; "),
        s.description.replace('\n', "\n  "),
        when(made_at),
        d.viewer.code(),
    );
    out.push_str("\nProposals\n---------\n");
    let proposals = &d.case.proposals;
    let standing: Vec<_> = [&proposals.buyer, &proposals.seller, &proposals.platform]
        .into_iter()
        .flatten()
        .collect();
    if standing.is_empty() {
        out.push_str("None standing.\n");
    }
    for p in standing {
        out.push_str(&format!("{}\n", proposal_line(p)));
    }
    if let Some(rejection) = &d.case.rejection {
        out.push_str(&format!("Rejection: {rejection:?}\n"));
    }
    if let Some(outcome) = &d.case.outcome {
        out.push_str(&format!("Outcome: {}\n", outcome.code()));
    }
    out.push_str("\nTimeline\n--------\n");
    for entry in &d.timeline {
        let e = &entry.event;
        let who = match (e.by, &entry.who) {
            (Actor::System, _) => "Retour (automatic)".to_owned(),
            (by, Some(name)) => format!("{name} ({})", by.code()),
            (by, None) => by.code().to_owned(),
        };
        let what = match &e.what {
            EventKind::Filed { terms } => format!(
                "filed, asking for {} of {}",
                terms.resolution.code(),
                terms.refund
            ),
            EventKind::Acted(action) => action.kind().code().to_owned(),
            EventKind::Automatic(deadline) => format!(
                "{} because the {} did not act by {}",
                deadline.then.code(),
                deadline.party.code(),
                when(deadline.at)
            ),
        };
        out.push_str(&format!(
            "{}  {who}: {what} -> {}\n",
            when(e.at),
            e.state.code()
        ));
    }
    out.push_str("\nMessages\n--------\n");
    if d.messages.is_empty() {
        out.push_str("None.\n");
    }
    for m in &d.messages {
        out.push_str(&format!(
            "{}  {} ({}): {}\n",
            when(m.sent_at),
            m.author,
            m.party.code(),
            m.body.replace('\n', "\n    ")
        ));
    }
    out.push_str("\nEvidence (the files under evidence/; SHA256SUMS checks them)\n");
    out.push_str("--------\n");
    if d.evidence.is_empty() {
        out.push_str("None.\n");
    }
    for (i, e) in d.evidence.iter().enumerate() {
        out.push_str(&format!(
            "{}  uploaded {} by the {}, {}x{} px, {} bytes, sent as {:?}\n    sha256 {}\n",
            photo_name(i, &e.id, &e.content_type),
            when(e.uploaded_at),
            e.party.code(),
            e.width,
            e.height,
            e.size_bytes,
            e.file_name,
            e.sha256
        ));
    }
    out
}
