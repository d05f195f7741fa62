//! The browser's clock. The rules never read a clock themselves: the app passes them `now` from
//! here. Time zones are the browser's own, applied by `Intl` where dates are written.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The time now, updated every second while the calling component is shown: for countdowns.
pub fn ticking() -> ReadSignal<DateTime<Utc>> {
    let (now_signal, set_now) = signal(now());
    if let Ok(handle) = set_interval_with_handle(
        move || set_now.set(now()),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    now_signal
}
