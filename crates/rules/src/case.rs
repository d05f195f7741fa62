//! The return case: its states, the parties' proposals, and what each party may do.
//!
//! A case changes only through [`file`], [`apply`] and [`crate::advance`]; each returns the new
//! case and the events to append to its timeline.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::deadline::{advance, AutoAction, Deadline};
use crate::eligibility::{
    eligibility, refund_amount, Decision, Explanation, LineSelection, Party, RefundError,
    Resolution, ReturnRequest, SelectionError,
};
use crate::money::Money;
use crate::order::{Fulfillment, Order};
use crate::policy::Policy;
use crate::reason::Reason;
use crate::tracking::TrackingNumber;

/// Notes, reasons and comments are at most this long, in characters.
pub const TEXT_MAX_CHARS: usize = 2000;
/// A return address is at most this long, in characters.
pub const ADDRESS_MAX_CHARS: usize = 500;

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Filed; the seller must answer the buyer's proposal.
    AwaitingSeller,
    /// A counter-offer or a rejection stands; `Case::awaiting` must answer.
    Negotiating,
    /// The platform's mediator decides.
    Escalated,
    /// Agreed on sending the goods back; the seller must give the return address.
    AwaitingReturnAddress,
    /// The buyer must ship the goods back and enter the tracking number.
    AwaitingReturnShipment,
    ReturnInTransit,
    /// The return arrived; the seller must confirm receipt and condition.
    ReturnDelivered,
    /// The refund is due to the original payment method.
    RefundDue,
    /// The seller must ship the replacement, or the other variant of an exchange.
    ReplacementDue,
    /// The seller received the item to repair and must ship it back repaired.
    RepairDue,
    /// The repaired item or the exchanged variant is on its way back: the buyer confirms it is
    /// right, or (for a repair) reports that it still does not work.
    AwaitingBuyerConfirmation,
    /// The outcome is settled; the buyer may rate how it went.
    Resolved,
    /// Over: accepts nothing.
    Closed,
}

impl CaseState {
    /// Every state, in the order a case usually goes through them.
    pub const ALL: [CaseState; 13] = [
        CaseState::AwaitingSeller,
        CaseState::Negotiating,
        CaseState::Escalated,
        CaseState::AwaitingReturnAddress,
        CaseState::AwaitingReturnShipment,
        CaseState::ReturnInTransit,
        CaseState::ReturnDelivered,
        CaseState::RefundDue,
        CaseState::ReplacementDue,
        CaseState::RepairDue,
        CaseState::AwaitingBuyerConfirmation,
        CaseState::Resolved,
        CaseState::Closed,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            CaseState::AwaitingSeller => "awaiting_seller",
            CaseState::Negotiating => "negotiating",
            CaseState::Escalated => "escalated",
            CaseState::AwaitingReturnAddress => "awaiting_return_address",
            CaseState::AwaitingReturnShipment => "awaiting_return_shipment",
            CaseState::ReturnInTransit => "return_in_transit",
            CaseState::ReturnDelivered => "return_delivered",
            CaseState::RefundDue => "refund_due",
            CaseState::ReplacementDue => "replacement_due",
            CaseState::RepairDue => "repair_due",
            CaseState::AwaitingBuyerConfirmation => "awaiting_buyer_confirmation",
            CaseState::Resolved => "resolved",
            CaseState::Closed => "closed",
        }
    }

    /// The state with this code, if any.
    pub fn from_code(code: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the case is over: a terminal state accepts no action and has no deadline.
    pub fn is_terminal(self) -> bool {
        self == CaseState::Closed
    }
}

/// What a proposal offers, checked against what may be refunded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Terms {
    pub resolution: Resolution,
    /// The money back: all that may be refunded, the stated part of it, or zero for a
    /// replacement, a repair, an exchange or store credit.
    pub refund: Money,
    /// Who pays to send the goods back; only when they go back.
    pub return_shipping_paid_by: Option<Party>,
    /// Store credit instead of money: what may be refunded plus the policy's bonus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit: Option<Money>,
    /// For an exchange: the listing's variant (size, colour) the buyer gets instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_for: Option<String>,
}

/// What a case may pay at most: in money, and in store credit (the money plus the policy's
/// bonus). A proposal is checked against them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub refund: Money,
    pub credit: Money,
}

/// A plan a party puts forward, before the rules check it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Offer {
    pub resolution: Resolution,
    /// For a partial refund: the amount, in the order's minor units.
    #[serde(default)]
    pub partial_amount_minor: Option<i64>,
    /// Required when the goods go back (return and refund, replacement).
    #[serde(default)]
    pub return_shipping_paid_by: Option<Party>,
    #[serde(default)]
    pub note: String,
    /// Ids of the evidence (photos, documents) that supports it.
    #[serde(default)]
    pub evidence: Vec<String>,
    /// For an exchange: the variant wanted instead, one the listing offers.
    #[serde(default)]
    pub exchange_for: Option<String>,
}

/// A party's standing proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Proposal {
    pub by: Party,
    pub terms: Terms,
    pub note: String,
    pub evidence: Vec<String>,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub made_at: DateTime<Utc>,
}

/// At most one standing proposal per party.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Proposals {
    pub buyer: Option<Proposal>,
    pub seller: Option<Proposal>,
    pub platform: Option<Proposal>,
}

