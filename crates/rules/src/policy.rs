//! The marketplace's rules as data: every window and deadline of DOMAIN.md, the goods that cannot
//! be returned, and who pays return shipping. A marketplace sets its own defaults; a seller and a
//! category may override any of them; the whole set loads from a JSON or TOML file.

use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::eligibility::LineSelection;
use crate::money::Money;
use crate::order::{Category, Order};
use crate::reason::Fault;
use crate::shipping::{self, Rate, RateCard};
use crate::Party;

/// Who pays to send goods back, by the side the reason falls on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReturnShipping {
    /// Change of mind and the other buyer's-side reasons.
    pub buyer_side: Party,
    /// Damaged, defective, wrong item and the other seller's-side reasons.
    pub seller_side: Party,
}

impl ReturnShipping {
    /// Who pays return shipping when the reason falls on `fault`'s side.
    pub fn paid_by(self, fault: Fault) -> Party {
        match fault {
            Fault::Buyer => self.buyer_side,
            Fault::Seller => self.seller_side,
        }
    }
}

/// One complete set of rules. Windows counted in days close at the end of that calendar day in
/// the order's time zone; deadlines of a case are exact instants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// "7 days, no reason": buyer's-side reasons, counted from delivery.
    pub change_of_mind_days: u32,
    /// The protection period for seller's-side reasons, counted from delivery.
    pub protection_days: u32,
    /// A "not received" claim opens this long after shipment (or once the promised date passed).
    pub not_received_after_days: u32,
    /// An unmatched group-buy order is refunded after this long.
    pub group_buy_wait_hours: u32,
    /// The seller answers a new request within this, or the buyer's proposal is carried out.
    pub seller_answer_days: u32,
    /// A party answers a counter-offer within this, or the other party's proposal is carried out.
    pub counter_offer_answer_days: u32,
    /// Negotiation without agreement for this long (from filing): the platform steps in.
    pub negotiation_days: u32,
    /// The seller gives a return address within this, or the refund is issued without a return.
    pub return_address_days: u32,
    /// The buyer ships the return within this (from receiving the address), or the case closes
    /// without a refund.
    pub buyer_ship_days: u32,
    /// A return not delivered within this after shipping: the platform steps in.
    pub return_transit_days: u32,
    /// The seller confirms receipt within this after the return is delivered, or the refund is
    /// issued automatically.
    pub seller_confirm_days: u32,
    /// The seller ships an agreed replacement (or the other variant of an exchange) within this,
    /// or the refund is issued instead.
    pub replacement_ship_days: u32,
    /// The seller ships the repaired item back within this after receiving it, or the refund is
    /// issued in full instead.
    #[serde(default = "default_repair_days")]
    pub repair_days: u32,
    /// The buyer says within this that the repaired item or the other variant is wrong, or it is
    /// taken as right.
    #[serde(default = "default_buyer_check_days")]
    pub buyer_check_days: u32,
    /// An escalated case not ruled within this: the platform's proposal is carried out, or the
    /// buyer's when the platform made none.
    pub mediation_days: u32,
    /// An agreed refund is issued within this (0: as soon as the clock runs).
    pub refund_issue_hours: u32,
    /// After the outcome the buyer may rate the case for this long; then the case closes.
    pub rating_days: u32,
    /// Store credit offered instead of a refund is worth the refund plus this many percent
    /// (0 to 100).
    #[serde(default)]
    pub store_credit_bonus_percent: u32,
    /// Goods that cannot be returned for buyer's-side reasons.
    pub non_returnable: Vec<Category>,
    /// Goods that are never sent back: refund only even when the seller is at fault.
    pub perishable: Vec<Category>,
    pub return_shipping: ReturnShipping,
}

impl Default for Policy {
    /// DOMAIN.md's defaults. The deadlines DOMAIN.md leaves open (return address, transit,
    /// replacement, mediation, refund, rating) are Retour's own.
    fn default() -> Self {
        Policy {
            change_of_mind_days: 7,
            protection_days: 15,
            not_received_after_days: 10,
            group_buy_wait_hours: 24,
            seller_answer_days: 5,
            counter_offer_answer_days: 5,
            negotiation_days: 7,
            return_address_days: 3,
            buyer_ship_days: 10,
            return_transit_days: 30,
            seller_confirm_days: 7,
            replacement_ship_days: 5,
            repair_days: default_repair_days(),
            buyer_check_days: default_buyer_check_days(),
            mediation_days: 7,
            refund_issue_hours: 0,
            rating_days: 30,
            store_credit_bonus_percent: 0,
            non_returnable: vec![
                Category::FreshFood,
                Category::Personalised,
                Category::Digital,
                Category::OpenedHygiene,
            ],
            perishable: vec![Category::FreshFood],
            return_shipping: ReturnShipping {
                buyer_side: Party::Buyer,
                seller_side: Party::Seller,
            },
        }
    }
}

