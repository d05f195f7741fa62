//! Server-sent events: the other party's screen hears of a change without reloading.

mod common;

use std::time::Duration;

use common::{spawn_app, Session};
use serde_json::{json, Value};

/// An open event stream, read event by event.
struct Events {
    response: reqwest::Response,
    buffer: String,
}

impl Events {
    async fn open(session: &Session, path: &str) -> Events {
        let response = session.get(path).await;
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Events {
            response,
            buffer: String::new(),
        }
    }

    /// The next change announced of the case `id` (other cases' skipped).
    async fn case(&mut self, id: &str) -> Value {
        loop {
            let heard = self.next("case").await;
            if heard["case_id"] == json!(id) {
                return heard;
            }
        }
    }

    /// The next event named `name` (skipping keep-alives and others), with its JSON data.
    async fn next(&mut self, name: &str) -> Value {
        let wait = async {
            loop {
                while let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let field = |key: &str| {
                        block
                            .lines()
                            .find_map(|l| l.strip_prefix(key).map(str::trim).map(str::to_owned))
                    };
                    if field("event:").as_deref() == Some(name) {
                        return serde_json::from_str(&field("data:").unwrap_or_default()).unwrap();
                    }
                }
                let chunk = self
                    .response
                    .chunk()
                    .await
                    .unwrap()
                    .expect("the stream stays open");
                self.buffer.push_str(&String::from_utf8_lossy(&chunk));
            }
        };
        tokio::time::timeout(Duration::from_secs(10), wait)
            .await
            .unwrap_or_else(|_| panic!("no {name} event within 10 s"))
    }
}

#[tokio::test]
async fn each_party_hears_of_the_others_move_on_the_case() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let mut buyer_screen = Events::open(&lucia, "/api/cases/case-3001/live").await;
    let ready = buyer_screen.next("ready").await;
    assert_eq!(ready["case_id"], "case-3001");
    let case = mei.case("case-3001").await;
    mei.act(&case, "reject", json!({"reason": "Looks fine to us"}))
        .await;
    let change = buyer_screen.next("case").await;
    assert_eq!(change["version"], json!(case.version + 1));
    assert_eq!(change["state"], "negotiating");
    // Internal routing fields stay on the server.
    assert!(change.get("buyer_id").is_none(), "{change}");
}

#[tokio::test]
async fn a_sellers_queue_hears_of_a_new_case_and_not_of_other_stores() {
    let app = spawn_app().await;
    let (lucia, mei, jordan) = (app.lucia().await, app.mei().await, app.jordan().await);
    let mut mei_queue = Events::open(&mei, "/api/live").await;
    mei_queue.next("ready").await;
    let mut jordan_queue = Events::open(&jordan, "/api/live").await;
    jordan_queue.next("ready").await;
    // First a case at Jordan's store, then one at Mei's: Mei's first event is her own case.
    let northwind = lucia
        .file_line("ord-1005", "defective", "replacement")
        .await;
    let tea = lucia
        .file_line("ord-1006", "defective", "replacement")
        .await;
    assert_eq!(
        mei_queue.next("case").await["case_id"],
        json!(tea.summary.id)
    );
    assert_eq!(
        jordan_queue.next("case").await["case_id"],
        json!(northwind.summary.id)
    );
}

/// Two instances on one PostgreSQL database: the buyer's screen on one hears of the seller's
/// move made on the other. (SQLite serves one instance; there the hub stays in the process.)
#[tokio::test]
async fn a_move_on_one_instance_reaches_a_screen_on_another() {
    if std::env::var("RETOUR_TEST_POSTGRES").is_err() {
        println!("PostgreSQL only: set RETOUR_TEST_POSTGRES (cargo xtask test does)");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let dist = tempfile::tempdir().unwrap();
    let clock = common::TestClock::at(common::fixed_now());
    let one = common::serve(data.path(), clock.clone(), dist.path().to_path_buf()).await;
    let other = common::serve(data.path(), clock, dist.path().to_path_buf()).await;
    let (lucia, mei) = (one.lucia().await, other.mei().await);
    let mut buyer_screen = Events::open(&lucia, "/api/cases/case-3001/live").await;
    buyer_screen.next("ready").await;
    let case = mei.case("case-3001").await;
    mei.act(&case, "reject", json!({"reason": "Looks fine to us"}))
        .await;
    let change = buyer_screen.next("case").await;
    assert_eq!(change["version"], json!(case.version + 1));
}

/// A reminder changes no case, yet whoever must act hears of it at once (the header's count
/// reads the notices again at each event); a second pass writes nothing new and says nothing.
#[tokio::test]
async fn a_reminder_reaches_the_stream_of_whoever_must_act() {
    let app = spawn_app().await;
    let (lucia, mei) = (app.lucia().await, app.mei().await);
    let filed = lucia
        .file_line("ord-1006", "arrived_late", "return_and_refund")
        .await;
    let due = filed.next_deadline.unwrap().at;
    let mut header = Events::open(&mei, "/api/live").await;
    header.next("ready").await;
    let remind = || retour_server::workflow::remind(&app.state);
    let id = filed.summary.id.clone();
    app.clock.set(due - chrono::TimeDelta::hours(23));
    assert!(remind().await.unwrap().contains(&id));
    // Other cases of hers may be due too: hers is among what she hears.
    assert_eq!(header.case(&id).await["version"], json!(filed.version));
    assert!(!remind().await.unwrap().contains(&id));

    // She answers: the deadline is now the buyer's, and its own reminder comes a day before it.
    let case = mei.case(&id).await;
    let answered = mei
        .act(
            &case,
            "reject",
            json!({"reason": "Delivered on the promised day"}),
        )
        .await;
    let next = answered.next_deadline.expect("the buyer's deadline");
    assert_ne!(next.at, due);
    app.clock.set(next.at - chrono::TimeDelta::hours(25));
    assert!(!remind().await.unwrap().contains(&id), "too early");
    let mut buyer_header = Events::open(&lucia, "/api/live").await;
    buyer_header.next("ready").await;
    app.clock.set(next.at - chrono::TimeDelta::hours(23));
    assert!(remind().await.unwrap().contains(&id));
    buyer_header.case(&id).await;
    assert!(!remind().await.unwrap().contains(&id));
}
