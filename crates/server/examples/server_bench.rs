//! `cargo xtask bench server`: the server's speed at 100,000 cases, on SQLite and on PostgreSQL.
//!
//! Each engine gets the demo data multiplied to 100,000 cases across 50 stores (Lin's Tea House
//! holding 20,000), the real router on 127.0.0.1, and `wrk` (Debian's load generator) for a few
//! seconds per request kind: requests per second and the 50th and 99th percentiles, beside a bare
//! authenticated endpoint measured in the same run, so each figure is also a ratio. Figures, not
//! a pass or fail: the targets and the gaps are printed with them.

use std::path::Path;
use std::process::Command;

use retour_server::db::{Db, Engine};
use retour_server::{db, demo, on_db, system_clock, AppState};
use serde_json::json;

mod support;

/// Cases in all, in the tea house, and stores.
const CASES: i64 = 100_000;
const TEA_HOUSE_CASES: i64 = 20_000;
const STORES: i64 = 50;
/// Order lines kept free for the filing benchmark: one case per line, ever.
const FREE_LINES: i64 = 40_000;

/// The end of each wrk script: the first answer that is not a success is written to standard
/// error, so a bench that measures errors says which.
const TELL_FIRST_ERROR: &str = r#"local told = false
function response(status, headers, body)
  if status >= 300 and not told then
    told = true
    io.stderr:write(status .. " " .. body:sub(1, 200) .. "\n")
  end
end
"#;