impl Proposals {
    /// `party`'s standing proposal, if it has one.
    pub fn of(&self, party: Party) -> Option<&Proposal> {
        match party {
            Party::Buyer => self.buyer.as_ref(),
            Party::Seller => self.seller.as_ref(),
            Party::Platform => self.platform.as_ref(),
        }
    }

    fn slot(&mut self, party: Party) -> &mut Option<Proposal> {
        match party {
            Party::Buyer => &mut self.buyer,
            Party::Seller => &mut self.seller,
            Party::Platform => &mut self.platform,
        }
    }
}

/// How the parties came to a plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reached {
    /// Approved at filing (not shipped, unmatched group buy).
    AtFiling,
    /// The other party accepted it.
    Accepted,
    /// The clock carried it out: nobody answered in time.
    Automatically,
    /// The platform's mediator ruled.
    Ruling,
}

impl Reached {
    pub const ALL: [Reached; 4] = [
        Reached::AtFiling,
        Reached::Accepted,
        Reached::Automatically,
        Reached::Ruling,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Reached::AtFiling => "at_filing",
            Reached::Accepted => "accepted",
            Reached::Automatically => "automatically",
            Reached::Ruling => "ruling",
        }
    }

    /// The way with this code, if any.
    pub fn from_code(code: &str) -> Option<Reached> {
        Reached::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The plan being carried out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Agreement {
    pub terms: Terms,
    /// Whose proposal it was.
    pub proposed_by: Party,
    pub reached: Reached,
}

/// How a case ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Outcome {
    Refunded {
        amount: Money,
    },
    Replaced,
    /// The item was repaired and the buyer has it back.
    Repaired,
    /// The buyer has the other variant.
    Exchanged,
    /// Store credit the buyer accepted instead of money.
    Credited {
        amount: Money,
    },
    /// The buyer withdrew the request.
    Withdrawn,
    /// The seller's rejection stood.
    Rejected,
    /// The buyer did not ship the return in time.
    ReturnNotShipped,
    /// The mediator ruled that no refund is due.
    RuledNoRefund,
}

impl Outcome {
    /// Whether a plan was carried out: money back, a replacement, a repair, an exchange or store
    /// credit, rather than nothing (withdrawn, rejected, not shipped, ruled no refund).
    pub fn remedied(self) -> bool {
        matches!(
            self,
            Outcome::Refunded { .. }
                | Outcome::Replaced
                | Outcome::Repaired
                | Outcome::Exchanged
                | Outcome::Credited { .. }
        )
    }

    /// Stable code, the same as the JSON `code` field.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Refunded { .. } => "refunded",
            Outcome::Replaced => "replaced",
            Outcome::Repaired => "repaired",
            Outcome::Exchanged => "exchanged",
            Outcome::Credited { .. } => "credited",
            Outcome::Withdrawn => "withdrawn",
            Outcome::Rejected => "rejected",
            Outcome::ReturnNotShipped => "return_not_shipped",
            Outcome::RuledNoRefund => "ruled_no_refund",
        }
    }
}

/// The buyer's rating once the outcome is settled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rating {
    /// 1 to 5.
    pub stars: u8,
    pub comment: String,
}

/// A return case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Case {
    pub id: String,
    pub order_id: String,
    pub reason: Reason,
    pub lines: Vec<LineSelection>,
    pub description: String,
    /// Why the request was eligible when it was filed, as the buyer was told.
    pub explanation: Explanation,
    /// What may be refunded at most: paid for the lines, plus shipping when the seller is at
    /// fault. No refund of this case ever goes above it.
    pub max_refund: Money,
    /// The policy's bonus on store credit, in percent, as it was when the case was filed.
    #[serde(default)]
    pub credit_bonus_percent: u32,
    /// The other variants the listing offers, when one line is returned: what it may be
    /// exchanged for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exchange_options: Vec<String>,
    pub state: CaseState,
    /// Grows by one with every change, so a writer can tell it saw the latest case.
    pub version: u32,
    pub filed_at: DateTime<Utc>,
    /// When the current state (or, while negotiating, the current turn) began: the deadlines
    /// count from it.
    pub since: DateTime<Utc>,
    /// While negotiating: whose answer is awaited.
    pub awaiting: Option<Party>,
    pub proposals: Proposals,
    /// The seller's reason, when the seller rejected the request: it opens escalation.
    pub rejection: Option<String>,
    pub agreement: Option<Agreement>,
    pub return_address: Option<String>,
    pub return_tracking: Option<TrackingNumber>,
    pub replacement_tracking: Option<TrackingNumber>,
    /// When the buyer reported that the repaired item still does not work: the choice of a
    /// refund or a replacement opened again, and its talks count from then.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::wire::optional_instant"
    )]
    pub reopened_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub rating: Option<Rating>,
}

/// Who did something: a party, or the clock acting for a party that did not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Buyer,
    Seller,
    Platform,
    System,
}

impl Actor {
    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Actor::Buyer => "buyer",
            Actor::Seller => "seller",
            Actor::Platform => "platform",
            Actor::System => "system",
        }
    }
}

impl Actor {
    pub const ALL: [Actor; 4] = [Actor::Buyer, Actor::Seller, Actor::Platform, Actor::System];

