//! E-mail over a real SMTP server on 127.0.0.1 (aiosmtpd, installed by `cargo xtask setup`,
//! writing what it receives to a Maildir): one message per notice, in the recipient's language;
//! nothing for a change that was rolled back; a refused delivery retried once the server
//! answers, and received once; a reminder a day before a deadline, once, even across a restart.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::TimeDelta;
use common::{fixed_now, serve, spawn_app_with, TestClock};
use retour_server::mail::{deliver, Mailer};
use retour_server::on_db;
use retour_server::store::notifications;
use serde_json::json;

/// A real SMTP server writing each message it accepts into a Maildir.
struct Smtpd {
    child: Child,
    maildir: tempfile::TempDir,
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python() -> PathBuf {
    std::env::var_os("RETOUR_SMTPD_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/py/bin/python"),
        PathBuf::from,
    )
}

/// A port nobody listens on yet.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Smtpd {
    /// Starts aiosmtpd on `port` and waits until it answers.
    fn start(port: u16) -> Smtpd {
        let maildir = tempfile::tempdir().unwrap();
        let child = Command::new(python())
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("inbox"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start aiosmtpd with {}: {e} (run `cargo xtask setup`)",
                    python().display()
                )
            });
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "aiosmtpd never listened on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Smtpd { child, maildir }
    }

    /// Every message received so far.
    fn messages(&self) -> Vec<String> {
        let new = self.maildir.path().join("inbox/new");
        let Ok(entries) = std::fs::read_dir(new) else {
            return Vec::new();
        };
        entries
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect()
    }

    /// The messages to `to` whose text contains `needle`.
    fn to(&self, to: &str, needle: &str) -> Vec<String> {
        self.messages()
            .into_iter()
            .filter(|m| m.contains(&format!("X-RcptTo: {to}")) && m.contains(needle))
            .collect()
    }
}

/// A mailer that sends to the SMTP server on `port`.
fn mailer(port: u16, data: &Path) -> Arc<Mailer> {
    let url = format!("smtp://127.0.0.1:{port}");
    Arc::new(
        Mailer::new(
            Some(&url),
            "Retour <retour@demo.retour>",
            "http://retour.test",
            data,
        )
        .unwrap(),
    )
}

/// The demo's own history already holds notices: they go first, so a test counts only its own.
async fn drain(app: &common::TestApp) {
    deliver(&app.state).await.unwrap();
}

/// The `Subject:` line of a message, as sent.
fn subject_of(message: &str) -> String {
    message
        .lines()
        .find(|l| l.starts_with("Subject: "))
        .unwrap_or_default()
        .to_owned()
}

/// The subject's words: each `=?utf-8?b?…?=` encoded word decoded (RFC 2047), on one line.
fn decoded_subject(message: &str) -> String {
    use base64::Engine;
    let start = message.find("Subject: ").expect("a subject") + "Subject: ".len();
    // A long subject is folded onto lines that start with a space.
    let mut raw = String::new();
    for (i, line) in message[start..].lines().enumerate() {
        if i > 0 && !line.starts_with(' ') {
            break;
        }
        raw += line.trim();
    }
    let mut words = String::new();
    let mut rest = raw.as_str();
    while let Some(start) = rest.find("=?utf-8?b?") {
        let encoded = &rest[start + "=?utf-8?b?".len()..];
        let end = encoded.find("?=").unwrap_or(encoded.len());
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&encoded[..end])
            .unwrap_or_default();
        words += &String::from_utf8_lossy(&bytes);
        rest = &encoded[end..];
    }
    words
}

