//! The sweeper with a moved clock: each deadline of DOMAIN.md carried out once, by the system, in
//! the timeline; twice at once still once; and caught up after a restart.

mod common;

use retour_server::on_db;
use std::time::Duration;

use chrono::TimeDelta;
use common::{fixed_now, serve, spawn_app, TestClock};
use retour_server::store::cases;
use retour_server::sweeper::{self, sweep};
use rules::{next_deadline, AutoAction, Deadline, EventKind, Party};
use serde_json::json;

/// The automatic events of a case, in order.
async fn automatic(app: &common::TestApp, id: &str) -> Vec<Deadline> {
    let bodies: Vec<String> = on_db!(
        &app.state.pool,
        "SELECT body FROM case_events WHERE case_id = ? AND actor = 'system' ORDER BY seq",
        |sql, p| sqlx::query_scalar(sql).bind(id).fetch_all(p).await
    )
    .unwrap();
    bodies
        .iter()
        .filter_map(
            |b| match serde_json::from_str::<rules::Event>(b).unwrap().what {
                EventKind::Automatic(deadline) => Some(deadline),
                _ => None,
            },
        )
        .collect()
}

async fn deadline_of(app: &common::TestApp, id: &str) -> Deadline {
    let stored = cases::load_any(&app.state.pool, id).await.unwrap().unwrap();
    next_deadline(&stored.case, &stored.policy).expect("an open case has a deadline")
}

