//! The operator's policy file: enforced per seller and category, served with each order, refused
//! at start when it cannot be used, and remembered by each case (when the policy changes, new
//! cases follow the new one and open cases keep their deadlines). Return quotes come from its rate
//! card, never from the client.

mod common;

use std::sync::Arc;

use chrono::TimeDelta;
use clap::Parser;
use common::{error_of, filing, fixed_now, serve, spawn_app, spawn_app_with, start, TestClock};
use reqwest::StatusCode;
use retour_server::{db, AppState};
use rules::{CaseState, Currency, Money, Outcome, Party, PolicySet};
use serde_json::{json, Value};

#[tokio::test]
async fn open_cases_keep_their_deadlines_when_the_policy_changes() {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let clock = TestClock::at(fixed_now());
    let before = serve(data.path(), clock.clone(), dist.path().to_path_buf()).await;
    let lucia = before.lucia().await;
    let old = lucia
        .file_ok(&filing(
            "ord-1011",
            "ord-1011-1",
            1,
            "no_longer_wanted",
            "return_and_refund",
        ))
        .await;
    let old_deadline = old.next_deadline.expect("the seller must answer");
    assert_eq!(old_deadline.at, fixed_now() + TimeDelta::days(5));
    drop(before);

    // The operator gives sellers two days to answer from now on.
    let url = common::database_url(data.path()).await;
    let mut state = AppState::new(
        db::connect(&url).await.unwrap(),
        clock.clock(),
        dist.path().to_path_buf(),
        data.path().to_path_buf(),
    );
    state.policies =
        Arc::new(PolicySet::from_toml("[marketplace]\nseller_answer_days = 2").unwrap());
    let after = start(state, clock.clone()).await;
    let lucia = after.lucia().await;
    let kept = lucia.case(&old.summary.id).await;
    assert_eq!(
        kept.next_deadline,
        Some(old_deadline),
        "the open case keeps its five days"
    );
    let new = lucia
        .file_ok(&filing(
            "ord-1005",
            "ord-1005-1",
            1,
            "no_longer_wanted",
            "return_and_refund",
        ))
        .await;
    let new_deadline = new.next_deadline.expect("the seller must answer");
    assert_eq!(new_deadline.at, fixed_now() + TimeDelta::days(2));
    // The queue says the same.
    let queue: rules::api::Queue = after.jordan().await.get_json("/api/cases").await;
    let deadline_of = |id: &str| {
        queue
            .items
            .iter()
            .find(|i| i.summary.id == id)
            .and_then(|i| i.next_deadline)
            .map(|d| d.at)
    };
    assert_eq!(deadline_of(&new.summary.id), Some(new_deadline.at));

    // Three days on, the clock acts on the new case only.
    clock.advance(TimeDelta::days(3));
    retour_server::sweeper::sweep(&after.state).await.unwrap();
    let lucia = after.lucia().await;
    assert_eq!(
        lucia.case(&old.summary.id).await.summary.state,
        CaseState::AwaitingSeller
    );
    let carried_out = lucia.case(&new.summary.id).await;
    assert_ne!(carried_out.summary.state, CaseState::AwaitingSeller);
    assert!(carried_out
        .next_deadline
        .is_none_or(|d| d.party != Party::Seller || d.at > clock.now()));
}

/// A marketplace with a 3-day change-of-mind window, one seller who offers 30 days, and a rate
/// card that prices parcels from Spain back to China.
const STRICT: &str = r#"
[marketplace]
change_of_mind_days = 3

[sellers.s-north]
change_of_mind_days = 30

[shipping]
currency = "EUR"
exchange = { CNY = "7.8", USD = "1.08" }

[[shipping.routes]]
from = "ES"
to = "CN"
bands = [
  { up_to_grams = 500, price = "14.90" },
  { up_to_grams = 2000, price = "24.90" },
]
"#;

fn strict() -> PolicySet {
    PolicySet::from_toml(STRICT).expect("the test policy is valid")
}

