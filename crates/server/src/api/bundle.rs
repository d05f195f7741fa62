//! The evidence bundle: one ZIP file with the case as its reader sees it, a summary a person can
//! read, every photo, and their SHA-256 sums, ready to hand to a payment provider or a court.

use async_zip::error::ZipError;
use async_zip::tokio::write::ZipFileWriter;
use async_zip::{Compression, ZipDateTimeBuilder, ZipEntryBuilder};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use rules::api::CaseDetail;
use rules::{Actor, AutoAction, EventKind, Outcome, Proposal, Terms};
use serde::Deserialize;
use tokio::io::AsyncWrite;
use tokio_util::compat::TokioAsyncReadCompatExt;
use tokio_util::io::ReaderStream;

use super::{Api, ApiPath, ApiQuery};
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::openapi::{self, Op};
use crate::store::cases;
use crate::words::Words;
use crate::workflow::{settle, show};
use crate::AppState;

pub(super) fn routes(api: Api) -> Api {
    api.get(
        "/cases/{id}/bundle",
        get(bundle),
        Op::new(
            "The case file as one ZIP: summary.txt to read (in `lang`, else the browser's \
             language), case.json (summary, proposals, timeline, messages, evidence list), every \
             photo under evidence/, and SHA256SUMS",
            openapi::Response::File,
        )
        .query(&[(
            "lang",
            "The summary's language: en, es or zh-CN (default: Accept-Language)",
        )]),
    )
}

/// Bytes the ZIP writer may run ahead of the client: the whole bundle is never in memory, a
/// slow download holds back its writer instead.
pub const PIPE_BYTES: usize = 64 * 1024;

/// The language of the summary: the app's, else the browser's.
#[derive(Deserialize)]
struct Language {
    lang: Option<String>,
}

