//! A case as its page reads it.
//!
//! The API's `CaseDetail` flattens the summary into the detail and carries the rules' whole
//! `Case` and timeline. The page reads the same answer as the summary plus the few parts it
//! shows, each a plain struct read by hand (`crate::decode`); the tagged values it only names
//! (what happened, how the case ended, what the clock will do) stay the browser's parsed JSON
//! and are read as their codes.

use chrono::{DateTime, Utc};
use rules::api::{CaseView, EvidenceView, MessageView, ParcelEvent};
use rules::{ActionKind, CaseState, Money, Order, Party, Permission, Proposals, Rating};
use wasm_bindgen::JsValue;

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
    pub next_deadline: Option<NextDeadline>,
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
}

/// "If `party` does not act by `at`, the clock does `then`."
#[derive(Clone, Debug)]
pub struct NextDeadline {
    pub at: DateTime<Utc>,
    pub party: Party,
    /// `{"code": "carry_out_proposal", "of": "buyer"}` and the like.
    pub then: JsValue,
}

/// What the page shows of the rules' case.
#[derive(Clone, Debug)]
pub struct CaseFacts {
    pub proposals: Proposals,
    pub rejection: Option<String>,
    pub return_address: Option<String>,
    pub return_tracking: Option<Tracking>,
    /// `{"code": "refunded", "amount": …}` and the like; `null` while open.
    pub outcome: JsValue,
    pub rating: Option<Rating>,
    pub max_refund: Money,
}

/// A tracking number as stored: already checked by the server.
#[derive(Clone, Debug)]
pub struct Tracking {
    /// The carrier's code.
    pub carrier: String,
    pub number: String,
}

/// One line of the timeline.
#[derive(Clone, Debug)]
pub struct TimelineRow {
    /// Who acted; `None` for the clock.
    pub who: Option<String>,
    pub event: EventRow,
}

#[derive(Clone, Debug)]
pub struct EventRow {
    pub at: DateTime<Utc>,
    /// `{"filed": …}`, `{"acted": "escalate"}`, `{"acted": {"propose": …}}` or
    /// `{"automatic": {"then": {"code": …}, …}}`.
    pub what: JsValue,
    pub state: CaseState,
}

/// The only key of a one-key object, or the string itself: an externally tagged enum's variant.
fn variant(value: &JsValue) -> Option<(String, JsValue)> {
    if let Some(name) = value.as_string() {
        return Some((name, JsValue::NULL));
    }
    let object: &js_sys::Object = wasm_bindgen::JsCast::dyn_ref(value)?;
    let key = js_sys::Object::keys(object).get(0).as_string()?;
    let inner = js_sys::Reflect::get(value, &key.as_str().into()).ok()?;
    Some((key, inner))
}

fn field(value: &JsValue, name: &str) -> Option<String> {
    js_sys::Reflect::get(value, &name.into())
        .ok()
        .and_then(|v| v.as_string())
}

/// What the clock does when a deadline passes: its code and, for carrying out a proposal, whose.
pub fn then_of(then: &JsValue) -> (String, Option<Party>) {
    let of = field(then, "of").and_then(|p| Party::from_code(&p));
    (field(then, "code").unwrap_or_default(), of)
}

/// What a timeline event was.
pub enum What {
    Filed,
    Acted(String),
    Automatic(JsValue),
}

impl EventRow {
    pub fn what(&self) -> What {
        match variant(&self.what) {
            Some((kind, inner)) if kind == "acted" => What::Acted(
                variant(&inner)
                    .map(|(action, _)| action)
                    .unwrap_or_default(),
            ),
            Some((kind, inner)) if kind == "automatic" => What::Automatic(
                js_sys::Reflect::get(&inner, &"then".into()).unwrap_or(JsValue::NULL),
            ),
            _ => What::Filed,
        }
    }
}

impl CaseFacts {
    /// How the case ended, as its code; `None` while open.
    pub fn outcome_code(&self) -> Option<String> {
        field(&self.outcome, "code")
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
        let deadline = o.opt("next_deadline");
        let case = o.obj("case")?;
        Ok(CaseScreen {
            summary: FromJs::from_js(o)?,
            parts: CaseParts {
                version: o.count("version")?,
                viewer: o.code("viewer", Party::from_code)?,
                permissions: o.list("permissions")?,
                next_deadline: deadline
                    .map(|d| {
                        Ok::<_, String>(NextDeadline {
                            at: d.instant("at")?,
                            party: d.code("party", Party::from_code)?,
                            then: d.raw("then"),
                        })
                    })
                    .transpose()?,
                case: CaseFacts {
                    proposals: case.get("proposals")?,
                    rejection: case.opt_text("rejection"),
                    return_address: case.opt_text("return_address"),
                    return_tracking: case
                        .opt("return_tracking")
                        .map(|t| {
                            Ok::<_, String>(Tracking {
                                carrier: t.text("carrier")?,
                                number: t.text("number")?,
                            })
                        })
                        .transpose()?,
                    outcome: case.raw("outcome"),
                    rating: case.get_opt("rating")?,
                    max_refund: case.get("max_refund")?,
                },
                timeline: o.list("timeline")?,
                messages: o.list("messages")?,
                buyer: o.text("buyer")?,
                order: o.get("order")?,
                evidence: o.list("evidence")?,
                parcel: o.list("parcel")?,
            },
        })
    }
}

impl FromJs for TimelineRow {
    fn from_js(o: &Obj) -> Read<Self> {
        let event = o.obj("event")?;
        Ok(TimelineRow {
            who: o.opt_text("who"),
            event: EventRow {
                at: event.instant("at")?,
                what: event.raw("what"),
                state: event.code("state", CaseState::from_code)?,
            },
        })
    }
}
