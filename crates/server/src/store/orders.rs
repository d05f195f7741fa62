//! Orders and their lines, turned into the rules crate's types.

use chrono::{DateTime, Utc};
use rules::api::{LineCase, OrderView};
use rules::{
    CaseState, Category, Country, Fulfillment, Money, Order, OrderLine, OrderPolicy, Product,
};
use sqlx::FromRow;

use crate::db::Db;

use super::StoreError;
use super::{corrupt, currency, group_by, quantity};

#[derive(FromRow)]
struct OrderRow {
    id: String,
    store: String,
    store_id: String,
    placed_at: DateTime<Utc>,
    utc_offset_minutes: i32,
    currency: String,
    shipping_minor: i64,
    fulfillment: String,
    group_buy_since: Option<DateTime<Utc>>,
    shipped_at: Option<DateTime<Utc>>,
    promised_by: Option<DateTime<Utc>>,
    delivered_at: Option<DateTime<Utc>>,
    ships_from: Option<String>,
    ships_to: Option<String>,
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
    weight_grams: Option<i64>,
    variant: Option<String>,
    /// A JSON array of labels.
    variants: Option<String>,
}

impl OrderRow {
    fn fulfillment(&self) -> Result<Fulfillment, StoreError> {
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

    fn into_view(self, lines: Vec<LineRow>) -> Result<OrderView, StoreError> {
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
                    weight_grams: l
                        .weight_grams
                        .map(|w| u32::try_from(w).map_err(|_| corrupt("weight", &w.to_string())))
                        .transpose()?,
                    variants: l
                        .variants
                        .as_deref()
                        .map(serde_json::from_str)
                        .transpose()
                        .map_err(|_| corrupt("variants of line", &l.id))?
                        .unwrap_or_default(),
                    variant: l.variant,
                    id: l.id,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let country = |code: Option<String>| {
            code.map(|c| Country::parse(&c).map_err(|_| corrupt("country", &c)))
                .transpose()
        };
        let fulfillment = self.fulfillment()?;
        Ok(OrderView {
            order: Order {
                ships_from: country(self.ships_from)?,
                ships_to: country(self.ships_to)?,
                fulfillment,
                id: self.id,
                placed_at: self.placed_at,
                utc_offset_minutes: self.utc_offset_minutes,
                currency,
                lines,
                shipping: Money::new(self.shipping_minor, currency),
            },
            store: self.store,
            store_id: self.store_id,
            policy: OrderPolicy::default(),
            cases: Vec::new(),
        })
    }
}

const ORDER_COLUMNS: &str =
    "o.id, s.name AS store, o.store_id, o.placed_at, o.utc_offset_minutes, o.currency, \
     o.shipping_minor, o.fulfillment, o.group_buy_since, o.shipped_at, o.promised_by, \
     o.delivered_at, o.ships_from, o.ships_to";
const LINE_COLUMNS: &str =
    "l.id, l.order_id, l.title, l.category, l.no_returns, l.quantity, l.unit_price_minor, \
     l.weight_grams, l.variant, l.variants";

/// The buyer's orders, newest first, with their lines.
pub async fn orders_of_buyer(pool: &Db, buyer_id: &str) -> Result<Vec<OrderView>, StoreError> {
    let orders: Vec<OrderRow> = on_db!(
        pool,
        &format!(
            "SELECT {ORDER_COLUMNS} FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE o.buyer_id = ? ORDER BY o.placed_at DESC, o.id"
        ),
        |sql, p| sqlx::query_as(sql).bind(buyer_id).fetch_all(p).await
    )?;
    let lines: Vec<LineRow> = on_db!(
        pool,
        &format!(
            "SELECT {LINE_COLUMNS} FROM order_lines l JOIN orders o ON o.id = l.order_id \
         WHERE o.buyer_id = ? ORDER BY l.order_id, l.position"
        ),
        |sql, p| sqlx::query_as(sql).bind(buyer_id).fetch_all(p).await
    )?;
    let mut lines = group_by(lines, |l| &l.order_id);
    let mut cases = group_by(line_cases(pool, buyer_id, None).await?, |c| &c.order_id);
    orders
        .into_iter()
        .map(|o| {
            let mine = lines.remove(&o.id).unwrap_or_default();
            let in_cases = cases.remove(&o.id).unwrap_or_default();
            let mut view = o.into_view(mine)?;
            view.cases = in_cases
                .into_iter()
                .map(LineCaseRow::into_line_case)
                .collect::<Result<_, _>>()?;
            Ok(view)
        })
        .collect()
}

/// A line of one of the buyer's orders in a case, as stored.
#[derive(FromRow)]
struct LineCaseRow {
    order_id: String,
    line_id: String,
    case_id: String,
    number: i64,
    state: String,
}

impl LineCaseRow {
    fn into_line_case(self) -> Result<LineCase, StoreError> {
        Ok(LineCase {
            state: CaseState::from_code(&self.state)
                .ok_or_else(|| corrupt("state", &self.state))?,
            line_id: self.line_id,
            case_id: self.case_id,
            number: u64::try_from(self.number)
                .map_err(|_| corrupt("number", &self.number.to_string()))?,
        })
    }
}

/// The lines of `buyer_id`'s orders (of `order_id` alone when given) that are in a case. Two
/// queries rather than one with an optional condition: one order's lines are read through its
/// own index, never by scanning every case of the buyer (a filing reads its order this way).
async fn line_cases(
    pool: &Db,
    buyer_id: &str,
    order_id: Option<&str>,
) -> Result<Vec<LineCaseRow>, StoreError> {
    const COLUMNS: &str = "SELECT l.order_id, cl.line_id, c.id AS case_id, c.number, c.state \
         FROM order_lines l JOIN case_lines cl ON cl.line_id = l.id JOIN cases c ON c.id = cl.case_id";
    Ok(match order_id {
        Some(order_id) => on_db!(
            pool,
            format!("{COLUMNS} WHERE l.order_id = ? AND c.buyer_id = ? ORDER BY l.position"),
            |sql, p| sqlx::query_as(sql)
                .bind(order_id)
                .bind(buyer_id)
                .fetch_all(p)
                .await
        )?,
        None => on_db!(
            pool,
            format!("{COLUMNS} WHERE c.buyer_id = ? ORDER BY l.order_id, l.position"),
            |sql, p| sqlx::query_as(sql).bind(buyer_id).fetch_all(p).await
        )?,
    })
}

/// One of the buyer's orders; another buyer's order is "not found".
pub async fn order_of_buyer(
    pool: &Db,
    buyer_id: &str,
    order_id: &str,
) -> Result<OrderView, StoreError> {
    let order: OrderRow = on_db!(
        pool,
        &format!(
            "SELECT {ORDER_COLUMNS} FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE o.buyer_id = ? AND o.id = ?"
        ),
        |sql, p| sqlx::query_as(sql)
            .bind(buyer_id)
            .bind(order_id)
            .fetch_optional(p)
            .await
    )?
    .ok_or(StoreError::NotFound("order"))?;
    let mut view = with_lines(pool, order).await?;
    view.cases = line_cases(pool, buyer_id, Some(order_id))
        .await?
        .into_iter()
        .map(LineCaseRow::into_line_case)
        .collect::<Result<_, _>>()?;
    Ok(view)
}

/// Any order, for the server's own use (a case's parties have already been checked).
pub async fn order(pool: &Db, order_id: &str) -> Result<OrderView, StoreError> {
    let order: OrderRow = on_db!(
        pool,
        &format!(
        "SELECT {ORDER_COLUMNS} FROM orders o JOIN stores s ON s.id = o.store_id WHERE o.id = ?"
    ),
        |sql, p| sqlx::query_as(sql).bind(order_id).fetch_optional(p).await
    )?
    .ok_or(StoreError::NotFound("order"))?;
    with_lines(pool, order).await
}

/// Group-buy orders still waiting for their group, without a case yet: the sweeper refunds
/// those whose wait is over.
pub async fn unmatched_group_buys(pool: &Db) -> Result<Vec<String>, StoreError> {
    Ok(on_db!(
        pool,
        "SELECT o.id FROM orders o WHERE o.fulfillment = 'group_buy_waiting' \
         AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.order_id = o.id) ORDER BY o.id",
        |sql, p| sqlx::query_scalar(sql).fetch_all(p).await
    )?)
}

/// The seller's stores, as `(id, name)`, by name.
pub async fn stores_of(pool: &Db, owner_id: &str) -> Result<Vec<(String, String)>, StoreError> {
    Ok(on_db!(
        pool,
        "SELECT id, name FROM stores WHERE owner_id = ? ORDER BY name, id",
        |sql, p| sqlx::query_as(sql).bind(owner_id).fetch_all(p).await
    )?)
}

/// The order's buyer and store: the parties of a case on it.
pub async fn parties(pool: &Db, order_id: &str) -> Result<(String, String), StoreError> {
    on_db!(
        pool,
        "SELECT buyer_id, store_id FROM orders WHERE id = ?",
        |sql, p| sqlx::query_as(sql).bind(order_id).fetch_optional(p).await
    )?
    .ok_or(StoreError::NotFound("order"))
}

async fn with_lines(pool: &Db, order: OrderRow) -> Result<OrderView, StoreError> {
    let order_id = order.id.clone();
    let lines: Vec<LineRow> = on_db!(
        pool,
        &format!(
            "SELECT {LINE_COLUMNS} FROM order_lines l WHERE l.order_id = ? ORDER BY l.position"
        ),
        |sql, p| sqlx::query_as(sql).bind(order_id).fetch_all(p).await
    )?;
    order.into_view(lines)
}

/// The carrier delivered the order's parcel at `at`: the eligibility windows count from then.
/// An order already delivered keeps its first delivery time. `true` when the order changed.
pub async fn delivered(pool: &Db, order_id: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
    Ok(on_db!(
        pool,
        "UPDATE orders SET fulfillment = 'delivered', delivered_at = ? \
         WHERE id = ? AND fulfillment = 'shipped'",
        |sql, p| sqlx::query(sql)
            .bind(at)
            .bind(order_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )? == 1)
}