    /// The actor with this code, if any.
    pub fn from_code(code: &str) -> Option<Actor> {
        Actor::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The party it acted as; `None` for the clock.
    pub fn party(self) -> Option<Party> {
        match self {
            Actor::Buyer => Some(Party::Buyer),
            Actor::Seller => Some(Party::Seller),
            Actor::Platform => Some(Party::Platform),
            Actor::System => None,
        }
    }
}

impl From<Party> for Actor {
    fn from(p: Party) -> Self {
        match p {
            Party::Buyer => Actor::Buyer,
            Party::Seller => Actor::Seller,
            Party::Platform => Actor::Platform,
        }
    }
}

/// What the mediator decides.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decree {
    /// This plan is carried out.
    Plan(Offer),
    /// Nothing is refunded.
    NoRefund,
}

/// Everything a party can do to a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Put forward a plan, replacing the party's own standing proposal (a counter-offer).
    Propose(Offer),
    /// Take back the party's own standing proposal.
    WithdrawProposal,
    /// Accept another party's standing proposal: the negotiation ends.
    Accept {
        of: Party,
    },
    /// Turn down the other side's standing proposal, saying why.
    Reject {
        reason: String,
    },
    /// Ask the platform to step in (after the seller rejected).
    Escalate,
    /// The mediator's final decision, with its reason.
    Rule {
        decree: Decree,
        reason: String,
    },
    GiveReturnAddress {
        address: String,
    },
    ShipReturn {
        tracking: TrackingNumber,
    },
    /// The carrier delivered the return to the seller.
    ReturnDelivered,
    /// The goods came back in the agreed condition.
    ConfirmReceipt,
    /// The goods came back damaged, different or not at all: the platform decides.
    ReportProblem {
        reason: String,
    },
    RefundIssued,
    ShipReplacement {
        tracking: TrackingNumber,
    },
    /// The seller ships the repaired item back.
    ShipRepaired {
        tracking: TrackingNumber,
    },
    /// The buyer has the repaired item or the other variant, and it is right.
    ConfirmItem,
    /// The repaired item still does not work: the buyer says why and shows it.
    RepairFailed {
        reason: String,
        evidence: Vec<String>,
    },
    /// The buyer takes the request back.
    Withdraw,
    Rate {
        stars: u8,
        comment: String,
    },
}

/// An action's kind, for permissions and error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Propose,
    WithdrawProposal,
    Accept,
    Reject,
    Escalate,
    Rule,
    GiveReturnAddress,
    ShipReturn,
    ReturnDelivered,
    ConfirmReceipt,
    ReportProblem,
    RefundIssued,
    ShipReplacement,
    ShipRepaired,
    ConfirmItem,
    RepairFailed,
    Withdraw,
    Rate,
}

impl ActionKind {
    /// Every action, in the order a case meets them.
    pub const ALL: [ActionKind; 18] = [
        ActionKind::Propose,
        ActionKind::WithdrawProposal,
        ActionKind::Accept,
        ActionKind::Reject,
        ActionKind::Escalate,
        ActionKind::Rule,
        ActionKind::GiveReturnAddress,
        ActionKind::ShipReturn,
        ActionKind::ReturnDelivered,
        ActionKind::ConfirmReceipt,
        ActionKind::ReportProblem,
        ActionKind::RefundIssued,
        ActionKind::ShipReplacement,
        ActionKind::ShipRepaired,
        ActionKind::ConfirmItem,
        ActionKind::RepairFailed,
        ActionKind::Withdraw,
        ActionKind::Rate,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Propose => "propose",
            ActionKind::WithdrawProposal => "withdraw_proposal",
            ActionKind::Accept => "accept",
            ActionKind::Reject => "reject",
            ActionKind::Escalate => "escalate",
            ActionKind::Rule => "rule",
            ActionKind::GiveReturnAddress => "give_return_address",
            ActionKind::ShipReturn => "ship_return",
            ActionKind::ReturnDelivered => "return_delivered",
            ActionKind::ConfirmReceipt => "confirm_receipt",
            ActionKind::ReportProblem => "report_problem",
            ActionKind::RefundIssued => "refund_issued",
            ActionKind::ShipReplacement => "ship_replacement",
            ActionKind::ShipRepaired => "ship_repaired",
            ActionKind::ConfirmItem => "confirm_item",
            ActionKind::RepairFailed => "repair_failed",
            ActionKind::Withdraw => "withdraw",
            ActionKind::Rate => "rate",
        }
    }
}

impl Action {
    /// Which kind of action this is, without its data.
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Propose(_) => ActionKind::Propose,
            Action::WithdrawProposal => ActionKind::WithdrawProposal,
            Action::Accept { .. } => ActionKind::Accept,
            Action::Reject { .. } => ActionKind::Reject,
            Action::Escalate => ActionKind::Escalate,
            Action::Rule { .. } => ActionKind::Rule,
            Action::GiveReturnAddress { .. } => ActionKind::GiveReturnAddress,
            Action::ShipReturn { .. } => ActionKind::ShipReturn,
            Action::ReturnDelivered => ActionKind::ReturnDelivered,
            Action::ConfirmReceipt => ActionKind::ConfirmReceipt,
            Action::ReportProblem { .. } => ActionKind::ReportProblem,
            Action::RefundIssued => ActionKind::RefundIssued,
            Action::ShipReplacement { .. } => ActionKind::ShipReplacement,
            Action::ShipRepaired { .. } => ActionKind::ShipRepaired,
            Action::ConfirmItem => ActionKind::ConfirmItem,
            Action::RepairFailed { .. } => ActionKind::RepairFailed,
            Action::Withdraw => ActionKind::Withdraw,
            Action::Rate { .. } => ActionKind::Rate,
        }
    }
}