/// Policies written before repairs existed read as if they had said the defaults.
fn default_repair_days() -> u32 {
    15
}

fn default_buyer_check_days() -> u32 {
    7
}

pub(crate) fn days(n: u32) -> TimeDelta {
    TimeDelta::days(i64::from(n))
}

/// The numeric fields of a policy, listed once: checking, overriding and merging walk them all.
macro_rules! durations {
    ($($field:ident),* $(,)?) => {
        /// The names of a policy's windows and deadlines, in the order of its fields.
        pub const DURATION_NAMES: [&str; DURATIONS] = [$(stringify!($field)),*];

        impl Policy {
            /// Each window and deadline, in the order of [`DURATION_NAMES`].
            pub fn durations(&self) -> [u32; DURATIONS] {
                [$(self.$field),*]
            }

            fn durations_mut(&mut self) -> [&mut u32; DURATIONS] {
                [$(&mut self.$field),*]
            }
        }

        impl PolicyOverride {
            fn durations(&self) -> [Option<u32>; DURATIONS] {
                [$(self.$field),*]
            }

            /// Each window and deadline it may set, in the order of [`DURATION_NAMES`].
            pub fn durations_mut(&mut self) -> [&mut Option<u32>; DURATIONS] {
                [$(&mut self.$field),*]
            }
        }
    };
}

/// How many windows and deadlines a policy has.
pub const DURATIONS: usize = 18;

durations!(
    change_of_mind_days,
    protection_days,
    not_received_after_days,
    group_buy_wait_hours,
    seller_answer_days,
    counter_offer_answer_days,
    negotiation_days,
    return_address_days,
    buyer_ship_days,
    return_transit_days,
    seller_confirm_days,
    replacement_ship_days,
    repair_days,
    buyer_check_days,
    mediation_days,
    refund_issue_hours,
    rating_days,
    store_credit_bonus_percent,
);

impl Policy {
    /// Whether goods of `category` may be returned for buyer's-side reasons.
    pub fn is_returnable(&self, category: Category) -> bool {
        !self.non_returnable.contains(&category)
    }

    /// Whether goods of `category` are never sent back (refund only).
    pub fn is_perishable(&self, category: Category) -> bool {
        self.perishable.contains(&category)
    }

    /// The policy for a request whose lines fall in `categories`, from a marketplace policy and
    /// the per-category overrides: each window and deadline is the shortest among the
    /// categories (no line gets more than its own category allows), the lists are joined, and
    /// the seller pays return shipping if any category says so.
    fn for_categories(
        &self,
        overrides: &BTreeMap<Category, PolicyOverride>,
        categories: &[Category],
    ) -> Policy {
        let mut chosen = categories.iter().map(|c| {
            overrides
                .get(c)
                .map_or_else(|| self.clone(), |o| o.applied_to(self))
        });
        let Some(mut merged) = chosen.next() else {
            return self.clone();
        };
        for other in chosen {
            for (field, value) in merged.durations_mut().into_iter().zip(other.durations()) {
                *field = (*field).min(value);
            }
            for c in other.non_returnable {
                if !merged.non_returnable.contains(&c) {
                    merged.non_returnable.push(c);
                }
            }
            for c in other.perishable {
                if !merged.perishable.contains(&c) {
                    merged.perishable.push(c);
                }
            }
            for (mine, theirs) in [
                (
                    &mut merged.return_shipping.buyer_side,
                    other.return_shipping.buyer_side,
                ),
                (
                    &mut merged.return_shipping.seller_side,
                    other.return_shipping.seller_side,
                ),
            ] {
                if theirs == Party::Seller {
                    *mine = Party::Seller;
                }
            }
        }
        merged
    }

    /// Checks the numbers make sense: a deadline of zero would let the clock act before anyone
    /// could (only the refund may be issued at once), and nothing may run past ten years.
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (name, value) in DURATION_NAMES.into_iter().zip(self.durations()) {
            let (min, max) = if name.ends_with("_percent") {
                (0, 100)
            } else if name.ends_with("_hours") {
                (u32::from(name != "refund_issue_hours"), 24 * 3650)
            } else {
                (1, 3650)
            };
            if value < min || value > max {
                return Err(PolicyError::OutOfRange {
                    field: name.to_owned(),
                    value,
                    min,
                    max,
                });
            }
        }
        if self.return_shipping.buyer_side == Party::Platform {
            return Err(PolicyError::Invalid {
                field: "return_shipping.buyer_side".into(),
                problem: "only the buyer or the seller can pay return shipping".into(),
            });
        }
        if self.return_shipping.seller_side == Party::Platform {
            return Err(PolicyError::Invalid {
                field: "return_shipping.seller_side".into(),
                problem: "only the buyer or the seller can pay return shipping".into(),
            });
        }
        Ok(())
    }
}

