use serde::{Deserialize, Serialize};

/// Whose side a reason falls on: it decides the window, and who pays return shipping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Fault {
    Buyer,
    Seller,
}

/// Why the buyer wants a return or refund. The JSON form (`snake_case`) is the stable code the UI
/// translates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    // The buyer's side.
    WrongItemOrdered,
    WrongAddress,
    NoLongerWanted,
    BetterPriceFound,
    OrderedByMistake,
    // The seller's side.
    NotReceived,
    ArrivedLate,
    DamagedInTransit,
    Defective,
    NotAsDescribed,
    WrongItemSent,
    MissingParts,
    Counterfeit,
}

impl Reason {
    /// Every reason: the buyer's side first, then the seller's.
    pub const ALL: [Reason; 13] = [
        Reason::WrongItemOrdered,
        Reason::WrongAddress,
        Reason::NoLongerWanted,
        Reason::BetterPriceFound,
        Reason::OrderedByMistake,
        Reason::NotReceived,
        Reason::ArrivedLate,
        Reason::DamagedInTransit,
        Reason::Defective,
        Reason::NotAsDescribed,
        Reason::WrongItemSent,
        Reason::MissingParts,
        Reason::Counterfeit,
    ];

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Reason::WrongItemOrdered => "wrong_item_ordered",
            Reason::WrongAddress => "wrong_address",
            Reason::NoLongerWanted => "no_longer_wanted",
            Reason::BetterPriceFound => "better_price_found",
            Reason::OrderedByMistake => "ordered_by_mistake",
            Reason::NotReceived => "not_received",
            Reason::ArrivedLate => "arrived_late",
            Reason::DamagedInTransit => "damaged_in_transit",
            Reason::Defective => "defective",
            Reason::NotAsDescribed => "not_as_described",
            Reason::WrongItemSent => "wrong_item_sent",
            Reason::MissingParts => "missing_parts",
            Reason::Counterfeit => "counterfeit",
        }
    }

    /// The reason with this code, if any.
    pub fn from_code(code: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whose side the reason falls on.
    pub fn fault(self) -> Fault {
        match self {
            Reason::WrongItemOrdered
            | Reason::WrongAddress
            | Reason::NoLongerWanted
            | Reason::BetterPriceFound
            | Reason::OrderedByMistake => Fault::Buyer,
            _ => Fault::Seller,
        }
    }

    /// Whether the seller could put it right by repairing it.
    pub fn repairable(self) -> bool {
        matches!(
            self,
            Reason::DamagedInTransit | Reason::Defective | Reason::MissingParts
        )
    }

    /// Photos are the evidence for anything about the goods themselves.
    pub fn photos_required(self) -> bool {
        matches!(
            self,
            Reason::DamagedInTransit
                | Reason::Defective
                | Reason::NotAsDescribed
                | Reason::WrongItemSent
                | Reason::MissingParts
                | Reason::Counterfeit
        )
    }
}
