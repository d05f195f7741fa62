//! The queues and the seller's statistics: filters, deadline order, keyset pages and counts.

mod common;

use std::collections::HashSet;

use chrono::TimeDelta;
use common::{error_of, spawn_app};
use reqwest::StatusCode;
use rules::api::{Queue, SellerStats};
use rules::{CaseState, Party};

#[tokio::test]
async fn a_queue_pages_by_deadline_with_counts_and_filters() {
    let app = spawn_app().await;
    let mei = app.mei().await;
    let all: Queue = mei.get_json("/api/cases?limit=200").await;
    assert_eq!(all.total as usize, all.items.len());
    assert_eq!(all.counts.iter().map(|c| c.count).sum::<u64>(), all.total);

    // Two at a time, the pages join up into the whole queue, in deadline order.
    let mut paged = Vec::new();
    let mut path = "/api/cases?limit=2".to_owned();
    loop {
        let page: Queue = mei.get_json(&path).await;
        assert!(page.items.len() <= 2);
        assert_eq!(page.total, all.total, "the total is of the whole queue");
        paged.extend(page.items);
        match page.next_cursor {
            Some(cursor) => path = format!("/api/cases?limit=2&after={cursor}"),
            None => break,
        }
    }
    let ids: Vec<_> = paged.iter().map(|i| i.summary.id.clone()).collect();
    assert_eq!(
        ids,
        all.items
            .iter()
            .map(|i| i.summary.id.clone())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "a case on two pages"
    );
    let deadlines: Vec<_> = paged
        .iter()
        .map(|i| i.next_deadline.map(|d| d.at))
        .collect();
    let open: Vec<_> = deadlines.iter().flatten().collect();
    assert!(open.windows(2).all(|w| w[0] <= w[1]), "{deadlines:?}");
    assert!(
        deadlines
            .iter()
            .skip_while(|d| d.is_some())
            .all(|d| d.is_none()),
        "closed cases come last: {deadlines:?}"
    );

    let mine: Queue = mei
        .get_json("/api/cases?needs_my_action=true&limit=200")
        .await;
    assert!(!mine.items.is_empty());
    assert!(mine
        .items
        .iter()
        .all(|i| i.needs_my_action && i.next_deadline.map(|d| d.party) == Some(Party::Seller)));

    let escalated: Queue = mei.get_json("/api/cases?escalated=true").await;
    assert_eq!(
        escalated
            .items
            .iter()
            .map(|i| i.summary.id.as_str())
            .collect::<Vec<_>>(),
        vec!["case-3004"]
    );
    let by_state: Queue = mei.get_json("/api/cases?state=escalated,resolved").await;
    assert!(by_state
        .items
        .iter()
        .all(|i| matches!(i.summary.state, CaseState::Escalated | CaseState::Resolved)));
    assert_eq!(by_state.total, by_state.items.len() as u64);
    let by_reason: Queue = mei.get_json("/api/cases?reason=not_as_described").await;
    assert!(by_reason
        .items
        .iter()
        .all(|i| i.summary.reason == rules::Reason::NotAsDescribed));
    assert!(!by_reason.items.is_empty());
    let search: Queue = mei.get_json("/api/cases?q=ord-3008").await;
    assert_eq!(search.items.len(), 1);
    assert_eq!(search.items[0].summary.id, "case-3008");
    // A search longer than any number, name or title is refused before it is run.
    let long = mei.get(&format!("/api/cases?q={}", "a".repeat(101))).await;
    let (status, error) = common::error_of(long).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (reqwest::StatusCode::BAD_REQUEST, Some("search_too_long"))
    );
    // A literal %: matches nothing, rather than everything.
    let literal: Queue = mei.get_json("/api/cases?q=%25").await;
    assert!(literal.items.is_empty());
    // Any part of a number, the buyer's name, a product's title; whatever the case.
    let every: Queue = mei.get_json("/api/cases?limit=200").await;
    let some = &every.items[0];
    let middle = |text: &str| {
        let chars: Vec<char> = text.chars().collect();
        chars[1..chars.len().min(5)]
            .iter()
            .collect::<String>()
            .to_uppercase()
    };
    let title = some.summary.lines[0].title.clone();
    for fragment in ["3008".to_owned(), middle(&some.buyer), middle(&title)] {
        let found: Queue = mei
            .get_json(&format!("/api/cases?limit=200&q={}", urlencode(&fragment)))
            .await;
        let wanted = fragment.to_lowercase();
        assert!(!found.items.is_empty(), "{fragment:?} finds something");
        for item in &found.items {
            let haystacks = [
                item.summary.number.to_string(),
                item.summary.id.to_lowercase(),
                item.summary.order_id.to_lowercase(),
                item.buyer.to_lowercase(),
            ]
            .into_iter()
            .chain(item.summary.lines.iter().map(|l| l.title.to_lowercase()));
            assert!(
                haystacks.into_iter().any(|h| h.contains(&wanted)),
                "{fragment:?} found {}",
                item.summary.id
            );
        }
        let expected = every
            .items
            .iter()
            .filter(|i| {
                i.summary.number.to_string().contains(&wanted)
                    || i.summary.id.to_lowercase().contains(&wanted)
                    || i.summary.order_id.to_lowercase().contains(&wanted)
                    || i.buyer.to_lowercase().contains(&wanted)
                    || i.summary
                        .lines
                        .iter()
                        .any(|l| l.title.to_lowercase().contains(&wanted))
            })
            .count() as u64;
        assert_eq!(found.total, expected, "{fragment:?}");
    }

    let newest: Queue = mei.get_json("/api/cases?sort=filed&limit=200").await;
    let filed: Vec<_> = newest.items.iter().map(|i| i.summary.created_at).collect();
    assert!(filed.windows(2).all(|w| w[0] >= w[1]), "{filed:?}");

    for (query, code) in [
        ("after=nonsense", "invalid_cursor"),
        ("limit=0", "invalid_limit"),
        ("reason=bored", "unknown_reason"),
    ] {
        let (status, error) = error_of(mei.get(&format!("/api/cases?{query}")).await).await;
        assert_eq!(
            (status, error["code"].as_str()),
            (StatusCode::BAD_REQUEST, Some(code)),
            "{query}"
        );
    }
}

