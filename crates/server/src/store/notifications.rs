//! Notices to people: written in the transaction of the change that causes them (so no change
//! goes untold and no rolled-back change is told), one per recipient under a stable id, read in
//! the app, and sent by e-mail by the mailer (`crate::mail`) with retries.

use chrono::{DateTime, TimeDelta, Utc};
use rules::api::{NoticeView, Notices, Topic};
use rules::{Actor, Case, Event, EventKind, Party};

use crate::db::{Db, Tx};

use super::{corrupt, instant, millis, StoreError};

/// The kind of notice an event makes: its action's code, `filed`, or `auto.<what the clock did>`.
fn kind(event: &Event) -> String {
    match &event.what {
        EventKind::Filed { .. } => "filed".into(),
        EventKind::Acted(action) => action.kind().code().into(),
        EventKind::Automatic(deadline) => match deadline.then {
            // Whose proposal: the words of the notice say it.
            rules::AutoAction::CarryOutProposal { of } => {
                format!("auto.carry_out_proposal.{}", of.code())
            }
            then => format!("auto.{}", then.code()),
        },
    }
}

/// The people who act as `party` on the case `?`: its buyer, its store's owner, or every
/// mediator. The query's one parameter is the case's id.
fn recipients(party: Party) -> &'static str {
    match party {
        Party::Buyer => "SELECT c.buyer_id AS user_id FROM cases c WHERE c.id = ?",
        Party::Seller => {
            "SELECT s.owner_id AS user_id FROM cases c JOIN stores s ON s.id = c.store_id \
             WHERE c.id = ?"
        }
        Party::Platform => {
            "SELECT u.id AS user_id FROM users u WHERE u.role = 'mediator' AND u.id <> ?"
        }
    }
}

/// What a notice tells: what happened (`kind`), done by `actor`, at `at`.
struct Told<'a> {
    kind: &'a str,
    actor: Actor,
    at: DateTime<Utc>,
}