/// The plain-text part of a message, decoded: lettre writes it as it is (7bit), in
/// quoted-printable (long lines) or in base64 (UTF-8 beyond ASCII).
fn plain_text(message: &str) -> String {
    use base64::Engine;
    let part = message
        .split("Content-Type: text/plain")
        .nth(1)
        .expect("a plain-text part");
    let (headers, body) = part
        .split_once("\r\n\r\n")
        .or_else(|| part.split_once("\n\n"))
        .unwrap_or_default();
    let lines: Vec<&str> = body.lines().take_while(|l| !l.starts_with("--")).collect();
    if headers.contains("base64") {
        let joined: String = lines.iter().map(|l| l.trim()).collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined.as_bytes())
            .unwrap_or_else(|e| panic!("{e}: {joined}"));
        return String::from_utf8(bytes).unwrap();
    }
    let text = lines.join("\n");
    if !headers.contains("quoted-printable") {
        return text;
    }
    // Soft line breaks joined, then each `=XX` the byte it names.
    let joined = text.replace("=\n", "");
    let mut bytes = Vec::new();
    let mut rest = joined.as_bytes();
    while let Some((&first, after)) = rest.split_first() {
        match (
            first,
            after.get(..2).and_then(|h| std::str::from_utf8(h).ok()),
        ) {
            (b'=', Some(hex)) if u8::from_str_radix(hex, 16).is_ok() => {
                bytes.push(u8::from_str_radix(hex, 16).unwrap());
                rest = &after[2..];
            }
            _ => {
                bytes.push(first);
                rest = after;
            }
        }
    }
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn the_seller_gets_one_message_for_a_new_case_in_the_language_they_chose() {
    let port = free_port();
    let smtpd = Smtpd::start(port);
    let data = tempfile::tempdir().unwrap();
    let app = spawn_app_with(|state| state.mailer = mailer(port, data.path())).await;
    drain(&app).await;
    // Mei reads the app in Chinese: the app's language cookie comes with her session's.
    let mei = app.mei().await;
    let plain = reqwest::Client::new();
    let signed_in = plain
        .post(app.url("/api/login"))
        .json(&json!({"email": "mei@demo.retour", "password": "mei-demo-1"}))
        .send()
        .await
        .unwrap();
    let session = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(retour_server::auth::SESSION_COOKIE))
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let answer = plain
        .get(app.url("/api/session"))
        .header("cookie", format!("{session}; retour.locale=zh-CN"))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_success());
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "arrived_late", "return_and_refund")
        .await;
    let id = filed.summary.id.clone();
    let done = deliver(&app.state).await.unwrap();
    assert!(done.sent >= 1, "{done:?}");
    let mails = smtpd.to("mei@demo.retour", &id);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    // In Chinese: the subject, an encoded word, reads 售后单 3016 (its English is not there).
    assert!(subject_of(mail).contains("=?utf-8?"), "{mail}");
    assert!(
        decoded_subject(mail).contains(&format!("售后单 {}", filed.summary.number)),
        "{mail}"
    );
    assert!(!mail.contains("Retour, case"), "{mail}");
    assert!(
        mail.contains("Content-Type: multipart/alternative"),
        "{mail}"
    );
    assert!(
        mail.contains("text/plain") && mail.contains("text/html"),
        "{mail}"
    );
    let text = plain_text(mail);
    assert!(
        text.contains(&format!("http://retour.test/returns/{}", filed.summary.id)),
        "{text}"
    );
    // Where she chooses her e-mails: a new case may be turned off.
    assert!(text.contains("http://retour.test/account"), "{text}");
    assert!(!text.contains("总会发送"), "{text}");
    // What happens if nobody acts, and by when, in her time zone (Hangzhou, UTC+08:00).
    assert!(
        text.contains("(UTC+08:00)") && text.contains("如果"),
        "{text}"
    );
    // The notice's id is the Message-ID: a second pass sends nothing again.
    assert!(
        mail.contains(&format!("Message-ID: <{}.", filed.summary.id)),
        "{mail}"
    );
    deliver(&app.state).await.unwrap();
    assert_eq!(smtpd.to("mei@demo.retour", &id).len(), 1);
    // The buyer, who filed it, is not told of her own filing.
    assert!(smtpd.to("lucia@demo.retour", &id).is_empty());
    // And the app lists it for Mei, unread, until she opens it.
    let notices: rules::api::Notices = mei.get_json("/api/notifications").await;
    let notice = notices
        .items
        .iter()
        .find(|n| n.case_id == filed.summary.id)
        .expect("the notice in the app");
    assert_eq!((notice.kind.as_str(), notice.read), ("filed", false));
    // Said by the server in the reader's language: the same words as the e-mail's.
    let said = format!("Case {}: the buyer filed the request", filed.summary.number);
    assert_eq!(notice.text, said);
    let read = mei
        .post(
            &format!("/api/notifications/{}/read", notice.id),
            &json!({}),
        )
        .await;
    assert!(read.status().is_success());
    let after: rules::api::Notices = mei.get_json("/api/notifications").await;
    assert_eq!(after.unread + 1, notices.unread);
    // She switches the app to Spanish (its header reads the notices again): they are said in
    // Spanish, and her e-mails will be too.
    let in_spanish: rules::api::Notices = plain
        .get(app.url("/api/notifications"))
        .header("cookie", format!("{session}; retour.locale=es"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let caso = format!("Caso {}:", filed.summary.number);
    assert!(
        in_spanish.items.iter().any(|n| n.text.starts_with(&caso)),
        "{in_spanish:?}"
    );
    let locale: Option<String> = on_db!(
        &app.state.pool,
        "SELECT locale FROM users WHERE email = ?",
        |sql, p| sqlx::query_scalar(sql)
            .bind("mei@demo.retour")
            .fetch_one(p)
            .await
    )
    .unwrap();
    assert_eq!(locale.as_deref(), Some("es"));
}

#[tokio::test]
async fn a_change_that_was_rolled_back_sends_nothing() {
    let port = free_port();
    let smtpd = Smtpd::start(port);
    let data = tempfile::tempdir().unwrap();
    let app = spawn_app_with(|state| state.mailer = mailer(port, data.path())).await;
    drain(&app).await;
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "arrived_late", "return_and_refund")
        .await;
    // Twenty counter-offers at once on the same version: one is written, nineteen roll back.
    let mei = app.mei().await;
    let seen = mei.case(&filed.summary.id).await;
    let offers = (0..20).map(|i| {
        mei.try_act(
            &filed.summary.id,
            seen.version,
            "propose",
            json!({"resolution": "partial_refund", "partial_amount_minor": 100 + i}),
        )
    });
    let answers = futures_util::future::join_all(offers).await;
    let written = answers.iter().filter(|(s, _)| s.is_success()).count();
    assert_eq!(written, 1, "{answers:?}");
    let notices: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM notifications WHERE case_id = ? AND kind = 'propose'",
        |sql, p| sqlx::query_scalar(sql)
            .bind(&filed.summary.id)
            .fetch_one(p)
            .await
    )
    .unwrap();
    assert_eq!(notices, 1, "one notice, for the one offer written");
    deliver(&app.state).await.unwrap();
    assert_eq!(smtpd.to("lucia@demo.retour", &filed.summary.id).len(), 1);
}

