//! The return form in a real browser: the verdict follows the buyer's choices at once, computed
//! by the rules crate compiled to wasm, with no server behind the page.
#![cfg(target_arch = "wasm32")]

use chrono::TimeDelta;
use leptos::prelude::*;
use retour::components::ReturnForm;
use retour::text::{self, Locale};
use rules::{Category, Currency, Fulfillment, Money, Order, OrderLine, Policy, Product};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, EventInit, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Speaks `locale`, from the catalogue the app downloads.
fn speak(locale: Locale) {
    let json = match locale {
        Locale::En => include_str!("../locales/en.json"),
        Locale::ZhCn => include_str!("../locales/zh-CN.json"),
        Locale::Es => include_str!("../locales/es.json"),
    };
    text::install(locale, text::parse_catalogue(json).unwrap());
}

/// A fresh element per test, in English: all tests of a binary share one page.
fn fresh_root() -> HtmlElement {
    speak(Locale::En);
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root.unchecked_into()
}

fn order_delivered_days_ago(days: i64) -> Order {
    let delivered_at = retour::clock::now() - TimeDelta::days(days);
    Order {
        id: "o-1".into(),
        placed_at: delivered_at - TimeDelta::days(4),
        utc_offset_minutes: 60,
        currency: Currency::EUR,
        lines: vec![OrderLine {
            id: "a".into(),
            product: Product {
                title: "Wool sweater".into(),
                category: Category::General,
                no_returns: false,
            },
            quantity: 1,
            unit_price: Money::new(5900, Currency::EUR),
        }],
        shipping: Money::new(499, Currency::EUR),
        fulfillment: Fulfillment::Delivered {
            shipped_at: delivered_at - TimeDelta::days(2),
            delivered_at,
        },
    }
}

/// The form for `order`, mounted in a fresh element. Keep the handle: dropping it unmounts the
/// form.
async fn mount_form(
    order: Order,
    line: Option<&str>,
) -> (HtmlElement, UnmountHandle<impl Mountable>) {
    let root = fresh_root();
    let line = line.map(str::to_owned);
    let handle = mount_to(root.clone(), move || {
        view! { <ReturnForm order=order.clone() line=line.clone() on_filed=|_: String| {} /> }
    });
    leptos::task::tick().await;
    (root, handle)
}

fn choose(root: &HtmlElement, selector: &str, value: &str) {
    let select: HtmlSelectElement = root
        .query_selector(selector)
        .unwrap()
        .unwrap()
        .unchecked_into();
    select.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    select
        .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

fn verdict(root: &HtmlElement) -> (String, String) {
    let panel = root
        .query_selector(".verdict")
        .unwrap()
        .expect("a verdict panel");
    (panel.class_name(), panel.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
async fn the_verdict_follows_the_reason_at_once() {
    let order = order_delivered_days_ago(10);
    let (root, _handle) = mount_form(order.clone(), Some("a")).await;
    assert!(
        verdict(&root).1.contains("Choose the items and a reason"),
        "{:?}",
        verdict(&root)
    );

    // Ten days after delivery the 7-day change-of-mind window has closed...
    choose(&root, "#reason", "no_longer_wanted");
    leptos::task::tick().await;
    let (class, said) = verdict(&root);
    assert!(class.contains("refused"), "{class}: {said}");
    let Fulfillment::Delivered { delivered_at, .. } = order.fulfillment else {
        unreachable!("a delivered order")
    };
    // The 7th day after delivery ends at midnight in the buyer's zone (the order's offset).
    let closed = order.end_of_day_after(delivered_at, Policy::default().change_of_mind_days);
    let expected = format!(
        "window for returns without a reason closed on {}",
        text::date_time(closed)
    );
    assert!(said.contains(&expected), "{said}");
    assert!(root
        .query_selector("input[name=resolution]")
        .unwrap()
        .is_none());

    // ...but a defect is still covered by buyer protection, with the seller paying shipping.
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    let (class, said) = verdict(&root);
    assert!(class.contains("eligible"), "{class}: {said}");
    let max = text::money(Money::new(6399, Currency::EUR));
    assert!(
        said.contains(&max),
        "max refund with shipping {max}: {said}"
    );
    assert!(
        said.contains("the seller pays the return shipping"),
        "{said}"
    );
    let offered = root
        .query_selector_all("input[name=resolution]")
        .unwrap()
        .length();
    assert_eq!(offered, 3);
    root.remove();
}

#[wasm_bindgen_test]
async fn submitting_without_a_reason_says_what_is_missing() {
    let (root, _handle) = mount_form(order_delivered_days_ago(1), None).await;
    let button: HtmlElement = root
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    leptos::task::tick().await;
    let alert = root
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an error message");
    assert_eq!(alert.text_content().unwrap(), "Choose a reason first.");

    // Fixing what it asked for takes the message away.
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    assert!(root.query_selector("[role=alert]").unwrap().is_none());
    root.remove();
}

fn type_into(root: &HtmlElement, selector: &str, text: &str) -> web_sys::Element {
    let input: web_sys::HtmlInputElement = root
        .query_selector(selector)
        .unwrap()
        .expect(selector)
        .unchecked_into();
    input.focus().unwrap();
    input.set_value(text);
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    input.unchecked_into()
}

#[wasm_bindgen_test]
async fn typing_an_amount_keeps_the_field_and_its_focus() {
    let (root, _handle) = mount_form(order_delivered_days_ago(1), None).await;
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    let partial: HtmlElement = root
        .query_selector("input[value=partial_refund]")
        .unwrap()
        .expect("partial refund is offered")
        .unchecked_into();
    partial.click();
    leptos::task::tick().await;

    let typed = type_into(&root, "#partial-amount", "12");
    leptos::task::tick().await;
    let field = root
        .query_selector("#partial-amount")
        .unwrap()
        .expect("the amount field");
    assert!(
        field.is_same_node(Some(&typed)),
        "the field was re-created while typing"
    );
    let document = web_sys::window().unwrap().document().unwrap();
    assert!(document
        .active_element()
        .is_some_and(|e| e.is_same_node(Some(&typed))));
    let value = field.unchecked_into::<web_sys::HtmlInputElement>().value();
    assert_eq!(value, "12");
    root.remove();
}

#[wasm_bindgen_test]
fn countdowns_dates_and_money_follow_the_locale() {
    let now = retour::clock::now();
    let at = now + TimeDelta::seconds(3 * 86_400 + 4 * 3600 + 30);
    speak(Locale::En);
    assert_eq!(text::time_left(now, at), "in 3 d 4 h");
    assert_eq!(
        text::time_left(now, now + TimeDelta::seconds(125)),
        "in 2 min 5 s"
    );
    assert_eq!(text::time_left(at, now), "now");
    assert_eq!(text::money(Money::new(6399, Currency::EUR)), "€63.99");
    speak(Locale::ZhCn);
    assert_eq!(text::time_left(now, at), "还剩 3 天 4 小时");
    let noon = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 14, 12, 0, 0).unwrap();
    let date = text::date_time(noon);
    assert!(date.contains("2026年3月14日"), "{date}");
    speak(Locale::Es);
    assert_eq!(text::money(Money::new(6399, Currency::EUR)), "63,99\u{a0}€");
    let date = text::date_time(noon);
    assert!(date.contains("14 mar 2026"), "{date}");
    speak(Locale::En);
}