/// What one request kind measured.
struct Measured {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

#[tokio::main]
async fn main() {
    let wrk = std::env::var("WRK").unwrap_or_else(|_| "wrk".into());
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let mut engines = vec![(
        "SQLite",
        format!("sqlite://{}", scratch.path().join("bench.db").display()),
    )];
    match std::env::var("RETOUR_BENCH_POSTGRES") {
        Ok(admin) => engines.push(("PostgreSQL", fresh_postgres_database(&admin).await)),
        Err(_) => println!("server bench: RETOUR_BENCH_POSTGRES unset, SQLite only"),
    }
    println!(
        "server bench: {CASES} cases across {STORES} stores ({TEA_HOUSE_CASES} in one), {} \
         cores, wrk {seconds} s per request kind with 2 threads and 16 connections",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    let mut sqlite_rps = Vec::new();
    for (name, url) in engines {
        let rows = run_engine(name, &url, scratch.path(), &wrk, seconds).await;
        if name == "SQLite" {
            sqlite_rps = rows.iter().map(|(n, m)| (*n, m.rps)).collect();
        } else {
            for (kind, m) in &rows {
                if let Some((_, base)) = sqlite_rps.iter().find(|(n, _)| n == kind) {
                    let ratio = m.rps / base;
                    println!(
                        "  {kind:<28} PostgreSQL at {ratio:.2}× SQLite's rate: {}",
                        if ratio >= 0.5 {
                            "within the target of half or better"
                        } else {
                            "below the target of half"
                        }
                    );
                }
            }
        }
    }
}

/// A new database on the PostgreSQL server `admin` names; its URL.
async fn fresh_postgres_database(admin: &str) -> String {
    let pool = sqlx::PgPool::connect(admin)
        .await
        .expect("the PostgreSQL server");
    let name = format!("bench_{}", std::process::id());
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&pool)
        .await
        .unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .unwrap();
    let (base, _) = admin.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{base}/{name}")
}

async fn run_engine(
    name: &'static str,
    url: &str,
    scratch: &Path,
    wrk: &str,
    seconds: u64,
) -> Vec<(&'static str, Measured)> {
    let pool = db::connect(url).await.expect("the database");
    let mut state = AppState::new(pool, system_clock(), scratch.join("dist"), scratch.into());
    state.share_live_updates().await.expect("live updates");
    demo::seed_if_empty(&state.pool, &state.photos, state.now(), &state.policies)
        .await
        .expect("the demo data");
    let tea_copies = multiply(&state.pool).await;
    let base = support::serve(state).await;
    let (mei, _) = session(&base, "mei@demo.retour").await;
    let (lucia, lucia_csrf) = session(&base, "lucia@demo.retour").await;
    let deep_cursor = deep_cursor(&base, &mei).await;
    let script = scratch.join(format!("{name}.lua"));
    let version = case_version(&base, &mei, "bench-1-case-3001").await;
    // Each wrk thread acts on copies of its own, and files on lines of its own.
    let half = FREE_LINES / 2;
    let share = tea_copies / 2;

    println!("\n{name}");
    println!(
        "{:<30} {:>10} {:>9} {:>9} {:>10}",
        "request", "per second", "p50 ms", "p99 ms", "bare ÷ it"
    );
    let get =
        |path: &str, cookie: &str| measure(wrk, &format!("{base}{path}"), cookie, None, seconds);
    let bare = get("/api/me", &mei);
    let mut rows = vec![("bare: /api/me (one query)", bare)];
    rows.push(("queue: first page", get("/api/cases?limit=25", &mei)));
    rows.push((
        "queue: a state filter",
        get("/api/cases?limit=25&state=negotiating", &mei),
    ));
    rows.push((
        "queue: a search",
        get("/api/cases?limit=25&q=bench-77", &mei),
    ));
    rows.push((
        "queue: a page deep by cursor",
        get(&format!("/api/cases?limit=25&after={deep_cursor}"), &mei),
    ));
    rows.push(("a case read", get("/api/cases/bench-1-case-3001", &mei)));
    // Each filing takes an order line nobody returned yet; each action a case copy of its own.
    std::fs::write(
        &script,
        format!(
            r#"local n = 0
local id = 0
function setup(thread) thread:set("first", id * {half}); id = id + 1 end
function init(args) n = 0 end
function request()
  n = n + 1
  local line = first + n % {half}
  local body = '{{"order_id":"bench-order-' .. line .. '","lines":[{{"line_id":"bench-line-' .. line ..
    '","quantity":1}}],"reason":"no_longer_wanted","resolution":"return_and_refund"}}'
  return wrk.format("POST", "/api/cases", {{["content-type"] = "application/json",
    ["cookie"] = "{lucia}", ["x-csrf-token"] = "{lucia_csrf}",
    ["idempotency-key"] = "bench-" .. first .. "-" .. n}}, body)
end
"#
        ) + TELL_FIRST_ERROR,
    )
    .unwrap();
    rows.push((
        "a filing",
        measure(
            wrk,
            &format!("{base}/api/cases"),
            "",
            Some(&script),
            seconds,
        ),
    ));
    let (mei_cookie, mei_csrf) = session(&base, "mei@demo.retour").await;
    std::fs::write(
        &script,
        format!(
            r#"local n = 0
local id = 0
local versions = {{}}
function setup(thread) thread:set("first", id * {share} + 1); id = id + 1 end
function init(args) n = 0 end
function request()
  n = n + 1
  local i = first + n % {share}
  local v = versions[i] or {version}
  versions[i] = v + 1
  local path = "/api/cases/bench-" .. i .. "-case-3001/propose"
  local body = '{{"version":' .. v .. ',"resolution":"partial_refund","partial_amount_minor":100}}'
  return wrk.format("POST", path, {{["content-type"] = "application/json",
    ["cookie"] = "{mei_cookie}", ["x-csrf-token"] = "{mei_csrf}"}}, body)
end
"#
        ) + TELL_FIRST_ERROR,
    )
    .unwrap();
    rows.push((
        "an action (counter-offer)",
        measure(wrk, &format!("{base}/"), "", Some(&script), seconds),
    ));
    let bare_rps = rows[0].1.rps;
    for (kind, m) in &rows {
        println!(
            "{kind:<30} {:>10.0} {:>9.2} {:>9.2} {:>10.1}",
            m.rps,
            m.p50_ms,
            m.p99_ms,
            bare_rps / m.rps.max(0.001)
        );
    }
    if name == "SQLite" {
        let find = |k: &str| rows.iter().find(|(n, _)| *n == k).map(|(_, m)| m);
        let gap = |what: &str, m: &Measured, rps: f64, p99: f64| {
            let ok = m.rps >= rps && m.p99_ms <= p99;
            let wanted = match (rps > 0.0, p99.is_finite()) {
                (true, true) => format!("{rps:.0}/s with p99 at most {p99} ms"),
                (true, false) => format!("{rps:.0}/s"),
                _ => format!("p99 at most {p99} ms"),
            };
            println!(
                "  target for {what}: {wanted}: {}",
                if ok {
                    "met".to_owned()
                } else {
                    format!("missed ({:.0}/s, p99 {:.1} ms)", m.rps, m.p99_ms)
                }
            );
        };
        if let Some(m) = find("queue: first page") {
            gap("queue page", m, 5000.0, 10.0);
        }
        if let Some(m) = find("queue: a search") {
            gap("search", m, 0.0, 20.0);
        }
        if let Some(m) = find("a case read") {
            gap("case read", m, 8000.0, f64::INFINITY);
        }
    }
    rows
}

/// A signed-in cookie and its CSRF token.
async fn session(base: &str, email: &str) -> (String, String) {
    let account = demo::ACCOUNTS.iter().find(|a| a.email == email).unwrap();
    let response = reqwest::Client::new()
        .post(format!("{base}/api/login"))
        .json(&json!({"email": email, "password": account.password}))
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let me: serde_json::Value = response.json().await.unwrap();
    (cookie, me["csrf_token"].as_str().unwrap().to_owned())
}

async fn get_json(base: &str, cookie: &str, path: &str) -> serde_json::Value {
    reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The cursor of a page 10,000 rows into the tea house's queue.
async fn deep_cursor(base: &str, cookie: &str) -> String {
    let mut path = "/api/cases?limit=100".to_owned();
    let mut cursor = String::new();
    for _ in 0..100 {
        let page = get_json(base, cookie, &path).await;
        cursor = page["next_cursor"].as_str().unwrap_or_default().to_owned();
        path = format!("/api/cases?limit=100&after={cursor}");
    }
    cursor
}

async fn case_version(base: &str, cookie: &str, id: &str) -> u64 {
    get_json(base, cookie, &format!("/api/cases/{id}")).await["version"]
        .as_u64()
        .expect("the case's version")
}

/// Runs wrk against `url` and reads its rate and percentiles.
fn measure(wrk: &str, url: &str, cookie: &str, script: Option<&Path>, seconds: u64) -> Measured {
    let mut command = Command::new(wrk);
    command.args(["-t2", "-c16", &format!("-d{seconds}s"), "--latency"]);
    if !cookie.is_empty() {
        command.args(["-H", &format!("cookie: {cookie}")]);
    }
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command
        .arg(url)
        .output()
        .expect("wrk runs (cargo xtask bench server installs it)");
    // The scripts tell the first error they meet on standard error: shown as it is.
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    let value = |prefix: &str| -> Option<String> {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix).map(|v| v.trim().to_owned()))
    };
    let millis = |v: String| -> f64 {
        let (number, unit) =
            v.split_at(v.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(v.len()));
        let n: f64 = number.parse().unwrap_or(f64::NAN);
        match unit {
            "us" => n / 1000.0,
            "s" => n * 1000.0,
            _ => n,
        }
    };
    if text.contains("Non-2xx or 3xx responses") {
        println!(
            "  (some answers were errors: {})",
            value("Non-2xx or 3xx responses:").unwrap_or_default()
        );
    }
    Measured {
        rps: value("Requests/sec:")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0),
        p50_ms: value("50%").map(millis).unwrap_or(f64::NAN),
        p99_ms: value("99%").map(millis).unwrap_or(f64::NAN),
    }
}

