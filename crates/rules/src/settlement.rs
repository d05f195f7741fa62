//! What a case's timeline tells once it has happened: how a settled case was decided, and why
//! the clock did what it did. Read from the events the rules recorded, so every party, the app
//! and the case file say the same thing.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{
    Action, Actor, Agreement, Case, CaseState, Decree, Event, EventKind, Outcome, Reached,
};
use crate::deadline::AutoAction;
use crate::eligibility::{Explanation, Party};

/// How a settled case was decided: the outcome, the plan carried out, who decided and when, and
/// the mediator's reasons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Settlement {
    pub outcome: Outcome,
    /// The plan that was carried out (its kind, amount and who paid return shipping), when the
    /// parties, the clock or the mediator settled on one.
    pub agreement: Option<Agreement>,
    /// Who decided: the party that accepted or withdrew, the mediator, or the clock.
    pub decided_by: Actor,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub decided_at: DateTime<Utc>,
    /// The mediator's reasons, when the platform ruled.
    pub reasons: Option<String>,
}

/// Why the clock acted: what an automatic timeline entry says triggered it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Trigger {
    /// `party` did not answer the other side in time.
    NoAnswer { party: Party },
    /// The negotiation ran out of time without an agreement.
    TalksOver,
    /// The mediator did not rule in time.
    NoRuling,
    /// The seller gave no return address in time.
    NoReturnAddress,
    /// The buyer did not send the goods back in time.
    ReturnNotSent,
    /// The return parcel was not delivered in time.
    ReturnNotDelivered,
    /// The seller neither confirmed receipt nor reported a problem in time.
    ReceiptNotConfirmed,
    /// The seller did not ship the replacement in time.
    ReplacementNotShipped,
    /// The seller did not ship the repaired item back in time.
    RepairNotShipped,
    /// The buyer did not say the item that came back is wrong in time.
    ItemNotDisputed,
    /// The refund the parties agreed on is paid.
    RefundAgreed,
    /// The refund the mediator ruled is paid.
    RefundRuled,
    /// The refund of a proposal the clock carried out is paid.
    RefundCarriedOut,
    /// The order had not shipped: the refund was approved when filed.
    OrderNotShipped,
    /// The group buy never formed: the system filed and refunded the order.
    GroupNeverFormed,
    /// The time to rate the case is over.
    RatingTimeOver,
}

impl Trigger {
    /// Stable code, the same as the JSON `code` field.
    pub fn code(self) -> &'static str {
        match self {
            Trigger::NoAnswer { .. } => "no_answer",
            Trigger::TalksOver => "talks_over",
            Trigger::NoRuling => "no_ruling",
            Trigger::NoReturnAddress => "no_return_address",
            Trigger::ReturnNotSent => "return_not_sent",
            Trigger::ReturnNotDelivered => "return_not_delivered",
            Trigger::ReceiptNotConfirmed => "receipt_not_confirmed",
            Trigger::ReplacementNotShipped => "replacement_not_shipped",
            Trigger::RepairNotShipped => "repair_not_shipped",
            Trigger::ItemNotDisputed => "item_not_disputed",
            Trigger::RefundAgreed => "refund_agreed",
            Trigger::RefundRuled => "refund_ruled",
            Trigger::RefundCarriedOut => "refund_carried_out",
            Trigger::OrderNotShipped => "order_not_shipped",
            Trigger::GroupNeverFormed => "group_never_formed",
            Trigger::RatingTimeOver => "rating_time_over",
        }
    }

    /// Every trigger but [`Trigger::NoAnswer`], which names a party.
    pub const PLAIN: [Trigger; 15] = [
        Trigger::TalksOver,
        Trigger::NoRuling,
        Trigger::NoReturnAddress,
        Trigger::ReturnNotSent,
        Trigger::ReturnNotDelivered,
        Trigger::ReceiptNotConfirmed,
        Trigger::ReplacementNotShipped,
        Trigger::RepairNotShipped,
        Trigger::ItemNotDisputed,
        Trigger::RefundAgreed,
        Trigger::RefundRuled,
        Trigger::RefundCarriedOut,
        Trigger::OrderNotShipped,
        Trigger::GroupNeverFormed,
        Trigger::RatingTimeOver,
    ];

    /// The trigger with this code (and, for `no_answer`, this party), if any.
    pub fn from_code(code: &str, party: Option<Party>) -> Option<Trigger> {
        match (code, party) {
            ("no_answer", Some(party)) => Some(Trigger::NoAnswer { party }),
            _ => Trigger::PLAIN.into_iter().find(|t| t.code() == code),
        }
    }

    /// Whether a party missed a deadline (the entry then says what the clock did instead),
    /// rather than the clock paying what was decided.
    pub fn is_missed(self) -> bool {
        !matches!(
            self,
            Trigger::RefundAgreed
                | Trigger::RefundRuled
                | Trigger::RefundCarriedOut
                | Trigger::OrderNotShipped
                | Trigger::GroupNeverFormed
        )
    }
}

