//! Return and replacement tracking numbers: normalised, the carrier detected from the number,
//! and the check digit verified where the format has one, so a typo is caught as it is typed.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Who carries a parcel, as told by its number's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// A postal service on the UPU S10 standard: China Post, EMS, Correos, USPS international…
    UpuS10,
    Ups,
    Usps,
    Fedex,
    DhlExpress,
    Cainiao,
    Yunexpress,
}

impl Carrier {
    pub const ALL: [Carrier; 7] = [
        Carrier::UpuS10,
        Carrier::Ups,
        Carrier::Usps,
        Carrier::Fedex,
        Carrier::DhlExpress,
        Carrier::Cainiao,
        Carrier::Yunexpress,
    ];

    /// The carrier of a stable code.
    pub fn from_code(code: &str) -> Option<Carrier> {
        Carrier::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Stable code, the same as the JSON form.
    pub fn code(self) -> &'static str {
        match self {
            Carrier::UpuS10 => "upu_s10",
            Carrier::Ups => "ups",
            Carrier::Usps => "usps",
            Carrier::Fedex => "fedex",
            Carrier::DhlExpress => "dhl_express",
            Carrier::Cainiao => "cainiao",
            Carrier::Yunexpress => "yunexpress",
        }
    }

    /// Whether numbers of this carrier carry a check digit.
    pub fn has_check_digit(self) -> bool {
        !matches!(self, Carrier::Cainiao | Carrier::Yunexpress)
    }
}

/// A tracking number that passed its format and check-digit test.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "TrackingWire")]
pub struct TrackingNumber {
    pub carrier: Carrier,
    /// Upper case, without spaces or dashes.
    pub number: String,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct TrackingWire {
    carrier: Carrier,
    number: String,
}

impl TryFrom<TrackingWire> for TrackingNumber {
    type Error = TrackingError;

    fn try_from(w: TrackingWire) -> Result<Self, TrackingError> {
        let parsed = TrackingNumber::parse(&w.number)?;
        if parsed.carrier != w.carrier {
            return Err(TrackingError::UnknownFormat);
        }
        Ok(parsed)
    }
}

/// Why a tracking number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum TrackingError {
    #[error("enter the tracking number")]
    Empty,
    #[error("a tracking number has only letters and digits")]
    InvalidCharacters,
    #[error("this is not a tracking number of a carrier we know")]
    UnknownFormat,
    #[error("this looks like a {} number, but its check digit is wrong: check for a typo", .carrier.code())]
    CheckDigit { carrier: Carrier },
}

impl TrackingError {
    /// Stable code for the UI and the API.
    pub fn code(&self) -> &'static str {
        match self {
            TrackingError::Empty => "tracking_empty",
            TrackingError::InvalidCharacters => "tracking_invalid_characters",
            TrackingError::UnknownFormat => "tracking_unknown_format",
            TrackingError::CheckDigit { .. } => "tracking_check_failed",
        }
    }
}

fn digits(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_digit)
}

fn letters(s: &[u8]) -> bool {
    s.iter().all(u8::is_ascii_uppercase)
}

fn value(d: u8) -> u32 {
    u32::from(d - b'0')
}

/// The sum of `values`, each times its weight from `weights`, repeated as needed.
fn weighted(values: impl Iterator<Item = u32>, weights: &[u32]) -> u32 {
    values.zip(weights.iter().cycle()).map(|(v, w)| v * w).sum()
}

fn digit_values(body: &[u8]) -> impl DoubleEndedIterator<Item = u32> + '_ {
    body.iter().map(|&d| value(d))
}

/// What brings `sum` up to a multiple of ten.
fn to_ten(sum: u32) -> u32 {
    (10 - sum % 10) % 10
}

/// UPU S10: serial digits weighted 8 6 4 2 3 5 9 7, mod 11; 10 becomes 0 and 11 becomes 5.
fn s10_check(serial: &[u8]) -> u32 {
    match 11 - weighted(digit_values(serial), &[8, 6, 4, 2, 3, 5, 9, 7]) % 11 {
        10 => 0,
        11 => 5,
        c => c,
    }
}

/// UPS 1Z: letters count as (ASCII − 3) mod 10; from the left, weights 1 and 2.
fn ups_check(body: &[u8]) -> u32 {
    let values = body.iter().map(|&c| {
        if c.is_ascii_digit() {
            value(c)
        } else {
            (u32::from(c) - 3) % 10
        }
    });
    to_ten(weighted(values, &[1, 2]))
}

/// Mod 10 with weights 3 and 1 from the right (USPS, FedEx Ground 15).
fn mod10_check(body: &[u8]) -> u32 {
    to_ten(weighted(digit_values(body).rev(), &[3, 1]))
}

/// FedEx Express 12: weights 1 3 7 from the right, mod 11, then mod 10.
fn fedex12_check(body: &[u8]) -> u32 {
    weighted(digit_values(body).rev(), &[1, 3, 7]) % 11 % 10
}

/// DHL Express: the first nine digits, as a number, mod 7.
fn dhl_check(body: &[u8]) -> u32 {
    (body.iter().fold(0u64, |n, &d| n * 10 + u64::from(value(d))) % 7) as u32
}

impl TrackingNumber {
    /// Reads a tracking number as a person types or pastes it: spaces and dashes are ignored,
    /// letters may be lower case.
    pub fn parse(text: &str) -> Result<TrackingNumber, TrackingError> {
        let number: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if number.is_empty() {
            return Err(TrackingError::Empty);
        }
        if !number.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(TrackingError::InvalidCharacters);
        }
        let b = number.as_bytes();
        let n = b.len();
        let last = || value(b[n - 1]);
        let (carrier, check) = match n {
            13 if letters(&b[..2]) && digits(&b[2..11]) && letters(&b[11..]) => {
                (Carrier::UpuS10, s10_check(&b[2..10]) == value(b[10]))
            }
            18 if b.starts_with(b"1Z") && digits(&b[17..]) => {
                (Carrier::Ups, ups_check(&b[2..17]) == last())
            }
            20..=22 if digits(b) => (Carrier::Usps, mod10_check(&b[..n - 1]) == last()),
            12 if digits(b) => (Carrier::Fedex, fedex12_check(&b[..11]) == last()),
            15 if digits(b) => (Carrier::Fedex, mod10_check(&b[..14]) == last()),
            10 if digits(b) => (Carrier::DhlExpress, dhl_check(&b[..9]) == last()),
            14..=18 if b.starts_with(b"LP") && digits(&b[2..]) => (Carrier::Cainiao, true),
            18 if b.starts_with(b"YT") && digits(&b[2..]) => (Carrier::Yunexpress, true),
            _ => return Err(TrackingError::UnknownFormat),
        };
        if !check {
            return Err(TrackingError::CheckDigit { carrier });
        }
        Ok(TrackingNumber { carrier, number })
    }

    /// The two-letter country of an S10 number's postal service (`CN` for China Post).
    pub fn postal_country(&self) -> Option<&str> {
        (self.carrier == Carrier::UpuS10).then(|| &self.number[11..])
    }
}