/// Multiplies the demo to [`CASES`] cases across [`STORES`] stores, and adds [`FREE_LINES`]
/// delivered order lines of Lucía's that no case holds yet. How many copies of each of the tea
/// house's demo cases it made.
async fn multiply(pool: &Db) -> i64 {
    let exec = |sql: String| async move {
        on_db!(pool, sql, |sql, p| sqlx::query(sql)
            .execute(p)
            .await
            .map(|r| r.rows_affected()))
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let series = |n: i64| {
        format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})")
    };
    exec(format!(
        "{} INSERT INTO stores (id, owner_id, name) SELECT 'bench-store-' || i, 'u-jordan', \
         'Bench store ' || i FROM n",
        series(STORES - 2)
    ))
    .await;
    let demo: i64 = on_db!(
        pool,
        "SELECT COUNT(*) FROM cases WHERE store_id = 's-tea'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    let tea_copies = (TEA_HOUSE_CASES - demo) / demo.max(1);
    let with_id = |copy: &str| match pool.engine() {
        Engine::Sqlite => format!("json_set(c.document, '$.id', {copy})"),
        Engine::Postgres => {
            format!("jsonb_set(c.document::jsonb, '{{id}}', to_jsonb({copy}))::text")
        }
    };
    let copy = "'bench-' || n.i || '-' || c.id";
    // Each copy has a number of its own, far above the ones the bench's filings will draw.
    let columns = "id, number, order_id, buyer_id, store_id, idempotency_key, resolution, \
         document, state, reason, version, refund_minor, currency, filed_at, updated_at, \
         deadline_at, deadline_party, escalated_at, settled_at";
    // The tea house's cases, copied up to its share.
    exec(format!(
        "{} INSERT INTO cases ({columns}) SELECT {copy}, c.number + n.i * 100000, c.order_id, \
         c.buyer_id, c.store_id, \
         {copy}, c.resolution, {}, c.state, c.reason, c.version, c.refund_minor, c.currency, \
         c.filed_at - n.i * 60000, c.updated_at, c.deadline_at + n.i * 60000, c.deadline_party, \
         c.escalated_at, c.settled_at FROM n CROSS JOIN cases c WHERE c.store_id = 's-tea' \
         AND c.id LIKE 'case-%'",
        series(tea_copies),
        with_id(copy)
    ))
    .await;
    // The rest spread over the bench stores.
    let all: i64 = on_db!(
        pool,
        "SELECT COUNT(*) FROM cases WHERE id LIKE 'case-%'",
        |sql, p| sqlx::query_scalar(sql).fetch_one(p).await
    )
    .unwrap();
    let have: i64 = on_db!(pool, "SELECT COUNT(*) FROM cases", |sql, p| {
        sqlx::query_scalar(sql).fetch_one(p).await
    })
    .unwrap();
    let other = "'other-' || n.i || '-' || c.id";
    exec(format!(
        "{} INSERT INTO cases ({columns}) SELECT {other}, \
         c.number + n.i * 100000 + 1000000000, c.order_id, c.buyer_id, \
         'bench-store-' || (n.i % {} + 1), {other}, c.resolution, {}, c.state, c.reason, \
         c.version, c.refund_minor, c.currency, c.filed_at - n.i * 60000, c.updated_at, \
         c.deadline_at + n.i * 60000, c.deadline_party, c.escalated_at, c.settled_at \
         FROM n CROSS JOIN cases c WHERE c.id LIKE 'case-%'",
        series((CASES - have) / all.max(1)),
        STORES - 2,
        with_id(other)
    ))
    .await;
    // Free lines to file on: one delivered order each, two days ago.
    let delivered = (chrono::Utc::now() - chrono::TimeDelta::days(2)).to_rfc3339();
    exec(format!(
        "{} INSERT INTO orders (id, buyer_id, store_id, placed_at, currency, shipping_minor, \
         fulfillment, shipped_at, delivered_at, utc_offset_minutes) SELECT \
         'bench-order-' || (i - 1), 'u-lucia', 's-tea', {t}, 'EUR', 0, 'delivered', {t}, {t}, 60 \
         FROM n",
        series(FREE_LINES),
        t = timestamp(pool, &delivered)
    ))
    .await;
    exec(format!(
        "{} INSERT INTO order_lines (id, order_id, position, title, category, no_returns, \
         quantity, unit_price_minor) SELECT 'bench-line-' || (i - 1), 'bench-order-' || (i - 1), \
         0, 'Bench mug', 'general', FALSE, 1, 1500 FROM n",
        series(FREE_LINES)
    ))
    .await;
    // Fresh statistics, as autovacuum would gather after such a load: the planner's choices
    // depend on them.
    if pool.engine() == Engine::Postgres {
        exec("ANALYZE".to_owned()).await;
    }
    tea_copies
}

/// An instant as the engine stores an order's dates.
fn timestamp(pool: &Db, rfc3339: &str) -> String {
    match pool.engine() {
        Engine::Sqlite => format!("'{rfc3339}'"),
        Engine::Postgres => format!("TIMESTAMPTZ '{rfc3339}'"),
    }
}
