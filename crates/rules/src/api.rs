//! The JSON shapes of Retour's HTTP API: the server sends them, the app reads them, so both are
//! compiled from this one definition.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseState, Decree, Event, Permission};
use crate::deadline::Deadline;
use crate::eligibility::{Explanation, LineSelection, Party, Resolution};
use crate::money::Money;
use crate::order::Order;
use crate::policy::OrderPolicy;
use crate::reason::Reason;
use crate::settlement::{Settlement, Trigger};

/// An order as the buyer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct OrderView {
    pub store: String,
    /// The seller (store) whose policy applies.
    pub store_id: String,
    pub order: Order,
    /// The rules this order is judged by, as the server enforces them.
    #[serde(default)]
    pub policy: OrderPolicy,
    /// The lines that have a return case, each with its case: a line is in one case at most.
    #[serde(default)]
    pub cases: Vec<LineCase>,
}

/// A line of an order that is in a return case, and where that case stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LineCase {
    pub line_id: String,
    pub case_id: String,
    /// The case's short number, as people read it.
    pub number: u64,
    pub state: CaseState,
}

/// One of the seller's stores and the rules its orders are judged by: every category with
/// rules of its own, and no return rates (they depend on where each buyer is).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StorePolicy {
    pub store_id: String,
    pub store: String,
    pub policy: OrderPolicy,
}

/// `POST /api/returns`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewReturn {
    pub order_id: String,
    pub lines: Vec<LineSelection>,
    pub reason: Reason,
    pub resolution: Resolution,
    /// Required for a partial refund: the amount asked for, in the order's minor units.
    #[serde(default)]
    pub partial_amount_minor: Option<i64>,
    /// Required for an exchange: the listing's variant wanted instead.
    #[serde(default)]
    pub exchange_for: Option<String>,
    #[serde(default)]
    pub description: String,
    /// Photos uploaded beforehand (`POST /api/evidence`) that the filing cites; a reason that
    /// needs photos is refused without at least one.
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// One line of a case: which product and how many of its items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseLine {
    pub line_id: String,
    pub title: String,
    pub quantity: u32,
}

/// A return case, as its parties see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseView {
    /// Internal and opaque: addresses and the API use it.
    pub id: String,
    /// What people read, say and type: 3001, 3002… in filing order.
    pub number: u64,
    pub order_id: String,
    pub store: String,
    pub state: CaseState,
    pub reason: Reason,
    pub resolution: Resolution,
    pub refund: Money,
    pub description: String,
    /// The verdict's explanation when the case was filed.
    pub explanation: Explanation,
    pub lines: Vec<CaseLine>,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub created_at: DateTime<Utc>,
}

/// An error answer: a stable code the app translates, and an English message for everyone else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
}

/// Limits that the form and the server both enforce.
pub const DESCRIPTION_MAX_CHARS: usize = crate::TEXT_MAX_CHARS;

/// `POST /api/login`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Login {
    pub email: String,
    pub password: String,
}

/// What a signed-in person is to Retour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Buyer,
    Seller,
    Mediator,
}

impl Role {
    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Role::Buyer => "buyer",
            Role::Seller => "seller",
            Role::Mediator => "mediator",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        [Role::Buyer, Role::Seller, Role::Mediator]
            .into_iter()
            .find(|r| r.code() == code)
    }

    /// The side of a case this role acts for: the mediator acts for the platform.
    pub fn party(self) -> Party {
        match self {
            Role::Buyer => Party::Buyer,
            Role::Seller => Party::Seller,
            Role::Mediator => Party::Platform,
        }
    }
}

/// A store a seller runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StoreRef {
    pub id: String,
    pub name: String,
}

/// `GET /api/me`, and the answer to signing in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Me {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// The sellers' stores; empty for other roles.
    pub stores: Vec<StoreRef>,
    /// Sent back in the `X-CSRF-Token` header of every request that changes something.
    pub csrf_token: String,
}

/// One entry of a case's timeline, as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TimelineEntry {
    /// 1, 2, 3… in the order things happened.
    pub seq: u64,
    /// The signed-in person who acted; `None` for the system.
    pub who: Option<String>,
    pub event: Event,
    /// For the clock's entries: what triggered it (a missed deadline, or a refund paid as
    /// decided).
    #[serde(default)]
    pub trigger: Option<Trigger>,
}

