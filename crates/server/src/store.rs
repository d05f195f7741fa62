//! Reading and writing orders and cases. Rows are turned into the rules crate's types here, so
//! handlers only ever see domain values.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rules::api::{CaseLine, CaseView, OrderView};
use rules::{
    CaseState, Category, Currency, Explanation, Fulfillment, LineSelection, Money, Order,
    OrderLine, Product, Reason, Resolution,
};
use sqlx::{FromRow, SqlitePool};

use crate::error::AppError;

#[derive(FromRow)]
struct OrderRow {
    id: String,
    store: String,
    placed_at: DateTime<Utc>,
    utc_offset_minutes: i32,
    currency: String,
    shipping_minor: i64,
    fulfillment: String,
    group_buy_since: Option<DateTime<Utc>>,
    shipped_at: Option<DateTime<Utc>>,
    promised_by: Option<DateTime<Utc>>,
    delivered_at: Option<DateTime<Utc>>,
}

#[derive(FromRow)]
struct LineRow {
    id: String,
    order_id: String,
    title: String,
    category: String,
    no_returns: bool,
    quantity: i64,
    unit_price_minor: i64,
}

/// Child rows by their parent's id, in their query order.
fn group_by<T>(rows: Vec<T>, parent: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(parent(&row).clone()).or_default().push(row);
    }
    groups
}

fn corrupt(what: &str, value: &str) -> AppError {
    AppError::Internal(format!("stored {what} {value:?} is not valid"))
}

fn currency(code: &str) -> Result<Currency, AppError> {
    code.parse().map_err(|_| corrupt("currency", code))
}

fn quantity(q: i64) -> Result<u32, AppError> {
    u32::try_from(q).map_err(|_| corrupt("quantity", &q.to_string()))
}

impl OrderRow {
    fn fulfillment(&self) -> Result<Fulfillment, AppError> {
        let missing = || corrupt("fulfillment dates of order", &self.id);
        Ok(match self.fulfillment.as_str() {
            "not_shipped" => Fulfillment::NotShipped,
            "group_buy_waiting" => Fulfillment::GroupBuyWaiting {
                since: self.group_buy_since.ok_or_else(missing)?,
            },
            "shipped" => Fulfillment::Shipped {
                shipped_at: self.shipped_at.ok_or_else(missing)?,
                promised_by: self.promised_by,
            },
            "delivered" => Fulfillment::Delivered {
                shipped_at: self.shipped_at.ok_or_else(missing)?,
                delivered_at: self.delivered_at.ok_or_else(missing)?,
            },
            other => return Err(corrupt("fulfillment", other)),
        })
    }

    fn into_view(self, lines: Vec<LineRow>) -> Result<OrderView, AppError> {
        let currency = currency(&self.currency)?;
        let lines = lines
            .into_iter()
            .map(|l| {
                Ok(OrderLine {
                    product: Product {
                        title: l.title,
                        category: Category::from_code(&l.category)
                            .ok_or_else(|| corrupt("category", &l.category))?,
                        no_returns: l.no_returns,
                    },
                    quantity: quantity(l.quantity)?,
                    unit_price: Money::new(l.unit_price_minor, currency),
                    id: l.id,
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        Ok(OrderView {
            order: Order {
                fulfillment: self.fulfillment()?,
                id: self.id,
                placed_at: self.placed_at,
                utc_offset_minutes: self.utc_offset_minutes,
                currency,
                lines,
                shipping: Money::new(self.shipping_minor, currency),
            },
            store: self.store,
        })
    }
}

const ORDER_COLUMNS: &str =
    "o.id, s.name AS store, o.placed_at, o.utc_offset_minutes, o.currency, o.shipping_minor, \
     o.fulfillment, o.group_buy_since, o.shipped_at, o.promised_by, o.delivered_at";
const LINE_COLUMNS: &str =
    "l.id, l.order_id, l.title, l.category, l.no_returns, l.quantity, l.unit_price_minor";

/// The buyer's orders, newest first, with their lines.
pub async fn orders_of_buyer(
    pool: &SqlitePool,
    buyer_id: &str,
) -> Result<Vec<OrderView>, AppError> {
    let orders: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE o.buyer_id = ? ORDER BY o.placed_at DESC, o.id"
    ))
    .bind(buyer_id)
    .fetch_all(pool)
    .await?;
    let lines: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLUMNS} FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.buyer_id = ? ORDER BY l.order_id, l.position"
    ))
    .bind(buyer_id)
    .fetch_all(pool)
    .await?;
    let mut lines = group_by(lines, |l| &l.order_id);
    orders
        .into_iter()
        .map(|o| {
            let mine = lines.remove(&o.id).unwrap_or_default();
            o.into_view(mine)
        })
        .collect()
}

/// One of the buyer's orders; another buyer's order is "not found".
pub async fn order_of_buyer(
    pool: &SqlitePool,
    buyer_id: &str,
    order_id: &str,
) -> Result<OrderView, AppError> {
    let order: OrderRow = sqlx::query_as(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE o.buyer_id = ? AND o.id = ?"
    ))
    .bind(buyer_id)
    .bind(order_id)
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound("order"))?;
    let lines: Vec<LineRow> = sqlx::query_as(&format!(
        "SELECT {LINE_COLUMNS} FROM order_lines l WHERE l.order_id = ? ORDER BY l.position"
    ))
    .bind(order_id)
    .fetch_all(pool)
    .await?;
    order.into_view(lines)
}

