//! The JSON the app sends, written field by field into an object for the browser's
//! `JSON.stringify`: the same shapes as `rules::api`'s types, without compiling serde's
//! serializer and one implementation per type into the bundle.

use js_sys::{Array, Object, Reflect};
use rules::api::{
    AcceptBody, AddressBody, Login, MailPreferences, NewMessage, NewReturn, NoFields, RateBody,
    ReasonBody, RuleBody, TrackingBody,
};
use rules::{Action, Decree, Offer};
use wasm_bindgen::JsValue;

/// A JSON object being written.
pub struct Json(Object);

impl Json {
    pub fn new() -> Self {
        Json(Object::new())
    }

    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }

    /// `value`, or `null` when there is none.
    pub fn maybe(self, key: &str, value: Option<impl Into<JsValue>>) -> Self {
        let value = value.map_or(JsValue::NULL, Into::into);
        self.set(key, value)
    }

    pub fn into_value(self) -> JsValue {
        self.0.into()
    }

    /// The object as JSON text.
    pub fn text(&self) -> String {
        js_sys::JSON::stringify(&self.0)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| "{}".into())
    }
}

impl Default for Json {
    fn default() -> Self {
        Json::new()
    }
}

/// A request body the API reads.
pub trait ToBody {
    fn body(&self) -> Json;
}

impl ToBody for Login {
    fn body(&self) -> Json {
        Json::new()
            .set("email", self.email.as_str())
            .set("password", self.password.as_str())
    }
}

impl ToBody for MailPreferences {
    fn body(&self) -> Json {
        let off: Array = self.off.iter().map(|t| JsValue::from(t.code())).collect();
        Json::new().set("off", off)
    }
}

impl ToBody for NewMessage {
    fn body(&self) -> Json {
        Json::new().set("body", self.body.as_str())
    }
}

impl ToBody for NewReturn {
    fn body(&self) -> Json {
        let lines: Array = self
            .lines
            .iter()
            .map(|l| {
                Json::new()
                    .set("line_id", l.line_id.as_str())
                    .set("quantity", l.quantity)
                    .into_value()
            })
            .collect();
        Json::new()
            .set("order_id", self.order_id.as_str())
            .set("lines", lines)
            .set("reason", self.reason.code())
            .set("resolution", self.resolution.code())
            .maybe(
                "partial_amount_minor",
                self.partial_amount_minor.map(|m| m as f64),
            )
            .maybe("exchange_for", self.exchange_for.as_deref())
            .set("description", self.description.as_str())
            .set("evidence", strings(&self.evidence))
    }
}

/// A list of texts as a JSON array.
fn strings(list: &[String]) -> Array {
    list.iter().map(|s| JsValue::from(s.as_str())).collect()
}

impl ToBody for Offer {
    fn body(&self) -> Json {
        let evidence = strings(&self.evidence);
        Json::new()
            .set("resolution", self.resolution.code())
            .maybe(
                "partial_amount_minor",
                self.partial_amount_minor.map(|m| m as f64),
            )
            .maybe(
                "return_shipping_paid_by",
                self.return_shipping_paid_by.map(|p| p.code()),
            )
            .set("note", self.note.as_str())
            .set("evidence", evidence)
            .maybe("exchange_for", self.exchange_for.as_deref())
    }
}

impl ToBody for AcceptBody {
    fn body(&self) -> Json {
        Json::new().set("of", self.of.code())
    }
}

impl ToBody for NoFields {
    fn body(&self) -> Json {
        Json::new()
    }
}

impl ToBody for RateBody {
    fn body(&self) -> Json {
        Json::new()
            .set("stars", self.stars)
            .set("comment", self.comment.as_str())
    }
}

impl ToBody for TrackingBody {
    fn body(&self) -> Json {
        Json::new().set("tracking_number", self.tracking_number.as_str())
    }
}

impl ToBody for ReasonBody {
    fn body(&self) -> Json {
        Json::new().set("reason", self.reason.as_str())
    }
}

impl ToBody for AddressBody {
    fn body(&self) -> Json {
        Json::new().set("address", self.address.as_str())
    }
}

impl ToBody for RuleBody {
    fn body(&self) -> Json {
        let decree = match &self.decree {
            Decree::Plan(offer) => Json::new()
                .set("plan", offer.body().into_value())
                .into_value(),
            Decree::NoRefund => JsValue::from("no_refund"),
        };
        Json::new()
            .set("decree", decree)
            .set("reason", self.reason.as_str())
    }
}

/// A case action's body is the API type its endpoint reads: the action and its fields travel
/// together, so an action cannot be sent with another action's body.
impl ToBody for Action {
    fn body(&self) -> Json {
        match self {
            Action::Propose(offer) => offer.body(),
            Action::Accept { of } => AcceptBody { of: *of }.body(),
            Action::Reject { reason } | Action::ReportProblem { reason } => ReasonBody {
                reason: reason.clone(),
            }
            .body(),
            Action::Rule { decree, reason } => RuleBody {
                decree: decree.clone(),
                reason: reason.clone(),
            }
            .body(),
            Action::GiveReturnAddress { address } => AddressBody {
                address: address.clone(),
            }
            .body(),
            Action::ShipReturn { tracking }
            | Action::ShipReplacement { tracking }
            | Action::ShipRepaired { tracking } => TrackingBody {
                tracking_number: tracking.number.clone(),
            }
            .body(),
            Action::Rate { stars, comment } => RateBody {
                stars: *stars,
                comment: comment.clone(),
            }
            .body(),
            Action::WithdrawProposal
            | Action::Escalate
            | Action::ReturnDelivered
            | Action::ConfirmReceipt
            | Action::ConfirmItem
            | Action::RefundIssued
            | Action::Withdraw => NoFields {}.body(),
            Action::RepairFailed { reason, evidence } => ReasonBody {
                reason: reason.clone(),
            }
            .body()
            .set("evidence", strings(evidence)),
        }
    }
}
