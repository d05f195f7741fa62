//! The hand-written RFC 3339 parser must agree with chrono's, and refuse what chrono refuses.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{DateTime, FixedOffset, SecondsFormat, TimeDelta, TimeZone, Utc};
use retour_rules::parse_rfc3339;

#[test]
fn agrees_with_chrono_across_two_centuries_and_offsets() {
    let offsets = [0, 3600, -5 * 3600 - 1800, 8 * 3600, 14 * 3600, -12 * 3600];
    let mut t = Utc.with_ymd_and_hms(1901, 1, 1, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2100, 12, 31, 23, 59, 59).unwrap();
    let mut nanos = 0;
    while t < end {
        for offset in offsets {
            let local = t.with_timezone(&FixedOffset::east_opt(offset).unwrap());
            for format in [
                SecondsFormat::Secs,
                SecondsFormat::Millis,
                SecondsFormat::Nanos,
            ] {
                let text = local.to_rfc3339_opts(format, true);
                let expected = DateTime::parse_from_rfc3339(&text)
                    .unwrap()
                    .with_timezone(&Utc);
                assert_eq!(parse_rfc3339(&text), Some(expected), "{text}");
            }
        }
        nanos = (nanos + 123_456_789) % 1_000_000_000;
        t = t + TimeDelta::minutes(3 * 24 * 60 + 9 * 60 + 17) + TimeDelta::nanoseconds(nanos);
    }
}

#[test]
fn refuses_what_is_not_a_valid_instant() {
    for bad in [
        "",
        "2026-03-12",
        "2026-03-12T14:00:00",
        "2026-02-29T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-03-12T24:00:00Z",
        "2026-03-12T14:60:00Z",
        "2026-03-12T14:00:00.Z",
        "2026-03-12T14:00:00+0800",
        "2026-03-12T14:00:00+24:00",
        "2026-03-12T14:00:00Zjunk",
        "２026-03-12T14:00:00Z",
    ] {
        assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        assert!(
            DateTime::parse_from_rfc3339(bad).is_err() || bad.ends_with("+0800"),
            "{bad:?}"
        );
    }
    let long = "2026-03-12T14:00:00.1234567891Z";
    assert_eq!(
        parse_rfc3339(long),
        Some(DateTime::parse_from_rfc3339(long).unwrap().to_utc())
    );
    assert_eq!(
        parse_rfc3339("2024-02-29T23:59:59-01:00"),
        Some(Utc.with_ymd_and_hms(2024, 3, 1, 0, 59, 59).unwrap())
    );
}

#[test]
fn json_fields_name_the_bad_instant() {
    let json = r#"{"id":"o","placed_at":"yesterday","currency":"EUR","lines":[],
        "shipping":{"minor":0,"currency":"EUR"},"fulfillment":{"state":"not_shipped"}}"#;
    let error = serde_json::from_str::<retour_rules::Order>(json).unwrap_err();
    assert!(
        error.to_string().contains("`yesterday` is not an RFC 3339"),
        "{error}"
    );
}

#[test]
fn calendar_days_round_trip_and_agree_with_chrono() {
    use chrono::{Datelike, NaiveDate};
    use retour_rules::calendar::{civil_from_days, days_from_civil, days_in_month};
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
    for days in (-80_000..80_000).step_by(7) {
        let date = epoch + TimeDelta::days(days);
        let civil = (
            i64::from(date.year()),
            i64::from(date.month()),
            i64::from(date.day()),
        );
        assert_eq!(civil_from_days(days), civil, "{date}");
        assert_eq!(days_from_civil(civil.0, civil.1, civil.2), days, "{date}");
    }
    assert_eq!(days_in_month(2024, 2), 29);
    assert_eq!(days_in_month(2100, 2), 28);
    assert_eq!(days_in_month(2000, 2), 29);
}
