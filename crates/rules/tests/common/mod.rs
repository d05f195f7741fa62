//! Orders and instants shared by the rules' tests.
#![allow(dead_code)] // Each test file uses its own part.

use chrono::{DateTime, FixedOffset, TimeDelta, TimeZone, Utc};
use retour_rules::{
    Category, Currency, Fulfillment, LineSelection, Money, Offer, Order, OrderLine, Party, Product,
    Reason, Resolution, ReturnRequest,
};

pub const SECOND: TimeDelta = TimeDelta::seconds(1);

pub fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

/// An instant given as a wall-clock time at `offset_minutes` from UTC.
pub fn local(
    offset_minutes: i32,
    y: i32,
    m: u32,
    d: u32,
    h: u32,
    min: u32,
    s: u32,
) -> DateTime<Utc> {
    FixedOffset::east_opt(offset_minutes * 60)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, min, s)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn line(id: &str, category: Category, no_returns: bool, quantity: u32, unit: i64) -> OrderLine {
    OrderLine {
        id: id.into(),
        product: Product {
            title: format!("Product {id}"),
            category,
            no_returns,
        },
        quantity,
        unit_price: Money::new(unit, Currency::EUR),
        weight_grams: None,
        variant: None,
        variants: vec![],
    }
}

/// An order in EUR with 4.99 shipping, placed by a buyer at `offset_minutes` from UTC.
pub fn order_in(offset_minutes: i32, fulfillment: Fulfillment, lines: Vec<OrderLine>) -> Order {
    Order {
        id: "o-1".into(),
        placed_at: at(2026, 3, 1, 9),
        utc_offset_minutes: offset_minutes,
        currency: Currency::EUR,
        lines,
        shipping: Money::new(499, Currency::EUR),
        fulfillment,
        ships_from: None,
        ships_to: None,
    }
}

/// One line "a": two items at 12.50.
pub fn general_order(offset_minutes: i32, fulfillment: Fulfillment) -> Order {
    order_in(
        offset_minutes,
        fulfillment,
        vec![line("a", Category::General, false, 2, 1250)],
    )
}

pub fn delivered_at() -> DateTime<Utc> {
    at(2026, 3, 5, 18)
}

pub fn delivered() -> Fulfillment {
    Fulfillment::Delivered {
        shipped_at: at(2026, 3, 2, 8),
        delivered_at: delivered_at(),
    }
}

pub fn one(line_id: &str, quantity: u32) -> Vec<LineSelection> {
    vec![LineSelection {
        line_id: line_id.into(),
        quantity,
    }]
}

pub fn request(line_id: &str, quantity: u32, reason: Reason) -> ReturnRequest {
    ReturnRequest::new(one(line_id, quantity), reason)
}

/// A day after delivery: when the cases of the tests are filed.
pub fn t0() -> DateTime<Utc> {
    delivered_at() + TimeDelta::days(1)
}

pub fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::EUR)
}

/// A plan of `resolution` with nothing else: the seller pays return shipping where goods go back.
pub fn offer(resolution: Resolution) -> Offer {
    Offer {
        resolution,
        partial_amount_minor: None,
        return_shipping_paid_by: resolution.sends_goods_back().then_some(Party::Seller),
        note: String::new(),
        evidence: vec![],
        exchange_for: None,
    }
}

/// The offer citing a photo, as a filing for a defect must.
pub fn with_photo(offer: Offer) -> Offer {
    Offer {
        evidence: vec!["photo-1".into()],
        ..offer
    }
}
