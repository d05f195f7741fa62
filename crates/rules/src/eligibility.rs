use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::money::{Money, MoneyError};
use crate::order::{Category, Fulfillment, Order, OrderLine};
use crate::reason::{Fault, Reason};

/// The windows a marketplace grants. These are DOMAIN.md's defaults; a marketplace, seller or
/// category may set its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// "7 days, no reason": buyer's-side reasons, counted from delivery.
    pub change_of_mind_days: u32,
    /// The protection period for seller's-side reasons, counted from delivery.
    pub protection_days: u32,
    /// A "not received" claim opens this long after shipment (or once the promised date passed).
    pub not_received_after_days: u32,
    /// An unmatched group-buy order is refunded after this long.
    pub group_buy_wait_hours: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            change_of_mind_days: 7,
            protection_days: 15,
            not_received_after_days: 10,
            group_buy_wait_hours: 24,
        }
    }
}

/// One line of the order and how many of its items the buyer wants to return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineSelection {
    pub line_id: String,
    pub quantity: u32,
}

/// The outcome the buyer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    RefundOnly,
    ReturnAndRefund,
    Replacement,
    PartialRefund,
}

impl Resolution {
    pub const ALL: [Resolution; 4] = [
        Resolution::RefundOnly,
        Resolution::ReturnAndRefund,
        Resolution::Replacement,
        Resolution::PartialRefund,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Resolution::RefundOnly => "refund_only",
            Resolution::ReturnAndRefund => "return_and_refund",
            Resolution::Replacement => "replacement",
            Resolution::PartialRefund => "partial_refund",
        }
    }

    pub fn from_code(code: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Buyer,
    Seller,
    Platform,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Eligible,
    /// Not yet: the window opens later (see the explanation for when).
    NotYetOpen,
    Refused,
}

/// Why a verdict is what it is: a stable code plus the dates that the UI puts into a sentence in
/// the viewer's language and time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    try_from = "crate::wire::ExplanationWire"
)]
pub enum Explanation {
    /// Not shipped yet: refunded at once, without the seller.
    CancelBeforeShipment,
    /// A group-buy order still waiting for its group.
    GroupBuyWaiting {
        opens_at: DateTime<Utc>,
    },
    /// The group never matched in time: refunded.
    GroupBuyUnmatched {
        since: DateTime<Utc>,
    },
    /// On its way: only "not received" is possible, from `opens_at`.
    InTransit {
        not_received_opens_at: DateTime<Utc>,
    },
    NotReceivedOpensAt {
        opens_at: DateTime<Utc>,
    },
    NotReceivedOpen {
        opened_at: DateTime<Utc>,
    },
    ChangeOfMindWindow {
        closes_at: DateTime<Utc>,
    },
    ChangeOfMindClosed {
        closed_at: DateTime<Utc>,
    },
    ProtectionWindow {
        closes_at: DateTime<Utc>,
    },
    ProtectionClosed {
        closed_at: DateTime<Utc>,
    },
    /// Goods of this category are not returnable for buyer's-side reasons.
    NonReturnable {
        category: Category,
    },
    /// The listing's page said "no returns".
    ListingNoReturns,
}

impl Explanation {
    pub fn code(&self) -> &'static str {
        match self {
            Explanation::CancelBeforeShipment => "cancel_before_shipment",
            Explanation::GroupBuyWaiting { .. } => "group_buy_waiting",
            Explanation::GroupBuyUnmatched { .. } => "group_buy_unmatched",
            Explanation::InTransit { .. } => "in_transit",
            Explanation::NotReceivedOpensAt { .. } => "not_received_opens_at",
            Explanation::NotReceivedOpen { .. } => "not_received_open",
            Explanation::ChangeOfMindWindow { .. } => "change_of_mind_window",
            Explanation::ChangeOfMindClosed { .. } => "change_of_mind_closed",
            Explanation::ProtectionWindow { .. } => "protection_window",
            Explanation::ProtectionClosed { .. } => "protection_closed",
            Explanation::NonReturnable { .. } => "non_returnable",
            Explanation::ListingNoReturns => "listing_no_returns",
        }
    }
}

/// When the request can be made: either bound may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    #[serde(default, deserialize_with = "crate::wire::optional_instant")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::wire::optional_instant")]
    pub closes_at: Option<DateTime<Utc>>,
}

/// The verdict on a return request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub decision: Decision,
    pub explanation: Explanation,
    /// The resolutions the buyer may ask for; empty unless eligible.
    pub resolutions: Vec<Resolution>,
    /// What was paid for the selected items, plus shipping when the seller is at fault.
    pub max_refund: Money,
    /// Who pays to send the goods back, when they go back at all.
    pub return_shipping_paid_by: Option<Party>,
    pub photos_required: bool,
    pub window: Window,
}