/// One entry of the case's timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Event {
    pub at: DateTime<Utc>,
    pub by: Actor,
    pub what: EventKind,
    /// The state the case was in afterwards.
    pub state: CaseState,
}

/// What happened, in a timeline entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The buyer filed the request with these terms.
    Filed { terms: Terms },
    /// A party acted.
    Acted(Action),
    /// The clock acted on this deadline: its party did not act in time.
    Automatic(Deadline),
}

/// A party and an action it may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Permission {
    pub party: Party,
    pub action: ActionKind,
}

/// Why an action was refused. Each has a stable code the UI translates.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaseError {
    #[error("the request is not eligible ({})", .0.code())]
    NotEligible(Explanation),
    #[error(transparent)]
    Selection(#[from] SelectionError),
    #[error(transparent)]
    Refund(#[from] RefundError),
    #[error("the case is closed and accepts nothing more")]
    Closed,
    #[error("the {} cannot {} while the case is {}", .by.code(), .action.code(), .state.code())]
    NotAllowed {
        by: Party,
        action: ActionKind,
        state: CaseState,
        /// Who may do what instead.
        allowed: Vec<Permission>,
    },
    #[error("the {} has no standing proposal", .0.code())]
    NoProposal(Party),
    #[error("a party cannot accept its own proposal")]
    OwnProposal,
    #[error("say who pays return shipping (the buyer or the seller)")]
    ShippingPayerMissing,
    #[error("only a return or a replacement has return shipping")]
    ShippingPayerUnexpected,
    #[error("give a reason")]
    ReasonRequired,
    #[error("enter the return address")]
    AddressRequired,
    #[error("the text is longer than {max} characters")]
    TooLong { max: usize },
    #[error("the rating is 1 to 5 stars")]
    Stars,
    /// The reason needs photos of the problem, and the filing cites none.
    #[error("this reason needs at least one photo of the problem")]
    PhotosRequired,
    #[error("choose the size or colour to exchange for")]
    VariantRequired,
    #[error("the listing does not offer that size or colour")]
    VariantNotOffered,
    #[error("only an exchange names a size or colour")]
    VariantUnexpected,
    /// A repair puts right a defect, damage or missing parts, nothing else.
    #[error("a repair is only for a defect, damage or missing parts")]
    NotRepairable,
    /// Store credit is never imposed: the mediator rules it only when the buyer asked for it.
    #[error("the buyer did not ask for store credit")]
    CreditNotAsked,
}

impl CaseError {
    /// Stable code for the UI and the API.
    pub fn code(&self) -> &'static str {
        match self {
            CaseError::NotEligible(_) => "not_eligible",
            CaseError::Selection(e) => e.code(),
            CaseError::Refund(e) => e.code(),
            CaseError::Closed => "case_closed",
            CaseError::NotAllowed { .. } => "action_not_allowed",
            CaseError::NoProposal(_) => "no_standing_proposal",
            CaseError::OwnProposal => "own_proposal",
            CaseError::ShippingPayerMissing => "shipping_payer_missing",
            CaseError::ShippingPayerUnexpected => "shipping_payer_unexpected",
            CaseError::ReasonRequired => "reason_required",
            CaseError::AddressRequired => "address_required",
            CaseError::TooLong { .. } => "text_too_long",
            CaseError::PhotosRequired => "photos_required",
            CaseError::Stars => "stars_out_of_range",
            CaseError::VariantRequired => "variant_required",
            CaseError::VariantNotOffered => "variant_not_offered",
            CaseError::VariantUnexpected => "variant_unexpected",
            CaseError::NotRepairable => "not_repairable",
            CaseError::CreditNotAsked => "credit_not_asked",
        }
    }
}

/// What the buyer files: the request, the resolution wanted and the words and evidence for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Filing {
    pub request: ReturnRequest,
    pub offer: Offer,
    #[serde(default)]
    pub description: String,
}

fn text(value: &str, max: usize) -> Result<String, CaseError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(CaseError::TooLong { max });
    }
    Ok(value.to_owned())
}

fn required_text(value: &str, max: usize, missing: CaseError) -> Result<String, CaseError> {
    let value = text(value, max)?;
    if value.is_empty() {
        return Err(missing);
    }
    Ok(value)
}

impl Offer {
    /// Checks the offer against `limits`, what the case may pay at most: the refund within it,
    /// store credit worth all of it plus the bonus, the variant only for an exchange, and who
    /// pays return shipping only when goods go back. The browser checks a counter-offer with it
    /// before sending; the case checks it again on arrival.
    pub fn terms(&self, limits: Limits) -> Result<Terms, CaseError> {
        let zero = Money::zero(limits.refund.currency);
        let refund = match self.resolution {
            r if r.pays_money() => refund_amount(limits.refund, r, self.partial_amount_minor)?,
            _ if self.partial_amount_minor.is_some() => {
                return Err(RefundError::PartialAmountUnexpected.into())
            }
            _ => zero,
        };
        let credit = (self.resolution == Resolution::StoreCredit).then_some(limits.credit);
        let exchange_for = match (self.resolution, &self.exchange_for) {
            (Resolution::Exchange, Some(v)) if !v.trim().is_empty() => Some(v.trim().to_owned()),
            (Resolution::Exchange, _) => return Err(CaseError::VariantRequired),
            (_, None) => None,
            (_, Some(_)) => return Err(CaseError::VariantUnexpected),
        };
        let return_shipping_paid_by = match (
            self.resolution.sends_goods_back(),
            self.return_shipping_paid_by,
        ) {
            (true, Some(p @ (Party::Buyer | Party::Seller))) => Some(p),
            (true, _) => return Err(CaseError::ShippingPayerMissing),
            (false, None) => None,
            (false, Some(_)) => return Err(CaseError::ShippingPayerUnexpected),
        };
        Ok(Terms {
            resolution: self.resolution,
            refund,
            return_shipping_paid_by,
            credit,
            exchange_for,
        })
    }
}