/// A photo or document attached to a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EvidenceView {
    pub id: String,
    /// Which side uploaded it.
    pub party: Party,
    /// Where the parties can fetch it.
    pub url: String,
    /// SHA-256 of the stored bytes, in hex: proof that the file was not changed since.
    pub sha256: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub width: u32,
    pub height: u32,
    pub file_name: String,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub uploaded_at: DateTime<Utc>,
}

/// `POST /api/cases/{id}/messages`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NewMessage {
    pub body: String,
}

/// A message between the parties of a case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MessageView {
    pub id: String,
    pub party: Party,
    pub author: String,
    pub body: String,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub sent_at: DateTime<Utc>,
}

/// A case with everything its parties see: the summary fields of [`CaseView`], the case as the
/// rules keep it, what happens next, who may do what, the timeline, evidence and messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseDetail {
    #[serde(flatten)]
    pub summary: CaseView,
    /// The buyer's display name.
    pub buyer: String,
    /// Send it back with every action: a stale one answers 409 with the current case.
    pub version: u32,
    pub case: Case,
    pub order: Order,
    /// "If `party` does not act by `at`, `then` happens"; `None` once closed.
    pub next_deadline: Option<Deadline>,
    /// Every action the rules allow now, for every party.
    pub permissions: Vec<Permission>,
    /// The side the viewer acts for.
    pub viewer: Party,
    pub timeline: Vec<TimelineEntry>,
    pub evidence: Vec<EvidenceView>,
    pub messages: Vec<MessageView>,
    /// What carriers said of the order's parcel and of the return parcel, oldest first.
    #[serde(default)]
    pub parcel: Vec<ParcelEvent>,
    /// How the case was decided, once it is settled.
    #[serde(default)]
    pub settlement: Option<Settlement>,
    /// The code of the store credit the case settled on: shown to the buyer and the mediator,
    /// never to the seller who honours it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
}

/// `GET /api/credits`: a store credit the buyer holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreditView {
    pub case_id: String,
    /// The case's number, as people say it.
    pub number: u32,
    /// What the buyer gives the store to spend it.
    pub code: String,
    pub amount: Money,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub issued_at: DateTime<Utc>,
    /// The store it is spent in.
    pub store: String,
}

/// Which parcel a carrier's event is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Leg {
    /// The order on its way to the buyer.
    Outbound,
    /// The goods on their way back to the seller.
    Return,
}

impl Leg {
    pub const ALL: [Leg; 2] = [Leg::Outbound, Leg::Return];

    pub fn code(self) -> &'static str {
        match self {
            Leg::Outbound => "outbound",
            Leg::Return => "return",
        }
    }

    pub fn from_code(code: &str) -> Option<Leg> {
        Leg::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// Where a carrier says a parcel is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ParcelStatus {
    Accepted,
    InTransit,
    OutForDelivery,
    Delivered,
    DeliveryFailed,
    ReturnedToSender,
}

impl ParcelStatus {
    pub const ALL: [ParcelStatus; 6] = [
        ParcelStatus::Accepted,
        ParcelStatus::InTransit,
        ParcelStatus::OutForDelivery,
        ParcelStatus::Delivered,
        ParcelStatus::DeliveryFailed,
        ParcelStatus::ReturnedToSender,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ParcelStatus::Accepted => "accepted",
            ParcelStatus::InTransit => "in_transit",
            ParcelStatus::OutForDelivery => "out_for_delivery",
            ParcelStatus::Delivered => "delivered",
            ParcelStatus::DeliveryFailed => "delivery_failed",
            ParcelStatus::ReturnedToSender => "returned_to_sender",
        }
    }

    pub fn from_code(code: &str) -> Option<ParcelStatus> {
        ParcelStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One step of a parcel's journey, as a case's parties see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParcelEvent {
    pub leg: Leg,
    pub tracking_number: String,
    pub status: ParcelStatus,
    pub at: DateTime<Utc>,
    /// Where the carrier saw it, in the carrier's words; may be empty.
    pub location: String,
}

/// One event as a carrier (or a tracking aggregator) sends it to `POST /api/carrier-events`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CarrierEvent {
    /// The carrier's own id of the event: the same id sent again counts once.
    pub id: String,
    pub tracking_number: String,
    pub status: ParcelStatus,
    /// When it happened.
    pub at: DateTime<Utc>,
    #[serde(default)]
    pub location: String,
}

