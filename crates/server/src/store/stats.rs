//! A seller's returns over a period, counted by the database.

use crate::db::Db;
use chrono::{DateTime, Utc};
use rules::api::{BuyerRisk, CodeCount, RiskSignals, SellerRisk, SellerStats};
use rules::{Case, CaseState, Fault, Reason};

use super::millis;
use super::StoreError;

fn code_counts(rows: Vec<(String, i64)>) -> Vec<CodeCount> {
    rows.into_iter()
        .map(|(code, count)| CodeCount {
            code,
            count: u64::try_from(count).unwrap_or(0),
        })
        .collect()
}

/// The middle value (the lower of the two middles for an even count), so it is always a real
/// case's duration.
fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}

const SELLERS_CASES: &str = "c.store_id IN (SELECT id FROM stores WHERE owner_id = ?)";

/// The statistics of the seller's stores for the cases filed (and orders placed) in
/// `[from, to)`.
pub async fn seller(
    pool: &Db,
    seller_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<SellerStats, StoreError> {
    let (from_ms, to_ms) = (millis(from), millis(to));
    let orders: i64 = on_db!(
        pool,
        "SELECT COUNT(*) FROM orders o JOIN stores s ON s.id = o.store_id \
         WHERE s.owner_id = ? AND o.placed_at >= ? AND o.placed_at < ?",
        |sql, p| sqlx::query_scalar(sql)
            .bind(seller_id)
            .bind(from)
            .bind(to)
            .fetch_one(p)
            .await
    )?;
    let in_period = format!("{SELLERS_CASES} AND c.filed_at >= ? AND c.filed_at < ?");
    let reasons: Vec<(String, i64)> = on_db!(
        pool,
        &format!(
            "SELECT c.reason, COUNT(*) FROM cases c WHERE {in_period} \
         GROUP BY c.reason ORDER BY COUNT(*) DESC, c.reason"
        ),
        |sql, p| sqlx::query_as(sql)
            .bind(seller_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(p)
            .await
    )?;
    let cases: i64 = reasons.iter().map(|(_, n)| n).sum();
    let settled: Vec<(String, i64, i64)> = on_db!(
        pool,
        &format!(
            "SELECT c.document, c.filed_at, c.settled_at FROM cases c \
         WHERE {in_period} AND c.settled_at IS NOT NULL"
        ),
        |sql, p| sqlx::query_as(sql)
            .bind(seller_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(p)
            .await
    )?;
    let mut outcomes: Vec<(String, i64)> = Vec::new();
    let mut durations = Vec::new();
    for (document, filed_at, settled_at) in settled {
        let case: Case = serde_json::from_str(&document)
            .map_err(|e| StoreError::Corrupt(format!("stored case does not parse: {e}")))?;
        durations.push((settled_at - filed_at) / 1000);
        let code = match (case.outcome, case.state) {
            (Some(outcome), _) => outcome.code(),
            (None, CaseState::Closed) => "closed",
            (None, _) => continue,
        };
        match outcomes.iter_mut().find(|(c, _)| c == code) {
            Some((_, n)) => *n += 1,
            None => outcomes.push((code.to_owned(), 1)),
        }
    }
    outcomes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let automatic: Vec<(String, i64)> = on_db!(
        pool,
        &format!(
            "SELECT e.kind, COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE {SELLERS_CASES} AND e.missed_by = 'seller' AND e.at >= ? AND e.at < ? \
         GROUP BY e.kind ORDER BY COUNT(*) DESC, e.kind"
        ),
        |sql, p| sqlx::query_as(sql)
            .bind(seller_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(p)
            .await
    )?;
    let orders = u64::try_from(orders).unwrap_or(0);
    let cases = u64::try_from(cases).unwrap_or(0);
    Ok(SellerStats {
        from,
        to,
        orders,
        cases,
        return_rate_basis_points: basis_points(cases, orders),
        reasons: code_counts(reasons),
        outcomes: code_counts(outcomes),
        median_seconds_to_resolution: median(durations),
        automatic_actions: code_counts(
            automatic
                .into_iter()
                .map(|(kind, n)| (kind.trim_start_matches("auto.").to_owned(), n))
                .collect(),
        ),
    })
}

/// Per 10,000, rounded down; 0 of nothing is 0.
fn basis_points(part: u64, whole: u64) -> u64 {
    (part * 10_000).checked_div(whole).unwrap_or(0)
}

/// The outcomes in which a plan for the goods was carried out: refunds, replacements, repairs,
/// exchanges and store credit.
const SETTLED_ON_A_PLAN: &str = "'refunded', 'replaced', 'repaired', 'exchanged', 'credited'";

/// How far back the mediator's risk signals look.
pub const RISK_DAYS: u32 = 90;

/// The risk signals of a case's two sides over the [`RISK_DAYS`] before `now`.
pub async fn risk(
    pool: &Db,
    buyer_id: &str,
    store_id: &str,
    now: DateTime<Utc>,
) -> Result<RiskSignals, StoreError> {
    let days = chrono::TimeDelta::days(i64::from(RISK_DAYS));
    let since = millis(now - days);
    let outcome = pool.json_text("document", &["outcome", "code"]);
    let (cases, refunded, credited): (i64, i64, i64) = on_db!(
        pool,
        format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN {outcome} = 'refunded' THEN 1 ELSE 0 END), 0), \
             COALESCE(SUM(CASE WHEN {outcome} = 'credited' THEN 1 ELSE 0 END), 0) \
             FROM cases WHERE buyer_id = ? AND filed_at >= ?"
        ),
        |sql, p| sqlx::query_as(sql)
            .bind(buyer_id)
            .bind(since)
            .fetch_one(p)
            .await
    )?;
    // The seller's side is their statistics over the same days, up to and including now (a
    // period's end is excluded, and the case at hand may have been filed this very instant).
    let owner: String = on_db!(
        pool,
        "SELECT owner_id FROM stores WHERE id = ?",
        |sql, p| sqlx::query_scalar(sql).bind(store_id).fetch_one(p).await
    )?;
    let record = seller(
        pool,
        &owner,
        now - days,
        now + chrono::TimeDelta::milliseconds(1),
    )
    .await?;
    // What the outcomes established, over the cases settled in the same days.
    let reached = pool.json_text("c.document", &["agreement", "reached"]);
    let seller_reasons: Vec<String> = Reason::ALL
        .into_iter()
        .filter(|r| r.fault() == Fault::Seller)
        .map(|r| format!("'{}'", r.code()))
        .collect();
    let outcome_of_case = pool.json_text("c.document", &["outcome", "code"]);
    let (settled, seller_fault): (i64, i64) = on_db!(
        pool,
        format!(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN {outcome_of_case} IN ({SETTLED_ON_A_PLAN}) \
               AND ({reached} = 'ruling' OR ({reached} = 'accepted' AND c.reason IN ({}))) \
               THEN 1 ELSE 0 END), 0) \
             FROM cases c JOIN stores s ON s.id = c.store_id \
             WHERE s.owner_id = ? AND c.filed_at >= ? AND {outcome_of_case} IS NOT NULL",
            seller_reasons.join(", ")
        ),
        |sql, p| sqlx::query_as(sql)
            .bind(&owner)
            .bind(since)
            .fetch_one(p)
            .await
    )?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    let (cases, refunded, credited) = (count(cases), count(refunded), count(credited));
    let (settled, seller_fault) = (count(settled), count(seller_fault));
    Ok(RiskSignals {
        days: RISK_DAYS,
        buyer: BuyerRisk {
            cases,
            refunded,
            credited,
            refund_rate_basis_points: basis_points(refunded, cases),
        },
        seller: SellerRisk {
            cases: record.cases,
            settled,
            seller_fault,
            fault_rate_basis_points: basis_points(seller_fault, settled),
            automatic_actions: record.automatic_actions.iter().map(|c| c.count).sum(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_is_a_real_middle_value() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![7]), Some(7));
        assert_eq!(median(vec![9, 1, 5]), Some(5));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
    }
}