/// A selection of lines that does not fit the order.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SelectionError {
    #[error("select at least one item to return")]
    NoLines,
    #[error("line {0} is not part of this order")]
    UnknownLine(String),
    #[error("line {0} is selected more than once")]
    DuplicateLine(String),
    #[error("line {line_id}: the quantity must be between 1 and {ordered}")]
    Quantity { line_id: String, ordered: u32 },
    #[error(transparent)]
    Money(#[from] MoneyError),
}

impl SelectionError {
    /// Stable code for the UI and the API.
    pub fn code(&self) -> &'static str {
        match self {
            SelectionError::NoLines => "no_lines_selected",
            SelectionError::UnknownLine(_) => "unknown_line",
            SelectionError::DuplicateLine(_) => "duplicate_line",
            SelectionError::Quantity { .. } => "quantity_out_of_range",
            SelectionError::Money(_) => "amount_out_of_range",
        }
    }
}

fn days(n: u32) -> TimeDelta {
    TimeDelta::days(i64::from(n))
}

/// A requested refund that the verdict does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RefundError {
    #[error("this resolution is not possible for this request")]
    ResolutionNotAllowed,
    #[error("the request is not eligible")]
    NotEligible,
    #[error("a partial refund needs an amount")]
    PartialAmountMissing,
    #[error("the partial refund must be more than zero and at most {max}")]
    PartialAmountOutOfRange { max: Money },
    #[error("an amount is only given for a partial refund")]
    PartialAmountUnexpected,
}

impl RefundError {
    pub fn code(&self) -> &'static str {
        match self {
            RefundError::ResolutionNotAllowed => "resolution_not_allowed",
            RefundError::NotEligible => "not_eligible",
            RefundError::PartialAmountMissing => "partial_amount_missing",
            RefundError::PartialAmountOutOfRange { .. } => "partial_amount_out_of_range",
            RefundError::PartialAmountUnexpected => "partial_amount_unexpected",
        }
    }
}

impl Eligibility {
    /// The refund for `resolution`: the maximum, or for a partial refund the amount asked for,
    /// which must be above zero and never above the maximum.
    pub fn refund_for(
        &self,
        resolution: Resolution,
        partial_amount_minor: Option<i64>,
    ) -> Result<Money, RefundError> {
        if self.decision != Decision::Eligible {
            return Err(RefundError::NotEligible);
        }
        if !self.resolutions.contains(&resolution) {
            return Err(RefundError::ResolutionNotAllowed);
        }
        match (resolution, partial_amount_minor) {
            (Resolution::PartialRefund, None) => Err(RefundError::PartialAmountMissing),
            (Resolution::PartialRefund, Some(minor))
                if minor > 0 && minor <= self.max_refund.minor =>
            {
                Ok(Money::new(minor, self.max_refund.currency))
            }
            (Resolution::PartialRefund, Some(_)) => Err(RefundError::PartialAmountOutOfRange {
                max: self.max_refund,
            }),
            (_, Some(_)) => Err(RefundError::PartialAmountUnexpected),
            (_, None) => Ok(self.max_refund),
        }
    }
}

/// Checks the selection against the order and returns the selected lines, in selection order.
fn selected_lines<'a>(
    order: &'a Order,
    selection: &[LineSelection],
) -> Result<Vec<&'a OrderLine>, SelectionError> {
    if selection.is_empty() {
        return Err(SelectionError::NoLines);
    }
    let mut lines = Vec::with_capacity(selection.len());
    for (i, s) in selection.iter().enumerate() {
        if selection[..i]
            .iter()
            .any(|earlier| earlier.line_id == s.line_id)
        {
            return Err(SelectionError::DuplicateLine(s.line_id.clone()));
        }
        let line = order
            .line(&s.line_id)
            .ok_or_else(|| SelectionError::UnknownLine(s.line_id.clone()))?;
        if s.quantity == 0 || s.quantity > line.quantity {
            return Err(SelectionError::Quantity {
                line_id: s.line_id.clone(),
                ordered: line.quantity,
            });
        }
        lines.push(line);
    }
    Ok(lines)
}

