//! Tracking numbers: carriers detected, check digits verified, typing noise ignored.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use retour_rules::{Carrier, TrackingError, TrackingNumber};

/// Published sample numbers, valid by their carrier's check.
const VALID: [(&str, Carrier); 14] = [
    ("RR473124829GB", Carrier::UpuS10),
    ("EE123456785CN", Carrier::UpuS10),
    ("1Z879E930346834440", Carrier::Ups),
    ("1Z5R89390357567127", Carrier::Ups),
    ("9405511108078863434863", Carrier::Usps),
    ("9400111105501248829119", Carrier::Usps),
    ("12345678901234567890", Carrier::Usps),
    ("986578788855", Carrier::Fedex),
    ("797806677146", Carrier::Fedex),
    ("041441760228964", Carrier::Fedex),
    ("3318810025", Carrier::DhlExpress),
    ("1234567891", Carrier::DhlExpress),
    ("LP00123456789012", Carrier::Cainiao),
    ("YT2412345678901234", Carrier::Yunexpress),
];

#[test]
fn each_carrier_is_detected_from_a_valid_number() {
    for (number, carrier) in VALID {
        let parsed = TrackingNumber::parse(number).unwrap_or_else(|e| panic!("{number}: {e}"));
        assert_eq!(parsed.carrier, carrier, "{number}");
        assert_eq!(parsed.number, number);
    }
}

#[test]
fn one_wrong_digit_fails_the_check_and_names_the_carrier() {
    for (number, carrier) in VALID.into_iter().filter(|(_, c)| c.has_check_digit()) {
        // Change the check digit (the last digit of the number) to every other value.
        let check_at = number.rfind(|c: char| c.is_ascii_digit()).unwrap();
        let right = number.as_bytes()[check_at];
        for wrong in (b'0'..=b'9').filter(|d| *d != right) {
            let mut typo = number.as_bytes().to_vec();
            typo[check_at] = wrong;
            let typo = String::from_utf8(typo).unwrap();
            let error = TrackingNumber::parse(&typo).unwrap_err();
            assert_eq!(error, TrackingError::CheckDigit { carrier }, "{typo}");
            assert_eq!(error.code(), "tracking_check_failed");
            assert!(error.to_string().contains(carrier.code()), "{error}");
        }
    }
}

#[test]
fn a_swapped_pair_of_digits_is_caught_for_s10_and_ups() {
    assert!(TrackingNumber::parse("RR437124829GB").is_err());
    assert!(TrackingNumber::parse("1Z879E930364834440").is_err());
}

#[test]
fn spaces_dashes_and_lower_case_are_normalised() {
    let typed = TrackingNumber::parse("  rr 473-124-829 gb ").unwrap();
    assert_eq!(typed.number, "RR473124829GB");
    assert_eq!(typed.postal_country(), Some("GB"));
    let ups = TrackingNumber::parse("1z 879e9 3034 6834 440").unwrap();
    assert_eq!(ups.number, "1Z879E930346834440");
    assert_eq!(ups.postal_country(), None);
}

#[test]
fn what_is_not_a_tracking_number_says_why() {
    assert_eq!(
        TrackingNumber::parse(" - ").unwrap_err(),
        TrackingError::Empty
    );
    assert_eq!(
        TrackingNumber::parse("RR4731248#9GB").unwrap_err(),
        TrackingError::InvalidCharacters
    );
    for unknown in [
        "12345",
        "ABCDEFGHIJ",
        "LP12",
        "YT123",
        "XX12345678GB",
        "1Z87",
    ] {
        assert_eq!(
            TrackingNumber::parse(unknown).unwrap_err(),
            TrackingError::UnknownFormat,
            "{unknown}"
        );
    }
}

#[test]
fn json_keeps_the_carrier_and_refuses_a_number_that_fails_its_check() {
    let parsed = TrackingNumber::parse("1Z879E930346834440").unwrap();
    let json = serde_json::to_value(&parsed).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"carrier": "ups", "number": "1Z879E930346834440"})
    );
    assert_eq!(
        serde_json::from_value::<TrackingNumber>(json).unwrap(),
        parsed
    );
    let forged = serde_json::json!({"carrier": "ups", "number": "1Z879E930346834441"});
    assert!(serde_json::from_value::<TrackingNumber>(forged).is_err());
    let mislabelled = serde_json::json!({"carrier": "fedex", "number": "1Z879E930346834440"});
    assert!(serde_json::from_value::<TrackingNumber>(mislabelled).is_err());
}