#[tokio::test]
async fn a_mail_server_that_refuses_at_first_gets_the_message_after_a_retry_once() {
    let port = free_port();
    let data = tempfile::tempdir().unwrap();
    let app = spawn_app_with(|state| state.mailer = mailer(port, data.path())).await;
    // Nobody listens yet: every delivery fails and waits to be tried again.
    let first = deliver(&app.state).await.unwrap();
    assert_eq!(first.sent, 0);
    assert!(first.retrying > 0, "{first:?}");
    let (attempts, error): (i64, Option<String>) = on_db!(
        &app.state.pool,
        "SELECT attempts, last_error FROM notifications WHERE mail = 'pending' LIMIT 1",
        |sql, p| sqlx::query_as(sql).fetch_one(p).await
    )
    .unwrap();
    assert_eq!(attempts, 1);
    assert!(error.is_some_and(|e| !e.is_empty()));
    // Not before its wait is over.
    let again = deliver(&app.state).await.unwrap();
    assert_eq!(again, retour_server::mail::Delivered::default());
    let smtpd = Smtpd::start(port);
    app.clock.advance(TimeDelta::minutes(1));
    let second = deliver(&app.state).await.unwrap();
    assert_eq!(second.sent, first.retrying, "{second:?}");
    let received = smtpd.messages().len();
    assert_eq!(received, first.retrying);
    app.clock.advance(TimeDelta::hours(2));
    deliver(&app.state).await.unwrap();
    assert_eq!(smtpd.messages().len(), received, "each message once");
    let ids: Vec<String> = smtpd
        .messages()
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.starts_with("Message-ID:"))
                .map(str::to_owned)
        })
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
}