/// `money` plus `percent` of it, rounded up to the minor unit: store credit is never worth less
/// than the refund it stands for. Saturating (no amount comes near it); 64-bit on purpose, as
/// 128-bit division would cost the browser's bundle a kilobyte.
pub fn with_bonus(money: Money, percent: u32) -> Money {
    let bonus = money
        .minor
        .saturating_mul(i64::from(percent))
        .saturating_add(99)
        / 100;
    Money::new(money.minor.saturating_add(bonus), money.currency)
}

impl Case {
    /// What the case may pay at most, in money and in store credit.
    pub fn limits(&self) -> Limits {
        Limits {
            refund: self.max_refund,
            credit: with_bonus(self.max_refund, self.credit_bonus_percent),
        }
    }

    fn proposal(
        &self,
        by: Party,
        offer: &Offer,
        now: DateTime<Utc>,
    ) -> Result<Proposal, CaseError> {
        let terms = offer.terms(self.limits())?;
        if terms.resolution == Resolution::Repair && !self.reason.repairable() {
            return Err(CaseError::NotRepairable);
        }
        if let Some(variant) = &terms.exchange_for {
            if !self.exchange_options.contains(variant) {
                return Err(CaseError::VariantNotOffered);
            }
        }
        Ok(Proposal {
            by,
            terms,
            note: text(&offer.note, TEXT_MAX_CHARS)?,
            evidence: offer.evidence.clone(),
            made_at: now,
        })
    }

    /// What each party may do now. The UI offers exactly these; [`apply`] refuses the rest.
    pub fn permissions(&self) -> Vec<Permission> {
        use ActionKind as A;
        use Party::{Buyer, Platform, Seller};
        let mut allowed = Vec::new();
        let mut allow = |party, action| allowed.push(Permission { party, action });
        let has = |p| self.proposals.of(p).is_some();
        match self.state {
            CaseState::AwaitingSeller | CaseState::Negotiating => {
                for party in [Buyer, Seller] {
                    let other = Case::counterpart(party);
                    allow(party, A::Propose);
                    if has(other) {
                        allow(party, A::Accept);
                        // Withdrawing leaves the other side's proposal to answer.
                        if has(party) {
                            allow(party, A::WithdrawProposal);
                        }
                        // Only the party whose answer is awaited rejects, and a buyer only
                        // while their own proposal stands (else they counter).
                        if self.awaiting == Some(party) && (party == Seller || has(party)) {
                            allow(party, A::Reject);
                        }
                    }
                    if self.rejection.is_some() || self.reopened_at.is_some() {
                        allow(party, A::Escalate);
                    }
                }
                allow(Buyer, A::Withdraw);
            }
            CaseState::Escalated => {
                for party in [Buyer, Seller, Platform] {
                    allow(party, A::Propose);
                    if has(party) {
                        allow(party, A::WithdrawProposal);
                    }
                }
                if has(Seller) || has(Platform) {
                    allow(Buyer, A::Accept);
                }
                if has(Buyer) || has(Platform) {
                    allow(Seller, A::Accept);
                }
                allow(Platform, A::Rule);
                allow(Buyer, A::Withdraw);
            }
            CaseState::AwaitingReturnAddress => {
                allow(Seller, A::GiveReturnAddress);
                allow(Buyer, A::Withdraw);
            }
            CaseState::AwaitingReturnShipment => {
                allow(Buyer, A::ShipReturn);
                allow(Buyer, A::Withdraw);
            }
            CaseState::ReturnInTransit => {
                allow(Platform, A::ReturnDelivered);
                // A parcel the carrier could not deliver, or sent back: the platform steps in.
                allow(Platform, A::Escalate);
                allow(Seller, A::ConfirmReceipt);
                allow(Seller, A::ReportProblem);
            }
            CaseState::ReturnDelivered => {
                allow(Seller, A::ConfirmReceipt);
                allow(Seller, A::ReportProblem);
            }
            CaseState::RefundDue => allow(Platform, A::RefundIssued),
            CaseState::ReplacementDue => allow(Seller, A::ShipReplacement),
            CaseState::RepairDue => allow(Seller, A::ShipRepaired),
            CaseState::AwaitingBuyerConfirmation => {
                allow(Buyer, A::ConfirmItem);
                if self.agreed(Resolution::Repair) {
                    allow(Buyer, A::RepairFailed);
                }
            }
            CaseState::Resolved => allow(Buyer, A::Rate),
            CaseState::Closed => {}
        }
        allowed
    }