/// The body of `POST /api/carrier-events`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CarrierEvents {
    pub events: Vec<CarrierEvent>,
}

/// What became of a batch of carrier events.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CarrierReceipt {
    /// New events, matched to a parcel Retour knows.
    pub matched: u32,
    /// New events for a tracking number nobody gave yet: kept, matched when it is given.
    pub unmatched: u32,
    /// Events received before, ignored.
    pub duplicates: u32,
}

/// One case in a queue: the summary of [`CaseView`] and what the queue needs to sort and flag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct QueueItem {
    #[serde(flatten)]
    pub summary: CaseView,
    /// The buyer's display name.
    pub buyer: String,
    pub version: u32,
    pub next_deadline: Option<Deadline>,
    /// The next deadline is the viewer's: if they do nothing, the clock acts against them.
    pub needs_my_action: bool,
    /// The platform has been involved.
    pub escalated: bool,
}

/// How many cases of a queue are in one state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct StateCount {
    pub state: CaseState,
    pub count: u64,
}

/// The most cases one page of a queue may hold.
pub const QUEUE_LIMIT_MAX: u32 = 200;

/// The longest search a queue takes, in characters: a number, a name or a title is shorter.
pub const QUEUE_SEARCH_MAX_CHARS: usize = 100;

/// The first screens' API addresses, as the app asks for them: the server names them in the
/// page's `Link` header so they are on their way while the app downloads.
pub mod first {
    /// The buyer's orders.
    pub const ORDERS: &str = "/api/orders";
    /// A queue's first page, unfiltered: the seller's, the mediator's and the buyer's own.
    pub const QUEUE: &str = "/api/cases?limit=25";
    /// Who is signed in.
    pub const SESSION: &str = "/api/session";
    /// The buyer's store credit.
    pub const CREDITS: &str = "/api/credits";
    /// The signed-in person's newest notices.
    pub const NOTICES: &str = "/api/notifications";
    /// The e-mails the signed-in person turned off.
    pub const MAIL: &str = "/api/account/mail";
}

/// A page of a queue. A client that needs only the summaries reads `Queue<CaseView>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Queue<Item = QueueItem> {
    pub items: Vec<Item>,
    /// Pass as `after` for the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// How many cases match the filters other than the state, per state.
    pub counts: Vec<StateCount>,
    /// How many cases match every filter.
    pub total: u64,
}

/// The body of every action on a case: the version the client saw, and the action's fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Versioned<T> {
    pub version: u32,
    #[serde(flatten)]
    pub body: T,
}

/// An action without fields.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoFields {}

/// Accept a standing proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AcceptBody {
    /// Whose proposal.
    pub of: Party,
}

/// Reject, or report a problem with the returned goods: why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReasonBody {
    pub reason: String,
}

/// The repaired item still does not work: why, and the photos (uploaded to the case first) that
/// show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RepairFailedBody {
    pub reason: String,
    pub evidence: Vec<String>,
}

/// The mediator's ruling.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleBody {
    pub decree: Decree,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AddressBody {
    pub address: String,
}

/// A tracking number as typed: the carrier is detected from it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TrackingBody {
    pub tracking_number: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateBody {
    pub stars: u8,
    #[serde(default)]
    pub comment: String,
}

/// A count by code (reason, resolution, automatic action).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CodeCount {
    pub code: String,
    pub count: u64,
}

/// `GET /api/seller/stats`: the seller's returns over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SellerStats {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// Orders placed in the period.
    pub orders: u64,
    /// Cases filed in the period.
    pub cases: u64,
    /// Cases per 10,000 orders of the period (integer arithmetic, the same on every client).
    pub return_rate_basis_points: u64,
    pub reasons: Vec<CodeCount>,
    /// How settled cases ended (`refunded`, `replaced`, `withdrawn`…).
    pub outcomes: Vec<CodeCount>,
    /// Median time from filing to settlement of the cases settled, in seconds.
    pub median_seconds_to_resolution: Option<i64>,
    /// What the clock did because the seller did not act in time.
    pub automatic_actions: Vec<CodeCount>,
}

