use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::money::{Money, MoneyError};
use crate::order::{Category, Fulfillment, Order, OrderLine};
use crate::policy::Policy;
use crate::reason::{Fault, Reason};

/// One line of the order and how many of its items the buyer wants to return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineSelection {
    pub line_id: String,
    pub quantity: u32,
}

/// The outcome the buyer asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    RefundOnly,
    ReturnAndRefund,
    Replacement,
    PartialRefund,
    /// The seller repairs the item and sends it back.
    Repair,
    /// Another variant (size, colour) of the same listing at the same price.
    Exchange,
    /// Store credit instead of money, worth the refund plus the policy's bonus; the goods stay.
    /// Offered, never imposed: the clock never carries it out.
    StoreCredit,
}

impl Resolution {
    /// Every resolution, in the order the UI offers them.
    pub const ALL: [Resolution; 7] = [
        Resolution::RefundOnly,
        Resolution::ReturnAndRefund,
        Resolution::Replacement,
        Resolution::PartialRefund,
        Resolution::Repair,
        Resolution::Exchange,
        Resolution::StoreCredit,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Resolution::RefundOnly => "refund_only",
            Resolution::ReturnAndRefund => "return_and_refund",
            Resolution::Replacement => "replacement",
            Resolution::PartialRefund => "partial_refund",
            Resolution::Repair => "repair",
            Resolution::Exchange => "exchange",
            Resolution::StoreCredit => "store_credit",
        }
    }

    /// The resolution with this code, if any.
    pub fn from_code(code: &str) -> Option<Resolution> {
        Resolution::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether the goods travel back to the seller.
    pub fn sends_goods_back(self) -> bool {
        matches!(
            self,
            Resolution::ReturnAndRefund
                | Resolution::Replacement
                | Resolution::Repair
                | Resolution::Exchange
        )
    }

    /// Whether it ends in money to the original payment method.
    pub fn pays_money(self) -> bool {
        matches!(
            self,
            Resolution::RefundOnly | Resolution::ReturnAndRefund | Resolution::PartialRefund
        )
    }
}

/// The three sides of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Buyer,
    Seller,
    Platform,
}

impl Party {
    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Party::Buyer => "buyer",
            Party::Seller => "seller",
            Party::Platform => "platform",
        }
    }

    pub fn from_code(code: &str) -> Option<Party> {
        [Party::Buyer, Party::Seller, Party::Platform]
            .into_iter()
            .find(|p| p.code() == code)
    }
}

/// Whether the request can be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Eligible,
    /// Not yet: the window opens later (see the explanations for when).
    NotYetOpen,
    Refused,
}

/// Why a verdict is what it is: a stable code plus the dates and amounts that the UI puts into a
/// sentence in the viewer's language and time zone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// On its way: only "not received" is possible, from `not_received_opens_at`.
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
    /// What the buyer can do instead: a problem with the item can still be reported until then.
    SellerFaultStillOpen {
        closes_at: DateTime<Utc>,
    },
    /// Sending the goods back costs more than they are worth: refund only, keep the goods.
    ReturnCostsMoreThanGoods {
        return_cost: Money,
        goods: Money,
    },
    /// The resolution asked for is not among those offered (listed in the verdict).
    ResolutionNotOffered {
        wanted: Resolution,
    },
}

impl Explanation {
    /// Stable code, the same as the JSON `code` field.
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
            Explanation::SellerFaultStillOpen { .. } => "seller_fault_still_open",
            Explanation::ReturnCostsMoreThanGoods { .. } => "return_costs_more_than_goods",
            Explanation::ResolutionNotOffered { .. } => "resolution_not_offered",
        }
    }
}

/// When the request can be made: either bound may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Window {
    #[serde(default, deserialize_with = "crate::wire::optional_instant")]
    pub opens_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::wire::optional_instant")]
    pub closes_at: Option<DateTime<Utc>>,
}

