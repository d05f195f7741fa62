//! Demo data for a first start: every eligibility situation of DOMAIN.md, dated relative to now.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use sqlx::SqlitePool;

/// Until sign-in lands, the app acts as this demo buyer.
pub const DEMO_BUYER_ID: &str = "u-lucia";

/// `(id, email, display name, role)`.
pub const ACCOUNTS: [(&str, &str, &str, &str); 5] = [
    (DEMO_BUYER_ID, "lucia@demo.retour", "Lucía García", "buyer"),
    ("u-wei", "wei@demo.retour", "Wei Zhang", "buyer"),
    ("u-mei", "mei@demo.retour", "Mei Lin", "seller"),
    ("u-jordan", "jordan@demo.retour", "Jordan Smith", "seller"),
    ("u-amara", "amara@demo.retour", "Amara Okafor", "mediator"),
];

const STORES: [(&str, &str, &str); 2] = [
    ("s-tea", "u-mei", "Lin's Tea House"),
    ("s-north", "u-jordan", "Northwind Outfitters"),
];

enum Ship {
    NotShipped,
    GroupBuy {
        hours_ago: i64,
    },
    InTransit {
        days_ago: i64,
        promised_in_days: i64,
    },
    Delivered {
        days_ago: i64,
    },
}

struct DemoOrder {
    id: &'static str,
    buyer: &'static str,
    store: &'static str,
    currency: &'static str,
    shipping_minor: i64,
    ship: Ship,
    /// `(title, category, no returns, quantity, unit price in minor units)`.
    lines: &'static [(&'static str, &'static str, bool, i64, i64)],
}

const ORDERS: &[DemoOrder] = &[
    DemoOrder {
        id: "ord-1001",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::NotShipped,
        lines: &[("Trail running shoes", "general", false, 1, 8990)],
    },
    DemoOrder {
        id: "ord-1002",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 0,
        ship: Ship::GroupBuy { hours_ago: 5 },
        lines: &[("Oolong tea gift box", "general", false, 2, 12800)],
    },
    DemoOrder {
        id: "ord-1003",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "USD",
        shipping_minor: 1200,
        ship: Ship::InTransit {
            days_ago: 3,
            promised_in_days: 6,
        },
        lines: &[("Packable rain jacket", "general", false, 1, 12000)],
    },
    DemoOrder {
        id: "ord-1004",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 2500,
        ship: Ship::InTransit {
            days_ago: 12,
            promised_in_days: 3,
        },
        lines: &[("Porcelain tea set", "general", false, 1, 46800)],
    },
    DemoOrder {
        id: "ord-1005",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 3 },
        lines: &[
            ("Wool sweater", "general", false, 1, 5900),
            ("Merino socks", "general", false, 3, 1250),
        ],
    },
    DemoOrder {
        id: "ord-1006",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 1000,
        ship: Ship::Delivered { days_ago: 10 },
        lines: &[("Bluetooth speaker", "general", false, 1, 39900)],
    },
    DemoOrder {
        id: "ord-1007",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "USD",
        shipping_minor: 800,
        ship: Ship::Delivered { days_ago: 20 },
        lines: &[("Desk lamp", "general", false, 1, 4500)],
    },
    DemoOrder {
        id: "ord-1008",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 1500,
        ship: Ship::Delivered { days_ago: 2 },
        lines: &[("Fresh lychees, 2 kg", "fresh_food", false, 1, 8800)],
    },
    DemoOrder {
        id: "ord-1009",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 2 },
        lines: &[("Engraved water bottle", "personalised", false, 1, 3500)],
    },
    DemoOrder {
        id: "ord-1010",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "JPY",
        shipping_minor: 800,
        ship: Ship::Delivered { days_ago: 4 },
        lines: &[("Clearance headphones", "general", true, 1, 4980)],
    },
    DemoOrder {
        id: "ord-1011",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "KWD",
        shipping_minor: 1500,
        ship: Ship::Delivered { days_ago: 1 },
        lines: &[("Silk scarf", "general", false, 1, 12500)],
    },
    DemoOrder {
        id: "ord-2001",
        buyer: "u-wei",
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 0,
        ship: Ship::Delivered { days_ago: 2 },
        lines: &[("Phone case", "general", false, 2, 3900)],
    },
];

/// Seeds the demo data when the database has no users yet. Returns whether it seeded.
pub async fn seed_if_empty(pool: &SqlitePool, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?;
    if users > 0 {
        return Ok(false);
    }
    let mut tx = pool.begin().await?;
    for (id, email, name, role) in ACCOUNTS {
        sqlx::query("INSERT INTO users (id, email, display_name, role) VALUES (?, ?, ?, ?)")
            .bind(id)
            .bind(email)
            .bind(name)
            .bind(role)
            .execute(&mut *tx)
            .await?;
    }
    for (id, owner, name) in STORES {
        sqlx::query("INSERT INTO stores (id, owner_id, name) VALUES (?, ?, ?)")
            .bind(id)
            .bind(owner)
            .bind(name)
            .execute(&mut *tx)
            .await?;
    }
    // Whole seconds keep the demo dates readable.
    let now = now.trunc_subsecs(0);
    let days = |n: i64| now - TimeDelta::days(n);
    for o in ORDERS {
        let (state, group_since, shipped, promised, delivered) = match o.ship {
            Ship::NotShipped => ("not_shipped", None, None, None, None),
            Ship::GroupBuy { hours_ago } => (
                "group_buy_waiting",
                Some(now - TimeDelta::hours(hours_ago)),
                None,
                None,
                None,
            ),
            Ship::InTransit {
                days_ago,
                promised_in_days,
            } => (
                "shipped",
                None,
                Some(days(days_ago)),
                Some(now + TimeDelta::days(promised_in_days)),
                None,
            ),
            Ship::Delivered { days_ago } => (
                "delivered",
                None,
                Some(days(days_ago + 4)),
                None,
                Some(days(days_ago)),
            ),
        };
        let placed_at = shipped.or(group_since).unwrap_or(now) - TimeDelta::days(1);
        // Lucía orders from Madrid (UTC+1 in winter), Wei from Shanghai (UTC+8).
        let utc_offset_minutes = if o.buyer == DEMO_BUYER_ID { 60 } else { 480 };
        sqlx::query(
            "INSERT INTO orders (id, buyer_id, store_id, placed_at, utc_offset_minutes, currency, \
             shipping_minor, fulfillment, group_buy_since, shipped_at, promised_by, delivered_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(o.id)
        .bind(o.buyer)
        .bind(o.store)
        .bind(placed_at)
        .bind(utc_offset_minutes)
        .bind(o.currency)
        .bind(o.shipping_minor)
        .bind(state)
        .bind(group_since)
        .bind(shipped)
        .bind(promised)
        .bind(delivered)
        .execute(&mut *tx)
        .await?;
        for (position, (title, category, no_returns, quantity, unit)) in o.lines.iter().enumerate()
        {
            sqlx::query(
                "INSERT INTO order_lines (id, order_id, position, title, category, no_returns, \
                 quantity, unit_price_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(format!("{}-{}", o.id, position + 1))
            .bind(o.id)
            .bind(position as i64)
            .bind(title)
            .bind(category)
            .bind(no_returns)
            .bind(quantity)
            .bind(unit)
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}
