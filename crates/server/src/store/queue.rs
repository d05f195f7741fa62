//! Queues of cases: filtered, sorted by deadline (or by filing), paged by key so a page costs the
//! same on the thousandth page as on the first.

use std::collections::HashMap;

use rules::api::{
    Queue, QueueItem, StateCount, QUEUE_LIMIT_MAX, QUEUE_SEARCH_MAX_CHARS as SEARCH_MAX_CHARS,
};
use rules::{next_deadline, Case, CaseState, Party, Reason};
use serde::Deserialize;
use sqlx::FromRow;

use crate::db::Db;

use super::cases::{summary, Scope};
use super::StoreError;
use super::{corrupt, placeholders, policies};
/// How a queue is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// The most urgent first; closed cases last.
    #[default]
    Deadline,
    /// The newest first.
    Filed,
}

/// The filters of a queue, as query parameters.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Filters {
    /// Comma-separated state codes.
    pub state: Option<String>,
    pub reason: Option<String>,
    /// `true`: only the cases whose next deadline is the viewer's.
    pub needs_my_action: Option<bool>,
    /// `true`: only the cases the platform has been involved in; `false`: only the others.
    pub escalated: Option<bool>,
    /// The start of a case or order number.
    pub q: Option<String>,
    pub sort: Option<Sort>,
    /// The `next_cursor` of the previous page.
    pub after: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

pub const QUERY_DOC: &[(&str, &str)] = &[
    (
        "state",
        "Comma-separated state codes, e.g. awaiting_seller,negotiating",
    ),
    ("reason", "A reason code"),
    (
        "needs_my_action",
        "true: only cases whose next deadline is yours",
    ),
    (
        "escalated",
        "true or false: whether the platform has been involved",
    ),
    (
        "q",
        "Any part of a case or order number, of the buyer's name or of a product's title",
    ),
    (
        "sort",
        "deadline (default: most urgent first) or filed (newest first)",
    ),
    ("after", "The next_cursor of the previous page"),
    ("limit", "Items per page, 1 to 200 (default 50)"),
];

/// The largest possible key: cases without a deadline (closed) sort last.
const NO_DEADLINE: i64 = i64::MAX;

struct Parsed {
    states: Vec<CaseState>,
    reason: Option<Reason>,
    needs_my_action: bool,
    escalated: Option<bool>,
    q: Option<String>,
    sort: Sort,
    after: Option<(i64, String)>,
    limit: u32,
}

fn invalid(code: &'static str, message: String, field: &str) -> StoreError {
    StoreError::InvalidFilter {
        code,
        field: field.to_owned(),
        message,
    }
}

impl Filters {
    fn parse(self) -> Result<Parsed, StoreError> {
        let states = self
            .state
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|code| {
                CaseState::from_code(code).ok_or_else(|| {
                    invalid(
                        "unknown_state",
                        format!("no case state is called {code:?}"),
                        "state",
                    )
                })
            })
            .collect::<Result<_, _>>()?;
        let reason = self
            .reason
            .map(|code| {
                Reason::from_code(&code).ok_or_else(|| {
                    invalid(
                        "unknown_reason",
                        format!("no reason is called {code:?}"),
                        "reason",
                    )
                })
            })
            .transpose()?;
        let after = self
            .after
            .map(|cursor| {
                cursor
                    .split_once(':')
                    .and_then(|(key, id)| Some((key.parse().ok()?, id.to_owned())))
                    .ok_or_else(|| {
                        invalid(
                            "invalid_cursor",
                            "the cursor is not one this server gave".into(),
                            "after",
                        )
                    })
            })
            .transpose()?;
        let limit = self.limit.unwrap_or(50);
        if !(1..=QUEUE_LIMIT_MAX).contains(&limit) {
            return Err(invalid(
                "invalid_limit",
                format!("limit is {limit}; it must be between 1 and {QUEUE_LIMIT_MAX}"),
                "limit",
            ));
        }
        // A search is a number, a name or a title: anything longer is not one, and would only
        // make every row's comparison longer.
        if let Some(q) = &self.q {
            let chars = q.trim().chars().count();
            if chars > SEARCH_MAX_CHARS {
                return Err(invalid(
                    "search_too_long",
                    format!("q is {chars} characters; it must be at most {SEARCH_MAX_CHARS}"),
                    "q",
                ));
            }
        }
        Ok(Parsed {
            states,
            reason,
            needs_my_action: self.needs_my_action.unwrap_or(false),
            escalated: self.escalated,
            q: self
                .q
                .map(|q| q.trim().to_owned())
                .filter(|q| !q.is_empty()),
            sort: self.sort.unwrap_or_default(),
            after,
            limit,
        })
    }
}

