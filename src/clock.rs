//! The browser's clock and time zone. The rules never read a clock themselves: the app passes them
//! `now` from here.

use chrono::{DateTime, FixedOffset, Utc};

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The viewer's current offset from UTC, as the browser reports it.
pub fn local_offset() -> FixedOffset {
    // `getTimezoneOffset` is minutes *behind* UTC: Madrid in winter gives -60.
    let minutes_behind = js_sys::Date::new_0().get_timezone_offset() as i32;
    FixedOffset::west_opt(minutes_behind * 60).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap())
}