#[tokio::test]
async fn a_reminder_goes_out_a_day_before_a_deadline_once_even_across_a_restart() {
    let port = free_port();
    let smtpd = Smtpd::start(port);
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let clock = TestClock::at(fixed_now());
    let mut app = serve(data.path(), clock.clone(), dist.path().to_path_buf()).await;
    app.state.mailer = mailer(port, data.path());
    drain(&app).await;
    // A new case: the seller has five days to answer; a day before, they are reminded.
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "arrived_late", "return_and_refund")
        .await;
    let due = filed.next_deadline.unwrap().at;
    let reminded = |app: &common::TestApp| {
        let pool = app.state.pool.clone();
        let id = filed.summary.id.clone();
        async move {
            let n: i64 = on_db!(
                &pool,
                "SELECT COUNT(*) FROM notifications WHERE case_id = ? AND kind = 'reminder'",
                |sql, p| sqlx::query_scalar(sql).bind(&id).fetch_one(p).await
            )
            .unwrap();
            n
        }
    };
    clock.set(due - TimeDelta::hours(25));
    notifications::remind(&app.state.pool, clock.now())
        .await
        .unwrap();
    assert_eq!(reminded(&app).await, 0, "too early");
    clock.set(due - TimeDelta::hours(23));
    notifications::remind(&app.state.pool, clock.now())
        .await
        .unwrap();
    assert_eq!(reminded(&app).await, 1);
    deliver(&app.state).await.unwrap();
    let reminders = smtpd.to("mei@demo.retour", &filed.summary.id);
    assert_eq!(
        reminders.len(),
        2,
        "the new case, then its reminder: {reminders:?}"
    );
    // A reminder cannot be turned off, and says so beside where the others can.
    let said: Vec<String> = reminders.iter().map(|m| plain_text(m)).collect();
    assert_eq!(
        said.iter()
            .filter(|t| t.contains("are always sent") && t.contains("/account"))
            .count(),
        1,
        "{said:?}"
    );

    // The server restarts and runs its passes again: the reminder is not sent twice.
    app.state.pool.close().await;
    drop(app);
    clock.set(due - TimeDelta::hours(22));
    let mut app = serve(data.path(), clock.clone(), dist.path().to_path_buf()).await;
    app.state.mailer = mailer(port, data.path());
    notifications::remind(&app.state.pool, clock.now())
        .await
        .unwrap();
    deliver(&app.state).await.unwrap();
    assert_eq!(reminded(&app).await, 1);
    assert_eq!(smtpd.to("mei@demo.retour", &filed.summary.id).len(), 2);
}

/// Eight mailers (as on several instances) claiming at once: every notice due is claimed, and
/// none by two of them.
#[tokio::test]
async fn mailers_claiming_at_once_never_share_a_notice() {
    let app = common::spawn_app().await;
    let due: i64 = on_db!(
        &app.state.pool,
        "SELECT COUNT(*) FROM notifications WHERE mail = 'pending' AND next_attempt_at <= ?",
        |sql, p| sqlx::query_scalar(sql)
            .bind(app.clock.now().timestamp_millis())
            .fetch_one(p)
            .await
    )
    .unwrap();
    assert!(due > 20, "the demo's notices: {due}");
    let claims = futures_util::future::join_all(
        (0..8).map(|_| notifications::claim_due(&app.state.pool, app.clock.now(), 20)),
    )
    .await;
    let mut ids: Vec<String> = claims
        .into_iter()
        .flat_map(|claimed| claimed.unwrap())
        .map(|notice| notice.id)
        .collect();
    let claimed = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), claimed, "a notice claimed twice");
    assert_eq!(claimed as i64, due);
}

