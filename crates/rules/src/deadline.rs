//! What the clock does: every open case has one next deadline, and when it passes the system
//! acts for the party that did not.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{carry_out, Actor, Case, CaseState, Event, EventKind};
use crate::eligibility::{Party, Resolution};
use crate::policy::{days, Policy};

/// What the system does when a deadline passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum AutoAction {
    /// This party's standing proposal is carried out.
    CarryOutProposal { of: Party },
    /// Nobody answered the seller's rejection: it stands and the case ends without a refund.
    CloseRejected,
    /// No agreement in time, or the return got lost: the platform's mediator takes over.
    PlatformStepsIn,
    /// The seller gave no return address: the refund is issued without a return.
    RefundWithoutReturn,
    /// The buyer did not ship the return: the case ends without a refund.
    CloseNotShipped,
    /// The refund is issued (also instead of a replacement, a repair or an exchange that was
    /// not shipped back in time).
    IssueRefund,
    /// This party's standing proposal was store credit, which silence never accepts: the full
    /// refund is paid in money instead.
    RefundInsteadOfCredit { of: Party },
    /// The buyer did not say the repaired item or the other variant is wrong: it is taken as
    /// right, and the case settles.
    ItemAccepted,
    /// The time to rate the case is over.
    Close,
}

impl AutoAction {
    /// Stable code, the same as the JSON `code` field.
    pub fn code(self) -> &'static str {
        match self {
            AutoAction::CarryOutProposal { .. } => "carry_out_proposal",
            AutoAction::CloseRejected => "close_rejected",
            AutoAction::PlatformStepsIn => "platform_steps_in",
            AutoAction::RefundWithoutReturn => "refund_without_return",
            AutoAction::CloseNotShipped => "close_not_shipped",
            AutoAction::IssueRefund => "issue_refund",
            AutoAction::RefundInsteadOfCredit { .. } => "refund_instead_of_credit",
            AutoAction::ItemAccepted => "item_accepted",
            AutoAction::Close => "close",
        }
    }
}

/// "If `party` does not act by `at`, the system does `then`."
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Deadline {
    pub at: DateTime<Utc>,
    /// Who is expected to act before then.
    pub party: Party,
    pub then: AutoAction,
}

/// Whose move it is: the party that must act before `deadline` for the case not to go on
/// without it. Nobody's while the carrier brings the return back, the refund is being paid or
/// only an optional rating is left, although those steps have deadlines too.
pub fn whose_move(state: CaseState, deadline: Option<&Deadline>) -> Option<Party> {
    let waiting = matches!(
        state,
        CaseState::ReturnInTransit | CaseState::RefundDue | CaseState::Resolved
    );
    deadline.filter(|_| !waiting).map(|d| d.party)
}

/// The next deadline of `case`: `None` only once it is closed.
pub fn next_deadline(case: &Case, policy: &Policy) -> Option<Deadline> {
    let after = |n: u32| case.since + days(n);
    let has = |p| case.proposals.of(p).is_some();
    let deadline = |at, party, then| Some(Deadline { at, party, then });
    // The clock carries out a standing proposal, except store credit: silence ends in money.
    let carry_out = |of: Party| match case.proposals.of(of) {
        Some(p) if p.terms.resolution == Resolution::StoreCredit => {
            AutoAction::RefundInsteadOfCredit { of }
        }
        _ => AutoAction::CarryOutProposal { of },
    };
    match case.state {
        CaseState::AwaitingSeller | CaseState::Negotiating => {
            let party = case.awaiting.unwrap_or(Party::Seller);
            let other = match party {
                Party::Buyer => Party::Seller,
                _ => Party::Buyer,
            };
            let answer_days = if case.state == CaseState::AwaitingSeller {
                policy.seller_answer_days
            } else {
                policy.counter_offer_answer_days
            };
            let turn_ends = after(answer_days);
            // Talks reopened after a failed repair count from then.
            let talks_end =
                case.reopened_at.unwrap_or(case.filed_at) + days(policy.negotiation_days);
            if talks_end < turn_ends {
                deadline(talks_end, party, AutoAction::PlatformStepsIn)
            } else if has(other) {
                deadline(turn_ends, party, carry_out(other))
            } else {
                deadline(turn_ends, party, AutoAction::CloseRejected)
            }
        }
        CaseState::Escalated => {
            let then = match [Party::Platform, Party::Buyer, Party::Seller]
                .into_iter()
                .find(|p| has(*p))
            {
                Some(of) => carry_out(of),
                // A problem reported after agreement and never ruled on: the agreed refund.
                None if case.agreement.is_some() => AutoAction::IssueRefund,
                None => AutoAction::CloseRejected,
            };
            deadline(after(policy.mediation_days), Party::Platform, then)
        }
        CaseState::AwaitingReturnAddress => deadline(
            after(policy.return_address_days),
            Party::Seller,
            AutoAction::RefundWithoutReturn,
        ),
        CaseState::AwaitingReturnShipment => deadline(
            after(policy.buyer_ship_days),
            Party::Buyer,
            AutoAction::CloseNotShipped,
        ),
        CaseState::ReturnInTransit => deadline(
            after(policy.return_transit_days),
            Party::Seller,
            AutoAction::PlatformStepsIn,
        ),
        CaseState::ReturnDelivered => deadline(
            after(policy.seller_confirm_days),
            Party::Seller,
            AutoAction::IssueRefund,
        ),
        CaseState::RefundDue => deadline(
            case.since + TimeDelta::hours(i64::from(policy.refund_issue_hours)),
            Party::Platform,
            AutoAction::IssueRefund,
        ),
        CaseState::ReplacementDue => deadline(
            after(policy.replacement_ship_days),
            Party::Seller,
            AutoAction::IssueRefund,
        ),
        CaseState::RepairDue => deadline(
            after(policy.repair_days),
            Party::Seller,
            AutoAction::IssueRefund,
        ),
        CaseState::AwaitingBuyerConfirmation => deadline(
            after(policy.buyer_check_days),
            Party::Buyer,
            AutoAction::ItemAccepted,
        ),
        CaseState::Resolved => deadline(after(policy.rating_days), Party::Buyer, AutoAction::Close),
        CaseState::Closed => None,
    }
}

/// Carries out, in order, every deadline of `case` that has come by `now` (a case overdue twice
/// moves twice), each at its own deadline's instant. Advancing again at the same `now` changes
/// nothing.
pub fn advance(case: &Case, now: DateTime<Utc>, policy: &Policy) -> (Case, Vec<Event>) {
    let mut case = case.clone();
    let mut events = Vec::new();
    while let Some(due) = next_deadline(&case, policy).filter(|d| d.at <= now) {
        carry_out(&mut case, due.then, due.at);
        case.version += 1;
        events.push(Event {
            at: due.at,
            by: Actor::System,
            what: EventKind::Automatic(due),
            state: case.state,
        });
    }
    (case, events)
}