async fn bundle(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(language): ApiQuery<Language>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let words = Words::choose(
        language.lang.as_deref(),
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
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
        if let Err(e) = write_zip(pipe, &detail, files, made_at, words).await {
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
    words: &Words,
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
    zip.write_entry_whole(
        entry("summary.txt"),
        summary(detail, made_at, words).as_bytes(),
    )
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

/// What a plan gives besides its kind: the store credit it is worth, the variant an exchange
/// sends, else the money refunded.
fn offered(terms: &Terms) -> String {
    match (terms.credit, &terms.exchange_for) {
        (Some(credit), _) => credit.to_string(),
        (None, Some(variant)) => format!("{variant:?}"),
        (None, None) => terms.refund.to_string(),
    }
}

fn proposal_line(p: &Proposal, w: &Words) -> String {
    let mut line = w.fill(
        "case_file.proposal",
        &[
            ("who", &w.of("who", p.by.code())),
            ("resolution", &w.of("resolution", p.terms.resolution.code())),
            ("amount", &offered(&p.terms)),
            ("date", &when(p.made_at)),
        ],
    );
    if let Some(by) = p.terms.return_shipping_paid_by {
        line += &format!(
            "; {}",
            w.fill("case_file.shipping", &[("who", &w.of("who", by.code()))])
        );
    }
    if !p.note.is_empty() {
        line += &format!(
            "; {}",
            w.fill("case_file.note", &[("note", &format!("{:?}", p.note))])
        );
    }
    if !p.evidence.is_empty() {
        line += &format!(
            "; {}",
            w.fill("case_file.cited", &[("ids", &p.evidence.join(", "))])
        );
    }
    line
}

/// The case for a person reading the bundle without tools, in `w`'s language: every code in the
/// app's own words (case.json keeps the API's stable codes).
fn summary(d: &CaseDetail, made_at: DateTime<Utc>, w: &Words) -> String {
    let s = &d.summary;
    let heading = |key: &str| {
        let title = w.t(key);
        format!("\n{title}\n{}\n", "-".repeat(title.chars().count().max(3)))
    };
    let title = w.t("case_file.title");
    let mut out = format!("{title}\n{}\n", "=".repeat(title.chars().count()));
    let items = s
        .lines
        .iter()
        .map(|l| format!("{} x {}", l.quantity, l.title))
        .collect::<Vec<_>>()
        .join("; ");
    for (key, value) in [
        ("case_file.case", s.number.to_string()),
        ("case_file.order", s.order_id.clone()),
        ("case_file.store", s.store.clone()),
        ("case_file.buyer", d.buyer.clone()),
        ("case_file.filed", when(s.created_at)),
        ("case_file.state", w.of("state", s.state.code())),
        ("case_file.reason", w.of("reason", s.reason.code())),
        (
            "case_file.resolution",
            w.of("resolution", s.resolution.code()),
        ),
        ("case_file.refund", s.refund.to_string()),
        ("case_file.items", items),
    ] {
        out += &format!("{}: {value}\n", w.t(key));
    }
    out += &format!(
        "{}:\n  {}\n\n{}\n",
        w.t("case_file.description"),
        s.description.replace('\n', "\n  "),
        w.fill(
            "case_file.made",
            &[
                ("date", &when(made_at)),
                ("who", &w.of("who", d.viewer.code()))
            ]
        )
    );
    out += &heading("case_file.proposals");
    let proposals = &d.case.proposals;
    let standing: Vec<_> = [&proposals.buyer, &proposals.seller, &proposals.platform]
        .into_iter()
        .flatten()
        .collect();
    if standing.is_empty() {
        out += &format!("{}\n", w.t("case_file.none_standing"));
    }
    for p in standing {
        out += &format!("{}\n", proposal_line(p, w));
    }
    if let Some(rejection) = &d.case.rejection {
        out += &format!("{}: {rejection:?}\n", w.t("case_file.rejection"));
    }
    if let Some(s) = &d.settlement {
        let outcome = match s.outcome {
            Outcome::Refunded { amount } | Outcome::Credited { amount } => {
                format!("{}, {amount}", w.of("outcome", s.outcome.code()))
            }
            other => w.of("outcome", other.code()),
        };
        out += &format!("{}: {outcome}\n", w.t("case_file.outcome"));
        if let Some(code) = &d.credit_code {
            out += &format!("{}: {code}\n", w.t("case_file.credit_code"));
        }
        if let Some(a) = &s.agreement {
            out += &format!(
                "{}: {}, {}{}\n",
                w.t("case_file.plan"),
                w.of("resolution", a.terms.resolution.code()),
                offered(&a.terms),
                a.terms
                    .return_shipping_paid_by
                    .map(|p| format!(
                        ", {}",
                        w.fill("case_file.shipping", &[("who", &w.of("who", p.code()))])
                    ))
                    .unwrap_or_default()
            );
        }
        let by = match s.decided_by {
            Actor::System => w.t("case_file.system"),
            by => w.of("who", by.code()),
        };
        out += &format!(
            "{}: {by}, {}\n",
            w.t("case_file.decided"),
            when(s.decided_at)
        );
        if let Some(reasons) = &s.reasons {
            out += &format!("{}: {reasons:?}\n", w.t("case_file.reasons"));
        }
    }
    out += &heading("case_file.timeline");
    for entry in &d.timeline {
        let e = &entry.event;
        let who = match (e.by, &entry.who) {
            (Actor::System, _) => w.t("case_file.system"),
            (by, Some(name)) => format!("{name} ({})", w.of("who", by.code())),
            (by, None) => w.of("who", by.code()),
        };
        let what = match &e.what {
            EventKind::Filed { terms } => w.fill(
                "case_file.filed_asking",
                &[
                    ("resolution", &w.of("resolution", terms.resolution.code())),
                    ("amount", &offered(terms)),
                ],
            ),
            EventKind::Acted(action) => w.of("event", action.kind().code()),
            EventKind::Automatic(_) if entry.trigger.is_some_and(|t| !t.is_missed()) => entry
                .trigger
                .map(|t| w.of("trigger", t.code()))
                .unwrap_or_default(),
            EventKind::Automatic(deadline) => {
                let then = match deadline.then {
                    AutoAction::CarryOutProposal { of } => {
                        w.of("then.carry_out_proposal", of.code())
                    }
                    other => w.of("then", other.code()),
                };
                w.fill(
                    "case_file.automatic",
                    &[
                        ("who", &w.of("who", deadline.party.code())),
                        ("date", &when(deadline.at)),
                        ("then", &then),
                    ],
                )
            }
        };
        out += &format!(
            "{}  {who}: {what} -> {}\n",
            when(e.at),
            w.of("state", e.state.code())
        );
    }
    out += &heading("case_file.messages");
    if d.messages.is_empty() {
        out += &format!("{}\n", w.t("case_file.none"));
    }
    for m in &d.messages {
        out += &format!(
            "{}  {} ({}): {}\n",
            when(m.sent_at),
            m.author,
            w.of("who", m.party.code()),
            m.body.replace('\n', "\n    ")
        );
    }
    out += &heading("case_file.evidence");
    if d.evidence.is_empty() {
        out += &format!("{}\n", w.t("case_file.none"));
    }
    for (i, e) in d.evidence.iter().enumerate() {
        out += &format!(
            "{}  {}\n    sha256 {}\n",
            photo_name(i, &e.id, &e.content_type),
            w.fill(
                "case_file.uploaded",
                &[
                    ("date", &when(e.uploaded_at)),
                    ("who", &w.of("who", e.party.code())),
                    ("size", &format!("{}x{}", e.width, e.height)),
                    ("bytes", &e.size_bytes.to_string()),
                    ("name", &format!("{:?}", e.file_name)),
                ],
            ),
            e.sha256
        );
    }
    out
}
