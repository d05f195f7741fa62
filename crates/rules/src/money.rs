use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An ISO 4217 currency Retour trades in. The minor units differ: JPY has none, KWD has three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Currency {
    USD,
    EUR,
    GBP,
    CNY,
    JPY,
    KRW,
    MXN,
    BRL,
    KWD,
}

impl Currency {
    /// Every currency Retour trades in.
    pub const ALL: [Currency; 9] = [
        Currency::USD,
        Currency::EUR,
        Currency::GBP,
        Currency::CNY,
        Currency::JPY,
        Currency::KRW,
        Currency::MXN,
        Currency::BRL,
        Currency::KWD,
    ];

    /// The ISO 4217 alphabetic code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::USD => "USD",
            Currency::EUR => "EUR",
            Currency::GBP => "GBP",
            Currency::CNY => "CNY",
            Currency::JPY => "JPY",
            Currency::KRW => "KRW",
            Currency::MXN => "MXN",
            Currency::BRL => "BRL",
            Currency::KWD => "KWD",
        }
    }

    /// Digits after the decimal point, per ISO 4217.
    pub fn minor_units(self) -> u32 {
        match self {
            Currency::JPY | Currency::KRW => 0,
            Currency::KWD => 3,
            _ => 2,
        }
    }
}

/// A currency code Retour does not trade in.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown currency code {0:?}")]
pub struct UnknownCurrency(pub String);

impl FromStr for Currency {
    type Err = UnknownCurrency;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| UnknownCurrency(s.to_owned()))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why an amount could not be read or computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("not an amount: use digits and one decimal separator")]
    NotAnAmount,
    #[error("{currency} has {minor_units} decimal places at most")]
    TooManyDecimals {
        currency: Currency,
        minor_units: u32,
    },
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
    #[error("amount out of range")]
    Overflow,
}

/// An amount in integer minor units (cents, fen, yen) of one currency. `i64`, never a float and
/// never `usize` (32-bit on wasm).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    /// `minor` units (cents, fen, yen) of `currency`.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Nothing, in `currency`.
    pub fn zero(currency: Currency) -> Self {
        Money::new(0, currency)
    }

    /// The sum, or an error for different currencies or an overflow.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(self.currency, other.currency));
        }
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// `quantity` times this amount, or an error on overflow.
    pub fn checked_mul(self, quantity: u32) -> Result<Money, MoneyError> {
        let minor = self
            .minor
            .checked_mul(i64::from(quantity))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// Parses an amount as a person types it: `"12.5"`, `"12,50"` (a comma is the decimal
    /// separator in much of the world), `"1500"`. No thousands separators, no sign.
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let text = text.trim();
        let (whole, fraction) = match text.find(['.', ',']) {
            Some(i) => (&text[..i], &text[i + 1..]),
            None => (text, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(MoneyError::NotAnAmount);
        }
        let digits = currency.minor_units();
        if fraction.len() > digits as usize {
            return Err(MoneyError::TooManyDecimals {
                currency,
                minor_units: digits,
            });
        }
        let scale = 10i64.pow(digits);
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let padded = format!("{fraction:0<width$}", width = digits as usize);
        let fraction: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().map_err(|_| MoneyError::NotAnAmount)?
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(fraction))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, currency))
    }

    /// The amount as a plain decimal string with the currency's minor units, e.g. `"12.50"`,
    /// `"1500"` (JPY) or `"0.250"` (KWD). Locale-aware formatting is the UI's job.
    pub fn decimal(self) -> String {
        let digits = self.currency.minor_units();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if digits == 0 {
            return format!("{sign}{abs}");
        }
        let scale = 10u64.pow(digits);
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = digits as usize
        )
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.decimal(), self.currency)
    }
}
