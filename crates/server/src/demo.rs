//! Demo data for a first start: every eligibility situation of DOMAIN.md and a case in every
//! state, dated relative to now. Cases are made by the rules crate, exactly as real ones.

use crate::db::Db;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use image::ImageFormat;
use rules::{
    advance, apply, file, Action, Case, Event, Filing, Offer, Party, Policy, PolicySet, Reason,
    Resolution, ReturnRequest, TrackingNumber,
};

use crate::error::AppError;
use crate::photos::PhotoStore;
use crate::store::cases::{self, Inserted, NewCase, NewEvidence, Stored};
use crate::store::{millis, orders};
use crate::workflow::SYSTEM_KEY_PREFIX;

/// The first demo buyer.
pub const DEMO_BUYER_ID: &str = "u-lucia";

/// A demo account.
pub struct Account {
    pub id: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    /// Their time zone's offset from UTC, in minutes: their e-mails' dates are in it.
    pub utc_offset_minutes: i32,
}

/// The demo accounts; their passwords are printed at start and listed in the README.
pub const ACCOUNTS: [Account; 5] = [
    Account {
        id: DEMO_BUYER_ID,
        email: "lucia@demo.retour",
        password: "lucia-demo-1",
        name: "Lucía García",
        role: "buyer",
        utc_offset_minutes: 60,
    },
    Account {
        id: "u-wei",
        email: "wei@demo.retour",
        password: "wei-demo-1",
        name: "Wei Zhang",
        role: "buyer",
        utc_offset_minutes: 480,
    },
    Account {
        id: "u-mei",
        email: "mei@demo.retour",
        password: "mei-demo-1",
        name: "Mei Lin",
        role: "seller",
        utc_offset_minutes: 480,
    },
    Account {
        id: "u-jordan",
        email: "jordan@demo.retour",
        password: "jordan-demo-1",
        name: "Jordan Smith",
        role: "seller",
        utc_offset_minutes: -480,
    },
    Account {
        id: "u-amara",
        email: "amara@demo.retour",
        password: "amara-demo-1",
        name: "Amara Okafor",
        role: "mediator",
        utc_offset_minutes: 60,
    },
];

const STORES: [(&str, &str, &str); 2] = [
    ("s-tea", "u-mei", "Lin's Tea House"),
    ("s-north", "u-jordan", "Northwind Outfitters"),
];

/// Each store's return addresses, offered when a case needs one.
const ADDRESSES: [(&str, &str); 3] = [
    (
        "s-tea",
        "Lin's Tea House returns, 88 Longjing Road, Hangzhou 310007, China",
    ),
    (
        "s-north",
        "Northwind Outfitters returns, 400 Harbor Way, Unit 12, Seattle WA 98101, USA",
    ),
    (
        "s-north",
        "Northwind EU returns, Calle de Alcalá 120, 28009 Madrid, Spain",
    ),
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
    /// `(title, category, no returns, quantity, unit price in minor units, grams per item)`.
    lines: &'static [(&'static str, &'static str, bool, i64, i64, i64)],
}

