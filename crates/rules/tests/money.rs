#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use retour_rules::{Currency, Money, MoneyError, Reason};

#[test]
fn minor_units_follow_iso_4217() {
    let cases = [
        (Currency::USD, 1234, "12.34"),
        (Currency::JPY, 1500, "1500"),
        (Currency::KRW, 35000, "35000"),
        (Currency::KWD, 250, "0.250"),
        (Currency::EUR, -5, "-0.05"),
        (Currency::CNY, 9900, "99.00"),
    ];
    for (currency, minor, text) in cases {
        assert_eq!(Money::new(minor, currency).decimal(), text, "{currency}");
    }
    assert_eq!(Money::new(1999, Currency::GBP).to_string(), "19.99 GBP");
}

#[test]
fn currencies_parse_from_their_codes_only() {
    for c in Currency::ALL {
        assert_eq!(c.code().parse::<Currency>().unwrap(), c);
    }
    assert!("usd".parse::<Currency>().is_err());
    assert!("XXX".parse::<Currency>().is_err());
}

#[test]
fn arithmetic_refuses_mixed_currencies_and_overflow() {
    let eur = Money::new(100, Currency::EUR);
    assert_eq!(
        eur.checked_add(Money::new(1, Currency::USD)),
        Err(MoneyError::CurrencyMismatch(Currency::EUR, Currency::USD))
    );
    assert_eq!(
        Money::new(i64::MAX, Currency::EUR).checked_mul(2),
        Err(MoneyError::Overflow)
    );
    assert_eq!(eur.checked_mul(3).unwrap(), Money::new(300, Currency::EUR));
}

#[test]
fn reason_codes_are_stable_and_round_trip() {
    for r in Reason::ALL {
        assert_eq!(Reason::from_code(r.code()), Some(r));
        assert_eq!(serde_json_code(r), r.code());
    }
    assert_eq!(Reason::from_code("nope"), None);
}

fn serde_json_code(r: Reason) -> String {
    serde_json::to_value(r)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn amounts_parse_as_people_type_them() {
    let ok = [
        ("12.5", Currency::EUR, 1250),
        ("12,50", Currency::EUR, 1250),
        (" 7 ", Currency::USD, 700),
        ("1500", Currency::JPY, 1500),
        ("0.125", Currency::KWD, 125),
    ];
    for (text, currency, minor) in ok {
        assert_eq!(
            Money::parse(text, currency),
            Ok(Money::new(minor, currency)),
            "{text}"
        );
    }
    for bad in ["", "abc", "-3", "1.2.3", ".5", "1 000", "12€"] {
        assert_eq!(
            Money::parse(bad, Currency::EUR),
            Err(MoneyError::NotAnAmount),
            "{bad:?}"
        );
    }
    assert_eq!(
        Money::parse("10.5", Currency::JPY),
        Err(MoneyError::TooManyDecimals {
            currency: Currency::JPY,
            minor_units: 0
        })
    );
    assert_eq!(
        Money::parse("99999999999999999999", Currency::EUR),
        Err(MoneyError::Overflow)
    );
}

#[test]
fn mail_topics_round_trip_and_say_which_notices_they_cover() {
    use retour_rules::api::Topic;
    for topic in Topic::ALL {
        assert_eq!(Topic::from_code(topic.code()), Some(topic));
        assert_eq!(
            serde_json::to_value(topic).unwrap().as_str(),
            Some(topic.code())
        );
    }
    assert_eq!(Topic::from_code("reminders"), None);
    let of = |role| -> Vec<Topic> {
        Topic::ALL
            .into_iter()
            .filter(|t| t.concerns(role))
            .collect()
    };
    use retour_rules::api::Role;
    use Topic::*;
    assert_eq!(of(Role::Seller), [NewCases, Talks, Messages, Steps]);
    assert_eq!(of(Role::Buyer), [Talks, Messages, Steps, Refunds]);
    assert_eq!(of(Role::Mediator), [Talks, Messages, Steps]);
    assert_eq!(Topic::of("filed"), Some(Topic::NewCases));
    assert_eq!(Topic::of("propose"), Some(Topic::Talks));
    // What the clock did, and the reminders before it does, cannot be turned off.
    assert_eq!(Topic::of("reminder"), None);
    assert_eq!(Topic::of("auto.refund"), None);
}
