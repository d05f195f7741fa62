//! The browser's clock and time zone. The rules never read a clock themselves: the app passes them
//! `now` from here.

use chrono::{DateTime, FixedOffset, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// Where the viewer reads dates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Zone {
    /// The browser's own time zone, with its daylight-saving rules.
    Browser,
    /// A fixed offset from UTC.
    Fixed(FixedOffset),
}

impl Zone {
    /// Seconds east of UTC in force at `at`: the offset of that date, not of today, so a
    /// deadline across a daylight-saving change is shown at the right hour.
    pub fn offset_seconds_at(self, at: DateTime<Utc>) -> i64 {
        match self {
            Zone::Fixed(offset) => i64::from(offset.local_minus_utc()),
            Zone::Browser => {
                let millis = wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64);
                // `getTimezoneOffset` is minutes *behind* UTC: Madrid in winter gives -60.
                -(js_sys::Date::new(&millis).get_timezone_offset() as i64) * 60
            }
        }
    }
}