#[tokio::test]
async fn the_policy_file_is_enforced_per_seller_and_served_with_each_order() {
    let app = spawn_app_with(|state| state.policies = Arc::new(strict())).await;
    let lucia = app.lucia().await;
    // Delivered 10 days ago by Lin's Tea House: past the marketplace's 3 days.
    let (status, body) = error_of(
        lucia
            .file(&filing(
                "ord-1006",
                "ord-1006-1",
                1,
                "no_longer_wanted",
                "return_and_refund",
            ))
            .await,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    // Delivered 20 days ago by Northwind, whose own 30 days still run.
    lucia
        .file_line("ord-1007", "no_longer_wanted", "return_and_refund")
        .await;

    // Each order carries the rules it is judged by, as changes to the defaults.
    let north: Value = lucia.get_json("/api/orders/ord-1007").await;
    assert_eq!(north["policy"]["changes"]["change_of_mind_days"], 30);
    let tea: Value = lucia.get_json("/api/orders/ord-1006").await;
    assert_eq!(tea["policy"]["changes"]["change_of_mind_days"], 3);
    assert_eq!(tea["store_id"], "s-tea");

    // Kept by the browser and revalidated: the same answer is a 304 without a body.
    let first = lucia.get("/api/orders").await;
    assert_eq!(first.headers()["cache-control"], "private, no-cache");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let again = lucia
        .client
        .get(lucia.url("/api/orders"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.text().await.unwrap().is_empty());
    let stale = lucia
        .client
        .get(lucia.url("/api/orders"))
        .header("if-none-match", "\"an-older-version\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::OK);

    // The seller reads the same rules on a page of their own.
    let jordan = app.jordan().await;
    let stores: Value = jordan.get_json("/api/seller/policy").await;
    assert_eq!(stores[0]["store_id"], "s-north");
    assert_eq!(stores[0]["policy"]["changes"]["change_of_mind_days"], 30);
    let mei: Value = app.mei().await.get_json("/api/seller/policy").await;
    assert_eq!(mei[0]["policy"]["changes"]["change_of_mind_days"], 3);
    // Not a buyer's endpoint: as if it did not exist.
    assert_eq!(
        lucia.get("/api/seller/policy").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_return_that_costs_more_than_the_goods_is_refunded_without_sending_them_back() {
    // Without a rate card nothing is quoted, and the cable must go back.
    let plain = spawn_app().await;
    let body = filing("ord-1012", "ord-1012-1", 1, "defective", "refund_only");
    let (status, error) = error_of(plain.lucia().await.file(&body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    assert_eq!(error["code"], "resolution_not_allowed");

    let app = spawn_app_with(|state| state.policies = Arc::new(strict())).await;
    let lucia = app.lucia().await;
    // The server's own quote: 60 g from Spain to China is the first band, 14.90 EUR. A quote the
    // client sends is replaced.
    let verdict: Value = lucia
        .post(
            "/api/orders/ord-1012/eligibility",
            &json!({
                "lines": [{"line_id": "ord-1012-1", "quantity": 1}],
                "reason": "defective",
                "return_shipping_cost": {"minor": 1, "currency": "EUR"},
            }),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        verdict["return_shipping_cost"],
        json!({"minor": 1490, "currency": "EUR"})
    );
    assert_eq!(
        verdict["resolutions"],
        json!(["refund_only", "partial_refund"])
    );
    // The order carries the prices of its way back, in its own currency.
    let order: Value = lucia.get_json("/api/orders/ord-1012").await;
    assert_eq!(
        order["policy"]["return_rates"][0],
        json!({"up_to_grams": 500, "price": {"minor": 1490, "currency": "EUR"}})
    );

    // A quote in the filing is not read either; the refund goes through without a return.
    let mut body = body.clone();
    body["return_shipping_cost"] = json!({"minor": 0, "currency": "EUR"});
    let case = lucia.file_ok(&body).await;
    assert_eq!(case.summary.state, CaseState::AwaitingSeller);
    // The seller stays silent: the clock carries out the buyer's refund without a return.
    app.clock.advance(TimeDelta::days(6));
    retour_server::sweeper::sweep(&app.state).await.unwrap();
    let done = lucia.case(&case.summary.id).await;
    assert!(
        matches!(
            done.summary.state,
            CaseState::Resolved | CaseState::Closed | CaseState::RefundDue
        ),
        "{:?}",
        done.summary.state
    );
    assert_eq!(
        done.case.outcome,
        Some(Outcome::Refunded {
            amount: Money::new(399, Currency::EUR)
        })
    );
}

#[test]
fn a_policy_file_that_cannot_be_used_names_the_field_the_value_and_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("policy.toml");
    let config = |file: &str| {
        std::fs::write(&path, file).unwrap();
        retour_server::config::Config::try_parse_from([
            "retour-server",
            "--policy",
            path.to_str().unwrap(),
        ])
        .unwrap()
        .policies()
        .unwrap_err()
    };
    let error = config("[sellers.s-north]\nseller_answer_days = 0\n");
    assert!(
        error.contains("sellers.s-north.seller_answer_days is 0; it must be between 1 and 3650"),
        "{error}"
    );
    let error = config("[marketplace]\nchange_of_mind = 14\n");
    assert!(error.contains("change_of_mind"), "{error}");
    let error = config(&format!(
        "{STRICT}\n[[shipping.routes]]\nfrom = \"ES\"\nto = \"US\"\nbands = [{{ up_to_grams = 500, price = \"cheap\" }}]\n"
    ));
    assert!(
        error.contains("shipping.routes[1] (ES to US).bands[0].price"),
        "{error}"
    );
    let missing = retour_server::config::Config::try_parse_from([
        "retour-server",
        "--policy",
        "/nonexistent/policy.toml",
    ])
    .unwrap()
    .policies()
    .unwrap_err();
    assert!(missing.contains("cannot read the policy file"), "{missing}");
}

/// The example in the repository is a file the server accepts, documents every field with its
/// default, and prices the demo's cheap cable from Spain to China above what it is worth.
#[test]
fn the_example_policy_file_is_valid_and_documents_every_default() {
    let text = include_str!("../../../policy.example.toml");
    let set = PolicySet::from_toml(text).expect("the example is valid");
    assert_eq!(set.marketplace_policy(), rules::Policy::default());
    for name in rules::DURATION_NAMES {
        let documented = text.lines().any(|l| {
            l.trim_start_matches("# ")
                .starts_with(&format!("{name} = "))
        });
        assert!(documented, "policy.example.toml does not document {name}");
    }
    // The documented defaults are the real ones: the commented settings of [marketplace], read.
    let section = text.split("[marketplace]").nth(1).unwrap();
    let section = section.split("# A seller").next().unwrap();
    let settings: String = section
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.starts_with(|c: char| c.is_ascii_lowercase()) && l.contains(" = "))
        .map(|l| l.split("   #").next().unwrap().to_owned() + "\n")
        .collect();
    let uncommented = PolicySet::from_toml(&format!("[marketplace]\n{settings}"))
        .expect("the documented defaults parse");
    assert_eq!(uncommented.marketplace_policy(), rules::Policy::default());
    assert_eq!(
        settings.lines().count(),
        rules::DURATIONS + 3,
        "every field is documented once: {settings}"
    );
}

/// `cargo xtask serve` seeds the demo under `policy.example.toml`: every demo case must be one
/// its rules allow (a return that costs more than the goods is refunded without one).
#[tokio::test]
async fn the_demo_seeds_under_the_example_policy() {
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../policy.example.toml"
    ))
    .unwrap();
    let policies = PolicySet::from_toml(&example).unwrap();
    let data = tempfile::tempdir().unwrap();
    let url = common::database_url(data.path()).await;
    let pool = db::connect(&url).await.unwrap();
    let clock = TestClock::at(fixed_now());
    let mut state = AppState::new(pool, clock.clock(), data.path().into(), data.path().into());
    state.policies = Arc::new(policies);
    let seeded = retour_server::demo::seed_if_empty(
        &state.pool,
        &state.photos,
        fixed_now(),
        &state.policies,
    )
    .await;
    assert!(matches!(seeded, Ok(true)), "{seeded:?}");
}
