//! Retour's return rules, shared by the browser (compiled to wasm) and the server (native).
//!
//! Pure Rust: no I/O, no clock (`now` is always an argument), no randomness. Every number is a
//! [`Policy`] default, never a constant in the rules themselves.
//!
//! The parts, in the order a return goes through them:
//! - [`Order`], its lines and [`Fulfillment`]: what was bought and where it is.
//! - [`eligibility`]: may this [`ReturnRequest`] be made now? A verdict with the resolutions
//!   offered, the maximum refund and [`Explanation`]s the UI turns into sentences.
//! - [`file()`] opens a [`Case`]; [`apply`] is every later [`Action`] of a party; both return the
//!   events for the case's timeline.
//! - [`next_deadline`] says who must act by when and what the system does otherwise;
//!   [`advance`] carries out the deadlines that have passed; [`refund_unmatched_group_buy`] is the
//!   clock's refund of a group buy whose group never formed.
//! - [`TrackingNumber`] checks return and replacement tracking numbers.
//! - [`Money`] is integer minor units of a [`Currency`].

pub mod api;
pub mod calendar;
mod case;
mod deadline;
mod eligibility;
mod money;
mod notify;
mod order;
mod policy;
mod reason;
mod settlement;
mod shipping;
mod tracking;
mod wire;

pub use case::{
    apply, exchange_options, file, refund_unmatched_group_buy, with_bonus, Action, ActionKind,
    Actor, Agreement, Case, CaseError, CaseState, Decree, Event, EventKind, Filing, Limits, Offer,
    Outcome, Permission, Proposal, Proposals, Rating, Reached, Terms, ADDRESS_MAX_CHARS,
    TEXT_MAX_CHARS,
};
pub use deadline::{advance, next_deadline, whose_move, AutoAction, Deadline};
pub use eligibility::{
    eligibility, outlook, refund_amount, Decision, Eligibility, Explanation, LineSelection, Party,
    RefundError, Resolution, ReturnRequest, SelectionError, Window,
};
pub use money::{Currency, Money, MoneyError, UnknownCurrency};
pub use notify::told;
pub use order::{Category, Fulfillment, Order, OrderLine, Product};
pub use policy::{
    OrderPolicy, Policy, PolicyError, PolicyOverride, PolicySet, ReturnShipping, DURATIONS,
    DURATION_NAMES,
};
pub use reason::{Fault, Reason};
pub use settlement::{settlement, triggers, Settlement, Trigger};
pub use shipping::{quote, CardBand, Country, NotACountry, Rate, RateCard, Route};
pub use tracking::{Carrier, TrackingError, TrackingNumber};
pub use wire::parse_rfc3339;
