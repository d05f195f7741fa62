//! Return shipping quotes: the rate card by route and weight, converted to the order's currency,
//! and the rules of one order as the server serves them, judging exactly as the whole policy.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{delivered, line, order_in};
use retour_rules::{
    Category, Country, Currency, LineSelection, Money, Order, PolicyError, PolicyOverride,
    PolicySet, Rate,
};

const CARD: &str = r#"
[marketplace]
change_of_mind_days = 14

[sellers.s-1]
seller_answer_days = 3

[categories.electronics]
protection_days = 30

[shipping]
currency = "EUR"
exchange = { CNY = "7.8125", JPY = "161.5" }

[[shipping.routes]]
from = "ES"
to = "CN"
bands = [
  { up_to_grams = 500, price = "14.90" },
  { up_to_grams = 2000, price = "24.90" },
]
"#;

fn es_to_cn_order(currency: Currency, grams: [Option<u32>; 2]) -> Order {
    let mut order = order_in(
        60,
        delivered(),
        vec![
            line("a", Category::General, false, 2, 500),
            line("b", Category::Electronics, false, 1, 900),
        ],
    );
    order.currency = currency;
    for (l, g) in order.lines.iter_mut().zip(grams) {
        l.unit_price.currency = currency;
        l.weight_grams = g;
    }
    order.ships_from = Some(Country::parse("CN").unwrap());
    order.ships_to = Some(Country::parse("ES").unwrap());
    order
}

fn pick(lines: &[(&str, u32)]) -> Vec<LineSelection> {
    lines
        .iter()
        .map(|(id, quantity)| LineSelection {
            line_id: (*id).to_owned(),
            quantity: *quantity,
        })
        .collect()
}

#[test]
fn a_return_is_quoted_by_its_route_and_weight_in_the_orders_currency() {
    let set = PolicySet::from_toml(CARD).unwrap();
    let eur = es_to_cn_order(Currency::EUR, [Some(200), Some(1200)]);
    let rules = set.for_order("s-1", &eur);
    let quote = |order: &Order, lines: &[(&str, u32)]| rules.for_request(order, &pick(lines)).1;
    // 2 × 200 g fits the first band; with the 1,200 g speaker, the second.
    assert_eq!(
        quote(&eur, &[("a", 2)]),
        Some(Money::new(1490, Currency::EUR))
    );
    assert_eq!(
        quote(&eur, &[("a", 2), ("b", 1)]),
        Some(Money::new(2490, Currency::EUR))
    );
    // Converted once, on the server, rounded to the nearest minor unit:
    // 14.90 × 7.8125 = 116.40625 CNY, 24.90 × 161.5 = 4021.35 JPY.
    let cny = es_to_cn_order(Currency::CNY, [Some(200), Some(1200)]);
    assert_eq!(
        set.for_order("s-1", &cny).return_rates,
        vec![
            Rate {
                up_to_grams: 500,
                price: Money::new(11641, Currency::CNY)
            },
            Rate {
                up_to_grams: 2000,
                price: Money::new(19453, Currency::CNY)
            },
        ]
    );
    let jpy = es_to_cn_order(Currency::JPY, [Some(200), Some(1200)]);
    assert_eq!(
        set.for_order("s-1", &jpy).return_rates[1].price,
        Money::new(4021, Currency::JPY)
    );
}

#[test]
fn no_quote_without_a_weight_a_band_a_route_or_a_rate() {
    let set = PolicySet::from_toml(CARD).unwrap();
    let unweighed = es_to_cn_order(Currency::EUR, [Some(200), None]);
    let rules = set.for_order("s-1", &unweighed);
    assert_eq!(rules.for_request(&unweighed, &pick(&[("b", 1)])).1, None);
    assert!(rules
        .for_request(&unweighed, &pick(&[("a", 1)]))
        .1
        .is_some());
    let heavy = es_to_cn_order(Currency::EUR, [Some(1500), Some(1200)]);
    let rules = set.for_order("s-1", &heavy);
    assert_eq!(rules.for_request(&heavy, &pick(&[("a", 2)])).1, None);
    // The other way round is not priced; neither is a currency the card has no rate for.
    let mut back = es_to_cn_order(Currency::EUR, [Some(100), Some(100)]);
    back.ships_to = Some(Country::parse("US").unwrap());
    assert!(set.for_order("s-1", &back).return_rates.is_empty());
    let usd = es_to_cn_order(Currency::USD, [Some(100), Some(100)]);
    assert!(set.for_order("s-1", &usd).return_rates.is_empty());
}

#[test]
fn an_orders_rules_judge_exactly_as_the_whole_policy_set() {
    let set = PolicySet::from_toml(CARD).unwrap();
    let order = es_to_cn_order(Currency::EUR, [Some(100), Some(100)]);
    for seller in ["s-1", "s-2"] {
        let rules = set.for_order(seller, &order);
        for lines in [vec![("a", 1)], vec![("b", 1)], vec![("a", 1), ("b", 1)]] {
            let categories: Vec<Category> = lines
                .iter()
                .map(|(id, _)| order.line(id).unwrap().product.category)
                .collect();
            assert_eq!(
                rules.for_request(&order, &pick(&lines)).0,
                set.policy_for(seller, &categories),
                "{seller} {lines:?}"
            );
        }
    }
    // Small on the wire: only what differs from the defaults, and only this order's categories.
    let rules = set.for_order("s-1", &order);
    assert_eq!(
        rules.changes,
        PolicyOverride {
            change_of_mind_days: Some(14),
            seller_answer_days: Some(3),
            ..PolicyOverride::default()
        }
    );
    assert_eq!(rules.categories.len(), 1);
    let plain = PolicySet::default().for_order("s-1", &order);
    assert!(plain.changes.is_empty() && plain.categories.is_empty());
}

#[test]
fn a_rate_card_that_cannot_be_used_says_where() {
    let with = |extra: &str| PolicySet::from_toml(&format!("{CARD}{extra}")).unwrap_err();
    let field = |e: PolicyError| match e {
        PolicyError::Invalid { field, .. } | PolicyError::OutOfRange { field, .. } => field,
        PolicyError::Syntax { message, .. } => message,
    };
    let twice = "[[shipping.routes]]\nfrom = \"ES\"\nto = \"CN\"\nbands = [{ up_to_grams = 9, price = \"1\" }]\n";
    assert_eq!(field(with(twice)), "shipping.routes[1] (ES to CN)");
    let unsorted = "[[shipping.routes]]\nfrom = \"ES\"\nto = \"US\"\nbands = [{ up_to_grams = 900, price = \"1\" }, { up_to_grams = 500, price = \"2\" }]\n";
    assert_eq!(
        with(unsorted),
        PolicyError::OutOfRange {
            field: "shipping.routes[1] (ES to US).bands[1].up_to_grams".into(),
            value: 500,
            min: 901,
            max: u32::MAX,
        }
    );
    let bad_rate = CARD.replace("\"7.8125\"", "\"-1\"");
    assert_eq!(
        field(PolicySet::from_toml(&bad_rate).unwrap_err()),
        "shipping.exchange.CNY"
    );
    let bad_country = CARD.replace("from = \"ES\"", "from = \"Spain\"");
    assert!(field(PolicySet::from_toml(&bad_country).unwrap_err()).contains("Spain"));
}
