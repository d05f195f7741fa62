use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};

/// What kind of goods a product is, as far as returns are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    General,
    FreshFood,
    Personalised,
    Digital,
    OpenedHygiene,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::General,
        Category::FreshFood,
        Category::Personalised,
        Category::Digital,
        Category::OpenedHygiene,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Category::General => "general",
            Category::FreshFood => "fresh_food",
            Category::Personalised => "personalised",
            Category::Digital => "digital",
            Category::OpenedHygiene => "opened_hygiene",
        }
    }

    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Goods that perish are never worth sending back.
    pub fn is_perishable(self) -> bool {
        matches!(self, Category::FreshFood)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub title: String,
    pub category: Category,
    /// The listing's page says "no returns".
    pub no_returns: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub id: String,
    pub product: Product,
    pub quantity: u32,
    pub unit_price: Money,
}

/// Where the goods are. The dates are what eligibility windows count from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: String,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub placed_at: DateTime<Utc>,
    pub currency: Currency,
    pub lines: Vec<OrderLine>,
    /// What the buyer paid for shipping, refunded too when the seller is at fault.
    pub shipping: Money,
    pub fulfillment: Fulfillment,
}

impl Order {
    pub fn line(&self, line_id: &str) -> Option<&OrderLine> {
        self.lines.iter().find(|l| l.id == line_id)
    }
}
