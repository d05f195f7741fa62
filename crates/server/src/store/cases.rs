//! Cases as the rules crate keeps them. A case is stored as its `rules::Case` document, with
//! copies of the fields queues filter and sort on, and its events are appended to the timeline
//! in the same transaction. Every write names the version it replaces, so two writers never
//! overwrite each other: the second finds the version moved and gets the current case.

use chrono::{DateTime, Utc};
use rules::api::{
    CaseDetail, CaseLine, CaseView, CreditView, EvidenceView, MessageView, TimelineEntry,
};
use rules::{
    next_deadline, whose_move, Action, Actor, Case, CaseState, Event, EventKind, Money, Outcome,
    Party, Policy, Resolution,
};
use std::sync::Arc;

use sqlx::FromRow;

use crate::db::{Db, Tx};

use super::StoreError;
use super::{corrupt, currency, instant, millis, notifications, orders, placeholders, policies};
use crate::live::Change;

/// Whose cases a reader may see. Anything outside is "not found".
#[derive(Clone, Debug)]
pub enum Scope {
    /// The cases the buyer filed.
    Buyer(String),
    /// The cases on the seller's stores' orders.
    Seller(String),
    /// The cases that have been escalated (and their whole history).
    Mediator,
}

impl Scope {
    /// The SQL condition on `c` (the cases table) and the value it binds, if any.
    pub(crate) fn condition(&self) -> (&'static str, Option<&str>) {
        match self {
            Scope::Buyer(id) => ("c.buyer_id = ?", Some(id)),
            Scope::Seller(id) => (
                "c.store_id IN (SELECT st.id FROM stores st WHERE st.owner_id = ?)",
                Some(id),
            ),
            Scope::Mediator => ("c.escalated_at IS NOT NULL", None),
        }
    }
}

/// A stored case and what the server knows around it.
#[derive(Clone, Debug)]
pub struct Stored {
    pub case: Case,
    pub buyer_id: String,
    pub store_id: String,
    /// The resolution the buyer asked for at filing.
    pub resolution: Resolution,
    /// The platform has been involved: the mediator may see the case.
    pub escalated: bool,
    /// The policy the case was filed under: its deadlines follow it for good.
    pub policy: Arc<Policy>,
}

impl Stored {
    /// What the live streams need to route a change of this case.
    pub fn change(&self) -> Change {
        Change {
            case_id: self.case.id.clone(),
            version: self.case.version,
            state: self.case.state,
            buyer_id: self.buyer_id.clone(),
            store_id: self.store_id.clone(),
            escalated: self.escalated,
        }
    }

    /// A case just filed (by the buyer, or by the system for an unmatched group buy).
    pub fn filed(
        case: Case,
        events: &[Event],
        (buyer_id, store_id): (String, String),
        resolution: Resolution,
        policy: Arc<Policy>,
    ) -> Stored {
        Stored {
            buyer_id,
            store_id,
            resolution,
            policy,
            escalated: false,
            case: case.clone(),
        }
        .after(case, events)
    }

    /// The same case after `events` made it `case`.
    pub fn after(self, case: Case, events: &[Event]) -> Stored {
        Stored {
            escalated: self.escalated || events.iter().any(|e| e.state == CaseState::Escalated),
            case,
            ..self
        }
    }
}

#[derive(FromRow)]
struct CaseRow {
    document: String,
    buyer_id: String,
    store_id: String,
    resolution: String,
    escalated: bool,
    policy: Option<String>,
}

impl CaseRow {
    fn into_stored(self) -> Result<Stored, StoreError> {
        Ok(Stored {
            case: serde_json::from_str(&self.document)
                .map_err(|e| StoreError::Corrupt(format!("stored case does not parse: {e}")))?,
            resolution: Resolution::from_code(&self.resolution)
                .ok_or_else(|| corrupt("resolution", &self.resolution))?,
            buyer_id: self.buyer_id,
            store_id: self.store_id,
            escalated: self.escalated,
            policy: Arc::new(policies::read(self.policy.as_deref())?),
        })
    }
}

/// What a [`Stored`] is read from, and where.
const CASE_COLUMNS: &str = "c.document, c.buyer_id, c.store_id, c.resolution, \
     c.escalated_at IS NOT NULL AS escalated, p.document AS policy";
const CASE_TABLES: &str = "cases c LEFT JOIN policies p ON p.sha256 = c.policy_sha256";

