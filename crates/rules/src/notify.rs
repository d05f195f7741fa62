//! Who is told of what happens to a case: every event that needs a person reaches the parties
//! it concerns, never the one who acted. The server writes one notice per party it names, in the
//! transaction that records the event.

use crate::case::{Action, CaseState, Event, EventKind};
use crate::eligibility::Party;

/// The parties `event` must reach, the actor left out. `escalated`: whether the platform's
/// mediator is involved in the case (then they hear of the parties' moves too).
pub fn told(event: &Event, escalated: bool) -> Vec<Party> {
    use Party::{Buyer, Platform, Seller};
    let mediator = escalated || event.state == CaseState::Escalated;
    let mut parties: Vec<Party> = match &event.what {
        // A new case: the seller must answer (a filing approved at once needs nobody).
        EventKind::Filed { .. } if event.state == CaseState::AwaitingSeller => vec![Seller],
        EventKind::Filed { .. } => vec![],
        // The clock acted: everyone it concerns learns what it did.
        EventKind::Automatic(_) if mediator => vec![Buyer, Seller, Platform],
        EventKind::Automatic(_) => vec![Buyer, Seller],
        EventKind::Acted(action) => match action {
            // Talks: the other side, and the mediator once involved.
            Action::Propose(_)
            | Action::WithdrawProposal
            | Action::Accept { .. }
            | Action::Reject { .. }
            | Action::Withdraw
            | Action::Escalate
            | Action::Rule { .. } => {
                let mut all = vec![Buyer, Seller];
                if mediator {
                    all.push(Platform);
                }
                all
            }
            // The next step is the buyer's: to send the goods, or to check what came back.
            Action::GiveReturnAddress { .. }
            | Action::ConfirmReceipt
            | Action::ShipReplacement { .. }
            | Action::ShipRepaired { .. }
            | Action::RefundIssued => vec![Buyer],
            // The next step is the seller's.
            Action::ShipReturn { .. }
            | Action::ReturnDelivered
            | Action::ConfirmItem
            | Action::RepairFailed { .. }
            | Action::Rate { .. } => vec![Seller],
            Action::ReportProblem { .. } => vec![Buyer, Platform],
        },
    };
    // The clock (`Actor::System`) has no party to leave out.
    if let Some(actor) = event.by.party() {
        parties.retain(|p| *p != actor);
    }
    parties
}
