//! The API's answers read by hand from the browser's own `JSON.parse`.
//!
//! serde's derived decoders for these types, and the float printing their error messages pull
//! in, were about 45 KB of the bundle (measured with twiggy); a reader here is a few lookups by
//! field name. Every enum is read through the rules crate's own `from_code`, so a code the app
//! does not know is an error, never a guess.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use js_sys::{Array, Reflect};
use rules::api::{
    BuyerRisk, CaseLine, CaseView, CodeCount, CreditView, EvidenceView, Leg, LineCase,
    MailPreferences, MessageView, NoticeView, Notices, OrderView, ParcelEvent, ParcelStatus,
    RiskSignals, SavedAddress, SellerRisk, SellerStats, StorePolicy, Topic,
};
use rules::{
    ActionKind, Actor, Agreement, AutoAction, Carrier, CaseState, Category, Country, Currency,
    Deadline, Explanation, Fulfillment, Money, Order, OrderLine, OrderPolicy, Outcome, Party,
    Permission, PolicyOverride, Product, Proposal, Proposals, Rate, Rating, Reached, Reason,
    Resolution, ReturnShipping, Settlement, Terms, TrackingNumber, Trigger, DURATION_NAMES,
};
use wasm_bindgen::JsValue;

/// A reading's result: the value, or which field was wrong.
pub type Read<T> = Result<T, Wrong>;

/// The field that was missing or not what was expected. Just its name, no path: an error is a
/// copy of two words, so every field read compiles to a test and a return, not to a formatted
/// message (decoders are a good part of the bundle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wrong(pub &'static str);

impl std::fmt::Display for Wrong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is missing or not what was expected", self.0)
    }
}

/// A parsed JSON value whose fields are read by name.
#[derive(Clone, Debug)]
pub struct Obj(pub JsValue);

fn wrong(name: &'static str) -> Wrong {
    Wrong(name)
}

impl Obj {
    /// JSON text, parsed by the browser.
    pub fn parse(text: &str) -> Read<Obj> {
        js_sys::JSON::parse(text)
            .map(Obj)
            .map_err(|_| Wrong("JSON"))
    }

    /// The field as it is; `undefined` when absent.
    pub fn raw(&self, name: &str) -> JsValue {
        Reflect::get(&self.0, &name.into()).unwrap_or(JsValue::UNDEFINED)
    }

    /// The field, `None` when absent or `null`.
    pub fn opt(&self, name: &'static str) -> Option<Obj> {
        let value = self.raw(name);
        (!value.is_null() && !value.is_undefined()).then_some(Obj(value))
    }

    pub fn obj(&self, name: &'static str) -> Read<Obj> {
        self.opt(name).ok_or_else(|| wrong(name))
    }

    pub fn opt_text(&self, name: &'static str) -> Option<String> {
        self.raw(name).as_string()
    }

    pub fn text(&self, name: &'static str) -> Read<String> {
        self.opt_text(name).ok_or_else(|| wrong(name))
    }

    /// A whole number (JSON numbers are doubles: exact up to 2^53, far beyond any amount).
    pub fn int(&self, name: &'static str) -> Read<i64> {
        self.raw(name)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
            .map(|n| n as i64)
            .ok_or_else(|| wrong(name))
    }

    pub fn count(&self, name: &'static str) -> Read<u32> {
        u32::try_from(self.int(name)?).map_err(|_| wrong(name))
    }

    /// A whole number that cannot be negative: a total, a size, a rate.
    pub fn unsigned(&self, name: &'static str) -> Read<u64> {
        u64::try_from(self.int(name)?).map_err(|_| wrong(name))
    }

    pub fn flag(&self, name: &'static str) -> Read<bool> {
        self.raw(name).as_bool().ok_or_else(|| wrong(name))
    }

    /// An enum by its stable code.
    pub fn code<T>(&self, name: &'static str, from_code: fn(&str) -> Option<T>) -> Read<T> {
        self.opt_text(name)
            .and_then(|c| from_code(&c))
            .ok_or_else(|| wrong(name))
    }

    /// An RFC 3339 instant, through the rules' own parser.
    pub fn instant(&self, name: &'static str) -> Read<DateTime<Utc>> {
        self.opt_text(name)
            .and_then(|t| rules::parse_rfc3339(&t))
            .ok_or_else(|| wrong(name))
    }