#[tokio::test]
async fn seller_statistics_count_returns_and_what_the_clock_did_to_the_seller() {
    let app = spawn_app().await;
    let mei = app.mei().await;
    let before: SellerStats = mei.get_json("/api/seller/stats").await;
    assert!(before.orders > 0 && before.cases > 0, "{before:?}");
    assert_eq!(
        before.return_rate_basis_points,
        before.cases * 10_000 / before.orders
    );
    assert_eq!(
        before.reasons.iter().map(|r| r.count).sum::<u64>(),
        before.cases
    );
    assert!(
        before.outcomes.iter().any(|o| o.code == "refunded"),
        "{before:?}"
    );
    assert!(before.median_seconds_to_resolution.is_some());
    assert!(before.automatic_actions.is_empty(), "{before:?}");

    // Mei never answers case-3001: the clock carries out the buyer's proposal against her.
    app.clock.advance(TimeDelta::days(6));
    retour_server::sweeper::sweep(&app.state).await.unwrap();
    let to = app.clock.now() + TimeDelta::seconds(1);
    let after: SellerStats = mei
        .get_json(&format!(
            "/api/seller/stats?to={}",
            to.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        ))
        .await;
    let carried = after
        .automatic_actions
        .iter()
        .find(|a| a.code == "carry_out_proposal")
        .map(|a| a.count);
    assert!(carried >= Some(1), "{after:?}");

    let (status, error) = error_of(
        mei.get("/api/seller/stats?from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z")
            .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_period"))
    );
}

/// A query value as a browser would send it.
fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