const ORDERS: &[DemoOrder] = &[
    DemoOrder {
        id: "ord-1001",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::NotShipped,
        lines: &[("Trail running shoes", "general", false, 1, 8990, 900)],
    },
    DemoOrder {
        id: "ord-1002",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 0,
        ship: Ship::GroupBuy { hours_ago: 5 },
        lines: &[("Oolong tea gift box", "general", false, 2, 12800, 600)],
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
        lines: &[("Packable rain jacket", "general", false, 1, 12000, 350)],
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
        lines: &[("Porcelain tea set", "general", false, 1, 46800, 2200)],
    },
    DemoOrder {
        id: "ord-1005",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 3 },
        lines: &[
            ("Wool sweater", "general", false, 1, 5900, 700),
            ("Merino socks", "general", false, 3, 1250, 90),
        ],
    },
    DemoOrder {
        id: "ord-1006",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 1000,
        ship: Ship::Delivered { days_ago: 10 },
        lines: &[("Bluetooth speaker", "general", false, 1, 39900, 800)],
    },
    DemoOrder {
        id: "ord-1007",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "USD",
        shipping_minor: 800,
        ship: Ship::Delivered { days_ago: 20 },
        lines: &[("Desk lamp", "general", false, 1, 4500, 1500)],
    },
    DemoOrder {
        id: "ord-1008",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 1500,
        ship: Ship::Delivered { days_ago: 2 },
        lines: &[("Fresh lychees, 2 kg", "fresh_food", false, 1, 8800, 2300)],
    },
    DemoOrder {
        id: "ord-1009",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 2 },
        lines: &[("Engraved water bottle", "personalised", false, 1, 3500, 400)],
    },
    DemoOrder {
        id: "ord-1010",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "JPY",
        shipping_minor: 800,
        ship: Ship::Delivered { days_ago: 4 },
        lines: &[("Clearance headphones", "general", true, 1, 4980, 300)],
    },
    DemoOrder {
        id: "ord-1011",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "KWD",
        shipping_minor: 1500,
        ship: Ship::Delivered { days_ago: 1 },
        lines: &[("Silk scarf", "general", false, 1, 12500, 100)],
    },
    // Sending it back from Spain to China costs more than the cable is worth: a refund without
    // a return, quoted by the example policy's rate card.
    DemoOrder {
        id: "ord-1012",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "EUR",
        shipping_minor: 0,
        ship: Ship::Delivered { days_ago: 3 },
        lines: &[("USB-C charging cable", "electronics", false, 1, 399, 60)],
    },
    DemoOrder {
        id: "ord-2001",
        buyer: "u-wei",
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 0,
        ship: Ship::Delivered { days_ago: 2 },
        lines: &[("Phone case", "general", false, 2, 3900, 50)],
    },
    // Orders with a demo case each (see `CASES`).
    DemoOrder {
        id: "ord-3001",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 1000,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Ceramic teapot", "general", false, 1, 26800, 1200)],
    },
    DemoOrder {
        id: "ord-3002",
        buyer: "u-wei",
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Hiking backpack", "general", false, 1, 11900, 1400)],
    },
    DemoOrder {
        id: "ord-3003",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "USD",
        shipping_minor: 900,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Running jacket", "general", false, 1, 9800, 400)],
    },
    DemoOrder {
        id: "ord-3004",
        buyer: "u-wei",
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 0,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Jade bracelet", "general", false, 1, 68800, 80)],
    },
    DemoOrder {
        id: "ord-3005",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 1200,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Electric kettle", "general", false, 1, 32900, 1600)],
    },
    DemoOrder {
        id: "ord-3006",
        buyer: "u-wei",
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Down vest", "general", false, 1, 7900, 450)],
    },
    DemoOrder {
        id: "ord-3007",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "USD",
        shipping_minor: 900,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Camping stove", "general", false, 1, 6400, 700)],
    },
    DemoOrder {
        id: "ord-3008",
        buyer: "u-wei",
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 800,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Bamboo tea tray", "general", false, 1, 15800, 900)],
    },
    DemoOrder {
        id: "ord-3009",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "JPY",
        shipping_minor: 900,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Headlamp", "general", false, 2, 2980, 120)],
    },
    DemoOrder {
        id: "ord-3010",
        buyer: "u-wei",
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 600,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Tea canister set", "general", false, 1, 9600, 800)],
    },
    DemoOrder {
        id: "ord-3011",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Fleece gloves", "general", false, 1, 2400, 150)],
    },
    DemoOrder {
        id: "ord-3012",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 8 },
        lines: &[("Espresso grinder", "electronics", false, 1, 18900, 2100)],
    },
    DemoOrder {
        id: "ord-3013",
        buyer: DEMO_BUYER_ID,
        store: "s-north",
        currency: "EUR",
        shipping_minor: 499,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Linen shirt", "fashion", false, 1, 4900, 250)],
    },
    DemoOrder {
        id: "ord-3014",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 800,
        ship: Ship::Delivered { days_ago: 6 },
        lines: &[("Cast-iron tea kettle", "home", false, 1, 25800, 1800)],
    },
    DemoOrder {
        id: "ord-3015",
        buyer: DEMO_BUYER_ID,
        store: "s-tea",
        currency: "CNY",
        shipping_minor: 600,
        ship: Ship::Delivered { days_ago: 5 },
        lines: &[("Glass tea cups, set of 4", "home", false, 1, 32800, 900)],
    },
];

