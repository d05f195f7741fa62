//! E-mail: each notice's message, in its recipient's language (the one they chose in the app,
//! English otherwise) and time zone, as plain text and HTML, sent over SMTP (`--smtp-url`) or,
//! without one, written as an `.eml` file under the data directory. The mailer claims due notices
//! (several instances never send the same one at once), retries a failure with a growing wait,
//! and records what failed. The Message-ID is the notice's own id: a message retried after a
//! lost answer is the same message.

use std::path::PathBuf;
use std::time::Duration;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::error::AppError;
use crate::store::cases;
use crate::store::notifications::{self, Outgoing};
use crate::words::Words;
use crate::AppState;

/// How the mailer sends.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// `.eml` files in this directory.
    Files(PathBuf),
}

/// What sends the notices' e-mails.
#[derive(Clone)]
pub struct Mailer {
    pub transport: Transport,
    pub from: Mailbox,
    /// The app's address, for the links to a case.
    pub public_url: String,
}

/// How many times a message is tried before it is given up on.
pub const ATTEMPTS: i64 = 8;

/// The wait before the next try after `attempts` failed ones: 30 s, doubling, at most an hour.
pub fn backoff(attempts: i64) -> TimeDelta {
    let seconds = 30i64.saturating_mul(1 << attempts.clamp(0, 7));
    TimeDelta::seconds(seconds.min(3600))
}

