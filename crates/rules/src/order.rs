use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::eligibility::LineSelection;
use crate::money::{Currency, Money};
use crate::shipping::Country;

/// What kind of goods a product is, as far as returns are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    General,
    Electronics,
    Fashion,
    Home,
    FreshFood,
    Personalised,
    Digital,
    OpenedHygiene,
}

impl Category {
    /// Every category.
    pub const ALL: [Category; 8] = [
        Category::General,
        Category::Electronics,
        Category::Fashion,
        Category::Home,
        Category::FreshFood,
        Category::Personalised,
        Category::Digital,
        Category::OpenedHygiene,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Category::General => "general",
            Category::Electronics => "electronics",
            Category::Fashion => "fashion",
            Category::Home => "home",
            Category::FreshFood => "fresh_food",
            Category::Personalised => "personalised",
            Category::Digital => "digital",
            Category::OpenedHygiene => "opened_hygiene",
        }
    }

    /// The category with this code, if any.
    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What was bought, as far as returns are concerned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Product {
    pub title: String,
    pub category: Category,
    /// The listing's page says "no returns".
    pub no_returns: bool,
}

/// One line of an order: a product, how many, and the price of one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderLine {
    pub id: String,
    pub product: Product,
    pub quantity: u32,
    pub unit_price: Money,
    /// What one item weighs with its packaging, for return shipping quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight_grams: Option<u32>,
    /// The listing's variant bought (size, colour), when it has variants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// Every variant the listing offers, the one bought among them: what it may be exchanged
    /// for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
}

/// Where the goods are. The dates are what eligibility windows count from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(
    tag = "state",
    rename_all = "snake_case",
    try_from = "crate::wire::FulfillmentWire"
)]
pub enum Fulfillment {
    NotShipped,
    GroupBuyWaiting {
        since: DateTime<Utc>,
    },
    Shipped {
        shipped_at: DateTime<Utc>,
        promised_by: Option<DateTime<Utc>>,
    },
    Delivered {
        shipped_at: DateTime<Utc>,
        delivered_at: DateTime<Utc>,
    },
}

/// A buyer's order with one seller: its lines, what shipping cost and where the goods are.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Order {
    pub id: String,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub placed_at: DateTime<Utc>,
    /// The buyer's offset from UTC when ordering, in minutes (Madrid in winter: 60, Shanghai:
    /// 480): windows counted in days end at midnight there.
    #[serde(default)]
    pub utc_offset_minutes: i32,
    pub currency: Currency,
    pub lines: Vec<OrderLine>,
    /// What the buyer paid for shipping, refunded too when the seller is at fault.
    pub shipping: Money,
    pub fulfillment: Fulfillment,
    /// Where the seller sent the goods from: a return goes back there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ships_from: Option<Country>,
    /// Where the buyer received them: a return starts there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ships_to: Option<Country>,
}

impl Order {
    /// Every item of the order: a request for all of it.
    pub fn every_line(&self) -> Vec<LineSelection> {
        self.lines
            .iter()
            .map(|l| LineSelection {
                line_id: l.id.clone(),
                quantity: l.quantity,
            })
            .collect()
    }

    /// The line with this id, if the order has it.
    pub fn line(&self, line_id: &str) -> Option<&OrderLine> {
        self.lines.iter().find(|l| l.id == line_id)
    }

    /// The last second of the calendar day, in the order's time zone, that comes `days` days
    /// after `from`: "within 7 days of delivery" lasts until 23:59:59 of the 7th day.
    pub fn end_of_day_after(&self, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        self.start_of_day_after(from, days + 1) - TimeDelta::seconds(1)
    }

    /// Midnight, in the order's time zone, at the start of the calendar day `days` days after
    /// `from`: a claim that "opens 10 days after shipment" opens for that whole day.
    pub fn start_of_day_after(&self, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let offset = i64::from(self.utc_offset_minutes) * 60;
        let local_day = (from.timestamp() + offset).div_euclid(86_400) + i64::from(days);
        DateTime::from_timestamp(local_day * 86_400 - offset, 0).unwrap_or(from)
    }
}