/// The case `id` if the reader may see it.
pub async fn load(pool: &Db, scope: &Scope, id: &str) -> Result<Stored, StoreError> {
    let (condition, bind) = scope.condition();
    let sql = format!("SELECT {CASE_COLUMNS} FROM {CASE_TABLES} WHERE c.id = ? AND {condition}");
    on_db!(pool, sql, |sql, p| {
        let mut query = sqlx::query_as::<_, CaseRow>(sql).bind(id);
        if let Some(value) = bind {
            query = query.bind(value);
        }
        query.fetch_optional(p).await
    })?
    .ok_or(StoreError::NotFound("case"))?
    .into_stored()
}

/// Claims up to `limit` cases whose deadline passed by `now` and that no sweeper holds, for
/// `lasting`: several instances sweeping at once each get cases of their own. The version check
/// of every write still makes each deadline happen once, claim or no claim.
pub async fn claim_due(
    pool: &Db,
    now: DateTime<Utc>,
    lasting: chrono::TimeDelta,
    limit: i64,
) -> Result<Vec<String>, StoreError> {
    let sql = format!(
        "UPDATE cases SET sweep_claimed_until = ? WHERE id IN (SELECT id FROM cases \
         WHERE deadline_at <= ? AND (sweep_claimed_until IS NULL OR sweep_claimed_until <= ?) \
         ORDER BY deadline_at, id LIMIT ? {}) RETURNING id",
        pool.skip_locked()
    );
    Ok(on_db!(pool, sql, |sql, p| sqlx::query_scalar(sql)
        .bind(millis(now + lasting))
        .bind(millis(now))
        .bind(millis(now))
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Gives up the sweeper's claim on a case it could not carry out, so the next pass (here or on
/// another instance) tries again.
pub async fn release_claim(pool: &Db, id: &str) -> Result<(), StoreError> {
    on_db!(
        pool,
        "UPDATE cases SET sweep_claimed_until = NULL WHERE id = ?",
        |sql, p| sqlx::query(sql)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}

/// The case `id`, for the server's own use (the sweeper).
pub async fn load_any(pool: &Db, id: &str) -> Result<Option<Stored>, StoreError> {
    on_db!(
        pool,
        &format!("SELECT {CASE_COLUMNS} FROM {CASE_TABLES} WHERE c.id = ?"),
        |sql, p| sqlx::query_as::<_, CaseRow>(sql)
            .bind(id)
            .fetch_optional(p)
            .await
    )?
    .map(CaseRow::into_stored)
    .transpose()
}

/// A case filed under a key, and the SHA-256 of the body that filed it (`None` for cases filed
/// before it was kept, and for the system's own filings).
pub struct Keyed {
    pub stored: Stored,
    pub request_sha256: Option<String>,
}

/// The buyer's case filed under `key`, if any: a retried submit finds it.
pub async fn filed_under(
    pool: &Db,
    buyer_id: &str,
    key: &str,
) -> Result<Option<Keyed>, StoreError> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        case: CaseRow,
        request_sha256: Option<String>,
    }
    on_db!(
        pool,
        &format!(
            "SELECT {CASE_COLUMNS}, c.request_sha256 FROM {CASE_TABLES} \
             WHERE c.buyer_id = ? AND c.idempotency_key = ?"
        ),
        |sql, p| sqlx::query_as::<_, Row>(sql)
            .bind(buyer_id)
            .bind(key)
            .fetch_optional(p)
            .await
    )?
    .map(|row| {
        Ok(Keyed {
            stored: row.case.into_stored()?,
            request_sha256: row.request_sha256,
        })
    })
    .transpose()
}

/// The return parcel's number, kept beside the document so a carrier's event finds its case.
fn return_tracking(case: &Case) -> Option<&str> {
    case.return_tracking.as_ref().map(|t| t.number.as_str())
}

/// The ids of the cases on an order.
pub async fn ids_on_order(pool: &Db, order_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(
        pool,
        "SELECT id FROM cases WHERE order_id = ? ORDER BY filed_at",
        |sql, p| sqlx::query_scalar(sql).bind(order_id).fetch_all(p).await
    )?)
}

fn document(case: &Case) -> Result<String, StoreError> {
    serde_json::to_string(case).map_err(|e| StoreError::Corrupt(format!("case to JSON: {e}")))
}

/// The first time, in `events`, the case entered a state matching `test`.
fn first_entered(events: &[Event], test: impl Fn(CaseState) -> bool) -> Option<i64> {
    events.iter().find(|e| test(e.state)).map(|e| millis(e.at))
}

fn settled(state: CaseState) -> bool {
    matches!(state, CaseState::Resolved | CaseState::Closed)
}

/// A new case to store, with the events that made it.
pub struct NewCase<'a> {
    pub stored: &'a Stored,
    pub events: &'a [Event],
    pub idempotency_key: &'a str,
    /// SHA-256 of the filing's body, so a key reused with another body is told apart.
    pub request_sha256: Option<&'a str>,
    /// Who filed it; `None` when the system did (an unmatched group buy).
    pub filed_by: Option<&'a str>,
    /// Photos the filer uploaded beforehand and the filing cites: they become the case's.
    pub evidence: &'a [String],
}