impl Mailer {
    /// A mailer for `smtp_url` (`smtp://`, `smtps://` for TLS, `?tls=required` for STARTTLS,
    /// `user:password@` for credentials), else one that writes files under `data_dir/mail`.
    pub fn new(
        smtp_url: Option<&str>,
        from: &str,
        public_url: &str,
        data_dir: &std::path::Path,
    ) -> Result<Mailer, String> {
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("--mail-from {from:?} is not an e-mail address: {e}"))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| format!("--smtp-url cannot be used: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ),
            None => Transport::Files(data_dir.join("mail")),
        };
        Ok(Mailer {
            transport,
            from,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// Where the messages go, for the log.
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "an SMTP server (--smtp-url)".into(),
            Transport::Files(dir) => format!(".eml files in {}", dir.display()),
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match &self.transport {
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Transport::Files(dir) => {
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await
                    .map(drop)
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// What one pass of the mailer did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    /// Failed this time, to be tried again.
    pub retrying: usize,
    /// Failed for the last time.
    pub given_up: usize,
}

/// Sends every notice whose e-mail is due, claiming them in batches.
pub async fn deliver(state: &AppState) -> Result<Delivered, AppError> {
    let mut done = Delivered::default();
    let now = state.now();
    loop {
        let due = notifications::claim_due(&state.pool, now, 20).await?;
        if due.is_empty() {
            return Ok(done);
        }
        for notice in due {
            let sent = match compose(state, &notice).await {
                Ok(message) => state.mailer.send(message).await,
                Err(e) => Err(e.to_string()),
            };
            match sent {
                Ok(()) => {
                    notifications::sent(&state.pool, &notice.id).await?;
                    done.sent += 1;
                }
                Err(error) => {
                    let tries = notice.attempts + 1;
                    let next = (tries < ATTEMPTS).then(|| now + backoff(tries - 1));
                    tracing::warn!(notice = %notice.id, tries, error = %error,
                        "an e-mail could not be sent{}",
                        if next.is_some() { "; it is tried again" } else { "; given up" });
                    notifications::failed(&state.pool, &notice.id, &error, next).await?;
                    if next.is_some() {
                        done.retrying += 1;
                    } else {
                        done.given_up += 1;
                    }
                }
            }
        }
    }
}

/// What a notice tells, in words: `kind` done by `actor` ("the seller made a proposal"), what
/// the clock did, a reminder, or a message. The e-mail's subject and the app's list say it.
pub fn what(w: &Words, kind: &str, actor: &str) -> String {
    match kind {
        "reminder" => w.t("mail.reminder"),
        "message" => w.t("mail.message"),
        kind => match kind.strip_prefix("auto.") {
            Some(then) => {
                let words = match then.split_once('.') {
                    Some((family, party)) => w.of(&format!("then.{family}"), party),
                    None => w.of("then", then),
                };
                w.fill("mail.automatic", &[("then", &words)])
            }
            None => w.fill(
                "mail.acted",
                &[("who", &w.of("who", actor)), ("what", &w.of("event", kind))],
            ),
        },
    }
}

/// What the clock does, in words: `then.<code>`, or whose proposal it carries out.
fn then_words(w: &Words, then: rules::AutoAction) -> String {
    match then {
        rules::AutoAction::CarryOutProposal { of } => w.of("then.carry_out_proposal", of.code()),
        other => w.of("then", other.code()),
    }
}

/// A date and time in the recipient's offset, as an e-mail can write it in any language.
fn local(at: DateTime<Utc>, offset_minutes: i32) -> String {
    let zone =
        FixedOffset::east_opt(offset_minutes * 60).unwrap_or(FixedOffset::east_opt(0).unwrap());
    at.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M (UTC%:z)")
        .to_string()
}

/// The message of `notice`: the case, what happened, the step at hand, the deadline in the
/// recipient's time zone with what happens if nobody acts, and the link to the case.
async fn compose(state: &AppState, notice: &Outgoing) -> Result<Message, AppError> {
    let w = Words::choose(notice.locale.as_deref(), None);
    let stored = cases::load_any(&state.pool, &notice.case_id)
        .await?
        .ok_or(AppError::NotFound("case"))?;
    let number: i64 = crate::on_db!(
        &state.pool,
        "SELECT number FROM cases WHERE id = ?",
        |sql, p| sqlx::query_scalar(sql)
            .bind(&notice.case_id)
            .fetch_one(p)
            .await
    )?;
    let case = &stored.case;
    let number = number.to_string();
    let what = what(w, &notice.kind, &notice.actor);
    let state_words = w.of("state", case.state.code());
    let deadline = rules::next_deadline(case, &stored.policy).map(|d| {
        w.fill(
            "mail.deadline",
            &[
                ("date", &local(d.at, notice.utc_offset_minutes)),
                ("who", &w.of("who", d.party.code())),
                ("then", &then_words(w, d.then)),
            ],
        )
    });
    let link = format!("{}/returns/{}", state.mailer.public_url, case.id);
    let subject = w.fill("mail.subject", &[("number", &number), ("what", &what)]);
    let lines = [
        w.fill("mail.hello", &[("name", &notice.name)]),
        w.fill("mail.case", &[("number", &number), ("what", &what)]),
        w.fill("mail.state", &[("state", &state_words)]),
    ];
    let mut text = lines.join("\n\n");
    if let Some(deadline) = &deadline {
        text += &format!("\n\n{deadline}");
    }
    text += &format!("\n\n{}\n{link}\n", w.t("mail.open"));
    // Where to choose the e-mails, or, for one that cannot be turned off, why it came anyway.
    let account = format!("{}/account", state.mailer.public_url);
    let footer = match rules::api::Topic::of(&notice.kind) {
        Some(_) => w.t("mail.choose"),
        None => format!("{} {}", w.t("mail.always"), w.t("mail.choose")),
    };
    text += &format!("\n{footer}\n{account}\n");
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let mut html = format!("<!doctype html><html lang=\"{}\"><body>", w.code());
    for line in lines.iter().chain(&deadline) {
        html += &format!("<p>{}</p>", escape(line));
    }
    html += &format!(
        "<p><a href=\"{}\">{}</a></p><hr><p><small>{} <a href=\"{}\">{}</a></small></p></body></html>",
        escape(&link),
        escape(&w.t("mail.open")),
        escape(&footer),
        escape(&account),
        escape(&account)
    );
    let to = Mailbox::new(
        Some(notice.name.clone()),
        notice
            .email
            .parse()
            .map_err(|e| AppError::Internal(format!("the address of {}: {e}", notice.id)))?,
    );
    Message::builder()
        .from(state.mailer.from.clone())
        .to(to)
        .subject(subject)
        .message_id(Some(format!("<{}@retour>", notice.id.replace(':', "."))))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| AppError::Internal(format!("the message of {}: {e}", notice.id)))
}

/// The mailer's loop: a pass at each interval, and the reminders of the deadlines a day ahead.
pub async fn run(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        if let Err(e) = crate::workflow::remind(&state).await {
            tracing::error!(error = %e, "reminders could not be written");
        }
        match deliver(&state).await {
            Ok(done) if done != Delivered::default() => {
                tracing::info!(?done, "e-mails")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "the mailer could not run"),
        }
    }
}