/// Writes one notice for each person `party` stands for, under `prefix` and their user id,
/// unless it exists already; its e-mail is off when they turned its topic off. `except` is who
/// acted: never told of their own move.
async fn notify(
    tx: &mut Tx,
    case_id: &str,
    party: Party,
    prefix: &str,
    told: &Told<'_>,
    except: Option<&str>,
) -> Result<u64, StoreError> {
    let Told { kind, actor, at } = *told;
    let topic = Topic::of(kind).map_or("", Topic::code);
    let sql = format!(
        "INSERT INTO notifications \
         (id, user_id, case_id, kind, actor, created_at, mail, next_attempt_at) \
         SELECT ? || r.user_id, r.user_id, ?, ?, ?, ?, \
           CASE WHEN EXISTS (SELECT 1 FROM mail_preferences p \
             WHERE p.user_id = r.user_id AND p.topic = ?) THEN 'off' ELSE 'pending' END, ? \
         FROM ({}) r WHERE r.user_id <> ? ON CONFLICT (id) DO NOTHING",
        recipients(party)
    );
    // A mediator's query names no case: its parameter is anyone's id that cannot match.
    let key = if party == Party::Platform {
        ""
    } else {
        case_id
    };
    crate::on_tx!(tx, &sql, |sql, c| sqlx::query(sql)
        .bind(prefix)
        .bind(case_id)
        .bind(kind)
        .bind(actor.code())
        .bind(millis(at))
        .bind(topic)
        .bind(millis(at))
        .bind(key)
        .bind(except.unwrap_or(""))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(StoreError::from)
}

/// The notices of `events`, the case's timeline entries from position `first_seq` on, done by
/// `user` (`None` for the clock), written in the transaction that records them.
pub(crate) async fn queue(
    tx: &mut Tx,
    case: &Case,
    events: &[Event],
    first_seq: i64,
    user: Option<&str>,
    escalated: bool,
) -> Result<(), StoreError> {
    for (seq, event) in (first_seq..).zip(events) {
        let by = user.filter(|_| event.by != rules::Actor::System);
        let kind = kind(event);
        let told = Told {
            kind: &kind,
            actor: event.by,
            at: event.at,
        };
        for party in rules::told(event, escalated) {
            let prefix = format!("{}:{seq}:", case.id);
            notify(tx, &case.id, party, &prefix, &told, by).await?;
        }
    }
    Ok(())
}

/// The notices of a message `message_id` on `case_id` by `author`, to the other parties
/// (`parties`), in the transaction that records it.
pub(crate) async fn queue_message(
    tx: &mut Tx,
    case_id: &str,
    message_id: &str,
    author: (&str, Party),
    parties: &[Party],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let told = Told {
        kind: "message",
        actor: author.1.into(),
        at,
    };
    for party in parties {
        let prefix = format!("message:{message_id}:");
        notify(tx, case_id, *party, &prefix, &told, Some(author.0)).await?;
    }
    Ok(())
}

/// Reminds the party who must act on each open case whose deadline falls within the next day,
/// once per deadline: the case records the deadline reminded of, in the transaction that writes
/// the notices, so a pass looks only at the cases not reminded yet; and the notice's id names the
/// deadline, so a second server reminding at the same moment (or the same one after a restart)
/// finds it written. Answers the cases with a reminder new.
pub async fn remind(pool: &Db, now: DateTime<Utc>) -> Result<Vec<String>, StoreError> {
    let due: Vec<(String, i64, String)> = crate::on_db!(
        pool,
        "SELECT id, deadline_at, deadline_party FROM cases \
         WHERE deadline_at > ? AND deadline_at <= ? AND deadline_party IS NOT NULL \
         AND (reminded_deadline_at IS NULL OR reminded_deadline_at <> deadline_at)",
        |sql, p| sqlx::query_as(sql)
            .bind(millis(now))
            .bind(millis(now + TimeDelta::hours(24)))
            .fetch_all(p)
            .await
    )?;
    let mut reminded = Vec::new();
    for (case_id, deadline_at, party) in due {
        let party = Party::from_code(&party).ok_or_else(|| corrupt("deadline party", &party))?;
        let mut tx = pool.begin().await?;
        let prefix = format!("reminder:{case_id}:{deadline_at}:");
        let told = Told {
            kind: "reminder",
            actor: Actor::System,
            at: now,
        };
        let written = notify(&mut tx, &case_id, party, &prefix, &told, None).await?;
        crate::on_tx!(
            &mut tx,
            "UPDATE cases SET reminded_deadline_at = ? WHERE id = ?",
            |sql, c| sqlx::query(sql)
                .bind(deadline_at)
                .bind(&case_id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
        tx.commit().await?;
        if written > 0 {
            reminded.push(case_id);
        }
    }
    Ok(reminded)
}

/// A notice as stored, with its case's number.
#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: String,
    case_id: String,
    number: i64,
    kind: String,
    created_at: i64,
    read_at: Option<i64>,
    actor: String,
}

/// How many notices the app lists at most.
const LISTED: i64 = 30;

/// `user_id`'s newest notices, and the count of the unread ones.
pub async fn of_user(pool: &Db, user_id: &str) -> Result<Notices, StoreError> {
    let unread: i64 = crate::on_db!(
        pool,
        "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND read_at IS NULL",
        |sql, p| sqlx::query_scalar(sql).bind(user_id).fetch_one(p).await
    )?;
    let rows: Vec<NoticeRow> = crate::on_db!(
        pool,
        "SELECT n.id, n.case_id, c.number, n.kind, n.created_at, n.read_at, n.actor \
         FROM notifications n \
         JOIN cases c ON c.id = n.case_id WHERE n.user_id = ? \
         ORDER BY n.created_at DESC, n.id LIMIT ?",
        |sql, p| sqlx::query_as(sql)
            .bind(user_id)
            .bind(LISTED)
            .fetch_all(p)
            .await
    )?;
    let items = rows
        .into_iter()
        .map(|row| {
            Ok(NoticeView {
                text: String::new(),
                actor: row.actor,
                number: u32::try_from(row.number).map_err(|_| corrupt("case number", &row.id))?,
                id: row.id,
                case_id: row.case_id,
                kind: row.kind,
                created_at: instant(row.created_at)?,
                read: row.read_at.is_some(),
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Notices {
        unread: u32::try_from(unread).unwrap_or(u32::MAX),
        items,
    })
}

/// Marks `user_id`'s notices of a case read (opening one goes to the case: the rest of that
/// case's are seen there). `false` when none of theirs has that id.
pub async fn read(
    pool: &Db,
    user_id: &str,
    id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let marked = crate::on_db!(
        pool,
        "UPDATE notifications SET read_at = COALESCE(read_at, ?) WHERE user_id = ? AND case_id = \
         (SELECT case_id FROM notifications WHERE id = ? AND user_id = ?)",
        |sql, p| sqlx::query(sql)
            .bind(millis(now))
            .bind(user_id)
            .bind(id)
            .bind(user_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(marked > 0)
}

/// Marks `user_id`'s notices of the case `case_id` read: its page is open.
pub async fn read_case(
    pool: &Db,
    user_id: &str,
    case_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::on_db!(
        pool,
        "UPDATE notifications SET read_at = ? WHERE user_id = ? AND case_id = ? \
         AND read_at IS NULL",
        |sql, p| sqlx::query(sql)
            .bind(millis(now))
            .bind(user_id)
            .bind(case_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}

/// The topics `user_id` turned the e-mails of off.
pub async fn muted(pool: &Db, user_id: &str) -> Result<Vec<Topic>, StoreError> {
    let topics: Vec<String> = crate::on_db!(
        pool,
        "SELECT topic FROM mail_preferences WHERE user_id = ? ORDER BY topic",
        |sql, p| sqlx::query_scalar(sql).bind(user_id).fetch_all(p).await
    )?;
    Ok(Topic::ALL
        .into_iter()
        .filter(|t| topics.iter().any(|c| c == t.code()))
        .collect())
}

/// Sets the topics `user_id` wants no e-mail about: exactly `off`, the rest on.
pub async fn mute(pool: &Db, user_id: &str, off: &[Topic]) -> Result<(), StoreError> {
    let mut tx = pool.begin().await?;
    // One choice at a time per person: their row is locked first (a write that changes nothing),
    // so two choices sent at once leave one of them, never a mix of both. Then all off.
    for sql in [
        "UPDATE users SET locale = locale WHERE id = ?",
        "DELETE FROM mail_preferences WHERE user_id = ?",
    ] {
        crate::on_tx!(&mut tx, sql, |sql, c| sqlx::query(sql)
            .bind(user_id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    for topic in off {
        crate::on_tx!(
            &mut tx,
            "INSERT INTO mail_preferences (user_id, topic) VALUES (?, ?) \
             ON CONFLICT (user_id, topic) DO NOTHING",
            |sql, c| sqlx::query(sql)
                .bind(user_id)
                .bind(topic.code())
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
    }
    tx.commit().await?;
    Ok(())
}

/// A notice whose e-mail is due, with what the message needs.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Outgoing {
    pub id: String,
    pub kind: String,
    pub actor: String,
    pub case_id: String,
    pub attempts: i64,
    pub email: String,
    pub name: String,
    pub locale: Option<String>,
    pub utc_offset_minutes: i32,
}

/// How long a claim keeps other mailers off a notice.
const CLAIM: TimeDelta = TimeDelta::minutes(2);

/// Claims up to `limit` notices whose e-mail is due at `now`, for this mailer alone: the claim is
/// one conditional write, which re-checks each notice as it writes it, so two instances never
/// send the same one at once. Two queries, however many are claimed.
pub async fn claim_due(
    pool: &Db,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Outgoing>, StoreError> {
    const FREE: &str = "mail = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)";
    let claimed: Vec<String> = crate::on_db!(
        pool,
        format!(
            "UPDATE notifications SET claimed_until = ? WHERE {FREE} AND id IN \
             (SELECT id FROM notifications WHERE {FREE} AND next_attempt_at <= ? \
              ORDER BY next_attempt_at, id LIMIT ?) RETURNING id"
        ),
        |sql, p| sqlx::query_scalar(sql)
            .bind(millis(now + CLAIM))
            .bind(millis(now))
            .bind(millis(now))
            .bind(millis(now))
            .bind(limit)
            .fetch_all(p)
            .await
    )?;
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let ids = vec!["?"; claimed.len()].join(", ");
    let outgoing: Vec<Outgoing> = crate::on_db!(
        pool,
        format!(
            "SELECT n.id, n.kind, n.actor, n.case_id, n.attempts, u.email, \
             u.display_name AS name, u.locale, u.utc_offset_minutes FROM notifications n \
             JOIN users u ON u.id = n.user_id WHERE n.id IN ({ids}) \
             ORDER BY n.next_attempt_at, n.id"
        ),
        |sql, p| {
            let mut query = sqlx::query_as(sql);
            for id in &claimed {
                query = query.bind(id);
            }
            query.fetch_all(p).await
        }
    )?;
    Ok(outgoing)
}

/// The notice's e-mail went out.
pub async fn sent(pool: &Db, id: &str) -> Result<(), StoreError> {
    crate::on_db!(
        pool,
        "UPDATE notifications SET mail = 'sent', claimed_until = NULL, last_error = NULL \
         WHERE id = ?",
        |sql, p| sqlx::query(sql)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}

/// The notice's e-mail failed with `error`: tried again at `next`, or given up on.
pub async fn failed(
    pool: &Db,
    id: &str,
    error: &str,
    next: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    crate::on_db!(
        pool,
        "UPDATE notifications SET attempts = attempts + 1, last_error = ?, claimed_until = NULL, \
         mail = CASE WHEN ? THEN 'pending' ELSE 'failed' END, \
         next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?",
        |sql, p| sqlx::query(sql)
            .bind(error)
            .bind(next.is_some())
            .bind(next.map(millis))
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}

/// Remembers the language `user_id` chose in the app, for their e-mails.
pub async fn set_locale(pool: &Db, user_id: &str, locale: &str) -> Result<(), StoreError> {
    crate::on_db!(
        pool,
        "UPDATE users SET locale = ? WHERE id = ? AND (locale IS NULL OR locale <> ?)",
        |sql, p| sqlx::query(sql)
            .bind(locale)
            .bind(user_id)
            .bind(locale)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}
