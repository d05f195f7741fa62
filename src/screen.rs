//! A case as its page reads it.
//!
//! The API's `CaseDetail` flattens the summary into the detail and carries the rules' whole
//! `Case` and timeline. The page reads the same answer as the summary plus the parts it shows,
//! read by hand (`crate::decode`) into the rules crate's own types: states, parties, money,
//! instants, deadlines, outcomes, tracking numbers. A browser test decodes the server's own
//! `CaseDetail`, serialised by serde, and compares.

use chrono::{DateTime, Utc};
use rules::api::{CaseView, EvidenceView, MessageView, ParcelEvent};
use rules::{
    with_bonus, ActionKind, Agreement, AutoAction, CaseState, Deadline, Limits, Money, Order,
    Party, Permission, Proposals, Rating, Settlement, TrackingNumber, Trigger,
};

use crate::decode::{FromJs, Obj, Read};

/// Everything the case page shows.
#[derive(Clone, Debug)]
pub struct CaseScreen {
    pub summary: CaseView,
    pub parts: CaseParts,
}

/// The parts of `CaseDetail` beside its summary that the page shows.
#[derive(Clone, Debug)]
pub struct CaseParts {
    /// Sent back with every action.
    pub version: u32,
    /// The side the viewer acts for.
    pub viewer: Party,
    pub permissions: Vec<Permission>,
    /// "If `party` does not act by `at`, the clock does `then`."
    pub next_deadline: Option<Deadline>,
    pub case: CaseFacts,
    pub timeline: Vec<TimelineRow>,
    pub messages: Vec<MessageView>,
    /// The buyer's display name.
    pub buyer: String,
    /// The order the case is about.
    pub order: Order,
    /// Every photo and document, in upload order.
    pub evidence: Vec<EvidenceView>,
    /// What carriers said of the order's parcel and the return parcel, oldest first.
    pub parcel: Vec<ParcelEvent>,
    /// How the case was decided, once settled.
    pub settlement: Option<Settlement>,
    /// The code of the store credit the case settled on, for the buyer and the mediator.
    pub credit_code: Option<String>,
}

/// What the page shows of the rules' case.
#[derive(Clone, Debug)]
pub struct CaseFacts {
    pub proposals: Proposals,
    pub rejection: Option<String>,
    /// The plan agreed on, once there is one.
    pub agreement: Option<Agreement>,
    pub return_address: Option<String>,
    /// As stored: already checked by the server.
    pub return_tracking: Option<TrackingNumber>,
    pub rating: Option<Rating>,
    /// What the case may pay at most, in money and in store credit.
    pub limits: Limits,
    /// The variants the returned line may be exchanged for.
    pub exchange_options: Vec<String>,
}

/// One line of the timeline.
#[derive(Clone, Debug)]
pub struct TimelineRow {
    /// Who acted; `None` for the clock.
    pub who: Option<String>,
    pub at: DateTime<Utc>,
    pub what: What,
    /// The state the case was in afterwards.
    pub state: CaseState,
    /// For the clock's entries: what triggered it.
    pub trigger: Option<Trigger>,
}

/// What a timeline event was: the rules' `EventKind` as far as the page names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Filed,
    Acted(ActionKind),
    /// The clock carried out this deadline's consequence.
    Automatic(AutoAction),
}

impl FromJs for What {
    /// `{"filed": …}`, `{"acted": "escalate"}`, `{"acted": {"propose": …}}` or
    /// `{"automatic": {"then": {"code": …}, …}}`: an externally tagged enum.
    fn from_js(o: &Obj) -> Read<Self> {
        if o.opt("filed").is_some() {
            return Ok(What::Filed);
        }
        if let Some(deadline) = o.opt("automatic") {
            return Ok(What::Automatic(deadline.get("then")?));
        }
        let acted = o.obj("acted")?;
        let name = match acted.0.as_string() {
            Some(name) => name,
            None => js_sys::Object::keys(&acted.0.clone().into())
                .get(0)
                .as_string()
                .unwrap_or_default(),
        };
        crate::decode::action(&name)
            .map(What::Acted)
            .ok_or(crate::decode::Wrong("acted"))
    }
}

impl CaseScreen {
    /// Whether the viewer may take `action` now.
    pub fn may(&self, action: ActionKind) -> bool {
        self.parts
            .permissions
            .iter()
            .any(|p| p.party == self.parts.viewer && p.action == action)
    }
}

impl FromJs for CaseScreen {
    fn from_js(o: &Obj) -> Read<Self> {
        let case = o.obj("case")?;
        Ok(CaseScreen {
            summary: FromJs::from_js(o)?,
            parts: CaseParts {
                version: o.count("version")?,
                viewer: o.code("viewer", Party::from_code)?,
                permissions: o.list("permissions")?,
                next_deadline: o.get_opt("next_deadline")?,
                case: CaseFacts {
                    proposals: case.get("proposals")?,
                    rejection: case.opt_text("rejection"),
                    agreement: case.get_opt("agreement")?,
                    return_address: case.opt_text("return_address"),
                    return_tracking: case.get_opt("return_tracking")?,
                    rating: case.get_opt("rating")?,
                    limits: {
                        let refund: Money = case.get("max_refund")?;
                        let bonus = case.maybe("credit_bonus_percent", Obj::count)?;
                        Limits {
                            refund,
                            credit: with_bonus(refund, bonus.unwrap_or(0)),
                        }
                    },
                    exchange_options: case.get_opt("exchange_options")?.unwrap_or_default(),
                },
                timeline: o.list("timeline")?,
                messages: o.list("messages")?,
                buyer: o.text("buyer")?,
                order: o.get("order")?,
                evidence: o.list("evidence")?,
                parcel: o.list("parcel")?,
                settlement: o.get_opt("settlement")?,
                credit_code: o.opt_text("credit_code"),
            },
        })
    }
}

impl FromJs for TimelineRow {
    fn from_js(o: &Obj) -> Read<Self> {
        let event = o.obj("event")?;
        Ok(TimelineRow {
            who: o.opt_text("who"),
            at: event.instant("at")?,
            what: event.get("what")?,
            state: event.code("state", CaseState::from_code)?,
            trigger: o.get_opt("trigger")?,
        })
    }
}