    /// A field that may be missing or null, read by `read` (one of the readers above) when it
    /// is there.
    pub fn maybe<T>(
        &self,
        name: &'static str,
        read: impl FnOnce(&Obj, &'static str) -> Read<T>,
    ) -> Read<Option<T>> {
        self.opt(name).map(|_| read(self, name)).transpose()
    }

    pub fn get<T: FromJs>(&self, name: &'static str) -> Read<T> {
        T::from_js(&self.obj(name)?)
    }

    pub fn get_opt<T: FromJs>(&self, name: &'static str) -> Read<Option<T>> {
        match self.opt(name) {
            None => Ok(None),
            Some(o) => T::from_js(&o).map(Some),
        }
    }

    /// Each element of the array in this value.
    pub fn items<T: FromJs>(&self) -> Read<Vec<T>> {
        let array: &Array = wasm_bindgen::JsCast::dyn_ref(&self.0).ok_or(Wrong("list"))?;
        // A plain loop: collecting into a `Result` compiled an adapter per element type.
        let mut items = Vec::with_capacity(array.length() as usize);
        for v in array.iter() {
            items.push(T::from_js(&Obj(v))?);
        }
        Ok(items)
    }

    pub fn list<T: FromJs>(&self, name: &'static str) -> Read<Vec<T>> {
        self.obj(name)?.items()
    }
}

/// A value the app reads from the API's JSON.
pub trait FromJs: Sized {
    fn from_js(o: &Obj) -> Read<Self>;
}

impl<T: FromJs> FromJs for Vec<T> {
    fn from_js(o: &Obj) -> Read<Self> {
        o.items()
    }
}

impl FromJs for Obj {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(o.clone())
    }
}

impl FromJs for String {
    fn from_js(o: &Obj) -> Read<Self> {
        o.0.as_string().ok_or_else(|| wrong("text"))
    }
}

fn currency(code: &str) -> Option<Currency> {
    code.parse().ok()
}

pub(crate) fn action(code: &str) -> Option<ActionKind> {
    ActionKind::ALL.into_iter().find(|a| a.code() == code)
}

impl FromJs for Money {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Money::new(o.int("minor")?, o.code("currency", currency)?))
    }
}

impl FromJs for Explanation {
    fn from_js(o: &Obj) -> Read<Self> {
        use Explanation as E;
        let at = |name| o.instant(name);
        Ok(match o.text("code")?.as_str() {
            "cancel_before_shipment" => E::CancelBeforeShipment,
            "group_buy_waiting" => E::GroupBuyWaiting {
                opens_at: at("opens_at")?,
            },
            "group_buy_unmatched" => E::GroupBuyUnmatched {
                since: at("since")?,
            },
            "in_transit" => E::InTransit {
                not_received_opens_at: at("not_received_opens_at")?,
            },
            "not_received_opens_at" => E::NotReceivedOpensAt {
                opens_at: at("opens_at")?,
            },
            "not_received_open" => E::NotReceivedOpen {
                opened_at: at("opened_at")?,
            },
            "change_of_mind_window" => E::ChangeOfMindWindow {
                closes_at: at("closes_at")?,
            },
            "change_of_mind_closed" => E::ChangeOfMindClosed {
                closed_at: at("closed_at")?,
            },
            "protection_window" => E::ProtectionWindow {
                closes_at: at("closes_at")?,
            },
            "protection_closed" => E::ProtectionClosed {
                closed_at: at("closed_at")?,
            },
            "non_returnable" => E::NonReturnable {
                category: o.code("category", Category::from_code)?,
            },
            "listing_no_returns" => E::ListingNoReturns,
            "seller_fault_still_open" => E::SellerFaultStillOpen {
                closes_at: at("closes_at")?,
            },
            "return_costs_more_than_goods" => E::ReturnCostsMoreThanGoods {
                return_cost: o.get("return_cost")?,
                goods: o.get("goods")?,
            },
            "resolution_not_offered" => E::ResolutionNotOffered {
                wanted: o.code("wanted", Resolution::from_code)?,
            },
            _ => return Err(wrong("code")),
        })
    }
}

