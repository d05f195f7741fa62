//! The JSON shapes of Retour's HTTP API: the server sends them, the app reads them, so both are
//! compiled from this one definition.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::CaseState;
use crate::eligibility::{Explanation, LineSelection, Resolution};
use crate::money::Money;
use crate::order::Order;
use crate::reason::Reason;

/// An order as the buyer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderView {
    pub store: String,
    pub order: Order,
}

/// `POST /api/returns`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewReturn {
    pub order_id: String,
    pub lines: Vec<LineSelection>,
    pub reason: Reason,
    pub resolution: Resolution,
    /// Required for a partial refund: the amount asked for, in the order's minor units.
    #[serde(default)]
    pub partial_amount_minor: Option<i64>,
    #[serde(default)]
    pub description: String,
}

/// One line of a case: which product and how many of its items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseLine {
    pub line_id: String,
    pub title: String,
    pub quantity: u32,
}

/// A return case, as its parties see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: String,
    pub order_id: String,
    pub store: String,
    pub state: CaseState,
    pub reason: Reason,
    pub resolution: Resolution,
    pub refund: Money,
    pub description: String,
    /// The verdict's explanation when the case was filed.
    pub explanation: Explanation,
    pub lines: Vec<CaseLine>,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub created_at: DateTime<Utc>,
}

/// An error answer: a stable code the app translates, and an English message for everyone else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Limits that the form and the server both enforce.
pub const DESCRIPTION_MAX_CHARS: usize = crate::TEXT_MAX_CHARS;
