//! Cheap deserialisation for the internally tagged enums. serde's derive for `#[serde(tag)]`
//! buffers the input and repeats every field's parser per variant, which costs the browser
//! bundle tens of kilobytes; reading one flat struct and converting keeps the same JSON.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::calendar::{days_from_civil, days_in_month};
use crate::eligibility::{Explanation, Resolution};
use crate::money::Money;
use crate::order::{Category, Fulfillment};

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum ExplanationCode {
    CancelBeforeShipment,
    GroupBuyWaiting,
    GroupBuyUnmatched,
    InTransit,
    NotReceivedOpensAt,
    NotReceivedOpen,
    ChangeOfMindWindow,
    ChangeOfMindClosed,
    ProtectionWindow,
    ProtectionClosed,
    NonReturnable,
    ListingNoReturns,
    SellerFaultStillOpen,
    ReturnCostsMoreThanGoods,
    ResolutionNotOffered,
}

/// Every parameter any explanation has; each variant takes the ones it needs.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct ExplanationWire {
    code: ExplanationCode,
    #[serde(default, deserialize_with = "optional_instant")]
    opens_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    closes_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    opened_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    closed_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    since: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    not_received_opens_at: Option<DateTime<Utc>>,
    category: Option<Category>,
    return_cost: Option<Money>,
    goods: Option<Money>,
    wanted: Option<Resolution>,
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{field}`"))
}

impl TryFrom<ExplanationWire> for Explanation {
    type Error = String;

    fn try_from(w: ExplanationWire) -> Result<Self, String> {
        use ExplanationCode as C;
        Ok(match w.code {
            C::CancelBeforeShipment => Explanation::CancelBeforeShipment,
            C::GroupBuyWaiting => Explanation::GroupBuyWaiting {
                opens_at: required(w.opens_at, "opens_at")?,
            },
            C::GroupBuyUnmatched => Explanation::GroupBuyUnmatched {
                since: required(w.since, "since")?,
            },
            C::InTransit => Explanation::InTransit {
                not_received_opens_at: required(w.not_received_opens_at, "not_received_opens_at")?,
            },
            C::NotReceivedOpensAt => Explanation::NotReceivedOpensAt {
                opens_at: required(w.opens_at, "opens_at")?,
            },
            C::NotReceivedOpen => Explanation::NotReceivedOpen {
                opened_at: required(w.opened_at, "opened_at")?,
            },
            C::ChangeOfMindWindow => Explanation::ChangeOfMindWindow {
                closes_at: required(w.closes_at, "closes_at")?,
            },
            C::ChangeOfMindClosed => Explanation::ChangeOfMindClosed {
                closed_at: required(w.closed_at, "closed_at")?,
            },
            C::ProtectionWindow => Explanation::ProtectionWindow {
                closes_at: required(w.closes_at, "closes_at")?,
            },
            C::ProtectionClosed => Explanation::ProtectionClosed {
                closed_at: required(w.closed_at, "closed_at")?,
            },
            C::NonReturnable => Explanation::NonReturnable {
                category: required(w.category, "category")?,
            },
            C::ListingNoReturns => Explanation::ListingNoReturns,
            C::SellerFaultStillOpen => Explanation::SellerFaultStillOpen {
                closes_at: required(w.closes_at, "closes_at")?,
            },
            C::ReturnCostsMoreThanGoods => Explanation::ReturnCostsMoreThanGoods {
                return_cost: required(w.return_cost, "return_cost")?,
                goods: required(w.goods, "goods")?,
            },
            C::ResolutionNotOffered => Explanation::ResolutionNotOffered {
                wanted: required(w.wanted, "wanted")?,
            },
        })
    }
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum FulfillmentState {
    NotShipped,
    GroupBuyWaiting,
    Shipped,
    Delivered,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub(crate) struct FulfillmentWire {
    state: FulfillmentState,
    #[serde(default, deserialize_with = "optional_instant")]
    since: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    shipped_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    promised_by: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "optional_instant")]
    delivered_at: Option<DateTime<Utc>>,
}

impl TryFrom<FulfillmentWire> for Fulfillment {
    type Error = String;

    fn try_from(w: FulfillmentWire) -> Result<Self, String> {
        Ok(match w.state {
            FulfillmentState::NotShipped => Fulfillment::NotShipped,
            FulfillmentState::GroupBuyWaiting => Fulfillment::GroupBuyWaiting {
                since: required(w.since, "since")?,
            },
            FulfillmentState::Shipped => Fulfillment::Shipped {
                shipped_at: required(w.shipped_at, "shipped_at")?,
                promised_by: w.promised_by,
            },
            FulfillmentState::Delivered => Fulfillment::Delivered {
                shipped_at: required(w.shipped_at, "shipped_at")?,
                delivered_at: required(w.delivered_at, "delivered_at")?,
            },
        })
    }
}

/// Parses an RFC 3339 instant such as `2026-03-12T14:00:00Z`, `2026-03-12T14:00:00.123Z` or
/// `2026-03-12T22:00:00+08:00`. Written by hand because chrono's general parser is a large part
/// of the browser bundle; the tests hold it to chrono's results.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let number = |from: usize, len: usize| -> Option<i64> {
        let digits = b.get(from..from + len)?;
        digits.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let separator = |at: usize, allowed: &[u8]| b.get(at).is_some_and(|c| allowed.contains(c));
    if !(separator(4, b"-")
        && separator(7, b"-")
        && separator(10, b"Tt ")
        && separator(13, b":")
        && separator(16, b":"))
    {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 2)?, number(8, 2)?);
    let (hour, minute, second) = (number(11, 2)?, number(14, 2)?, number(17, 2)?);
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut at = 19;
    let mut nanos = 0u32;
    if b.get(at) == Some(&b'.') {
        let digits = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        // Any precision is allowed; nanoseconds are what we keep.
        let kept = digits.min(9);
        let fraction = u32::try_from(number(at + 1, kept)?).ok()?;
        nanos = fraction * 10u32.pow(9 - kept as u32);
        at += 1 + digits;
    }
    let offset_seconds = match b.get(at..)? {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (hours, minutes) = (number(at + 1, 2)?, number(at + 4, 2)?);
            if hours > 23 || minutes > 59 {
                return None;
            }
            let seconds = hours * 3600 + minutes * 60;
            if *sign == b'-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => return None,
    };
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    DateTime::from_timestamp(local - offset_seconds, nanos)
}

fn instant_field<E: serde::de::Error>(text: &str) -> Result<DateTime<Utc>, E> {
    parse_rfc3339(text)
        .ok_or_else(|| E::custom(format!("`{text}` is not an RFC 3339 date and time")))
}

/// `deserialize_with` for an instant.
pub fn instant<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    instant_field(&String::deserialize(d)?)
}

/// `deserialize_with` for an optional instant (with `#[serde(default)]`).
pub fn optional_instant<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<String>::deserialize(d)?
        .map(|text| instant_field(&text))
        .transpose()
}
