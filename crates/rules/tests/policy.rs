//! Policies as data: DOMAIN.md's defaults, overrides per marketplace, seller and category, and
//! files that load or say clearly what is wrong.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use retour_rules::{Category, Party, Policy, PolicyError, PolicySet};

#[test]
fn defaults_are_domain_md_numbers() {
    let p = Policy::default();
    assert_eq!(
        (
            p.change_of_mind_days,
            p.protection_days,
            p.not_received_after_days,
            p.group_buy_wait_hours
        ),
        (7, 15, 10, 24)
    );
    assert_eq!(
        (
            p.seller_answer_days,
            p.counter_offer_answer_days,
            p.negotiation_days,
            p.buyer_ship_days,
            p.seller_confirm_days
        ),
        (5, 5, 7, 10, 7)
    );
    for category in [
        Category::FreshFood,
        Category::Personalised,
        Category::Digital,
        Category::OpenedHygiene,
    ] {
        assert!(!p.is_returnable(category), "{category:?}");
    }
    assert!(p.is_returnable(Category::General));
    assert_eq!(p.return_shipping.buyer_side, Party::Buyer);
    assert_eq!(p.return_shipping.seller_side, Party::Seller);
    assert_eq!(p.validate(), Ok(()));
}

const FILE: &str = r#"
[marketplace]
change_of_mind_days = 14
seller_answer_days = 4

[sellers.s-tea]
seller_answer_days = 2
protection_days = 20

[categories.electronics]
protection_days = 30

[categories.fashion]
protection_days = 10
return_shipping = { buyer_side = "seller", seller_side = "seller" }
"#;

#[test]
fn category_beats_seller_beats_marketplace_beats_defaults() {
    let set = PolicySet::from_toml(FILE).unwrap();
    let plain = set.policy_for("s-other", &[Category::General]);
    assert_eq!(
        (
            plain.change_of_mind_days,
            plain.seller_answer_days,
            plain.protection_days
        ),
        (14, 4, 15)
    );
    let tea = set.policy_for("s-tea", &[Category::General]);
    assert_eq!(
        (
            tea.change_of_mind_days,
            tea.seller_answer_days,
            tea.protection_days
        ),
        (14, 2, 20)
    );
    let tea_phone = set.policy_for("s-tea", &[Category::Electronics]);
    assert_eq!(
        (tea_phone.seller_answer_days, tea_phone.protection_days),
        (2, 30)
    );
    // Untouched fields keep DOMAIN.md's defaults.
    assert_eq!(tea_phone.buyer_ship_days, 10);
}

#[test]
fn lines_in_several_categories_get_the_shortest_windows() {
    let set = PolicySet::from_toml(FILE).unwrap();
    let mixed = set.policy_for("s-other", &[Category::Electronics, Category::Fashion]);
    assert_eq!(mixed.protection_days, 10);
    // Fashion's free returns apply to the whole request.
    assert_eq!(mixed.return_shipping.buyer_side, Party::Seller);
    let none = set.policy_for("s-other", &[]);
    assert_eq!(none, set.marketplace_policy());
}

#[test]
fn json_files_load_the_same_way() {
    let set = PolicySet::from_json(r#"{"marketplace": {"change_of_mind_days": 14}, "categories": {"home": {"protection_days": 60}}}"#).unwrap();
    assert_eq!(set.policy_for("s", &[Category::Home]).protection_days, 60);
    assert_eq!(
        set.policy_for("s", &[Category::Home]).change_of_mind_days,
        14
    );
    let round_trip = PolicySet::from_json(&serde_json::to_string(&set).unwrap()).unwrap();
    assert_eq!(round_trip, set);
}

#[test]
fn a_bad_file_says_what_and_where() {
    let typo = PolicySet::from_toml("[marketplace]\nchange_of_mind_dayz = 14\n").unwrap_err();
    assert_eq!(typo.code(), "policy_syntax");
    let text = typo.to_string();
    assert!(
        text.contains("change_of_mind_dayz") && text.contains("line 2"),
        "{text}"
    );

    let kind =
        PolicySet::from_toml("[marketplace]\nprotection_days = \"two weeks\"\n").unwrap_err();
    assert!(kind.to_string().contains("line 2"), "{kind}");

    let category = PolicySet::from_json(r#"{"categories": {"furniture": {}}}"#).unwrap_err();
    assert!(category.to_string().contains("furniture"), "{category}");

    let zero = PolicySet::from_toml("[sellers.s-tea]\nseller_answer_days = 0\n").unwrap_err();
    assert_eq!(
        zero,
        PolicyError::OutOfRange {
            field: "sellers.s-tea.seller_answer_days".into(),
            value: 0,
            min: 1,
            max: 3650
        }
    );
    let platform = PolicySet::from_toml("[marketplace]\nreturn_shipping = { buyer_side = \"platform\", seller_side = \"seller\" }\n").unwrap_err();
    assert_eq!(platform.code(), "policy_invalid");
    assert!(
        platform
            .to_string()
            .contains("marketplace.return_shipping.buyer_side"),
        "{platform}"
    );
}

#[test]
fn refunds_may_be_issued_at_once_but_no_other_deadline_is_zero() {
    let at_once = PolicySet::from_toml("[marketplace]\nrefund_issue_hours = 0\n");
    assert!(at_once.is_ok());
    let never = PolicySet::from_toml("[marketplace]\nrating_days = 0\n").unwrap_err();
    assert_eq!(never.code(), "policy_out_of_range");
}
