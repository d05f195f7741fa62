//! Retour's return rules, shared by the browser (compiled to wasm) and the server (native).
//!
//! Pure Rust: no I/O, no clock (`now` is always an argument), no randomness. Every number is a
//! [`Policy`] default, never a constant in the rules themselves.

pub mod api;
pub mod calendar;
mod case;
mod eligibility;
mod money;
mod order;
mod reason;
mod wire;

pub use case::CaseState;
pub use eligibility::{
    eligibility, Decision, Eligibility, Explanation, LineSelection, Party, Policy, RefundError,
    Resolution, SelectionError, Window,
};
pub use money::{Currency, Money, MoneyError, UnknownCurrency};
pub use order::{Category, Fulfillment, Order, OrderLine, Product};
pub use reason::{Fault, Reason};
pub use wire::parse_rfc3339;