/// What came of storing a new case.
pub enum Inserted {
    Stored,
    /// The filer already filed under the same key (a double click that raced): nothing was
    /// written.
    SameKey(Box<Keyed>),
    /// Another case already holds one of these order lines: nothing was written.
    LinesTaken {
        case_id: String,
    },
    /// These cited photos are not the filer's unfiled uploads: nothing was written.
    EvidenceUnavailable(Vec<String>),
}

/// Stores a new case, its claim on each order line and its photos, in one transaction. The
/// database decides every race: a second filing for the same key or for the same line finds
/// the first one's rows and writes nothing.
pub async fn insert(pool: &Db, new: &NewCase<'_>) -> Result<Inserted, StoreError> {
    let case = &new.stored.case;
    let deadline = next_deadline(case, &new.stored.policy);
    let mut tx = pool.begin().await?;
    // Written first, so this transaction holds SQLite's write lock before it reads anything.
    let policy_sha256 = policies::remember(&mut tx, &new.stored.policy).await?;
    // The next short number, drawn in this transaction: a filing that is rolled back (a second
    // submit of the same key, lines already taken) gives it back. The counter's row lock
    // orders concurrent filings; the unique index on the number is the last word.
    let number: i64 = on_tx!(
        &mut tx,
        "UPDATE counters SET value = value + 1 WHERE name = 'case_number' RETURNING value",
        |sql, c| sqlx::query_scalar(sql).fetch_one(c).await
    )?;
    let inserted = on_tx!(
        &mut tx,
        "INSERT INTO cases (id, number, order_id, buyer_id, store_id, idempotency_key, \
         resolution, document, state, reason, version, refund_minor, currency, filed_at, \
         updated_at, deadline_at, deadline_party, escalated_at, settled_at, request_sha256, \
         return_tracking, policy_sha256) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (buyer_id, idempotency_key) DO NOTHING",
        |sql, c| sqlx::query(sql)
            .bind(&case.id)
            .bind(number)
            .bind(&case.order_id)
            .bind(&new.stored.buyer_id)
            .bind(&new.stored.store_id)
            .bind(new.idempotency_key)
            .bind(new.stored.resolution.code())
            .bind(document(case)?)
            .bind(case.state.code())
            .bind(case.reason.code())
            .bind(i64::from(case.version))
            .bind(case.refund_at_stake().minor)
            .bind(case.max_refund.currency.code())
            .bind(millis(case.filed_at))
            .bind(millis(new.events.last().map_or(case.filed_at, |e| e.at)))
            .bind(deadline.map(|d| millis(d.at)))
            .bind(whose_move(case.state, deadline.as_ref()).map(Party::code))
            .bind(first_entered(new.events, |s| s == CaseState::Escalated))
            .bind(first_entered(new.events, settled))
            .bind(new.request_sha256)
            .bind(return_tracking(case))
            .bind(&policy_sha256)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    )?;
    if inserted == 0 {
        tx.rollback().await?;
        return match filed_under(pool, &new.stored.buyer_id, new.idempotency_key).await? {
            Some(first) => Ok(Inserted::SameKey(Box::new(first))),
            None => Err(StoreError::Corrupt(
                "a filing key conflicted, then its case was gone".into(),
            )),
        };
    }
    for line in &case.lines {
        let claimed = on_tx!(
            &mut tx,
            "INSERT INTO case_lines (line_id, case_id) VALUES (?, ?) \
             ON CONFLICT (line_id) DO NOTHING",
            |sql, c| sqlx::query(sql)
                .bind(&line.line_id)
                .bind(&case.id)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
        if claimed == 0 {
            let holder: String = on_tx!(
                &mut tx,
                "SELECT case_id FROM case_lines WHERE line_id = ?",
                |sql, c| sqlx::query_scalar(sql)
                    .bind(&line.line_id)
                    .fetch_one(c)
                    .await
            )?;
            tx.rollback().await?;
            return Ok(Inserted::LinesTaken { case_id: holder });
        }
    }
    if let Some(user) = new.filed_by.filter(|_| !new.evidence.is_empty()) {
        let sql = format!(
            "UPDATE evidence SET case_id = ? WHERE uploaded_by = ? AND case_id IS NULL \
             AND id IN ({}) RETURNING id",
            placeholders(new.evidence.len())
        );
        let taken = on_tx!(&mut tx, sql, |sql, c| {
            let mut query = sqlx::query_scalar::<_, String>(sql)
                .bind(&case.id)
                .bind(user);
            for id in new.evidence {
                query = query.bind(id);
            }
            query.fetch_all(c).await
        })?;
        let unavailable: Vec<String> = new
            .evidence
            .iter()
            .filter(|id| !taken.contains(id))
            .cloned()
            .collect();
        if !unavailable.is_empty() {
            tx.rollback().await?;
            return Ok(Inserted::EvidenceUnavailable(unavailable));
        }
    }
    let first = append(&mut tx, case, new.events, new.filed_by).await?;
    notifications::queue(&mut tx, case, new.events, first, new.filed_by, false).await?;
    tx.commit().await?;
    Ok(Inserted::Stored)
}

/// Replaces version `seen` of the case with `case`, appending `events` (done by `user`, or by
/// the system when `None`). `false` when the stored version is no longer `seen`: somebody else
/// wrote first, and nothing was written.
pub async fn save(
    pool: &Db,
    seen: u32,
    case: &Case,
    events: &[Event],
    user: Option<&str>,
    policy: &Policy,
) -> Result<bool, StoreError> {
    let deadline = next_deadline(case, policy);
    let mut tx = pool.begin().await?;
    // The write comes first, so the transaction holds the write lock before it reads anything.
    let updated = on_tx!(
        &mut tx,
        "UPDATE cases SET document = ?, state = ?, version = ?, refund_minor = ?, \
         updated_at = ?, deadline_at = ?, deadline_party = ?, \
         escalated_at = COALESCE(escalated_at, ?), settled_at = COALESCE(settled_at, ?), \
         return_tracking = ?, sweep_claimed_until = NULL WHERE id = ? AND version = ?",
        |sql, c| sqlx::query(sql)
            .bind(document(case)?)
            .bind(case.state.code())
            .bind(i64::from(case.version))
            .bind(case.refund_at_stake().minor)
            .bind(millis(events.last().map_or(case.since, |e| e.at)))
            .bind(deadline.map(|d| millis(d.at)))
            .bind(whose_move(case.state, deadline.as_ref()).map(Party::code))
            .bind(first_entered(events, |s| s == CaseState::Escalated))
            .bind(first_entered(events, settled))
            .bind(return_tracking(case))
            .bind(&case.id)
            .bind(i64::from(seen))
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    )?;
    if updated == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let first = append(&mut tx, case, events, user).await?;
    let escalated: bool = on_tx!(
        &mut tx,
        "SELECT escalated_at IS NOT NULL FROM cases WHERE id = ?",
        |sql, c| sqlx::query_scalar(sql).bind(&case.id).fetch_one(c).await
    )?;
    notifications::queue(&mut tx, case, events, first, user, escalated).await?;
    if let Some(Outcome::Credited { amount }) = case.outcome {
        issue_credit(&mut tx, case, amount, events).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Issues the store credit a case settled on, in the transaction that settled it: once per case
/// however often the case is saved afterwards, with a code the buyer spends in the store.
async fn issue_credit(
    tx: &mut Tx,
    case: &Case,
    amount: Money,
    events: &[Event],
) -> Result<(), StoreError> {
    let issued_at = events
        .iter()
        .find(|e| e.state == CaseState::Resolved)
        .map_or(case.since, |e| e.at);
    let code = credit_code()?;
    on_tx!(
        tx,
        "INSERT INTO store_credits (case_id, buyer_id, store_id, code, amount_minor, currency, \
         issued_at) SELECT id, buyer_id, store_id, ?, ?, ?, ? FROM cases WHERE id = ? \
         ON CONFLICT (case_id) DO NOTHING",
        |sql, c| sqlx::query(sql)
            .bind(&code)
            .bind(amount.minor)
            .bind(amount.currency.code())
            .bind(millis(issued_at))
            .bind(&case.id)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(())
}

/// A credit code people can read out and type: "RC-" and 12 characters of an alphabet without
/// look-alikes (0/O, 1/I), 60 random bits.
fn credit_code() -> Result<String, StoreError> {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Corrupt(format!("no random: {e}")))?;
    let chars: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    Ok(format!(
        "RC-{}-{}-{}",
        &chars[..4],
        &chars[4..8],
        &chars[8..]
    ))
}

/// The store credits `buyer_id` holds, newest first.
pub async fn credits(pool: &Db, buyer_id: &str) -> Result<Vec<CreditView>, StoreError> {
    let rows: Vec<(String, i64, String, i64, String, i64, String)> = on_db!(
        pool,
        "SELECT k.case_id, c.number, k.code, k.amount_minor, k.currency, k.issued_at, s.name \
         FROM store_credits k JOIN cases c ON c.id = k.case_id JOIN stores s ON s.id = k.store_id \
         WHERE k.buyer_id = ? ORDER BY k.issued_at DESC, k.case_id",
        |sql, p| sqlx::query_as(sql).bind(buyer_id).fetch_all(p).await
    )?;
    rows.into_iter()
        .map(|(case_id, number, code, minor, cur, at, store)| {
            Ok(CreditView {
                case_id,
                number: u32::try_from(number).map_err(|_| corrupt("case number", &code))?,
                code,
                amount: Money::new(minor, currency(&cur)?),
                issued_at: instant(at)?,
                store,
            })
        })
        .collect()
}

/// The credit a case settled on, if any.
pub async fn credit_of(pool: &Db, case_id: &str) -> Result<Option<String>, StoreError> {
    Ok(on_db!(
        pool,
        "SELECT code FROM store_credits WHERE case_id = ?",
        |sql, p| sqlx::query_scalar(sql)
            .bind(case_id)
            .fetch_optional(p)
            .await
    )?)
}

/// Appends `events` to the case's timeline, with the proposals and rating they carry; answers
/// the first one's place in it.
async fn append(
    tx: &mut Tx,
    case: &Case,
    events: &[Event],
    user: Option<&str>,
) -> Result<i64, StoreError> {
    let last: i64 = on_tx!(
        tx,
        "SELECT COALESCE(MAX(seq), 0) FROM case_events WHERE case_id = ?",
        |sql, c| sqlx::query_scalar(sql).bind(&case.id).fetch_one(c).await
    )?;
    for (seq, event) in (last + 1..).zip(events) {
        let (kind, missed_by) = match &event.what {
            EventKind::Filed { .. } => ("filed".to_owned(), None),
            EventKind::Acted(action) => (action.kind().code().to_owned(), None),
            EventKind::Automatic(deadline) => (
                format!("auto.{}", deadline.then.code()),
                Some(deadline.party.code()),
            ),
        };
        let body = serde_json::to_string(event)
            .map_err(|e| StoreError::Corrupt(format!("event to JSON: {e}")))?;
        on_tx!(
            tx,
            "INSERT INTO case_events (case_id, seq, at, actor, user_id, kind, missed_by, state, \
             body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            |sql, c| sqlx::query(sql)
                .bind(&case.id)
                .bind(seq)
                .bind(millis(event.at))
                .bind(event.by.code())
                .bind(user.filter(|_| event.by != Actor::System))
                .bind(kind)
                .bind(missed_by)
                .bind(event.state.code())
                .bind(body)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
        let proposer = match &event.what {
            EventKind::Filed { .. } => Some(Party::Buyer),
            EventKind::Acted(Action::Propose(_)) => event.by.party(),
            _ => None,
        };
        if let Some(proposal) = proposer.and_then(|p| case.proposals.of(p)) {
            on_tx!(
                tx,
                "INSERT INTO proposals (case_id, seq, party, resolution, refund_minor, currency, \
                 return_shipping_paid_by, note, made_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                |sql, c| sqlx::query(sql)
                    .bind(&case.id)
                    .bind(seq)
                    .bind(proposal.by.code())
                    .bind(proposal.terms.resolution.code())
                    .bind(proposal.terms.refund.minor)
                    .bind(proposal.terms.refund.currency.code())
                    .bind(proposal.terms.return_shipping_paid_by.map(Party::code))
                    .bind(&proposal.note)
                    .bind(millis(proposal.made_at))
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            )?;
        }
        if let EventKind::Acted(Action::Rate { stars, comment }) = &event.what {
            on_tx!(
                tx,
                "INSERT INTO ratings (case_id, stars, comment, rated_at) VALUES (?, ?, ?, ?)",
                |sql, c| sqlx::query(sql)
                    .bind(&case.id)
                    .bind(i64::from(*stars))
                    .bind(comment)
                    .bind(millis(event.at))
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            )?;
        }
    }
    Ok(last + 1)
}

/// The summary every list shows: the case with its line titles and store.
pub fn summary(
    case: &Case,
    number: i64,
    resolution: Resolution,
    store: &str,
    titles: &impl Fn(&str) -> String,
) -> CaseView {
    CaseView {
        id: case.id.clone(),
        number: u64::try_from(number).unwrap_or_default(),
        order_id: case.order_id.clone(),
        store: store.to_owned(),
        state: case.state,
        reason: case.reason,
        resolution,
        refund: case.refund_at_stake(),
        description: case.description.clone(),
        explanation: case.explanation.clone(),
        lines: case
            .lines
            .iter()
            .map(|l| CaseLine {
                line_id: l.line_id.clone(),
                title: titles(&l.line_id),
                quantity: l.quantity,
            })
            .collect(),
        created_at: case.filed_at,
    }
}

#[derive(FromRow)]
struct EvidenceRow {
    id: String,
    party: String,
    sha256: String,
    content_type: String,
    size_bytes: i64,
    width: i64,
    height: i64,
    file_name: String,
    uploaded_at: i64,
}

fn party(code: &str) -> Result<Party, StoreError> {
    [Party::Buyer, Party::Seller, Party::Platform]
        .into_iter()
        .find(|p| p.code() == code)
        .ok_or_else(|| corrupt("party", code))
}

impl EvidenceRow {
    fn into_view(self) -> Result<EvidenceView, StoreError> {
        let number = |n: i64| u32::try_from(n).map_err(|_| corrupt("size", &n.to_string()));
        Ok(EvidenceView {
            url: format!("/api/evidence/{}", self.id),
            party: party(&self.party)?,
            size_bytes: u64::try_from(self.size_bytes)
                .map_err(|_| corrupt("size", &self.size_bytes.to_string()))?,
            width: number(self.width)?,
            height: number(self.height)?,
            uploaded_at: instant(self.uploaded_at)?,
            id: self.id,
            sha256: self.sha256,
            content_type: self.content_type,
            file_name: self.file_name,
        })
    }
}

const EVIDENCE_COLUMNS: &str =
    "id, party, sha256, content_type, size_bytes, width, height, file_name, uploaded_at";

/// The case's evidence, oldest first.
pub async fn evidence(pool: &Db, case_id: &str) -> Result<Vec<EvidenceView>, StoreError> {
    on_db!(
        pool,
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence WHERE case_id = ? ORDER BY uploaded_at, id"
        ),
        |sql, p| sqlx::query_as::<_, EvidenceRow>(sql)
            .bind(case_id)
            .fetch_all(p)
            .await
    )?
    .into_iter()
    .map(EvidenceRow::into_view)
    .collect()
}

/// One piece of evidence and the case it belongs to, if the reader may see that case.
pub async fn evidence_item(pool: &Db, scope: &Scope, id: &str) -> Result<EvidenceView, StoreError> {
    let (condition, bind) = scope.condition();
    let sql = format!(
        "SELECT e.id, e.party, e.sha256, e.content_type, e.size_bytes, e.width, e.height, \
         e.file_name, e.uploaded_at FROM evidence e JOIN cases c ON c.id = e.case_id \
         WHERE e.id = ? AND {condition}"
    );
    on_db!(pool, sql, |sql, p| {
        let mut query = sqlx::query_as::<_, EvidenceRow>(sql).bind(id);
        if let Some(value) = bind {
            query = query.bind(value);
        }
        query.fetch_optional(p).await
    })?
    .ok_or(StoreError::NotFound("evidence"))?
    .into_view()
}

/// A photo the buyer uploaded and no filing has taken yet.
pub async fn unfiled_evidence_item(
    pool: &Db,
    user_id: &str,
    id: &str,
) -> Result<EvidenceView, StoreError> {
    on_db!(
        pool,
        &format!(
            "SELECT {EVIDENCE_COLUMNS} FROM evidence \
         WHERE id = ? AND uploaded_by = ? AND case_id IS NULL"
        ),
        |sql, p| sqlx::query_as::<_, EvidenceRow>(sql)
            .bind(id)
            .bind(user_id)
            .fetch_optional(p)
            .await
    )?
    .ok_or(StoreError::NotFound("evidence"))?
    .into_view()
}

/// Evidence as uploaded and checked.
pub struct NewEvidence<'a> {
    pub id: &'a str,
    /// `None`: uploaded before its case, for a filing to cite.
    pub case_id: Option<&'a str>,
    pub user_id: &'a str,
    pub party: Party,
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub size_bytes: usize,
    pub width: u32,
    pub height: u32,
    pub file_name: &'a str,
    pub uploaded_at: DateTime<Utc>,
}

/// The condition on `evidence` that selects the pieces counted against the same limit as an
/// upload: the case's photos, or the uploader's photos not yet filed.
fn same_allowance(case_id: Option<&str>) -> &'static str {
    match case_id {
        Some(_) => "case_id = ?",
        None => "case_id IS NULL AND uploaded_by = ?",
    }
}

/// How many pieces count against the same limit as an upload to `case_id` by `user_id`.
pub async fn evidence_count(
    pool: &Db,
    case_id: Option<&str>,
    user_id: &str,
) -> Result<i64, StoreError> {
    Ok(on_db!(
        pool,
        &format!(
            "SELECT COUNT(*) FROM evidence WHERE {}",
            same_allowance(case_id)
        ),
        |sql, p| sqlx::query_scalar(sql)
            .bind(case_id.unwrap_or(user_id))
            .fetch_one(p)
            .await
    )?)
}

/// Records evidence unless its allowance (the case's, or the uploader's unfiled photos)
/// already holds `max` pieces. `false` when it is full.
pub async fn insert_evidence(
    pool: &Db,
    new: &NewEvidence<'_>,
    max: i64,
) -> Result<bool, StoreError> {
    // One statement counts and inserts, so two uploads at once cannot both take the last place.
    let inserted = on_db!(
        pool,
        &format!(
            "INSERT INTO evidence ({EVIDENCE_COLUMNS}, case_id, uploaded_by) \
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? \
         WHERE (SELECT COUNT(*) FROM evidence WHERE {}) < ?",
            same_allowance(new.case_id)
        ),
        |sql, p| sqlx::query(sql)
            .bind(new.id)
            .bind(new.party.code())
            .bind(new.sha256)
            .bind(new.content_type)
            .bind(i64::try_from(new.size_bytes).unwrap_or(i64::MAX))
            .bind(i64::from(new.width))
            .bind(i64::from(new.height))
            .bind(new.file_name)
            .bind(millis(new.uploaded_at))
            .bind(new.case_id)
            .bind(new.user_id)
            .bind(new.case_id.unwrap_or(new.user_id))
            .bind(max)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    Ok(inserted == 1)
}

/// Unfiled uploads removed in one pass at the most: the rest go at the next.
const FORGET_BATCH: i64 = 500;

/// Removes the photos kept in the database under `hashes` that no evidence uses, in one query;
/// how many.
pub async fn forget_photo_files(pool: &Db, hashes: &[String]) -> Result<u64, StoreError> {
    if hashes.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "DELETE FROM photo_files WHERE sha256 IN ({}) \
         AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = photo_files.sha256)",
        placeholders(hashes.len())
    );
    Ok(on_db!(pool, sql, |sql, p| {
        let mut query = sqlx::query(sql);
        for sha256 in hashes {
            query = query.bind(sha256);
        }
        query.execute(p).await.map(|r| r.rows_affected())
    })?)
}

/// Removes unfiled uploads older than `before` (up to [`FORGET_BATCH`] of them), and answers the
/// hashes of the files that no evidence uses any more.
pub async fn forget_unfiled_evidence(
    pool: &Db,
    before: DateTime<Utc>,
) -> Result<Vec<String>, StoreError> {
    // The delete comes first, so the transaction holds the write lock while it looks.
    let mut tx = pool.begin().await?;
    let mut gone: Vec<String> = on_tx!(
        &mut tx,
        "DELETE FROM evidence WHERE id IN (SELECT id FROM evidence \
         WHERE case_id IS NULL AND uploaded_at < ? LIMIT ?) RETURNING sha256",
        |sql, c| sqlx::query_scalar(sql)
            .bind(millis(before))
            .bind(FORGET_BATCH)
            .fetch_all(c)
            .await
    )?;
    gone.sort();
    gone.dedup();
    if gone.is_empty() {
        tx.commit().await?;
        return Ok(gone);
    }
    let sql = format!(
        "SELECT DISTINCT sha256 FROM evidence WHERE sha256 IN ({})",
        placeholders(gone.len())
    );
    let kept = on_tx!(&mut tx, sql, |sql, c| {
        let mut query = sqlx::query_scalar::<_, String>(sql);
        for sha256 in &gone {
            query = query.bind(sha256);
        }
        query.fetch_all(c).await
    })?;
    tx.commit().await?;
    Ok(gone.into_iter().filter(|h| !kept.contains(h)).collect())
}

/// Which of `ids` are not evidence of the case.
pub async fn unknown_evidence(
    pool: &Db,
    case_id: &str,
    ids: &[String],
) -> Result<Vec<String>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT id FROM evidence WHERE case_id = ? AND id IN ({})",
        placeholders(ids.len())
    );
    let known = on_db!(pool, sql, |sql, p| {
        let mut query = sqlx::query_scalar::<_, String>(sql).bind(case_id);
        for id in ids {
            query = query.bind(id);
        }
        query.fetch_all(p).await
    })?;
    Ok(ids
        .iter()
        .filter(|id| !known.contains(id))
        .cloned()
        .collect())
}