    /// Whether `party` may take `action` now.
    pub fn may(&self, party: Party, action: ActionKind) -> bool {
        self.permissions()
            .iter()
            .any(|p| p.party == party && p.action == action)
    }

    /// The refund the case is about now: once settled, what was paid (nothing unless refunded);
    /// before, the agreed one, else the buyer's standing proposal's, else the most that may be
    /// refunded.
    pub fn refund_at_stake(&self) -> Money {
        match (self.outcome, &self.agreement, &self.proposals.buyer) {
            (Some(Outcome::Refunded { amount }), ..) => amount,
            (Some(_), ..) => Money::zero(self.max_refund.currency),
            (None, Some(a), _) => a.terms.refund,
            (None, None, Some(p)) => p.terms.refund,
            (None, None, None) => self.max_refund,
        }
    }

    /// The refund the case owes once it is due: the agreed amount, or everything that may be
    /// refunded when a replacement, a repair or an exchange falls through.
    pub fn refund_owed(&self) -> Money {
        match &self.agreement {
            Some(a) if a.terms.resolution.pays_money() => a.terms.refund,
            _ => self.max_refund,
        }
    }

    /// Whether the plan agreed is `resolution`.
    pub fn agreed(&self, resolution: Resolution) -> bool {
        self.agreement
            .as_ref()
            .is_some_and(|a| a.terms.resolution == resolution)
    }

    pub(crate) fn enter(&mut self, state: CaseState, now: DateTime<Utc>) {
        self.state = state;
        self.since = now;
        if !matches!(state, CaseState::AwaitingSeller | CaseState::Negotiating) {
            self.awaiting = None;
        }
    }

    /// The plan is settled: carry it out.
    pub(crate) fn agree(
        &mut self,
        terms: Terms,
        proposed_by: Party,
        reached: Reached,
        now: DateTime<Utc>,
    ) {
        let resolution = terms.resolution;
        let credit = terms.credit;
        self.agreement = Some(Agreement {
            terms,
            proposed_by,
            reached,
        });
        // Standing proposals belong to the negotiation that just ended; the timeline keeps them.
        self.proposals = Proposals::default();
        match credit {
            // Store credit is issued the moment it is agreed: there is nothing to send or pay.
            Some(amount) => self.settle(Outcome::Credited { amount }, now),
            None if resolution.sends_goods_back() => {
                self.enter(CaseState::AwaitingReturnAddress, now)
            }
            None => self.enter(CaseState::RefundDue, now),
        }
    }

    pub(crate) fn settle(&mut self, outcome: Outcome, now: DateTime<Utc>) {
        self.outcome = Some(outcome);
        self.enter(CaseState::Resolved, now);
    }

    /// The other party of a buyer–seller negotiation.
    fn counterpart(party: Party) -> Party {
        match party {
            Party::Buyer => Party::Seller,
            _ => Party::Buyer,
        }
    }
}

