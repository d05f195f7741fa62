//! What sending goods back costs: the marketplace's rate card by route and weight, in one
//! currency, converted to an order's currency by the card's own exchange table.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::eligibility::LineSelection;
use crate::money::{Currency, Money};
use crate::order::Order;
use crate::policy::PolicyError;

/// A country, as its ISO 3166-1 alpha-2 code in capitals (`ES`, `CN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Country([u8; 2]);

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Country {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Country".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166-1 alpha-2 country code"
        })
    }
}

/// Not a country code: two capital letters are expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a country code (two capital letters, as ES or CN)")]
pub struct NotACountry(pub String);

impl Country {
    /// The country with this two-letter code.
    pub fn parse(code: &str) -> Result<Country, NotACountry> {
        match code.as_bytes() {
            [a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => Ok(Country([*a, *b])),
            _ => Err(NotACountry(code.to_owned())),
        }
    }

    /// The two-letter code.
    pub fn code(&self) -> &str {
        // Built only from two ASCII capitals.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl TryFrom<String> for Country {
    type Error = NotACountry;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Country::parse(&code)
    }
}

impl From<Country> for String {
    fn from(country: Country) -> String {
        country.code().to_owned()
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One weight band of a route: parcels up to this weight cost this much.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CardBand {
    pub up_to_grams: u32,
    /// In the card's currency, as a decimal: `"12.50"`.
    pub price: String,
}

/// The prices of one route, by weight band, lightest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Where the parcel is sent from (for a return: the buyer's country).
    pub from: Country,
    /// Where it goes (for a return: the seller's country).
    pub to: Country,
    pub bands: Vec<CardBand>,
}

/// The marketplace's rate card: what a parcel costs by route and weight, in one currency, with
/// the rates that convert it to the currencies orders are paid in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RateCard {
    pub currency: Currency,
    /// How much of each currency one unit of the card's currency buys, as a decimal (`"7.82"`).
    #[serde(default)]
    pub exchange: BTreeMap<Currency, String>,
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// What a parcel up to a weight costs, in the order's currency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Rate {
    pub up_to_grams: u32,
    pub price: Money,
}

/// An exchange rate in millionths: `"7.82"` is 7,820,000.
fn millionths(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) || fraction.len() > 6 {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let fraction: u64 = format!("{fraction:0<6}").parse().ok()?;
    whole.checked_mul(1_000_000)?.checked_add(fraction)
}

impl RateCard {
    /// Checks every price, weight and rate, naming the one at fault.
    pub fn validate(&self) -> Result<(), PolicyError> {
        let invalid = |field: String, problem: &str| PolicyError::Invalid {
            field,
            problem: problem.to_owned(),
        };
        for (currency, rate) in &self.exchange {
            if millionths(rate).is_none_or(|r| r == 0 || r > 1_000_000_000_000) {
                return Err(invalid(
                    format!("shipping.exchange.{currency}"),
                    &format!("{rate:?} is not a rate: a decimal above 0 with at most 6 decimals, as \"7.82\""),
                ));
            }
        }
        for (i, route) in self.routes.iter().enumerate() {
            let at = format!("shipping.routes[{i}] ({} to {})", route.from, route.to);
            if self.routes[..i]
                .iter()
                .any(|r| r.from == route.from && r.to == route.to)
            {
                return Err(invalid(at, "the same route is priced twice"));
            }
            if route.bands.is_empty() {
                return Err(invalid(at, "a route needs at least one weight band"));
            }
            let mut lighter = 0;
            for (j, band) in route.bands.iter().enumerate() {
                if band.up_to_grams <= lighter {
                    return Err(PolicyError::OutOfRange {
                        field: format!("{at}.bands[{j}].up_to_grams"),
                        value: band.up_to_grams,
                        min: lighter + 1,
                        max: u32::MAX,
                    });
                }
                lighter = band.up_to_grams;
                if Money::parse(&band.price, self.currency).is_err() {
                    return Err(invalid(
                        format!("{at}.bands[{j}].price"),
                        &format!(
                            "{:?} is not an amount in {} (a decimal, as \"12.50\")",
                            band.price, self.currency
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// `price` converted to `currency`, rounded to the nearest minor unit; `None` without a rate.
    fn convert(&self, price: Money, currency: Currency) -> Option<Money> {
        if currency == self.currency {
            return Some(price);
        }
        let rate = i128::from(millionths(self.exchange.get(&currency)?)?);
        let scale = |c: Currency| 10i128.pow(c.minor_units());
        let numerator = i128::from(price.minor) * rate * scale(currency);
        let denominator = 1_000_000 * scale(price.currency);
        let minor = (numerator + denominator / 2) / denominator;
        Some(Money::new(i64::try_from(minor).ok()?, currency))
    }

    /// The prices of sending a parcel from `from` to `to`, in `currency`: empty when the card
    /// has no such route or no rate for the currency.
    pub fn rates(&self, from: Country, to: Country, currency: Currency) -> Vec<Rate> {
        let Some(route) = self.routes.iter().find(|r| r.from == from && r.to == to) else {
            return Vec::new();
        };
        route
            .bands
            .iter()
            .map(|band| {
                let price = Money::parse(&band.price, self.currency).ok()?;
                Some(Rate {
                    up_to_grams: band.up_to_grams,
                    price: self.convert(price, currency)?,
                })
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    }
}

/// What sending these lines back costs by `rates`: the lightest band their weight fits in.
/// `None` when a line's weight is unknown, the parcel is heavier than every band, or there are
/// no rates for the route.
pub fn quote(order: &Order, lines: &[LineSelection], rates: &[Rate]) -> Option<Money> {
    let mut grams: u64 = 0;
    for selection in lines {
        let weight = order.line(&selection.line_id)?.weight_grams?;
        grams = grams.checked_add(u64::from(weight) * u64::from(selection.quantity))?;
    }
    rates
        .iter()
        .find(|r| u64::from(r.up_to_grams) >= grams)
        .map(|r| r.price)
}
