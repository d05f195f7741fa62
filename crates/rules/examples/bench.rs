//! Throughput of the rules, natively: eligibility checks and `advance` calls per second.
//! Run with `cargo xtask bench rules` (a release build). Prints figures; exits with 1 when one
//! falls below the floor the rules must keep (a million a second each).

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use retour_rules::{
    advance, eligibility, file, Case, Category, Currency, Filing, Fulfillment, LineSelection,
    Money, Offer, Order, OrderLine, Policy, Product, Reason, Resolution, ReturnRequest,
};

const FLOOR_PER_SECOND: f64 = 1_000_000.0;

/// Calls `f` in rounds until two seconds have passed; returns calls per second.
fn per_second(mut f: impl FnMut(u64)) -> f64 {
    let mut calls = 0u64;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        for _ in 0..10_000 {
            f(calls);
            calls += 1;
        }
    }
    calls as f64 / started.elapsed().as_secs_f64()
}

fn order(delivered_at: DateTime<Utc>) -> Order {
    let line = |id: &str, category, quantity, unit| OrderLine {
        id: id.into(),
        product: Product {
            title: format!("Product {id}"),
            category,
            no_returns: false,
        },
        quantity,
        unit_price: Money::new(unit, Currency::EUR),
        weight_grams: None,
        variant: None,
        variants: vec![],
    };
    Order {
        id: "o-1".into(),
        placed_at: delivered_at - TimeDelta::days(6),
        utc_offset_minutes: 60,
        currency: Currency::EUR,
        lines: vec![
            line("a", Category::General, 2, 1250),
            line("b", Category::Electronics, 1, 8999),
            line("c", Category::Fashion, 3, 1999),
        ],
        shipping: Money::new(499, Currency::EUR),
        fulfillment: Fulfillment::Delivered {
            shipped_at: delivered_at - TimeDelta::days(4),
            delivered_at,
        },
        ships_from: None,
        ships_to: None,
    }
}

fn main() -> ExitCode {
    let policy = Policy::default();
    let delivered_at = Utc.with_ymd_and_hms(2026, 3, 5, 18, 0, 0).unwrap();
    let order = order(delivered_at);
    let requests: Vec<ReturnRequest> = Reason::ALL
        .into_iter()
        .map(|reason| {
            ReturnRequest::new(
                vec![
                    LineSelection {
                        line_id: "a".into(),
                        quantity: 1,
                    },
                    LineSelection {
                        line_id: "c".into(),
                        quantity: 2,
                    },
                ],
                reason,
            )
        })
        .collect();
    // Instants across every window: before, inside and after each.
    let instants: Vec<DateTime<Utc>> = (0..64)
        .map(|i| delivered_at + TimeDelta::hours(i * 7))
        .collect();
    let checks = per_second(|i| {
        let request = &requests[i as usize % requests.len()];
        let now = instants[i as usize % instants.len()];
        black_box(eligibility(black_box(&order), request, now, &policy).ok());
    });

    let filing = Filing {
        request: requests[8].clone(),
        offer: Offer {
            resolution: Resolution::ReturnAndRefund,
            partial_amount_minor: None,
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: vec!["photo-1".into()],
            exchange_for: None,
        },
        description: "Broke on first use".into(),
    };
    let filed_at = delivered_at + TimeDelta::days(1);
    let case: Case = file("c-1".into(), &order, &filing, filed_at, &policy)
        .unwrap()
        .0;
    // The sweeper's usual call finds nothing due; some calls carry out one or more deadlines.
    let nows: Vec<DateTime<Utc>> = (0..64)
        .map(|i| filed_at + TimeDelta::hours(i * 3))
        .collect();
    let advances = per_second(|i| {
        let now = nows[i as usize % nows.len()];
        black_box(advance(black_box(&case), now, &policy));
    });

    let mut ok = true;
    for (what, rate) in [("eligibility checks", checks), ("advance calls", advances)] {
        let verdict = if rate >= FLOOR_PER_SECOND {
            "ok"
        } else {
            ok = false;
            "BELOW the floor"
        };
        println!(
            "{what:<20} {:>12.0} per second (floor {:.0}): {verdict}",
            rate, FLOOR_PER_SECOND
        );
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
