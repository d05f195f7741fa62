//! A case keeps the policy it was filed under: when the operator's policy changes, new cases
//! follow the new one and open cases keep their deadlines.

mod common;

use std::sync::Arc;

use chrono::TimeDelta;
use common::{filing, fixed_now, serve, start, TestClock};
use retour_server::{db, AppState};
use rules::{CaseState, Party, PolicySet};

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
    let url = format!("sqlite://{}", data.path().join("retour.db").display());
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