/// `GET /api/cases/{id}/risk`: what the mediator weighs beside the evidence, counted over the
/// `days` before now. Rates are per 10,000 (integer arithmetic, the same on every client).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RiskSignals {
    pub days: u32,
    pub buyer: BuyerRisk,
    pub seller: SellerRisk,
}

/// The buyer's return history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BuyerRisk {
    /// Cases the buyer filed, with every seller.
    pub cases: u64,
    /// Of them, the ones that ended in a refund.
    pub refunded: u64,
    /// Of them, the ones that ended in store credit.
    #[serde(default)]
    pub credited: u64,
    pub refund_rate_basis_points: u64,
}

/// The seller's record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SellerRisk {
    /// Cases filed on the seller's stores.
    pub cases: u64,
    /// Of them, the ones settled: the cases behind the fault rate.
    pub settled: u64,
    /// Of those, the ones whose outcome established a problem that was the seller's: a ruling
    /// that refunded, replaced, repaired, exchanged or credited, or such a plan the parties
    /// agreed on for a seller-fault reason. A filing's reason alone establishes nothing.
    pub seller_fault: u64,
    /// `seller_fault` per 10,000 settled cases.
    pub fault_rate_basis_points: u64,
    /// Deadlines the seller let pass, so the clock acted.
    pub automatic_actions: u64,
}

/// A return address the seller has given before (or set up), to pick from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SavedAddress {
    pub store: String,
    pub address: String,
}

/// A notice as its recipient sees it in the app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoticeView {
    pub id: String,
    pub case_id: String,
    /// The case's number, as people say it.
    pub number: u32,
    pub kind: String,
    /// Who did it: `buyer`, `seller`, `platform` or `system`.
    pub actor: String,
    /// What it tells, in the reader's language: "Case 3016: the buyer filed the request".
    pub text: String,
    #[serde(deserialize_with = "crate::wire::instant")]
    pub created_at: DateTime<Utc>,
    pub read: bool,
}

/// `GET /api/notifications`: the newest notices and how many are unread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Notices {
    pub unread: u32,
    pub items: Vec<NoticeView>,
}

/// `GET`/`POST /api/account/mail`: the e-mails a person turned off; reminders and what the clock
/// did always go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MailPreferences {
    pub off: Vec<Topic>,
}

/// What a person may turn the e-mails of off. Reminders and what the clock did are always sent:
/// a party who is not told loses by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// A new case on the seller's store.
    NewCases,
    /// Proposals, counter-offers, acceptances, rejections, escalations and rulings.
    Talks,
    Messages,
    /// The goods' way: an address given, a parcel shipped or delivered, receipt confirmed.
    Steps,
    Refunds,
}

impl Topic {
    pub const ALL: [Topic; 5] = [
        Topic::NewCases,
        Topic::Talks,
        Topic::Messages,
        Topic::Steps,
        Topic::Refunds,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Topic::NewCases => "new_cases",
            Topic::Talks => "talks",
            Topic::Messages => "messages",
            Topic::Steps => "steps",
            Topic::Refunds => "refunds",
        }
    }

    pub fn from_code(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Whether notices of this topic ever reach `role` (`rules::told`): only sellers are told
    /// of new cases, only buyers of refunds.
    pub fn concerns(self, role: Role) -> bool {
        match self {
            Topic::NewCases => role == Role::Seller,
            Topic::Refunds => role == Role::Buyer,
            Topic::Talks | Topic::Messages | Topic::Steps => true,
        }
    }

    /// The topic of a notice's kind; `None` for what cannot be turned off.
    pub fn of(kind: &str) -> Option<Topic> {
        Some(match kind {
            "filed" => Topic::NewCases,
            "message" => Topic::Messages,
            "refund_issued" => Topic::Refunds,
            "propose" | "withdraw_proposal" | "accept" | "reject" | "withdraw" | "escalate"
            | "rule" => Topic::Talks,
            k if k.starts_with("auto.") || k == "reminder" => return None,
            _ => Topic::Steps,
        })
    }
}