/// A case about to be stored: everything has been checked by the rules.
pub struct NewCase<'a> {
    pub id: String,
    pub order_id: &'a str,
    pub state: CaseState,
    pub reason: Reason,
    pub resolution: Resolution,
    pub refund: Money,
    pub description: &'a str,
    pub explanation: &'a Explanation,
    pub lines: &'a [LineSelection],
    pub created_at: DateTime<Utc>,
}

pub async fn insert_case(pool: &SqlitePool, case: &NewCase<'_>) -> Result<(), AppError> {
    let explanation = serde_json::to_string(case.explanation)
        .map_err(|e| AppError::Internal(format!("explanation does not serialise: {e}")))?;
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO return_cases (id, order_id, state, reason, resolution, refund_minor, \
         currency, description, explanation, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&case.id)
    .bind(case.order_id)
    .bind(case.state.code())
    .bind(case.reason.code())
    .bind(case.resolution.code())
    .bind(case.refund.minor)
    .bind(case.refund.currency.code())
    .bind(case.description)
    .bind(explanation)
    .bind(case.created_at)
    .execute(&mut *tx)
    .await?;
    for line in case.lines {
        sqlx::query("INSERT INTO return_case_lines (case_id, line_id, quantity) VALUES (?, ?, ?)")
            .bind(&case.id)
            .bind(&line.line_id)
            .bind(i64::from(line.quantity))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[derive(FromRow)]
struct CaseRow {
    id: String,
    order_id: String,
    store: String,
    state: String,
    reason: String,
    resolution: String,
    refund_minor: i64,
    currency: String,
    description: String,
    explanation: String,
    created_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct CaseLineRow {
    case_id: String,
    line_id: String,
    title: String,
    quantity: i64,
}

impl CaseRow {
    fn into_view(self, lines: Vec<CaseLineRow>) -> Result<CaseView, AppError> {
        Ok(CaseView {
            state: CaseState::from_code(&self.state)
                .ok_or_else(|| corrupt("state", &self.state))?,
            reason: Reason::from_code(&self.reason)
                .ok_or_else(|| corrupt("reason", &self.reason))?,
            resolution: Resolution::from_code(&self.resolution)
                .ok_or_else(|| corrupt("resolution", &self.resolution))?,
            refund: Money::new(self.refund_minor, currency(&self.currency)?),
            explanation: serde_json::from_str(&self.explanation)
                .map_err(|_| corrupt("explanation", &self.explanation))?,
            lines: lines
                .into_iter()
                .map(|l| {
                    Ok(CaseLine {
                        quantity: quantity(l.quantity)?,
                        line_id: l.line_id,
                        title: l.title,
                    })
                })
                .collect::<Result<_, AppError>>()?,
            id: self.id,
            order_id: self.order_id,
            store: self.store,
            description: self.description,
            created_at: self.created_at,
        })
    }
}

const CASE_COLUMNS: &str = "c.id, c.order_id, s.name AS store, c.state, c.reason, c.resolution, \
     c.refund_minor, c.currency, c.description, c.explanation, c.created_at";
const CASE_FROM: &str =
    "FROM return_cases c JOIN orders o ON o.id = c.order_id JOIN stores s ON s.id = o.store_id";
const CASE_LINES: &str = "SELECT cl.case_id, cl.line_id, l.title, cl.quantity \
     FROM return_case_lines cl JOIN order_lines l ON l.id = cl.line_id";

async fn cases_where(
    pool: &SqlitePool,
    filter: &str,
    binds: &[&str],
) -> Result<Vec<CaseView>, AppError> {
    let sql =
        format!("SELECT {CASE_COLUMNS} {CASE_FROM} {filter} ORDER BY c.created_at DESC, c.id");
    let mut cases_query = sqlx::query_as::<_, CaseRow>(&sql);
    let line_sql = format!(
        "{CASE_LINES} WHERE cl.case_id IN (SELECT c.id {CASE_FROM} {filter}) \
         ORDER BY cl.case_id, l.position"
    );
    let mut lines_query = sqlx::query_as::<_, CaseLineRow>(&line_sql);
    for value in binds {
        cases_query = cases_query.bind(*value);
        lines_query = lines_query.bind(*value);
    }
    let cases = cases_query.fetch_all(pool).await?;
    let mut lines = group_by(lines_query.fetch_all(pool).await?, |l| &l.case_id);
    cases
        .into_iter()
        .map(|c| {
            let mine = lines.remove(&c.id).unwrap_or_default();
            c.into_view(mine)
        })
        .collect()
}

/// A case filed by the buyer; any other case is "not found".
pub async fn case_of_buyer(
    pool: &SqlitePool,
    buyer_id: &str,
    case_id: &str,
) -> Result<CaseView, AppError> {
    cases_where(
        pool,
        "WHERE c.id = ? AND o.buyer_id = ?",
        &[case_id, buyer_id],
    )
    .await?
    .pop()
    .ok_or(AppError::NotFound("return"))
}

/// Every return, newest first: the sellers' list until accounts scope it to one store.
pub async fn all_cases(pool: &SqlitePool) -> Result<Vec<CaseView>, AppError> {
    cases_where(pool, "", &[]).await
}