/// Part of a policy: the fields a seller or a category sets; the rest comes from above.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PolicyOverride {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change_of_mind_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protection_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_received_after_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_buy_wait_hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_answer_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counter_offer_answer_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub negotiation_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_address_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_ship_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_transit_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_confirm_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replacement_ship_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repair_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_check_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediation_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_issue_hours: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating_days: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_credit_bonus_percent: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub non_returnable: Option<Vec<Category>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perishable: Option<Vec<Category>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_shipping: Option<ReturnShipping>,
}

impl PolicyOverride {
    /// The override that turns `base` into `target`: the fields where they differ.
    pub fn between(base: &Policy, target: &Policy) -> PolicyOverride {
        let mut changes = PolicyOverride::default();
        let pairs = base.durations().into_iter().zip(target.durations());
        for (slot, (from, to)) in changes.durations_mut().into_iter().zip(pairs) {
            *slot = (from != to).then_some(to);
        }
        changes.non_returnable =
            (base.non_returnable != target.non_returnable).then(|| target.non_returnable.clone());
        changes.perishable =
            (base.perishable != target.perishable).then(|| target.perishable.clone());
        changes.return_shipping =
            (base.return_shipping != target.return_shipping).then_some(target.return_shipping);
        changes
    }

    /// Whether this override changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == PolicyOverride::default()
    }

    /// `base` with every field this override sets replaced.
    pub fn applied_to(&self, base: &Policy) -> Policy {
        let mut policy = base.clone();
        for (field, value) in policy.durations_mut().into_iter().zip(self.durations()) {
            if let Some(value) = value {
                *field = value;
            }
        }
        if let Some(list) = &self.non_returnable {
            policy.non_returnable = list.clone();
        }
        if let Some(list) = &self.perishable {
            policy.perishable = list.clone();
        }
        if let Some(shipping) = self.return_shipping {
            policy.return_shipping = shipping;
        }
        policy
    }
}

/// A marketplace's policies: its own defaults, and overrides per seller and per category.
/// A category override wins over a seller's, which wins over the marketplace's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PolicySet {
    /// Changes to DOMAIN.md's defaults for the whole marketplace.
    pub marketplace: PolicyOverride,
    /// By seller (store) id.
    pub sellers: BTreeMap<String, PolicyOverride>,
    pub categories: BTreeMap<Category, PolicyOverride>,
    /// The rate card that prices return parcels; without one no return is quoted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping: Option<RateCard>,
}

/// A policy file that cannot be used, with what is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PolicyError {
    #[error("the policy file is not valid {format}: {message}")]
    Syntax {
        format: &'static str,
        /// The parser's message, with the line and column.
        message: String,
    },
    #[error("{field} is {value}; it must be between {min} and {max}")]
    OutOfRange {
        field: String,
        value: u32,
        min: u32,
        max: u32,
    },
    #[error("{field}: {problem}")]
    Invalid { field: String, problem: String },
}

impl PolicyError {
    /// Stable code for tools and the API.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::Syntax { .. } => "policy_syntax",
            PolicyError::OutOfRange { .. } => "policy_out_of_range",
            PolicyError::Invalid { .. } => "policy_invalid",
        }
    }
}

impl PolicySet {
    /// Reads a policy file in TOML, for example:
    ///
    /// ```toml
    /// [marketplace]
    /// change_of_mind_days = 14
    ///
    /// [sellers.s-kiosko]
    /// seller_answer_days = 3
    ///
    /// [categories.electronics]
    /// protection_days = 30
    /// ```
    pub fn from_toml(text: &str) -> Result<PolicySet, PolicyError> {
        let set: PolicySet = toml::from_str(text).map_err(|e| PolicyError::Syntax {
            format: "TOML",
            message: e.to_string().trim_end().to_owned(),
        })?;
        set.validate()?;
        Ok(set)
    }

    /// Reads a policy file in JSON, with the same fields as [`PolicySet::from_toml`].
    pub fn from_json(text: &str) -> Result<PolicySet, PolicyError> {
        let set: PolicySet = serde_json::from_str(text).map_err(|e| PolicyError::Syntax {
            format: "JSON",
            message: e.to_string(),
        })?;
        set.validate()?;
        Ok(set)
    }

