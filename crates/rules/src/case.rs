use serde::{Deserialize, Serialize};

use crate::eligibility::{Eligibility, Explanation};

/// Where a return case stands. The full negotiation state machine grows from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Filed; the seller must answer.
    AwaitingSeller,
    /// Approved without the seller (cancelled before shipment, unmatched group buy).
    RefundApproved,
}

impl CaseState {
    pub fn code(self) -> &'static str {
        match self {
            CaseState::AwaitingSeller => "awaiting_seller",
            CaseState::RefundApproved => "refund_approved",
        }
    }

    pub fn from_code(code: &str) -> Option<CaseState> {
        [CaseState::AwaitingSeller, CaseState::RefundApproved]
            .into_iter()
            .find(|s| s.code() == code)
    }

    /// The state a newly filed case starts in, given its (eligible) verdict.
    pub fn on_filing(verdict: &Eligibility) -> CaseState {
        match verdict.explanation {
            Explanation::CancelBeforeShipment | Explanation::GroupBuyUnmatched { .. } => {
                CaseState::RefundApproved
            }
            _ => CaseState::AwaitingSeller,
        }
    }
}