#[tokio::test]
async fn each_deadline_is_carried_out_once_by_the_system() {
    // One demo case per state with a deadline, and what the clock does there.
    let table = [
        (
            "case-3001",
            Party::Seller,
            AutoAction::CarryOutProposal { of: Party::Buyer },
        ),
        (
            "case-3003",
            Party::Buyer,
            AutoAction::CarryOutProposal { of: Party::Seller },
        ),
        (
            "case-3004",
            Party::Platform,
            AutoAction::CarryOutProposal { of: Party::Buyer },
        ),
        ("case-3005", Party::Seller, AutoAction::RefundWithoutReturn),
        ("case-3006", Party::Buyer, AutoAction::CloseNotShipped),
        ("case-3007", Party::Seller, AutoAction::PlatformStepsIn),
        ("case-3008", Party::Seller, AutoAction::IssueRefund),
        ("case-3009", Party::Seller, AutoAction::IssueRefund),
        ("case-3010", Party::Buyer, AutoAction::Close),
    ];
    let mut failures = Vec::new();
    for (id, party, then) in table {
        let app = spawn_app().await;
        let due = deadline_of(&app, id).await;
        if (due.party, due.then) != (party, then) {
            failures.push(format!("{id}: the deadline is {due:?}"));
            continue;
        }
        // The demo's own history may already hold what the clock did before now.
        let before = automatic(&app, id).await.len();
        app.clock.set(due.at - TimeDelta::seconds(1));
        sweep(&app.state).await.unwrap();
        if automatic(&app, id).await.len() != before {
            failures.push(format!("{id}: acted a second early"));
        }
        app.clock.set(due.at + TimeDelta::seconds(1));
        let first = sweep(&app.state).await.unwrap();
        let again = sweep(&app.state).await.unwrap();
        let done = automatic(&app, id).await;
        if done.get(before) != Some(&due) || first.advanced == 0 || again.advanced != 0 {
            failures.push(format!("{id}: {done:?}, sweeps {first:?} then {again:?}"));
        }
        let user: Option<String> = on_db!(
            &app.state.pool,
            "SELECT user_id FROM case_events WHERE case_id = ? AND actor = 'system' LIMIT 1",
            |sql, p| sqlx::query_scalar(sql).bind(id).fetch_one(p).await
        )
        .unwrap();
        if user.is_some() {
            failures.push(format!("{id}: the system's action is credited to {user:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn talks_that_run_out_go_to_the_platform_and_an_unmatched_group_buy_is_refunded() {
    let app = spawn_app().await;
    let (lucia, jordan) = (app.lucia().await, app.jordan().await);
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    app.clock.advance(TimeDelta::days(4));
    let case = jordan
        .act(
            &jordan.case(&case.summary.id).await,
            "propose",
            json!({"resolution": "partial_refund", "partial_amount_minor": 1000}),
        )
        .await;
    // The buyer's turn would end on day 9, but talks end on day 7.
    let due = case.next_deadline.unwrap();
    assert_eq!(
        (due.at, due.then),
        (
            fixed_now() + TimeDelta::days(7),
            AutoAction::PlatformStepsIn
        )
    );
    app.clock.set(due.at);
    sweep(&app.state).await.unwrap();
    assert_eq!(automatic(&app, &case.summary.id).await, vec![due]);
    // Now the mediator sees it.
    let escalated = app.amara().await.case(&case.summary.id).await;
    assert_eq!(escalated.summary.state, rules::CaseState::Escalated);

    // The demo group buy has waited 5 hours of its 24 (and 7 days have passed since).
    let refunds: Vec<(String, String)> = on_db!(
        &app.state.pool,
        "SELECT id, state FROM cases WHERE order_id = 'ord-1002'",
        |sql, p| sqlx::query_as(sql).fetch_all(p).await
    )
    .unwrap();
    assert_eq!(refunds.len(), 1, "{refunds:?}");
    assert_eq!(refunds[0].1, "resolved");
    let swept = sweep(&app.state).await.unwrap();
    assert_eq!(swept.group_buys_refunded, 0, "refunded twice");
}

#[tokio::test]
async fn two_sweeps_at_once_act_once() {
    let app = spawn_app().await;
    app.clock.advance(TimeDelta::days(40));
    let (a, b) = tokio::join!(sweep(&app.state), sweep(&app.state));
    a.unwrap();
    b.unwrap();
    let duplicates: Vec<(String, String, i64)> = on_db!(
        &app.state.pool,
        "SELECT case_id, body, COUNT(*) FROM case_events WHERE actor = 'system' \
         GROUP BY case_id, body HAVING COUNT(*) > 1",
        |sql, p| sqlx::query_as(sql).fetch_all(p).await
    )
    .unwrap();
    assert!(duplicates.is_empty(), "{duplicates:?}");
    let open = app.due_cases().await;
    assert_eq!(open, 0, "a passed deadline was left");
}

#[tokio::test]
async fn after_a_restart_the_sweeper_catches_up_by_itself() {
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let clock = TestClock::at(fixed_now());
    let app = serve(data.path(), clock.clone(), dist.path().to_path_buf()).await;
    let due = deadline_of(&app, "case-3001").await;
    app.state.pool.close().await;
    drop(app);

    // The server was down while the deadline passed.
    clock.set(due.at + TimeDelta::hours(3));
    let app = serve(data.path(), clock, dist.path().to_path_buf()).await;
    let _sweeper = sweeper::spawn(app.state.clone(), Duration::from_millis(50));
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while automatic(&app, "case-3001").await.is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the sweeper never caught up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let done = automatic(&app, "case-3001").await;
    assert_eq!(done.first(), Some(&due), "{done:?}");
    // Carried out at the deadline's own instant, not when the server came back.
    let at: i64 = on_db!(&app.state.pool, "SELECT at FROM case_events WHERE case_id = 'case-3001' AND actor = 'system' ORDER BY seq LIMIT 1", |sql, p| sqlx::query_scalar(sql)
    .fetch_one(p).await)
    .unwrap();
    assert_eq!(at, due.at.timestamp_millis());
}

/// Sweepers of several instances claim due cases without taking each other's: two claims at
/// the same moment get disjoint cases, together every due one, and a claimed case waits for its
/// claim to lapse before another sweeper may take it.
#[tokio::test]
async fn concurrent_sweepers_claim_different_cases() {
    use retour_server::store::cases::claim_due;
    let app = spawn_app().await;
    app.clock.advance(TimeDelta::days(40));
    let now = app.clock.now();
    let due = app.due_cases().await;
    assert!(due >= 4, "the demo has due cases: {due}");
    let lease = TimeDelta::minutes(1);
    let half = due / 2 + 1;
    let (a, b) = tokio::join!(
        claim_due(&app.state.pool, now, lease, half),
        claim_due(&app.state.pool, now, lease, half)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(
        a.iter().all(|id| !b.contains(id)),
        "{a:?} and {b:?} overlap"
    );
    let rest = claim_due(&app.state.pool, now, lease, due).await.unwrap();
    assert_eq!(
        (a.len() + b.len() + rest.len()) as i64,
        due,
        "every due case claimed once"
    );
    assert!(claim_due(&app.state.pool, now, lease, due)
        .await
        .unwrap()
        .is_empty());
    let later = claim_due(&app.state.pool, now + lease, lease, due)
        .await
        .unwrap();
    assert_eq!(later.len() as i64, due, "claims lapse");
}