/// What the buyer asks: which items, why, and (optionally) which resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReturnRequest {
    pub lines: Vec<LineSelection>,
    pub reason: Reason,
    /// The resolution the buyer wants, when chosen.
    #[serde(default)]
    pub wanted: Option<Resolution>,
    /// What sending the goods back would cost, postage plus duties, in the order's currency,
    /// when known (a quote for a cross-border return).
    #[serde(default)]
    pub return_shipping_cost: Option<Money>,
}

impl ReturnRequest {
    /// A request for these lines and this reason, with no resolution chosen yet and no return
    /// shipping quote.
    pub fn new(lines: Vec<LineSelection>, reason: Reason) -> Self {
        ReturnRequest {
            lines,
            reason,
            wanted: None,
            return_shipping_cost: None,
        }
    }
}

/// The verdict on a return request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Eligibility {
    pub decision: Decision,
    /// The rule that decided first, then what else the buyer should know: what they can do
    /// instead, why a resolution is missing.
    pub explanations: Vec<Explanation>,
    /// The resolutions the buyer may ask for; empty unless eligible.
    pub resolutions: Vec<Resolution>,
    /// What was paid for the selected items, plus shipping when the seller is at fault.
    pub max_refund: Money,
    /// Who pays to send the goods back, when they go back at all.
    pub return_shipping_paid_by: Option<Party>,
    /// What sending the goods back costs, by the marketplace's rate card: the request's quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_shipping_cost: Option<Money>,
    pub photos_required: bool,
    pub window: Window,
}

impl Eligibility {
    /// The rule that decided: the first explanation, which a verdict from [`eligibility`]
    /// always has.
    pub fn explanation(&self) -> &Explanation {
        &self.explanations[0]
    }
}

/// A request that does not fit the order.
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
    #[error("the return shipping cost must be zero or more, in the order's currency")]
    ReturnShippingCost,
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
            SelectionError::ReturnShippingCost => "return_shipping_cost_invalid",
            SelectionError::Money(_) => "amount_out_of_range",
        }
    }
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
    /// Stable code for the UI and the API.
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

/// The refund for `resolution` when at most `max` may be refunded: all of it, or for a partial
/// refund the amount asked for, which must be above zero and never above `max`.
pub fn refund_amount(
    max: Money,
    resolution: Resolution,
    partial_amount_minor: Option<i64>,
) -> Result<Money, RefundError> {
    match (resolution, partial_amount_minor) {
        (Resolution::PartialRefund, None) => Err(RefundError::PartialAmountMissing),
        (Resolution::PartialRefund, Some(minor)) if minor > 0 && minor <= max.minor => {
            Ok(Money::new(minor, max.currency))
        }
        (Resolution::PartialRefund, Some(_)) => Err(RefundError::PartialAmountOutOfRange { max }),
        (_, Some(_)) => Err(RefundError::PartialAmountUnexpected),
        (_, None) => Ok(max),
    }
}