pub async fn insert_message(
    pool: &Db,
    case_id: &str,
    author_id: &str,
    party: Party,
    body: &str,
    at: DateTime<Utc>,
    told: &[Party],
) -> Result<(), StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    let mut tx = pool.begin().await?;
    on_tx!(
        &mut tx,
        "INSERT INTO messages (id, case_id, author_id, party, body, sent_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
        |sql, p| sqlx::query(sql)
            .bind(&id)
            .bind(case_id)
            .bind(author_id)
            .bind(party.code())
            .bind(body)
            .bind(millis(at))
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )?;
    let author = (author_id, party);
    notifications::queue_message(&mut tx, case_id, &id, author, told, at).await?;
    tx.commit().await?;
    Ok(())
}

/// Everything the parties see of a case, as `viewer` sees it.
pub async fn detail(pool: &Db, stored: &Stored, viewer: Party) -> Result<CaseDetail, StoreError> {
    let case = &stored.case;
    let order = orders::order(pool, &case.order_id).await?;
    let (buyer, number): (String, i64) = on_db!(
        pool,
        "SELECT u.display_name, c.number FROM cases c JOIN users u ON u.id = c.buyer_id \
         WHERE c.id = ?",
        |sql, p| sqlx::query_as(sql).bind(&case.id).fetch_one(p).await
    )?;
    let rows = on_db!(
        pool,
        "SELECT e.seq, e.body, u.display_name FROM case_events e \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.case_id = ? ORDER BY e.seq",
        |sql, p| sqlx::query_as::<_, (i64, String, Option<String>)>(sql)
            .bind(&case.id)
            .fetch_all(p)
            .await
    )?;
    let events = rows
        .iter()
        .map(|(_, body, _)| serde_json::from_str::<Event>(body).map_err(|_| corrupt("event", body)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let triggers = rules::triggers(&case.explanation, &events);
    let settlement = rules::settlement(case, &events);
    let timeline = rows
        .into_iter()
        .zip(events.into_iter().zip(triggers))
        .map(|((seq, _, who), (event, trigger))| {
            Ok(TimelineEntry {
                seq: u64::try_from(seq).map_err(|_| corrupt("seq", &seq.to_string()))?,
                who,
                event,
                trigger,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let messages = on_db!(
        pool,
        "SELECT m.id, m.party, u.display_name, m.body, m.sent_at FROM messages m \
         JOIN users u ON u.id = m.author_id WHERE m.case_id = ? ORDER BY m.sent_at, m.id",
        |sql, p| sqlx::query_as::<_, (String, String, String, String, i64)>(sql)
            .bind(&case.id)
            .fetch_all(p)
            .await
    )?
    .into_iter()
    .map(|(id, p, author, body, sent_at)| {
        Ok(MessageView {
            id,
            party: party(&p)?,
            author,
            body,
            sent_at: instant(sent_at)?,
        })
    })
    .collect::<Result<Vec<_>, StoreError>>()?;
    let titles = |line_id: &str| {
        order
            .order
            .lines
            .iter()
            .find(|l| l.id == line_id)
            .map(|l| l.product.title.clone())
            .unwrap_or_default()
    };
    Ok(CaseDetail {
        summary: summary(case, number, stored.resolution, &order.store, &titles),
        buyer,
        version: case.version,
        next_deadline: next_deadline(case, &stored.policy),
        permissions: case.permissions(),
        viewer,
        timeline,
        evidence: evidence(pool, &case.id).await?,
        messages,
        parcel: super::carrier::journey(pool, &case.order_id, &case.id).await?,
        order: order.order,
        case: case.clone(),
        settlement,
        credit_code: match viewer {
            Party::Seller => None,
            _ => credit_of(pool, &case.id).await?,
        },
    })
}