/// Decides whether `selection` of `order` may be returned or refunded for `reason` at `now`.
///
/// Errors only when the selection does not fit the order; every business "no" is a verdict with
/// an explanation.
pub fn eligibility(
    order: &Order,
    selection: &[LineSelection],
    reason: Reason,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Eligibility, SelectionError> {
    let lines = selected_lines(order, selection)?;
    let mut goods = Money::zero(order.currency);
    for (line, s) in lines.iter().zip(selection) {
        goods = goods.checked_add(line.unit_price.checked_mul(s.quantity)?)?;
    }
    let whole_order = selection.len() == order.lines.len()
        && lines
            .iter()
            .zip(selection)
            .all(|(l, s)| l.quantity == s.quantity);
    let fault = reason.fault();

    let verdict =
        |decision, explanation, resolutions: Vec<Resolution>, window, shipping_refunded| {
            let max_refund = if shipping_refunded {
                goods.checked_add(order.shipping)?
            } else {
                goods
            };
            let return_shipping_paid_by = if resolutions
                .iter()
                .any(|r| matches!(r, Resolution::ReturnAndRefund | Resolution::Replacement))
            {
                Some(match fault {
                    Fault::Buyer => Party::Buyer,
                    Fault::Seller => Party::Seller,
                })
            } else {
                None
            };
            Ok(Eligibility {
                decision,
                explanation,
                resolutions,
                max_refund,
                return_shipping_paid_by,
                photos_required: reason.photos_required(),
                window,
            })
        };
    let no_window = Window::default();

    match order.fulfillment {
        Fulfillment::NotShipped => verdict(
            Decision::Eligible,
            Explanation::CancelBeforeShipment,
            vec![Resolution::RefundOnly],
            no_window,
            whole_order,
        ),
        Fulfillment::GroupBuyWaiting { since } => {
            let opens_at = since + TimeDelta::hours(i64::from(policy.group_buy_wait_hours));
            let window = Window {
                opens_at: Some(opens_at),
                closes_at: None,
            };
            if now < opens_at {
                verdict(
                    Decision::NotYetOpen,
                    Explanation::GroupBuyWaiting { opens_at },
                    vec![],
                    window,
                    whole_order,
                )
            } else {
                verdict(
                    Decision::Eligible,
                    Explanation::GroupBuyUnmatched { since },
                    vec![Resolution::RefundOnly],
                    window,
                    whole_order,
                )
            }
        }
        Fulfillment::Shipped {
            shipped_at,
            promised_by,
        } => {
            let after_shipment = shipped_at + days(policy.not_received_after_days);
            let opens_at = promised_by.map_or(after_shipment, |p| p.min(after_shipment));
            let window = Window {
                opens_at: Some(opens_at),
                closes_at: None,
            };
            if reason != Reason::NotReceived {
                verdict(
                    Decision::Refused,
                    Explanation::InTransit {
                        not_received_opens_at: opens_at,
                    },
                    vec![],
                    window,
                    false,
                )
            } else if now < opens_at {
                verdict(
                    Decision::NotYetOpen,
                    Explanation::NotReceivedOpensAt { opens_at },
                    vec![],
                    window,
                    true,
                )
            } else {
                verdict(
                    Decision::Eligible,
                    Explanation::NotReceivedOpen {
                        opened_at: opens_at,
                    },
                    vec![Resolution::RefundOnly],
                    window,
                    true,
                )
            }
        }
        Fulfillment::Delivered { delivered_at, .. } => match fault {
            Fault::Buyer => {
                if lines.iter().any(|l| l.product.no_returns) {
                    return verdict(
                        Decision::Refused,
                        Explanation::ListingNoReturns,
                        vec![],
                        no_window,
                        false,
                    );
                }
                if let Some(category) = lines
                    .iter()
                    .map(|l| l.product.category)
                    .find(|c| *c != Category::General)
                {
                    return verdict(
                        Decision::Refused,
                        Explanation::NonReturnable { category },
                        vec![],
                        no_window,
                        false,
                    );
                }
                let closes_at = delivered_at + days(policy.change_of_mind_days);
                let window = Window {
                    opens_at: Some(delivered_at),
                    closes_at: Some(closes_at),
                };
                if now <= closes_at {
                    verdict(
                        Decision::Eligible,
                        Explanation::ChangeOfMindWindow { closes_at },
                        vec![Resolution::ReturnAndRefund],
                        window,
                        false,
                    )
                } else {
                    verdict(
                        Decision::Refused,
                        Explanation::ChangeOfMindClosed {
                            closed_at: closes_at,
                        },
                        vec![],
                        window,
                        false,
                    )
                }
            }
            Fault::Seller => {
                let closes_at = delivered_at + days(policy.protection_days);
                let window = Window {
                    opens_at: Some(delivered_at),
                    closes_at: Some(closes_at),
                };
                if now > closes_at {
                    return verdict(
                        Decision::Refused,
                        Explanation::ProtectionClosed {
                            closed_at: closes_at,
                        },
                        vec![],
                        window,
                        true,
                    );
                }
                let perishable = lines.iter().any(|l| l.product.category.is_perishable());
                // Nothing to send back when it never arrived or has perished.
                let resolutions = if reason == Reason::NotReceived || perishable {
                    vec![Resolution::RefundOnly, Resolution::PartialRefund]
                } else {
                    vec![
                        Resolution::ReturnAndRefund,
                        Resolution::Replacement,
                        Resolution::PartialRefund,
                    ]
                };
                verdict(
                    Decision::Eligible,
                    Explanation::ProtectionWindow { closes_at },
                    resolutions,
                    window,
                    true,
                )
            }
        },
    }
}