    /// Checks every policy the set can produce, naming the section at fault.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let marketplace = self.marketplace_policy();
        let within = |section: String, policy: Policy| {
            policy.validate().map_err(|e| match e {
                PolicyError::OutOfRange {
                    field,
                    value,
                    min,
                    max,
                } => PolicyError::OutOfRange {
                    field: format!("{section}{field}"),
                    value,
                    min,
                    max,
                },
                PolicyError::Invalid { field, problem } => PolicyError::Invalid {
                    field: format!("{section}{field}"),
                    problem,
                },
                syntax => syntax,
            })
        };
        within("marketplace.".into(), marketplace.clone())?;
        if let Some(card) = &self.shipping {
            card.validate()?;
        }
        for (seller, o) in &self.sellers {
            within(format!("sellers.{seller}."), o.applied_to(&marketplace))?;
        }
        for (category, o) in &self.categories {
            within(
                format!("categories.{}.", category.code()),
                o.applied_to(&marketplace),
            )?;
        }
        Ok(())
    }

    /// DOMAIN.md's defaults with the marketplace's changes.
    pub fn marketplace_policy(&self) -> Policy {
        self.marketplace.applied_to(&Policy::default())
    }

    /// The policy for a request on `seller`'s order whose selected lines fall in `categories`.
    pub fn policy_for(&self, seller: &str, categories: &[Category]) -> Policy {
        self.rules_for(seller, categories, Vec::new())
            .policy(categories)
    }

    /// The rules of every order of `seller`'s: its policy and every category override.
    pub fn for_seller(&self, seller: &str) -> OrderPolicy {
        let every: Vec<Category> = self.categories.keys().copied().collect();
        self.rules_for(seller, &every, Vec::new())
    }

    /// What the browser needs to judge requests on `seller`'s `order` exactly as the server
    /// does: the seller's policy, the overrides of the order's categories, and the prices of the
    /// parcel's way back.
    pub fn for_order(&self, seller: &str, order: &Order) -> OrderPolicy {
        let categories: Vec<Category> = order.lines.iter().map(|l| l.product.category).collect();
        let rates = match (&self.shipping, order.ships_to, order.ships_from) {
            (Some(card), Some(buyer), Some(seller)) => card.rates(buyer, seller, order.currency),
            _ => Vec::new(),
        };
        self.rules_for(seller, &categories, rates)
    }

    fn rules_for(
        &self,
        seller: &str,
        categories: &[Category],
        return_rates: Vec<Rate>,
    ) -> OrderPolicy {
        let marketplace = self.marketplace_policy();
        let base = match self.sellers.get(seller) {
            Some(o) => o.applied_to(&marketplace),
            None => marketplace,
        };
        OrderPolicy {
            changes: PolicyOverride::between(&Policy::default(), &base),
            categories: categories
                .iter()
                .filter_map(|c| Some((*c, self.categories.get(c)?.clone())))
                .collect(),
            return_rates,
        }
    }
}

/// The rules for one order, as the server serves them to the browser: small (only what differs
/// from DOMAIN.md's defaults) and enough to judge any request on that order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct OrderPolicy {
    /// The marketplace's and the seller's changes to the defaults.
    #[serde(skip_serializing_if = "PolicyOverride::is_empty")]
    pub changes: PolicyOverride,
    /// The order's categories that have rules of their own, as changes to the seller's policy.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<Category, PolicyOverride>,
    /// What a return parcel costs by weight, in the order's currency; empty when the rate card
    /// does not price the route.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub return_rates: Vec<Rate>,
}

impl OrderPolicy {
    /// The seller's policy, before any category.
    pub fn seller_policy(&self) -> Policy {
        self.changes.applied_to(&Policy::default())
    }

    /// The policy for a request whose lines fall in `categories`.
    pub fn policy(&self, categories: &[Category]) -> Policy {
        self.seller_policy()
            .for_categories(&self.categories, categories)
    }

    /// The policy and the return shipping quote for a request on `order` for `lines`: what both
    /// the browser and the server judge it with. Lines the order lacks are left to the verdict
    /// to refuse.
    pub fn for_request(&self, order: &Order, lines: &[LineSelection]) -> (Policy, Option<Money>) {
        let categories: Vec<Category> = lines
            .iter()
            .filter_map(|s| Some(order.line(&s.line_id)?.product.category))
            .collect();
        (
            self.policy(&categories),
            shipping::quote(order, lines, &self.return_rates),
        )
    }
}