/// How each agreement so far came about, followed through the events.
fn reached_by(event: &Event) -> Option<Reached> {
    match &event.what {
        EventKind::Filed { .. } if event.state != CaseState::AwaitingSeller => {
            Some(Reached::AtFiling)
        }
        EventKind::Acted(Action::Accept { .. }) => Some(Reached::Accepted),
        EventKind::Acted(Action::Rule {
            decree: Decree::Plan(_),
            ..
        }) => Some(Reached::Ruling),
        EventKind::Automatic(d)
            if matches!(
                d.then,
                AutoAction::CarryOutProposal { .. } | AutoAction::RefundInsteadOfCredit { .. }
            ) =>
        {
            Some(Reached::Automatically)
        }
        _ => None,
    }
}

/// Why the clock acted at each event of `events` (`None` for the parties' own actions), given
/// the case's filing explanation.
pub fn triggers(explanation: &Explanation, events: &[Event]) -> Vec<Option<Trigger>> {
    let mut before = CaseState::AwaitingSeller;
    let mut reached = None;
    events
        .iter()
        .map(|event| {
            let trigger = match &event.what {
                EventKind::Automatic(deadline) => Some(trigger(
                    deadline.then,
                    deadline.party,
                    before,
                    reached,
                    explanation,
                )),
                _ => None,
            };
            reached = reached_by(event).or(reached);
            before = event.state;
            trigger
        })
        .collect()
}

fn trigger(
    then: AutoAction,
    party: Party,
    before: CaseState,
    reached: Option<Reached>,
    explanation: &Explanation,
) -> Trigger {
    match (then, before) {
        (AutoAction::Close, _) => Trigger::RatingTimeOver,
        (_, CaseState::Escalated) => Trigger::NoRuling,
        (AutoAction::PlatformStepsIn, CaseState::ReturnInTransit) => Trigger::ReturnNotDelivered,
        (AutoAction::PlatformStepsIn, _) => Trigger::TalksOver,
        (
            AutoAction::CarryOutProposal { .. }
            | AutoAction::RefundInsteadOfCredit { .. }
            | AutoAction::CloseRejected,
            _,
        ) => Trigger::NoAnswer { party },
        (AutoAction::ItemAccepted, _) => Trigger::ItemNotDisputed,
        (AutoAction::RefundWithoutReturn, _) => Trigger::NoReturnAddress,
        (AutoAction::CloseNotShipped, _) => Trigger::ReturnNotSent,
        (AutoAction::IssueRefund, CaseState::ReturnDelivered) => Trigger::ReceiptNotConfirmed,
        (AutoAction::IssueRefund, CaseState::ReplacementDue) => Trigger::ReplacementNotShipped,
        (AutoAction::IssueRefund, CaseState::RepairDue) => Trigger::RepairNotShipped,
        (AutoAction::IssueRefund, _) => match (reached, explanation) {
            (Some(Reached::AtFiling), Explanation::GroupBuyUnmatched { .. }) => {
                Trigger::GroupNeverFormed
            }
            (Some(Reached::AtFiling), _) => Trigger::OrderNotShipped,
            (Some(Reached::Ruling), _) => Trigger::RefundRuled,
            (Some(Reached::Automatically), _) => Trigger::RefundCarriedOut,
            _ => Trigger::RefundAgreed,
        },
    }
}

/// How `case` was decided, read from its `events`; `None` while it is still open.
pub fn settlement(case: &Case, events: &[Event]) -> Option<Settlement> {
    let outcome = case.outcome?;
    let carried_out = outcome.remedied();
    // The event that decided: the one that reached the agreement carried out, else the one that
    // settled the case without a plan (a withdrawal, a rejection that stood, a ruling of no
    // refund, a return never sent).
    let decisive = match &case.agreement {
        Some(a) if carried_out => events
            .iter()
            .rev()
            .find(|e| reached_by(e) == Some(a.reached)),
        _ => events
            .iter()
            .find(|e| matches!(e.state, CaseState::Resolved | CaseState::Closed)),
    }?;
    let reasons = events.iter().rev().find_map(|e| match &e.what {
        EventKind::Acted(Action::Rule { reason, .. }) => Some(reason.clone()),
        _ => None,
    });
    let ruled = matches!(&decisive.what, EventKind::Acted(Action::Rule { .. }));
    Some(Settlement {
        outcome,
        agreement: case.agreement.clone().filter(|_| carried_out),
        decided_by: decisive.by,
        decided_at: decisive.at,
        reasons: reasons.filter(|_| ruled),
    })
}