impl FromJs for Fulfillment {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(match o.text("state")?.as_str() {
            "not_shipped" => Fulfillment::NotShipped,
            "group_buy_waiting" => Fulfillment::GroupBuyWaiting {
                since: o.instant("since")?,
            },
            "shipped" => Fulfillment::Shipped {
                shipped_at: o.instant("shipped_at")?,
                promised_by: o.maybe("promised_by", Obj::instant)?,
            },
            "delivered" => Fulfillment::Delivered {
                shipped_at: o.instant("shipped_at")?,
                delivered_at: o.instant("delivered_at")?,
            },
            _ => return Err(wrong("state")),
        })
    }
}

impl FromJs for OrderLine {
    fn from_js(o: &Obj) -> Read<Self> {
        let product = o.obj("product")?;
        Ok(OrderLine {
            id: o.text("id")?,
            product: Product {
                title: product.text("title")?,
                category: product.code("category", Category::from_code)?,
                no_returns: product.flag("no_returns")?,
            },
            quantity: o.count("quantity")?,
            unit_price: o.get("unit_price")?,
            weight_grams: o.maybe("weight_grams", Obj::count)?,
            variant: o.opt_text("variant"),
            variants: o.get_opt("variants")?.unwrap_or_default(),
        })
    }
}

impl FromJs for Order {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Order {
            id: o.text("id")?,
            placed_at: o.instant("placed_at")?,
            utc_offset_minutes: o
                .maybe("utc_offset_minutes", Obj::int)?
                .unwrap_or(0)
                .try_into()
                .map_err(|_| wrong("utc_offset_minutes"))?,
            currency: o.code("currency", currency)?,
            lines: o.list("lines")?,
            shipping: o.get("shipping")?,
            fulfillment: o.get("fulfillment")?,
            ships_from: o.maybe("ships_from", country)?,
            ships_to: o.maybe("ships_to", country)?,
        })
    }
}

impl FromJs for OrderView {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(OrderView {
            store: o.text("store")?,
            store_id: o.text("store_id")?,
            order: o.get("order")?,
            policy: o.get_opt("policy")?.unwrap_or_default(),
            cases: o.get_opt("cases")?.unwrap_or_default(),
        })
    }
}

impl FromJs for LineCase {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(LineCase {
            line_id: o.text("line_id")?,
            case_id: o.text("case_id")?,
            number: o.unsigned("number")?,
            state: o.code("state", CaseState::from_code)?,
        })
    }
}

impl FromJs for CodeCount {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(CodeCount {
            code: o.text("code")?,
            count: o.unsigned("count")?,
        })
    }
}

impl FromJs for SellerStats {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(SellerStats {
            from: o.instant("from")?,
            to: o.instant("to")?,
            orders: o.unsigned("orders")?,
            cases: o.unsigned("cases")?,
            return_rate_basis_points: o.unsigned("return_rate_basis_points")?,
            reasons: o.list("reasons")?,
            outcomes: o.list("outcomes")?,
            median_seconds_to_resolution: o.maybe("median_seconds_to_resolution", Obj::int)?,
            automatic_actions: o.list("automatic_actions")?,
        })
    }
}

impl FromJs for RiskSignals {
    fn from_js(o: &Obj) -> Read<Self> {
        let buyer = o.obj("buyer")?;
        let seller = o.obj("seller")?;
        Ok(RiskSignals {
            days: o.count("days")?,
            buyer: BuyerRisk {
                cases: buyer.unsigned("cases")?,
                refunded: buyer.unsigned("refunded")?,
                credited: buyer.unsigned("credited")?,
                refund_rate_basis_points: buyer.unsigned("refund_rate_basis_points")?,
            },
            seller: SellerRisk {
                cases: seller.unsigned("cases")?,
                settled: seller.unsigned("settled")?,
                seller_fault: seller.unsigned("seller_fault")?,
                fault_rate_basis_points: seller.unsigned("fault_rate_basis_points")?,
                automatic_actions: seller.unsigned("automatic_actions")?,
            },
        })
    }
}

impl FromJs for CreditView {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(CreditView {
            case_id: o.text("case_id")?,
            number: o.count("number")?,
            code: o.text("code")?,
            amount: o.get("amount")?,
            issued_at: o.instant("issued_at")?,
            store: o.text("store")?,
        })
    }
}

impl FromJs for NoticeView {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(NoticeView {
            id: o.text("id")?,
            case_id: o.text("case_id")?,
            number: o.count("number")?,
            kind: o.text("kind")?,
            actor: o.text("actor")?,
            text: o.text("text")?,
            created_at: o.instant("created_at")?,
            read: o.flag("read")?,
        })
    }
}