/// The listing's variant bought and every variant it offers, by order line: what an exchange
/// may ask for.
const VARIANTS: &[(&str, &str, &[&str])] = &[
    ("ord-1005-1", "M", &["S", "M", "L", "XL"]),
    (
        "ord-3006-1",
        "Navy, M",
        &["Navy, S", "Navy, M", "Navy, L", "Olive, M"],
    ),
    ("ord-3013-1", "M", &["S", "M", "L", "XL"]),
];

/// Seeds the demo data when the database has no users yet. Returns whether it seeded.
pub async fn seed_if_empty(
    pool: &Db,
    photos: &PhotoStore,
    now: DateTime<Utc>,
    policies: &PolicySet,
) -> Result<bool, AppError> {
    let users: i64 = on_db!(pool, "SELECT COUNT(*) FROM users", |sql, p| {
        sqlx::query_scalar(sql).fetch_one(p).await
    })?;
    if users > 0 {
        return Ok(false);
    }
    let hashes = tokio::task::spawn_blocking(|| {
        ACCOUNTS
            .iter()
            .map(|a| crate::auth::hash_password(a.password))
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    // Whole seconds keep the demo dates readable.
    let now = now.trunc_subsecs(0);
    let mut tx = pool.begin().await?;
    for (account, hash) in ACCOUNTS.iter().zip(hashes) {
        let added = on_tx!(
            &mut tx,
            "INSERT INTO users (id, email, display_name, role, password_hash, \
             utc_offset_minutes) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            |sql, c| sqlx::query(sql)
                .bind(account.id)
                .bind(account.email)
                .bind(account.name)
                .bind(account.role)
                .bind(hash)
                .bind(account.utc_offset_minutes)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
        if added == 0 {
            // Another instance starting at the same moment is seeding: it waited for us or we
            // for it, and the demo is theirs to finish.
            tx.rollback().await?;
            return Ok(false);
        }
    }
    for (id, owner, name) in STORES {
        on_tx!(
            &mut tx,
            "INSERT INTO stores (id, owner_id, name) VALUES (?, ?, ?)",
            |sql, c| sqlx::query(sql)
                .bind(id)
                .bind(owner)
                .bind(name)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
    }
    for (store, address) in ADDRESSES {
        on_tx!(
            &mut tx,
            "INSERT INTO return_addresses (store_id, address, used_at) VALUES (?, ?, ?)",
            |sql, c| sqlx::query(sql)
                .bind(store)
                .bind(address)
                .bind(millis(now))
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
    }
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
        let (utc_offset_minutes, ships_to) = if o.buyer == DEMO_BUYER_ID {
            (60, "ES")
        } else {
            (480, "CN")
        };
        // Lin's Tea House ships from China; Northwind from Madrid in euros, else from Seattle.
        let ships_from = match (o.store, o.currency) {
            ("s-tea", _) => "CN",
            (_, "EUR") => "ES",
            _ => "US",
        };
        on_tx!(
            &mut tx,
            "INSERT INTO orders (id, buyer_id, store_id, placed_at, utc_offset_minutes, currency, \
             shipping_minor, fulfillment, group_buy_since, shipped_at, promised_by, delivered_at, \
             ships_from, ships_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            |sql, c| sqlx::query(sql)
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
                .bind(ships_from)
                .bind(ships_to)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
        for (position, (title, category, no_returns, quantity, unit, grams)) in
            o.lines.iter().enumerate()
        {
            on_tx!(
                &mut tx,
                "INSERT INTO order_lines (id, order_id, position, title, category, no_returns, \
                 quantity, unit_price_minor, weight_grams) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                |sql, c| sqlx::query(sql)
                    .bind(format!("{}-{}", o.id, position + 1))
                    .bind(o.id)
                    .bind(position as i64)
                    .bind(title)
                    .bind(category)
                    .bind(no_returns)
                    .bind(quantity)
                    .bind(unit)
                    .bind(grams)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected())
            )?;
        }
    }
    for (line, bought, offered) in VARIANTS {
        let offered = serde_json::to_string(offered)
            .map_err(|e| AppError::Internal(format!("demo variants: {e}")))?;
        on_tx!(
            &mut tx,
            "UPDATE order_lines SET variant = ?, variants = ? WHERE id = ?",
            |sql, c| sqlx::query(sql)
                .bind(bought)
                .bind(&offered)
                .bind(line)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
    }
    // The parcels on their way carry tracking numbers a carrier can report on.
    for (order, number) in OUTBOUND_TRACKING {
        on_tx!(
            &mut tx,
            "UPDATE orders SET tracking_number = ? WHERE id = ?",
            |sql, c| sqlx::query(sql)
                .bind(number)
                .bind(order)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
        )?;
    }
    tx.commit().await?;
    for script in scripts() {
        seed_case(pool, photos, now, policies, &script).await?;
    }
    Ok(true)
}

/// The return parcel of the demo case on its way back to the seller (case-3007).
pub const DEMO_RETURN_IN_TRANSIT: &str = "1Z999AA10123456784";

/// The outbound parcels of the orders in transit (valid check digits).
pub const OUTBOUND_TRACKING: [(&str, &str); 2] =
    [("ord-1003", "RR473124829GB"), ("ord-1004", "EE123456785CN")];

/// A demo case: filed `hours_ago`, then each step `(hours ago, party, action)`, then photos.
struct Script {
    order: &'static str,
    reason: Reason,
    resolution: Resolution,
    partial: Option<i64>,
    /// The variant an exchange asks for.
    exchange_for: Option<&'static str>,
    description: &'static str,
    hours_ago: i64,
    steps: Vec<(i64, Party, Action)>,
    /// `(party, format, tint)` of each sample photo.
    photos: Vec<(Party, ImageFormat, [u8; 3])>,
}

fn offer(resolution: Resolution, partial: Option<i64>, note: &str) -> Offer {
    Offer {
        resolution,
        partial_amount_minor: partial,
        return_shipping_paid_by: None,
        note: note.to_owned(),
        evidence: vec![],
        exchange_for: None,
    }
}

/// A case in every state but `refund_due`, which lasts no time under the default policy (the
/// refund is issued the moment it is due).
fn scripts() -> Vec<Script> {
    // One number per parcel, so a carrier's event finds its case (valid check digits).
    let tracking = |n: &str| TrackingNumber::parse(n).expect("a valid sample number");
    let address = || GiveReturnAddress {
        address: "Returns desk, 88 Harbour Road, Kowloon, Hong Kong".to_owned(),
    };
    use Action::{Accept, ConfirmReceipt, GiveReturnAddress, ReturnDelivered, ShipReturn};
    use Party::{Buyer, Platform, Seller};
    let returned = |order, resolution, hours_ago, steps| Script {
        order,
        reason: Reason::Defective,
        resolution,
        partial: None,
        exchange_for: None,
        description: "It stopped working after two days.",
        hours_ago,
        steps,
        photos: vec![],
    };
    vec![
        Script {
            order: "ord-3001",
            reason: Reason::Defective,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "The lid has a crack along the rim; it leaks when I pour.",
            hours_ago: 20,
            steps: vec![],
            photos: vec![(Buyer, ImageFormat::Jpeg, [180, 90, 60])],
        },
        // Due within a day: the seller has five days to answer and four have gone.
        Script {
            order: "ord-3002",
            reason: Reason::NotAsDescribed,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "The listing said 40 litres; it holds about 25.",
            hours_ago: 4 * 24 + 2,
            steps: vec![],
            photos: vec![],
        },
        Script {
            order: "ord-3003",
            reason: Reason::Defective,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "The zip broke the first time I used it.",
            hours_ago: 48,
            steps: vec![(
                24,
                Seller,
                Action::Propose(offer(
                    Resolution::PartialRefund,
                    Some(4900),
                    "Half back, and a local tailor can replace the zip.",
                )),
            )],
            photos: vec![(Buyer, ImageFormat::Png, [60, 120, 180])],
        },
        Script {
            order: "ord-3004",
            reason: Reason::NotAsDescribed,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "The listing says natural jade; this is glass.",
            hours_ago: 72,
            steps: vec![
                (
                    48,
                    Seller,
                    Action::Reject {
                        reason: "It is the bracelet in our photos.".to_owned(),
                    },
                ),
                (24, Buyer, Action::Escalate),
            ],
            photos: vec![
                (Buyer, ImageFormat::Jpeg, [40, 160, 90]),
                (Buyer, ImageFormat::Png, [90, 170, 120]),
                (Seller, ImageFormat::WebP, [120, 120, 120]),
            ],
        },
        returned(
            "ord-3005",
            Resolution::ReturnAndRefund,
            48,
            vec![(12, Seller, Accept { of: Buyer })],
        ),
        returned(
            "ord-3006",
            Resolution::ReturnAndRefund,
            72,
            vec![(48, Seller, Accept { of: Buyer }), (24, Seller, address())],
        ),
        returned(
            "ord-3007",
            Resolution::ReturnAndRefund,
            96,
            vec![
                (72, Seller, Accept { of: Buyer }),
                (48, Seller, address()),
                (
                    24,
                    Buyer,
                    ShipReturn {
                        tracking: tracking(DEMO_RETURN_IN_TRANSIT),
                    },
                ),
            ],
        ),
        returned(
            "ord-3008",
            Resolution::ReturnAndRefund,
            96,
            vec![
                (72, Seller, Accept { of: Buyer }),
                (48, Seller, address()),
                (
                    30,
                    Buyer,
                    ShipReturn {
                        tracking: tracking("RB202611028CN"),
                    },
                ),
                (6, Platform, ReturnDelivered),
            ],
        ),
        returned(
            "ord-3009",
            Resolution::Replacement,
            96,
            vec![
                (72, Seller, Accept { of: Buyer }),
                (60, Seller, address()),
                (
                    48,
                    Buyer,
                    ShipReturn {
                        tracking: tracking("RB202611031CN"),
                    },
                ),
                (6, Seller, ConfirmReceipt),
            ],
        ),
        Script {
            order: "ord-3010",
            reason: Reason::DamagedInTransit,
            resolution: Resolution::PartialRefund,
            partial: Some(3000),
            exchange_for: None,
            description: "One canister arrived dented; the others are fine.",
            hours_ago: 48,
            steps: vec![(24, Seller, Accept { of: Buyer })],
            photos: vec![(Buyer, ImageFormat::Jpeg, [200, 200, 80])],
        },
        Script {
            order: "ord-3011",
            reason: Reason::NoLongerWanted,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "",
            hours_ago: 72,
            steps: vec![
                (48, Buyer, Action::Withdraw),
                (
                    24,
                    Buyer,
                    Action::Rate {
                        stars: 5,
                        comment: "Quick and clear, thank you.".to_owned(),
                    },
                ),
            ],
            photos: vec![],
        },
        // A repair: the grinder went back and the seller must ship it back repaired.
        Script {
            order: "ord-3012",
            reason: Reason::Defective,
            resolution: Resolution::Repair,
            partial: None,
            exchange_for: None,
            description: "The burr stopped turning after a week; it hums but grinds nothing.",
            hours_ago: 150,
            steps: vec![
                (144, Seller, Accept { of: Buyer }),
                (140, Seller, address()),
                (
                    120,
                    Buyer,
                    ShipReturn {
                        tracking: tracking("RB202611045CN"),
                    },
                ),
                (30, Seller, ConfirmReceipt),
            ],
            photos: vec![(Buyer, ImageFormat::Jpeg, [90, 70, 60])],
        },
        // An exchange for another size: the larger shirt is on its way for the buyer to check.
        Script {
            order: "ord-3013",
            reason: Reason::NoLongerWanted,
            resolution: Resolution::Exchange,
            partial: None,
            exchange_for: Some("L"),
            description: "A size too small; the same shirt in L, please.",
            hours_ago: 120,
            steps: vec![
                (110, Seller, Accept { of: Buyer }),
                (100, Seller, address()),
                (
                    96,
                    Buyer,
                    ShipReturn {
                        tracking: tracking("RB202611059CN"),
                    },
                ),
                (30, Seller, ConfirmReceipt),
                (
                    20,
                    Seller,
                    Action::ShipReplacement {
                        tracking: tracking("RB202611062CN"),
                    },
                ),
            ],
            photos: vec![],
        },
        // Store credit, with the tea house's 10 % bonus, accepted: the buyer holds its code.
        Script {
            order: "ord-3014",
            reason: Reason::Defective,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "The lid does not sit flat; steam escapes around it.",
            hours_ago: 72,
            steps: vec![
                (
                    48,
                    Seller,
                    Action::Propose(offer(
                        Resolution::StoreCredit,
                        None,
                        "Keep the kettle, and take store credit with 10 % on top.",
                    )),
                ),
                (30, Buyer, Accept { of: Seller }),
            ],
            photos: vec![],
        },
        // Store credit offered, for the buyer to take or leave: silence would refund in money.
        Script {
            order: "ord-3015",
            reason: Reason::DamagedInTransit,
            resolution: Resolution::ReturnAndRefund,
            partial: None,
            exchange_for: None,
            description: "One cup arrived cracked.",
            hours_ago: 30,
            steps: vec![(
                10,
                Seller,
                Action::Propose(offer(
                    Resolution::StoreCredit,
                    None,
                    "Sorry! Store credit with 10 % on top, and keep the other three cups.",
                )),
            )],
            photos: vec![],
        },
    ]
}

/// A generated sample photo, stored and recorded as evidence (of the case, or unfiled); its id.
#[allow(clippy::too_many_arguments)]
async fn seed_photo(
    pool: &Db,
    photos: &PhotoStore,
    case_id: Option<&str>,
    user_id: &str,
    party: Party,
    format: ImageFormat,
    tint: [u8; 3],
    at: DateTime<Utc>,
) -> Result<String, AppError> {
    let bytes = crate::photos::sample(320, 240, tint, format);
    let photo =
        crate::photos::check(&bytes).map_err(|e| AppError::Internal(format!("demo photo: {e}")))?;
    photos
        .store(&photo.sha256, &photo.bytes)
        .await
        .map_err(|e| AppError::Internal(format!("demo photo: {e}")))?;
    let evidence_id = uuid::Uuid::now_v7().to_string();
    let extension = photo.content_type.trim_start_matches("image/");
    cases::insert_evidence(
        pool,
        &NewEvidence {
            id: &evidence_id,
            case_id,
            user_id,
            party,
            sha256: &photo.sha256,
            content_type: photo.content_type,
            size_bytes: photo.bytes.len(),
            width: photo.width,
            height: photo.height,
            file_name: &format!("photo-{}.{extension}", &photo.sha256[..8]),
            uploaded_at: at,
        },
        crate::photos::MAX_PER_CASE,
    )
    .await?;
    Ok(evidence_id)
}

fn demo_error(order: &str, e: rules::CaseError) -> AppError {
    AppError::Internal(format!("demo case on {order}: {e}"))
}

async fn seed_case(
    pool: &Db,
    store: &PhotoStore,
    now: DateTime<Utc>,
    policies: &PolicySet,
    script: &Script,
) -> Result<(), AppError> {
    let view = orders::order(pool, script.order).await?;
    let every_line = view.order.every_line();
    let (policy, quote) = policies
        .for_order(&view.store_id, &view.order)
        .for_request(&view.order, &every_line);
    let policy = &policy;
    let parties = orders::parties(pool, script.order).await?;
    let buyer_id = parties.0.clone();
    let hours = |n: i64| now - TimeDelta::hours(n);
    let seller_id: String = on_db!(
        pool,
        "SELECT s.owner_id FROM stores s JOIN orders o ON o.store_id = s.id WHERE o.id = ?",
        |sql, p| sqlx::query_scalar(sql)
            .bind(script.order)
            .fetch_one(p)
            .await
    )?;
    let filed_at = hours(script.hours_ago);
    // The buyer's photos come before the filing that cites them, as in the app; a reason that
    // needs photos always has one.
    let mut photos = script.photos.clone();
    if script.reason.photos_required() && !photos.iter().any(|(p, ..)| *p == Party::Buyer) {
        photos.insert(0, (Party::Buyer, ImageFormat::Jpeg, [150, 110, 90]));
    }
    let (buyer_photos, seller_photos): (Vec<_>, Vec<_>) =
        photos.into_iter().partition(|(p, ..)| *p == Party::Buyer);
    let mut cited = Vec::new();
    for (_, format, tint) in buyer_photos {
        cited.push(
            seed_photo(
                pool,
                store,
                None,
                &buyer_id,
                Party::Buyer,
                format,
                tint,
                filed_at,
            )
            .await?,
        );
    }
    let filing = Filing {
        request: ReturnRequest {
            return_shipping_cost: quote,
            ..ReturnRequest::new(every_line, script.reason)
        },
        offer: Offer {
            evidence: cited.clone(),
            exchange_for: script.exchange_for.map(str::to_owned),
            ..offer(script.resolution, script.partial, "")
        },
        description: script.description.to_owned(),
    };
    let id = format!("case-{}", script.order.trim_start_matches("ord-"));
    let (case, events) = file(id, &view.order, &filing, filed_at, policy)
        .map_err(|e| demo_error(script.order, e))?;
    let stored = Stored::filed(
        case,
        &events,
        parties,
        script.resolution,
        std::sync::Arc::new(policy.clone()),
    );
    let key = format!("{SYSTEM_KEY_PREFIX}demo:{}", script.order);
    let new = NewCase {
        stored: &stored,
        events: &events,
        idempotency_key: &key,
        request_sha256: None,
        filed_by: Some(&buyer_id),
        evidence: &cited,
    };
    if !matches!(cases::insert(pool, &new).await?, Inserted::Stored) {
        return Err(AppError::Internal(format!(
            "demo case {} exists",
            stored.case.id
        )));
    }
    let mut case: Case = stored.case.clone();
    for (party, format, tint) in seller_photos {
        seed_photo(
            pool,
            store,
            Some(&case.id),
            &seller_id,
            party,
            format,
            tint,
            filed_at,
        )
        .await?;
    }
    for (hours_ago, party, action) in &script.steps {
        let user = match party {
            Party::Buyer => Some(buyer_id.as_str()),
            Party::Seller => Some(seller_id.as_str()),
            Party::Platform => Some("u-amara"),
        };
        let (next, events) = apply(&case, *party, action.clone(), hours(*hours_ago), policy)
            .map_err(|e| demo_error(script.order, e))?;
        save(pool, &case, &next, &events, user, policy).await?;
        case = next;
    }
    let (next, events): (Case, Vec<Event>) = advance(&case, now, policy);
    if !events.is_empty() {
        save(pool, &case, &next, &events, None, policy).await?;
    }
    Ok(())
}

async fn save(
    pool: &Db,
    before: &Case,
    after: &Case,
    events: &[Event],
    user: Option<&str>,
    policy: &Policy,
) -> Result<(), AppError> {
    if cases::save(pool, before.version, after, events, user, policy).await? {
        Ok(())
    } else {
        Err(AppError::Internal(format!(
            "demo case {} changed while seeding",
            after.id
        )))
    }
}