/// Twenty choices sent at once by one person: what is kept is one of them whole, never a mix.
#[tokio::test]
async fn choices_sent_at_once_leave_one_of_them() {
    let app = common::spawn_app().await;
    let mei = app.mei().await;
    let choices: Vec<Vec<&str>> = (0..20)
        .map(|i| match i % 4 {
            0 => vec!["new_cases", "messages"],
            1 => vec!["talks"],
            2 => vec!["steps", "refunds", "talks"],
            _ => vec![],
        })
        .collect();
    let bodies: Vec<serde_json::Value> = choices.iter().map(|off| json!({ "off": off })).collect();
    let sent = futures_util::future::join_all(
        bodies
            .iter()
            .map(|body| mei.post("/api/account/mail", body)),
    )
    .await;
    assert!(sent.iter().all(|r| r.status().is_success()));
    let kept: serde_json::Value = mei.get_json("/api/account/mail").await;
    let ordered = |off: &[&str]| {
        let mut off: Vec<&str> = rules::api::Topic::ALL
            .iter()
            .map(|t| t.code())
            .filter(|c| off.contains(c))
            .collect();
        off.dedup();
        json!({ "off": off })
    };
    assert!(
        choices.iter().any(|off| ordered(off) == kept),
        "a mix of the choices: {kept}"
    );
}

#[tokio::test]
async fn without_an_smtp_server_the_messages_are_files_in_the_data_directory() {
    let app = common::spawn_app().await;
    let done = deliver(&app.state).await.unwrap();
    assert!(done.sent > 0, "the demo's notices: {done:?}");
    let dir = app.state.data_dir.join("mail");
    let files: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
    assert_eq!(files.len(), done.sent, "{}", dir.display());
    let one = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
    assert!(one.contains("Message-ID: <"), "{one}");
}

/// Each person chooses which e-mails they want; reminders and the clock's actions always go.
#[tokio::test]
async fn a_topic_turned_off_sends_no_mail_but_stays_in_the_app() {
    let app = common::spawn_app().await;
    let mei = app.mei().await;
    let set = mei
        .post(
            "/api/account/mail",
            &json!({"off": ["new_cases", "messages"]}),
        )
        .await;
    assert!(set.status().is_success());
    let prefs: serde_json::Value = mei.get_json("/api/account/mail").await;
    assert_eq!(prefs, json!({"off": ["new_cases", "messages"]}));
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "arrived_late", "return_and_refund")
        .await;
    let mail: String = on_db!(
        &app.state.pool,
        "SELECT mail FROM notifications WHERE case_id = ? AND kind = 'filed'",
        |sql, p| sqlx::query_scalar(sql)
            .bind(&filed.summary.id)
            .fetch_one(p)
            .await
    )
    .unwrap();
    assert_eq!(mail, "off");
    let bad = mei
        .post("/api/account/mail", &json!({"off": ["reminders"]}))
        .await;
    assert_eq!(bad.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
}

/// The app's header reads the notices with the open case's id: that case's are read first, in
/// the same request, and nobody can read another person's by naming their case.
#[tokio::test]
async fn the_notices_of_the_case_whose_page_is_open_are_read() {
    let app = common::spawn_app().await;
    let (mei, jordan) = (app.mei().await, app.jordan().await);
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "arrived_late", "return_and_refund")
        .await;
    let id = filed.summary.id.clone();
    let unread_of = |notices: &rules::api::Notices| {
        notices
            .items
            .iter()
            .filter(|n| n.case_id == id && !n.read)
            .count()
    };
    let before: rules::api::Notices = mei.get_json("/api/notifications").await;
    assert_eq!(unread_of(&before), 1, "{before:?}");
    // Another seller naming her case reads nothing of hers.
    let _: rules::api::Notices = jordan
        .get_json(&format!("/api/notifications?open={id}"))
        .await;
    let still: rules::api::Notices = mei.get_json("/api/notifications").await;
    assert_eq!(still.unread, before.unread);
    let opened: rules::api::Notices = mei.get_json(&format!("/api/notifications?open={id}")).await;
    assert_eq!(unread_of(&opened), 0, "{opened:?}");
    assert_eq!(opened.unread + 1, before.unread);
}