impl FromJs for Notices {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Notices {
            unread: o.count("unread")?,
            items: o.list("items")?,
        })
    }
}

impl FromJs for MailPreferences {
    fn from_js(o: &Obj) -> Read<Self> {
        let mut off = Vec::new();
        for code in o.list::<String>("off")? {
            off.push(Topic::from_code(&code).ok_or(Wrong("off"))?);
        }
        Ok(MailPreferences { off })
    }
}

impl FromJs for SavedAddress {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(SavedAddress {
            store: o.text("store")?,
            address: o.text("address")?,
        })
    }
}

impl FromJs for StorePolicy {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(StorePolicy {
            store_id: o.text("store_id")?,
            store: o.text("store")?,
            policy: o.get("policy")?,
        })
    }
}

fn country(o: &Obj, name: &'static str) -> Read<Country> {
    o.code(name, |c| Country::parse(c).ok())
}

fn categories(o: &Obj, name: &'static str) -> Read<Vec<Category>> {
    o.list::<String>(name)?
        .iter()
        .map(|c| Category::from_code(c).ok_or_else(|| wrong(name)))
        .collect()
}

impl FromJs for PolicyOverride {
    fn from_js(o: &Obj) -> Read<Self> {
        let mut changes = PolicyOverride::default();
        for (name, slot) in DURATION_NAMES.into_iter().zip(changes.durations_mut()) {
            *slot = o.maybe(name, Obj::count)?;
        }
        changes.non_returnable = o.maybe("non_returnable", categories)?;
        changes.perishable = o.maybe("perishable", categories)?;
        changes.return_shipping = o
            .get_opt::<Obj>("return_shipping")?
            .map(|r| {
                Ok::<_, Wrong>(ReturnShipping {
                    buyer_side: r.code("buyer_side", Party::from_code)?,
                    seller_side: r.code("seller_side", Party::from_code)?,
                })
            })
            .transpose()?;
        Ok(changes)
    }
}

impl FromJs for Rate {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Rate {
            up_to_grams: o.count("up_to_grams")?,
            price: o.get("price")?,
        })
    }
}

impl FromJs for OrderPolicy {
    fn from_js(o: &Obj) -> Read<Self> {
        let mut by_category = BTreeMap::new();
        if let Some(map) = o.opt("categories") {
            for key in js_sys::Object::keys(&map.0.clone().into()).iter() {
                let code = key.as_string().unwrap_or_default();
                let category = Category::from_code(&code).ok_or_else(|| wrong("categories"))?;
                by_category.insert(category, FromJs::from_js(&Obj(map.raw(&code)))?);
            }
        }
        Ok(OrderPolicy {
            changes: o.get_opt("changes")?.unwrap_or_default(),
            categories: by_category,
            return_rates: o.get_opt("return_rates")?.unwrap_or_default(),
        })
    }
}

impl FromJs for CaseLine {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(CaseLine {
            line_id: o.text("line_id")?,
            title: o.text("title")?,
            quantity: o.count("quantity")?,
        })
    }
}

impl FromJs for CaseView {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(CaseView {
            id: o.text("id")?,
            number: o.unsigned("number")?,
            order_id: o.text("order_id")?,
            store: o.text("store")?,
            state: o.code("state", CaseState::from_code)?,
            reason: o.code("reason", Reason::from_code)?,
            resolution: o.code("resolution", Resolution::from_code)?,
            refund: o.get("refund")?,
            description: o.text("description")?,
            explanation: o.get("explanation")?,
            lines: o.list("lines")?,
            created_at: o.instant("created_at")?,
        })
    }
}

impl FromJs for Terms {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Terms {
            resolution: o.code("resolution", Resolution::from_code)?,
            refund: o.get("refund")?,
            return_shipping_paid_by: o.maybe("return_shipping_paid_by", |o, n| {
                o.code(n, Party::from_code)
            })?,
            credit: o.get_opt("credit")?,
            exchange_for: o.opt_text("exchange_for"),
        })
    }
}

impl FromJs for Agreement {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Agreement {
            terms: o.get("terms")?,
            proposed_by: o.code("proposed_by", Party::from_code)?,
            reached: o.code("reached", Reached::from_code)?,
        })
    }
}