/// Files a return: checks it with the same rules as [`eligibility`] and opens the case with the
/// buyer's proposal. An order not shipped yet, or an unmatched group buy, is approved at once.
pub fn file(
    id: String,
    order: &Order,
    filing: &Filing,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<(Case, Vec<Event>), CaseError> {
    let verdict = eligibility(order, &filing.request, now, policy)?;
    if verdict.decision != Decision::Eligible {
        return Err(CaseError::NotEligible(verdict.explanation().clone()));
    }
    verdict.refund_for(filing.offer.resolution, filing.offer.partial_amount_minor)?;
    // The seller's clock must never run on a claim that lacks the evidence its reason needs.
    if verdict.photos_required && filing.offer.evidence.is_empty() {
        return Err(CaseError::PhotosRequired);
    }
    let mut case = Case {
        id,
        order_id: order.id.clone(),
        reason: filing.request.reason,
        lines: filing.request.lines.clone(),
        description: text(&filing.description, TEXT_MAX_CHARS)?,
        explanation: verdict.explanation().clone(),
        max_refund: verdict.max_refund,
        credit_bonus_percent: policy.store_credit_bonus_percent,
        exchange_options: exchange_options(order, &filing.request.lines),
        state: CaseState::AwaitingSeller,
        version: 1,
        filed_at: now,
        since: now,
        awaiting: Some(Party::Seller),
        proposals: Proposals::default(),
        rejection: None,
        agreement: None,
        return_address: None,
        return_tracking: None,
        replacement_tracking: None,
        reopened_at: None,
        outcome: None,
        rating: None,
    };
    // Who pays return shipping is the policy's to say, not the buyer's.
    let offer = Offer {
        return_shipping_paid_by: verdict
            .return_shipping_paid_by
            .filter(|_| filing.offer.resolution.sends_goods_back()),
        ..filing.offer.clone()
    };
    let proposal = case.proposal(Party::Buyer, &offer, now)?;
    let terms = proposal.terms.clone();
    if matches!(
        verdict.explanation(),
        Explanation::CancelBeforeShipment | Explanation::GroupBuyUnmatched { .. }
    ) {
        case.agree(terms.clone(), Party::Buyer, Reached::AtFiling, now);
    } else {
        case.proposals.buyer = Some(proposal);
    }
    let event = Event {
        at: now,
        by: Actor::Buyer,
        what: EventKind::Filed { terms },
        state: case.state,
    };
    Ok((case, vec![event]))
}

/// The variants one returned line may be exchanged for: the others its listing offers. Empty
/// when more than one line goes back, or the listing has no other.
pub fn exchange_options(order: &Order, selection: &[LineSelection]) -> Vec<String> {
    let [only] = selection else {
        return Vec::new();
    };
    order.line(&only.line_id).map_or_else(Vec::new, |line| {
        line.variants
            .iter()
            .filter(|v| line.variant.as_ref() != Some(*v))
            .cloned()
            .collect()
    })
}

/// The automatic refund of a group-buy order whose group did not match in time: once the wait
/// of the policy is over, the system opens a case for the whole order (nothing was ever shipped,
/// so "not received") and refunds it, shipping included. `None` for any other order, or before
/// the wait is over.
pub fn refund_unmatched_group_buy(
    id: String,
    order: &Order,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Option<(Case, Vec<Event>)> {
    let Fulfillment::GroupBuyWaiting { since } = order.fulfillment else {
        return None;
    };
    let due = since + TimeDelta::hours(i64::from(policy.group_buy_wait_hours));
    if now < due {
        return None;
    }
    let lines = order
        .lines
        .iter()
        .map(|l| LineSelection {
            line_id: l.id.clone(),
            quantity: l.quantity,
        })
        .collect();
    let filing = Filing {
        request: ReturnRequest::new(lines, Reason::NotReceived),
        offer: Offer {
            resolution: Resolution::RefundOnly,
            partial_amount_minor: None,
            return_shipping_paid_by: None,
            note: String::new(),
            evidence: vec![],
            exchange_for: None,
        },
        description: String::new(),
    };
    // Filed at the moment the wait ended, whenever the sweeper gets to it.
    let (case, mut events) = file(id, order, &filing, due, policy).ok()?;
    events[0].by = Actor::System;
    let (case, more) = advance(&case, now, policy);
    events.extend(more);
    Some((case, events))
}

/// `party` takes `action` at `now`. Deadlines that passed before `now` are carried out first, so
/// an answer that comes too late finds the clock has already acted.
///
/// Returns the new case and every event to record, or why the action is refused (with who may do
/// what instead).
pub fn apply(
    case: &Case,
    party: Party,
    action: Action,
    now: DateTime<Utc>,
    policy: &Policy,
) -> Result<(Case, Vec<Event>), CaseError> {
    let (mut case, mut events) = advance(case, now, policy);
    if case.state.is_terminal() {
        return Err(CaseError::Closed);
    }
    let kind = action.kind();
    if !case.may(party, kind) {
        return Err(CaseError::NotAllowed {
            by: party,
            action: kind,
            state: case.state,
            allowed: case.permissions(),
        });
    }
    act(&mut case, party, &action, now)?;
    case.version += 1;
    events.push(Event {
        at: now,
        by: party.into(),
        what: EventKind::Acted(action),
        state: case.state,
    });
    Ok((case, events))
}

/// Carries out a permitted action.
fn act(
    case: &mut Case,
    party: Party,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<(), CaseError> {
    let negotiating = matches!(
        case.state,
        CaseState::AwaitingSeller | CaseState::Negotiating
    );
    match action {
        Action::Propose(offer) => {
            let proposal = case.proposal(party, offer, now)?;
            *case.proposals.slot(party) = Some(proposal);
            if negotiating {
                // A counter-offer (or the buyer's amended request): the other side must answer,
                // with a fresh turn to consider it.
                let next = if case.state == CaseState::AwaitingSeller && party == Party::Buyer {
                    CaseState::AwaitingSeller
                } else {
                    CaseState::Negotiating
                };
                case.awaiting = Some(Case::counterpart(party));
                case.enter(next, now);
            }
        }
        Action::WithdrawProposal => {
            *case.proposals.slot(party) = None;
            if negotiating {
                // What stands now is the other side's proposal, which this party must answer.
                case.awaiting = Some(party);
                case.enter(CaseState::Negotiating, now);
            }
        }
        Action::Accept { of } => {
            if *of == party {
                return Err(CaseError::OwnProposal);
            }
            let proposal = case
                .proposals
                .of(*of)
                .cloned()
                .ok_or(CaseError::NoProposal(*of))?;
            case.agree(proposal.terms, *of, Reached::Accepted, now);
        }
        Action::Reject { reason } => {
            let reason = required_text(reason, TEXT_MAX_CHARS, CaseError::ReasonRequired)?;
            let other = Case::counterpart(party);
            if party == Party::Seller {
                // The buyer's proposal stays on the board for a mediator to see; the rejection
                // opens escalation.
                case.rejection = Some(reason);
            } else {
                *case.proposals.slot(other) = None;
            }
            case.awaiting = Some(other);
            case.enter(CaseState::Negotiating, now);
        }
        Action::Escalate => case.enter(CaseState::Escalated, now),
        Action::Rule { decree, reason } => {
            required_text(reason, TEXT_MAX_CHARS, CaseError::ReasonRequired)?;
            match decree {
                Decree::Plan(offer) => {
                    let asked_credit = case
                        .proposals
                        .of(Party::Buyer)
                        .is_some_and(|p| p.terms.resolution == Resolution::StoreCredit);
                    if offer.resolution == Resolution::StoreCredit && !asked_credit {
                        return Err(CaseError::CreditNotAsked);
                    }
                    let terms = case.proposal(Party::Platform, offer, now)?.terms;
                    case.agree(terms, Party::Platform, Reached::Ruling, now);
                }
                Decree::NoRefund => case.settle(Outcome::RuledNoRefund, now),
            }
        }
        Action::GiveReturnAddress { address } => {
            case.return_address = Some(required_text(
                address,
                ADDRESS_MAX_CHARS,
                CaseError::AddressRequired,
            )?);
            case.enter(CaseState::AwaitingReturnShipment, now);
        }
        Action::ShipReturn { tracking } => {
            case.return_tracking = Some(tracking.clone());
            case.enter(CaseState::ReturnInTransit, now);
        }
        Action::ReturnDelivered => case.enter(CaseState::ReturnDelivered, now),
        Action::ConfirmReceipt => {
            let next = match case.agreement.as_ref().map(|a| a.terms.resolution) {
                Some(Resolution::Replacement | Resolution::Exchange) => CaseState::ReplacementDue,
                Some(Resolution::Repair) => CaseState::RepairDue,
                _ => CaseState::RefundDue,
            };
            case.enter(next, now);
        }
        Action::ReportProblem { reason } => {
            required_text(reason, TEXT_MAX_CHARS, CaseError::ReasonRequired)?;
            case.enter(CaseState::Escalated, now);
        }
        Action::RefundIssued => {
            let amount = case.refund_owed();
            case.settle(Outcome::Refunded { amount }, now);
        }
        Action::ShipReplacement { tracking } => {
            case.replacement_tracking = Some(tracking.clone());
            if case.agreed(Resolution::Exchange) {
                case.enter(CaseState::AwaitingBuyerConfirmation, now);
            } else {
                case.settle(Outcome::Replaced, now);
            }
        }
        Action::ShipRepaired { tracking } => {
            case.replacement_tracking = Some(tracking.clone());
            case.enter(CaseState::AwaitingBuyerConfirmation, now);
        }
        Action::ConfirmItem => case.settle(case.item_outcome(), now),
        Action::RepairFailed { reason, evidence } => {
            let reason = required_text(reason, TEXT_MAX_CHARS, CaseError::ReasonRequired)?;
            if evidence.is_empty() {
                return Err(CaseError::PhotosRequired);
            }
            case.reopen(reason, evidence.clone(), now);
        }
        Action::Withdraw => case.settle(Outcome::Withdrawn, now),
        Action::Rate { stars, comment } => {
            if !(1..=5).contains(stars) {
                return Err(CaseError::Stars);
            }
            case.rating = Some(Rating {
                stars: *stars,
                comment: text(comment, TEXT_MAX_CHARS)?,
            });
            case.enter(CaseState::Closed, now);
        }
    }
    Ok(())
}

/// Runs `auto` for the clock. Used by [`crate::advance`].
pub(crate) fn carry_out(case: &mut Case, auto: AutoAction, at: DateTime<Utc>) {
    match auto {
        AutoAction::CarryOutProposal { of } => match case.proposals.of(of) {
            Some(p) => {
                let terms = p.terms.clone();
                case.agree(terms, of, Reached::Automatically, at);
            }
            // `next_deadline` names only standing proposals; nothing to carry out otherwise.
            None => case.settle(Outcome::Rejected, at),
        },
        AutoAction::CloseRejected => case.settle(Outcome::Rejected, at),
        AutoAction::PlatformStepsIn => case.enter(CaseState::Escalated, at),
        AutoAction::RefundWithoutReturn | AutoAction::IssueRefund => {
            let amount = case.refund_owed();
            case.settle(Outcome::Refunded { amount }, at);
        }
        AutoAction::RefundInsteadOfCredit { of } => {
            let terms = Terms {
                resolution: Resolution::RefundOnly,
                refund: case.max_refund,
                return_shipping_paid_by: None,
                credit: None,
                exchange_for: None,
            };
            case.agree(terms, of, Reached::Automatically, at);
        }
        AutoAction::CloseNotShipped => case.settle(Outcome::ReturnNotShipped, at),
        AutoAction::ItemAccepted => case.settle(case.item_outcome(), at),
        AutoAction::Close => case.enter(CaseState::Closed, at),
    }
}

impl Case {
    /// How a case ends once the buyer has the item that came back: repaired, or exchanged.
    fn item_outcome(&self) -> Outcome {
        if self.agreed(Resolution::Repair) {
            Outcome::Repaired
        } else {
            Outcome::Exchanged
        }
    }

    /// The repair did not work: the buyer's claim stands again as a full refund against the
    /// goods' return (return shipping paid as the repair's was), the seller must answer it, the
    /// buyer may counter with a replacement, and either side may ask the platform to step in.
    fn reopen(&mut self, reason: String, evidence: Vec<String>, now: DateTime<Utc>) {
        let paid_by = self
            .agreement
            .take()
            .and_then(|a| a.terms.return_shipping_paid_by)
            .or(Some(Party::Seller));
        self.proposals = Proposals::default();
        self.proposals.buyer = Some(Proposal {
            by: Party::Buyer,
            terms: Terms {
                resolution: Resolution::ReturnAndRefund,
                refund: self.max_refund,
                return_shipping_paid_by: paid_by,
                credit: None,
                exchange_for: None,
            },
            note: reason,
            evidence,
            made_at: now,
        });
        self.reopened_at = Some(now);
        self.awaiting = Some(Party::Seller);
        self.enter(CaseState::Negotiating, now);
    }
}