impl Eligibility {
    /// The refund for `resolution` under this verdict (see [`refund_amount`]).
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
        refund_amount(self.max_refund, resolution, partial_amount_minor)
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

/// The rule that applies, before money and the wanted resolution are looked at.
struct Ruling {
    decision: Decision,
    explanations: Vec<Explanation>,
    resolutions: Vec<Resolution>,
    window: Window,
    /// Original shipping is refunded too.
    shipping_refunded: bool,
}

fn refused(explanation: Explanation, window: Window) -> Ruling {
    Ruling {
        decision: Decision::Refused,
        explanations: vec![explanation],
        resolutions: vec![],
        window,
        shipping_refunded: false,
    }
}

fn window(opens_at: DateTime<Utc>, closes_at: Option<DateTime<Utc>>) -> Window {
    Window {
        opens_at: Some(opens_at),
        closes_at,
    }
}

/// Decides whether the request may be made at `now`: which resolutions, how much at most, who
/// pays return shipping, and why, with what the buyer can do instead.
///
/// Errors only when the request does not fit the order; every business "no" is a verdict with
/// its explanations.
/// What a line of an order allows before any form is opened: the verdict for all of its items,
/// asked as a change of mind once delivered (a refusal then says until when a problem can still
/// be reported), else as not received (which says from when). `None` only for a line the order
/// does not have.
pub fn outlook(
    order: &Order,
    line: &OrderLine,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Option<Eligibility> {
    let reason = match order.fulfillment {
        Fulfillment::Delivered { .. } => Reason::NoLongerWanted,
        _ => Reason::NotReceived,
    };
    let selection = vec![LineSelection {
        line_id: line.id.clone(),
        quantity: line.quantity,
    }];
    eligibility(order, &ReturnRequest::new(selection, reason), now, policy).ok()
}

pub fn eligibility(
    order: &Order,
    request: &ReturnRequest,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<Eligibility, SelectionError> {
    let lines = selected_lines(order, &request.lines)?;
    let mut goods = Money::zero(order.currency);
    for (line, s) in lines.iter().zip(&request.lines) {
        goods = goods.checked_add(line.unit_price.checked_mul(s.quantity)?)?;
    }
    if let Some(cost) = request.return_shipping_cost {
        if cost.currency != order.currency || cost.minor < 0 {
            return Err(SelectionError::ReturnShippingCost);
        }
    }
    let reason = request.reason;
    let mut ruling = rule(order, &lines, &request.lines, reason, now, policy);

    // Cross-border: when sending the goods back costs more than they are worth, they stay.
    if let Some(cost) = request.return_shipping_cost {
        if reason.fault() == Fault::Seller
            && cost.minor > goods.minor
            && ruling.resolutions.iter().any(|r| r.sends_goods_back())
        {
            ruling.resolutions = vec![Resolution::RefundOnly, Resolution::PartialRefund];
            ruling
                .explanations
                .push(Explanation::ReturnCostsMoreThanGoods {
                    return_cost: cost,
                    goods,
                });
        }
    }
    if let Some(wanted) = request.wanted {
        if ruling.decision == Decision::Eligible && !ruling.resolutions.contains(&wanted) {
            ruling
                .explanations
                .push(Explanation::ResolutionNotOffered { wanted });
        }
    }
    let max_refund = if ruling.shipping_refunded {
        goods.checked_add(order.shipping)?
    } else {
        goods
    };
    let return_shipping_paid_by = ruling
        .resolutions
        .iter()
        .any(|r| r.sends_goods_back())
        .then(|| policy.return_shipping.paid_by(reason.fault()));
    Ok(Eligibility {
        decision: ruling.decision,
        explanations: ruling.explanations,
        resolutions: ruling.resolutions,
        max_refund,
        return_shipping_paid_by,
        return_shipping_cost: request.return_shipping_cost,
        photos_required: reason.photos_required(),
        window: ruling.window,
    })
}

fn rule(
    order: &Order,
    lines: &[&OrderLine],
    selection: &[LineSelection],
    reason: Reason,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Ruling {
    let whole_order = selection.len() == order.lines.len()
        && lines
            .iter()
            .zip(selection)
            .all(|(l, s)| l.quantity == s.quantity);
    // One line whose listing offers another size or colour.
    let exchangeable = matches!(lines, [line] if line.variant.is_some()
        && line.variants.iter().any(|v| Some(v) != line.variant.as_ref()));
    let eligible = |explanation, resolutions, window, shipping_refunded| Ruling {
        decision: Decision::Eligible,
        explanations: vec![explanation],
        resolutions,
        window,
        shipping_refunded,
    };
    match order.fulfillment {
        // Cancelling the whole order refunds its shipping too.
        Fulfillment::NotShipped => eligible(
            Explanation::CancelBeforeShipment,
            vec![Resolution::RefundOnly],
            Window::default(),
            whole_order,
        ),
        Fulfillment::GroupBuyWaiting { since } => {
            let opens_at = since + TimeDelta::hours(i64::from(policy.group_buy_wait_hours));
            if now < opens_at {
                Ruling {
                    decision: Decision::NotYetOpen,
                    explanations: vec![Explanation::GroupBuyWaiting { opens_at }],
                    resolutions: vec![],
                    window: window(opens_at, None),
                    shipping_refunded: whole_order,
                }
            } else {
                eligible(
                    Explanation::GroupBuyUnmatched { since },
                    vec![Resolution::RefundOnly],
                    window(opens_at, None),
                    whole_order,
                )
            }
        }
        Fulfillment::Shipped {
            shipped_at,
            promised_by,
        } => {
            let after_shipment =
                order.start_of_day_after(shipped_at, policy.not_received_after_days);
            let opens_at = promised_by.map_or(after_shipment, |p| p.min(after_shipment));
            if reason != Reason::NotReceived {
                refused(
                    Explanation::InTransit {
                        not_received_opens_at: opens_at,
                    },
                    window(opens_at, None),
                )
            } else if now < opens_at {
                Ruling {
                    decision: Decision::NotYetOpen,
                    explanations: vec![Explanation::NotReceivedOpensAt { opens_at }],
                    resolutions: vec![],
                    window: window(opens_at, None),
                    shipping_refunded: true,
                }
            } else {
                eligible(
                    Explanation::NotReceivedOpen {
                        opened_at: opens_at,
                    },
                    vec![Resolution::RefundOnly],
                    window(opens_at, None),
                    true,
                )
            }
        }
        Fulfillment::Delivered { delivered_at, .. } => {
            let protection_closes = order.end_of_day_after(delivered_at, policy.protection_days);
            // What the buyer can still do when a buyer's-side reason is refused.
            let instead = |mut ruling: Ruling| {
                if now <= protection_closes {
                    ruling.explanations.push(Explanation::SellerFaultStillOpen {
                        closes_at: protection_closes,
                    });
                }
                ruling
            };
            match reason.fault() {
                Fault::Buyer => {
                    if lines.iter().any(|l| l.product.no_returns) {
                        return instead(refused(Explanation::ListingNoReturns, Window::default()));
                    }
                    if let Some(category) = lines
                        .iter()
                        .map(|l| l.product.category)
                        .find(|c| !policy.is_returnable(*c))
                    {
                        return instead(refused(
                            Explanation::NonReturnable { category },
                            Window::default(),
                        ));
                    }
                    let closes_at =
                        order.end_of_day_after(delivered_at, policy.change_of_mind_days);
                    let window = window(delivered_at, Some(closes_at));
                    if now <= closes_at {
                        let mut resolutions = vec![Resolution::ReturnAndRefund];
                        if exchangeable {
                            resolutions.push(Resolution::Exchange);
                        }
                        eligible(
                            Explanation::ChangeOfMindWindow { closes_at },
                            resolutions,
                            window,
                            false,
                        )
                    } else {
                        instead(refused(
                            Explanation::ChangeOfMindClosed {
                                closed_at: closes_at,
                            },
                            window,
                        ))
                    }
                }
                Fault::Seller => {
                    let window = window(delivered_at, Some(protection_closes));
                    if now > protection_closes {
                        return refused(
                            Explanation::ProtectionClosed {
                                closed_at: protection_closes,
                            },
                            window,
                        );
                    }
                    let perishable = lines
                        .iter()
                        .any(|l| policy.is_perishable(l.product.category));
                    // Nothing to send back when it never arrived or has perished.
                    let resolutions = if reason == Reason::NotReceived || perishable {
                        vec![Resolution::RefundOnly, Resolution::PartialRefund]
                    } else {
                        let mut goods_back =
                            vec![Resolution::ReturnAndRefund, Resolution::Replacement];
                        if reason.repairable() {
                            goods_back.push(Resolution::Repair);
                        }
                        if exchangeable {
                            goods_back.push(Resolution::Exchange);
                        }
                        goods_back.push(Resolution::PartialRefund);
                        goods_back
                    };
                    eligible(
                        Explanation::ProtectionWindow {
                            closes_at: protection_closes,
                        },
                        resolutions,
                        window,
                        true,
                    )
                }
            }
        }
    }
}