#[derive(FromRow)]
struct Row {
    id: String,
    number: i64,
    document: String,
    resolution: String,
    store: String,
    buyer: String,
    sort_key: i64,
    escalated: bool,
    /// The policy the case was filed under, as JSON (NULL: the defaults).
    policy: Option<String>,
}

/// A WHERE clause under construction and the values it binds, in order.
#[derive(Default)]
struct Where {
    conditions: Vec<String>,
    binds: Vec<Bind>,
}

enum Bind {
    Text(String),
    Int(i64),
}

impl Where {
    fn and(&mut self, condition: impl Into<String>, binds: impl IntoIterator<Item = Bind>) {
        self.conditions.push(condition.into());
        self.binds.extend(binds);
    }

    fn sql(&self) -> String {
        if self.conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.conditions.join(" AND "))
        }
    }
}

macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut query = $query;
        for bind in $binds {
            query = match bind {
                Bind::Text(v) => query.bind(v.clone()),
                Bind::Int(v) => query.bind(*v),
            };
        }
        query
    }};
}

/// A page of the viewer's queue.
pub async fn page(
    pool: &Db,
    scope: &Scope,
    viewer: Party,
    filters: Filters,
) -> Result<Queue, StoreError> {
    let f = filters.parse()?;
    let mut base = Where::default();
    match scope {
        // The seller's stores named one by one: with one store (the usual case) the page is read
        // in the order of the store's index from the cursor on, instead of sorting every case.
        Scope::Seller(owner) => {
            let stores: Vec<String> = on_db!(
                pool,
                "SELECT id FROM stores WHERE owner_id = ? ORDER BY id",
                |sql, p| sqlx::query_scalar(sql).bind(owner).fetch_all(p).await
            )?;
            if stores.is_empty() {
                base.and("1 = 0", []);
            } else {
                base.and(
                    format!("c.store_id IN ({})", placeholders(stores.len())),
                    stores.into_iter().map(Bind::Text),
                );
            }
        }
        _ => {
            let (condition, bind) = scope.condition();
            base.and(condition, bind.map(|b| Bind::Text(b.to_owned())));
        }
    }
    if let Some(reason) = f.reason {
        base.and("c.reason = ?", [Bind::Text(reason.code().to_owned())]);
    }
    if f.needs_my_action {
        base.and(
            "c.deadline_party = ?",
            [Bind::Text(viewer.code().to_owned())],
        );
    }
    match f.escalated {
        Some(true) => base.and("c.escalated_at IS NOT NULL", []),
        Some(false) => base.and("c.escalated_at IS NULL", []),
        None => {}
    }
    if let Some(q) = &f.q {
        // Any part of a number, the buyer's name or a product's title, matched literally (`%`
        // and `_` typed by the user mean themselves) and whatever the case, on both engines.
        let pattern = format!(
            "%{}%",
            q.to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        base.and(
            // The buyers and the lines that match are found once, not once per case.
            "(CAST(c.number AS TEXT) LIKE ? ESCAPE '\\' OR LOWER(c.id) LIKE ? ESCAPE '\\' \
             OR LOWER(c.order_id) LIKE ? ESCAPE '\\' \
             OR c.buyer_id IN (SELECT b.id FROM users b \
                               WHERE LOWER(b.display_name) LIKE ? ESCAPE '\\') \
             OR c.id IN (SELECT cl.case_id FROM case_lines cl \
                         JOIN order_lines l ON l.id = cl.line_id \
                         WHERE LOWER(l.title) LIKE ? ESCAPE '\\'))",
            [
                Bind::Text(pattern.clone()),
                Bind::Text(pattern.clone()),
                Bind::Text(pattern.clone()),
                Bind::Text(pattern.clone()),
                Bind::Text(pattern),
            ],
        );
    }

    let count_sql = format!(
        "SELECT c.state, COUNT(*) FROM cases c {} GROUP BY c.state",
        base.sql()
    );
    let counted: Vec<(String, i64)> = on_db!(pool, count_sql, |sql, p| {
        bind_all!(sqlx::query_as(sql), &base.binds)
            .fetch_all(p)
            .await
    })?;
    let counts = counted
        .into_iter()
        .map(|(state, count)| {
            Ok(StateCount {
                state: CaseState::from_code(&state).ok_or_else(|| corrupt("state", &state))?,
                count: u64::try_from(count).unwrap_or(0),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    let total = counts
        .iter()
        .filter(|c| f.states.is_empty() || f.states.contains(&c.state))
        .map(|c| c.count)
        .sum();

    let mut page = base;
    if !f.states.is_empty() {
        page.and(
            format!("c.state IN ({})", placeholders(f.states.len())),
            f.states.iter().map(|s| Bind::Text(s.code().to_owned())),
        );
    }
    let (key, order) = match f.sort {
        Sort::Deadline => (format!("COALESCE(c.deadline_at, {NO_DEADLINE})"), "ASC"),
        Sort::Filed => ("c.filed_at".to_owned(), "DESC"),
    };
    if let Some((after_key, after_id)) = &f.after {
        let beyond = if order == "ASC" { ">" } else { "<" };
        // A row comparison, so the index on the same key is read from the cursor on.
        page.and(
            format!("({key}, c.id) {beyond} (?, ?)"),
            [Bind::Int(*after_key), Bind::Text(after_id.clone())],
        );
    }
    let sql = format!(
        "SELECT c.id, c.number, c.document, c.resolution, s.name AS store, u.display_name AS buyer, \
         {key} AS sort_key, c.escalated_at IS NOT NULL AS escalated, p.document AS policy \
         FROM cases c JOIN stores s ON s.id = c.store_id JOIN users u ON u.id = c.buyer_id \
         LEFT JOIN policies p ON p.sha256 = c.policy_sha256 \
         {} ORDER BY {key} {order}, c.id {order} LIMIT ?",
        page.sql()
    );
    let mut rows: Vec<Row> = on_db!(pool, sql, |sql, p| {
        bind_all!(sqlx::query_as(sql), &page.binds)
            .bind(i64::from(f.limit) + 1)
            .fetch_all(p)
            .await
    })?;
    let next_cursor = if rows.len() > f.limit as usize {
        rows.truncate(f.limit as usize);
        rows.last().map(|r| format!("{}:{}", r.sort_key, r.id))
    } else {
        None
    };
    let cases = rows
        .iter()
        .map(|r| {
            serde_json::from_str::<Case>(&r.document)
                .map_err(|e| StoreError::Corrupt(format!("stored case does not parse: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let titles = titles(pool, &cases).await?;
    let title = |line_id: &str| titles.get(line_id).cloned().unwrap_or_default();
    let mut policies = policies::Read::default();
    let items = rows
        .into_iter()
        .zip(cases)
        .map(|(row, case)| {
            let resolution = rules::Resolution::from_code(&row.resolution)
                .ok_or_else(|| corrupt("resolution", &row.resolution))?;
            let policy = policies.get(row.policy)?;
            let deadline = next_deadline(&case, &policy);
            Ok(QueueItem {
                summary: summary(&case, row.number, resolution, &row.store, &title),
                buyer: row.buyer,
                version: case.version,
                needs_my_action: rules::whose_move(case.state, deadline.as_ref()) == Some(viewer),
                next_deadline: deadline,
                escalated: row.escalated,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Queue {
        items,
        next_cursor,
        counts,
        total,
    })
}

/// The titles of the lines of `cases`, by line id.
async fn titles(pool: &Db, cases: &[Case]) -> Result<HashMap<String, String>, StoreError> {
    let ids: Vec<&str> = cases
        .iter()
        .flat_map(|c| c.lines.iter().map(|l| l.line_id.as_str()))
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT id, title FROM order_lines WHERE id IN ({})",
        placeholders(ids.len())
    );
    let rows = on_db!(pool, sql, |sql, p| {
        let mut query = sqlx::query_as::<_, (String, String)>(sql);
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(p).await
    })?;
    Ok(rows.into_iter().collect())
}
