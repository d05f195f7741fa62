//! `cargo xtask bench queue`: the seller's queue with ten thousand cases, through the real
//! server on 127.0.0.1 over a real SQLite file. Prints how long each request took (median, 95th
//! percentile, slowest) for the first page, every later page by cursor, a state filter, "needs my
//! action" and a search. Figures, not a pass or fail: compare them with the target it prints.

use retour_server::on_db;
use std::time::{Duration, Instant};

use retour_server::demo;

mod support;
use serde_json::{json, Value};

/// Cases in the seller's queue.
const CASES: i64 = 10_000;
/// Requests per measured query.
const ROUNDS: usize = 50;
/// What a page of the queue should take at most, end to end on one machine.
const TARGET_MS: f64 = 50.0;

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let state = support::demo_state(data.path()).await;
    let copies = multiply_teahouse_cases(&state.pool).await;
    let base = support::serve(state).await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let mei = demo::ACCOUNTS
        .iter()
        .find(|a| a.email == "mei@demo.retour")
        .expect("Mei, the tea house's seller");
    let signed_in = client
        .post(format!("{base}/api/login"))
        .json(&json!({"email": mei.email, "password": mei.password}))
        .send()
        .await
        .unwrap();
    assert!(signed_in.status().is_success(), "signing in as Mei");

    let get = |path: String| {
        let (client, url) = (client.clone(), format!("{base}{path}"));
        async move {
            let started = Instant::now();
            let response = client.get(&url).send().await.unwrap();
            let status = response.status();
            let page: Value = response.json().await.unwrap();
            assert!(status.is_success(), "GET {url}: {status} {page}");
            (started.elapsed(), page)
        }
    };
    let (_, whole) = get("/api/cases?limit=1".into()).await;
    println!(
        "queue bench: {} cases in Mei's queue ({copies} copies of each demo case), SQLite file, \
         one server on 127.0.0.1, page size 25; target {TARGET_MS} ms a page",
        whole["total"]
    );
    println!(
        "{:<34} {:>8} {:>10} {:>10} {:>10}",
        "request", "count", "median ms", "p95 ms", "max ms"
    );

    let repeated = [
        ("first page", "/api/cases?limit=25"),
        ("state filter", "/api/cases?limit=25&state=negotiating"),
        (
            "needs my action",
            "/api/cases?limit=25&needs_my_action=true",
        ),
        ("search by case number", "/api/cases?limit=25&q=bench-99"),
        ("newest filed first", "/api/cases?limit=25&sort=filed"),
    ];
    for (name, path) in repeated {
        let mut times = Vec::with_capacity(ROUNDS);
        for _ in 0..ROUNDS {
            times.push(get(path.to_owned()).await.0);
        }
        report(name, times);
    }

    // Every page, as "show more" would walk them: the last must be as quick as the first.
    let mut times = Vec::new();
    let mut path = "/api/cases?limit=25".to_owned();
    let mut rows = 0;
    loop {
        let (took, page) = get(path).await;
        times.push(took);
        rows += page["items"].as_array().map_or(0, Vec::len);
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/cases?limit=25&after={cursor}"),
            None => break,
        }
    }
    let last = *times.last().unwrap();
    report(&format!("every page by cursor ({rows} rows)"), times);
    println!("{:<34} {:>8} {:>10.2}", "the last page", 1, ms(last));
}

/// Copies every case of Lin's Tea House under new ids, with deadlines spread over the days
/// ahead, until the queue holds [`CASES`]; returns how many copies of each were made.
async fn multiply_teahouse_cases(pool: &retour_server::db::Db) -> i64 {
    let demo_cases: i64 = on_db!(
        pool,
        "SELECT COUNT(*) FROM cases WHERE store_id = 's-tea'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    let copies = (CASES - demo_cases) / demo_cases.max(1);
    on_db!(
        pool,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
         INSERT INTO cases (id, number, order_id, buyer_id, store_id, idempotency_key, \
         resolution, document, state, reason, version, refund_minor, currency, filed_at, \
         updated_at, deadline_at, deadline_party, escalated_at, settled_at) \
         SELECT 'bench-' || n.i || '-' || c.id, c.number + n.i * 100000, c.order_id, \
         c.buyer_id, c.store_id, \
         'bench-' || n.i || '-' || c.idempotency_key, c.resolution, \
         json_set(c.document, '$.id', 'bench-' || n.i || '-' || c.id), c.state, c.reason, \
         c.version, c.refund_minor, c.currency, c.filed_at - n.i * 60000, c.updated_at, \
         c.deadline_at + n.i * 60000, c.deadline_party, c.escalated_at, c.settled_at \
         FROM n CROSS JOIN cases c WHERE c.store_id = 's-tea' AND c.id NOT LIKE 'bench-%'",
        |sql, p| sqlx::query(sql)
            .bind(copies)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
    )
    .expect("the copies");
    copies
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<34} {:>8} {:>10.2} {:>10.2} {:>10.2}",
        times.len(),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
    );
}