impl FromJs for Settlement {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Settlement {
            outcome: o.get("outcome")?,
            agreement: o.get_opt("agreement")?,
            decided_by: o.code("decided_by", Actor::from_code)?,
            decided_at: o.instant("decided_at")?,
            reasons: o.opt_text("reasons"),
        })
    }
}

impl FromJs for Trigger {
    fn from_js(o: &Obj) -> Read<Self> {
        let party = o.maybe("party", |o, n| o.code(n, Party::from_code))?;
        Trigger::from_code(&o.text("code")?, party).ok_or_else(|| wrong("code"))
    }
}

impl FromJs for Proposal {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Proposal {
            by: o.code("by", Party::from_code)?,
            terms: o.get("terms")?,
            note: o.text("note")?,
            evidence: o.list("evidence")?,
            made_at: o.instant("made_at")?,
        })
    }
}

impl FromJs for Proposals {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Proposals {
            buyer: o.get_opt("buyer")?,
            seller: o.get_opt("seller")?,
            platform: o.get_opt("platform")?,
        })
    }
}

impl FromJs for AutoAction {
    fn from_js(o: &Obj) -> Read<Self> {
        use AutoAction as A;
        Ok(match o.text("code")?.as_str() {
            "carry_out_proposal" => A::CarryOutProposal {
                of: o.code("of", Party::from_code)?,
            },
            "close_rejected" => A::CloseRejected,
            "platform_steps_in" => A::PlatformStepsIn,
            "refund_without_return" => A::RefundWithoutReturn,
            "close_not_shipped" => A::CloseNotShipped,
            "issue_refund" => A::IssueRefund,
            "refund_instead_of_credit" => A::RefundInsteadOfCredit {
                of: o.code("of", Party::from_code)?,
            },
            "item_accepted" => A::ItemAccepted,
            "close" => A::Close,
            _ => return Err(wrong("code")),
        })
    }
}

impl FromJs for Deadline {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Deadline {
            at: o.instant("at")?,
            party: o.code("party", Party::from_code)?,
            then: o.get("then")?,
        })
    }
}

impl FromJs for Outcome {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(match o.text("code")?.as_str() {
            "refunded" => Outcome::Refunded {
                amount: o.get("amount")?,
            },
            "replaced" => Outcome::Replaced,
            "repaired" => Outcome::Repaired,
            "exchanged" => Outcome::Exchanged,
            "credited" => Outcome::Credited {
                amount: o.get("amount")?,
            },
            "withdrawn" => Outcome::Withdrawn,
            "rejected" => Outcome::Rejected,
            "return_not_shipped" => Outcome::ReturnNotShipped,
            "ruled_no_refund" => Outcome::RuledNoRefund,
            _ => return Err(wrong("code")),
        })
    }
}

impl FromJs for TrackingNumber {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(TrackingNumber {
            carrier: o.code("carrier", Carrier::from_code)?,
            number: o.text("number")?,
        })
    }
}

impl FromJs for Permission {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Permission {
            party: o.code("party", Party::from_code)?,
            action: o.code("action", action)?,
        })
    }
}

impl FromJs for Rating {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Rating {
            stars: u8::try_from(o.int("stars")?).map_err(|_| wrong("stars"))?,
            comment: o.text("comment")?,
        })
    }
}

impl FromJs for MessageView {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(MessageView {
            id: o.text("id")?,
            party: o.code("party", Party::from_code)?,
            author: o.text("author")?,
            body: o.text("body")?,
            sent_at: o.instant("sent_at")?,
        })
    }
}

impl FromJs for ParcelEvent {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(ParcelEvent {
            leg: o.code("leg", Leg::from_code)?,
            tracking_number: o.text("tracking_number")?,
            status: o.code("status", ParcelStatus::from_code)?,
            at: o.instant("at")?,
            location: o.text("location")?,
        })
    }
}

impl FromJs for EvidenceView {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(EvidenceView {
            id: o.text("id")?,
            party: o.code("party", Party::from_code)?,
            url: o.text("url")?,
            sha256: o.text("sha256")?,
            content_type: o.text("content_type")?,
            size_bytes: o.unsigned("size_bytes")?,
            width: o.count("width")?,
            height: o.count("height")?,
            file_name: o.text("file_name")?,
            uploaded_at: o.instant("uploaded_at")?,
        })
    }
}
