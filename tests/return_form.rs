//! The return form in a real browser: the verdict follows the buyer's choices at once, computed
//! by the rules crate compiled to wasm, with no server behind the page.
#![cfg(target_arch = "wasm32")]

use chrono::TimeDelta;
use leptos::prelude::*;
use retour::components::case_actions::CaseControl;
use retour::components::tracking_field::{Shipment, TrackingForm};
use retour::components::ReturnForm;
use retour::text::{self, Locale};
use rules::{
    Category, Country, Currency, Fulfillment, Money, Order, OrderLine, OrderPolicy, Policy,
    PolicySet, Product,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Event, EventInit, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Speaks `locale`, from the catalogue the app downloads.
fn speak(locale: Locale) {
    let (first, more) = match locale {
        Locale::En => (
            include_str!("../locales/en.json"),
            include_str!("../locales/en.more.json"),
        ),
        Locale::ZhCn => (
            include_str!("../locales/zh-CN.json"),
            include_str!("../locales/zh-CN.more.json"),
        ),
        Locale::Es => (
            include_str!("../locales/es.json"),
            include_str!("../locales/es.more.json"),
        ),
    };
    text::install(locale, text::parse_catalogue(first).unwrap());
    text::extend(text::parse_catalogue(more).unwrap());
}

/// A fresh element per test, in English with no saved draft: all tests of a binary share one
/// page.
fn fresh_root() -> HtmlElement {
    speak(Locale::En);
    let window = web_sys::window().unwrap();
    window.session_storage().unwrap().unwrap().clear().unwrap();
    let document = window.document().unwrap();
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
            weight_grams: None,
            variant: None,
            variants: vec![],
        }],
        shipping: Money::new(499, Currency::EUR),
        fulfillment: Fulfillment::Delivered {
            shipped_at: delivered_at - TimeDelta::days(2),
            delivered_at,
        },
        ships_from: None,
        ships_to: None,
    }
}

/// The form for `order`, mounted in a fresh element. Keep the handle: dropping it unmounts the
/// form.
async fn mount_form(
    order: Order,
    policy: OrderPolicy,
    line: Option<&str>,
) -> (HtmlElement, UnmountHandle<impl Mountable>) {
    let root = fresh_root();
    let line = line.map(str::to_owned);
    let handle = mount_to(root.clone(), move || {
        view! { <ReturnForm order=order.clone() policy=policy.clone() line=line.clone() on_filed=|_: String| {} /> }
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

fn click(root: &HtmlElement, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .expect(selector)
        .unchecked_into::<HtmlElement>()
        .click();
}

/// Presses the wizard's main button (Next, or Send on the last step).
async fn next(root: &HtmlElement) {
    click(root, "button[type=submit]");
    leptos::task::tick().await;
}

fn heading(root: &HtmlElement) -> String {
    root.query_selector(".wizard-step section:not([hidden]) h2")
        .unwrap()
        .expect("a step heading")
        .text_content()
        .unwrap_or_default()
}

fn problem(root: &HtmlElement) -> String {
    root.query_selector("#wizard-problem")
        .unwrap()
        .expect("the wizard's message line")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_verdict_follows_the_reason_at_once() {
    let order = order_delivered_days_ago(10);
    let (root, _handle) = mount_form(order.clone(), OrderPolicy::default(), Some("a")).await;
    assert!(
        verdict(&root).1.contains("Choose the items and a reason"),
        "{:?}",
        verdict(&root)
    );
    next(&root).await;
    assert_eq!(heading(&root), "What happened?");

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
    // A refused request goes no further.
    next(&root).await;
    assert_eq!(heading(&root), "What happened?");

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
    next(&root).await;
    assert_eq!(heading(&root), "What would you like?");
    // A defect may be returned for money, replaced, repaired, or kept for part of the money.
    let offered = root
        .query_selector_all(".choice:not([hidden]) input[name=resolution]")
        .unwrap();
    let values: Vec<String> = (0..offered.length())
        .filter_map(|i| offered.get(i))
        .map(|node| node.unchecked_into::<web_sys::HtmlInputElement>().value())
        .collect();
    assert_eq!(
        values,
        [
            "return_and_refund",
            "replacement",
            "repair",
            "partial_refund"
        ]
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn each_step_says_what_is_missing_and_back_keeps_what_was_entered() {
    let (root, _handle) =
        mount_form(order_delivered_days_ago(1), OrderPolicy::default(), None).await;
    // The only line starts chosen; unchoosing it holds the buyer on the first step.
    click(&root, "input[type=checkbox]");
    leptos::task::tick().await;
    next(&root).await;
    assert_eq!(problem(&root), "Choose at least one item to return.");
    click(&root, "input[type=checkbox]");
    leptos::task::tick().await;
    next(&root).await;
    next(&root).await;
    assert_eq!(problem(&root), "Choose a reason first.");
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    next(&root).await;
    next(&root).await;
    assert!(
        problem(&root).starts_with("Choose what you would like"),
        "{}",
        problem(&root)
    );
    click(&root, "input[value=return_and_refund]");
    leptos::task::tick().await;
    next(&root).await;
    assert_eq!(heading(&root), "Anything the seller should know?");
    type_into(&root, "#description", "Broken hinge");
    leptos::task::tick().await;
    next(&root).await;
    // A defect needs a photo: said until one is added, and no longer once it is.
    next(&root).await;
    assert_eq!(problem(&root), "Add at least one photo of the problem.");
    choose_photo(&root);
    for _ in 0..50 {
        if problem(&root).is_empty() {
            break;
        }
        pause().await;
    }
    assert_eq!(problem(&root), "", "the error went with the photo");
    // One photo has no order to change: it can only be removed.
    assert!(root.query_selector("[data-act=up]").unwrap().is_none());
    assert!(root.query_selector("[data-act=remove]").unwrap().is_some());

    // Back through the steps: what was entered is still there.
    for _ in 0..3 {
        click(&root, ".wizard-buttons button[type=button]");
        leptos::task::tick().await;
    }
    assert_eq!(heading(&root), "What happened?");
    let reason: HtmlSelectElement = root
        .query_selector("#reason")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(reason.value(), "defective");
    root.remove();
}

/// A 2×2 PNG chosen in the photo step, as the file dialog would.
fn choose_photo(root: &HtmlElement) {
    const PNG: [u8; 74] = [
        137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2,
        0, 0, 0, 253, 212, 154, 115, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 0,
        68, 96, 226, 63, 3, 0, 29, 240, 3, 253, 160, 51, 9, 137, 0, 0, 0, 0, 73, 69, 78, 68, 174,
        66, 96, 130,
    ];
    let bytes = js_sys::Uint8Array::from(&PNG[..]);
    let file = web_sys::File::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes), "crack.png")
        .unwrap();
    let transfer = web_sys::DataTransfer::new().unwrap();
    transfer.items().add_with_file(&file).unwrap();
    let input: web_sys::HtmlInputElement = root
        .query_selector("input[type=file][multiple]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_files(transfer.files().as_ref());
    let init = EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

/// Lets the browser decode and scale a chosen photo.
async fn pause() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
}

/// The field is left: its value is judged.
fn leave(root: &HtmlElement, selector: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    root.query_selector(selector)
        .unwrap()
        .expect(selector)
        .dispatch_event(&Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_tracking_number_is_judged_once_typed_and_its_error_said_once_beside_it() {
    // The form as the case page draws it.
    let root = fresh_root();
    let _handle = mount_to(root.clone(), move || {
        let control = CaseControl::new("case-1".into());
        view! { <TrackingForm control shipment=Shipment::Return send="return.send" /> }
    });
    leptos::task::tick().await;
    let feedback = |root: &HtmlElement| {
        root.query_selector(".tracking-feedback")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let invalid = |root: &HtmlElement| {
        root.query_selector("#return-tracking")
            .unwrap()
            .unwrap()
            .get_attribute("aria-invalid")
    };
    let below_button = |root: &HtmlElement| {
        root.query_selector("#ship-return-error")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap_or_default()
    };
    assert!(feedback(&root).contains("recognised from the number"));
    // Half typed: not called wrong while the buyer is still typing.
    type_into(&root, "#return-tracking", "1Z99");
    leptos::task::tick().await;
    assert!(feedback(&root).contains("recognised from the number"));
    assert_eq!(invalid(&root).as_deref(), Some("false"));
    // Left with a wrong check digit: said beside the field, which is marked invalid.
    type_into(&root, "#return-tracking", "1Z999AA10123456785");
    leave(&root, "#return-tracking");
    leptos::task::tick().await;
    assert!(
        feedback(&root).contains("check digit"),
        "{}",
        feedback(&root)
    );
    assert_eq!(invalid(&root).as_deref(), Some("true"));
    // Corrected: the error goes as the correction is typed.
    type_into(&root, "#return-tracking", "1z999aa1 0123456784");
    leptos::task::tick().await;
    assert_eq!(feedback(&root), "UPS");
    assert_eq!(invalid(&root).as_deref(), Some("false"));
    type_into(&root, "#return-tracking", "RR123456785CN");
    leptos::task::tick().await;
    assert!(feedback(&root).contains("UPU S10"), "{}", feedback(&root));
    type_into(&root, "#return-tracking", "hello!");
    leptos::task::tick().await;
    assert!(
        feedback(&root).contains("only letters and digits"),
        "{}",
        feedback(&root)
    );
    // Sent empty: what is missing is said once, beside the field, not again under the button.
    type_into(&root, "#return-tracking", "");
    click(&root, "#ship-return button[type=submit]");
    leptos::task::tick().await;
    assert!(
        feedback(&root).contains("Enter the tracking number"),
        "{}",
        feedback(&root)
    );
    assert_eq!(invalid(&root).as_deref(), Some("true"));
    assert_eq!(below_button(&root), "");
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
    assert_eq!(text::percent(1234), "12.3%");
    speak(Locale::ZhCn);
    assert_eq!(text::time_left(now, at), "还剩 3 天 4 小时");
    let noon = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 14, 12, 0, 0).unwrap();
    let date = text::date_time(noon);
    assert!(date.contains("2026年3月14日"), "{date}");
    speak(Locale::Es);
    assert_eq!(text::money(Money::new(6399, Currency::EUR)), "63,99\u{a0}€");
    assert_eq!(text::percent(1234), "12,3\u{a0}%");
    let date = text::date_time(noon);
    assert!(date.contains("14 mar 2026"), "{date}");
    speak(Locale::En);
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
    let (root, _handle) =
        mount_form(order_delivered_days_ago(1), OrderPolicy::default(), None).await;
    next(&root).await;
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    next(&root).await;
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

    // The review says what will be asked for, with the amount typed, and what was written.
    next(&root).await;
    next(&root).await;
    choose_photo(&root);
    for _ in 0..50 {
        if root.query_selector("[data-act=remove]").unwrap().is_some() {
            break;
        }
        pause().await;
    }
    next(&root).await;
    assert_eq!(heading(&root), "Check and send");
    let review = root
        .query_selector(".wizard-step section:not([hidden])")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap_or_default();
    assert!(review.contains("Partial refund"), "{review}");
    assert!(review.contains("12.00"), "{review}");
    assert!(review.contains("DescriptionNone"), "{review}");
    assert!(!review.contains("optional"), "{review}");
    root.remove();
}

/// A marketplace with a 3-day change of mind, one seller who offers 30 days, and a rate card
/// from Spain back to China: the form judges with the rules the server serves for the order.
const STRICT: &str = r#"
[marketplace]
change_of_mind_days = 3

[sellers.s-north]
change_of_mind_days = 30

[shipping]
currency = "EUR"

[[shipping.routes]]
from = "ES"
to = "CN"
bands = [{ up_to_grams = 500, price = "14.90" }]
"#;

/// A 3.99 EUR cable of 60 g, sent from China to Spain and delivered `days` ago.
fn cable_delivered_days_ago(days: i64) -> Order {
    let mut order = order_delivered_days_ago(days);
    order.lines[0].unit_price = Money::new(399, Currency::EUR);
    order.lines[0].weight_grams = Some(60);
    order.ships_from = Some(Country::parse("CN").unwrap());
    order.ships_to = Some(Country::parse("ES").unwrap());
    order
}

#[wasm_bindgen_test]
async fn the_form_judges_with_the_policy_the_server_serves_for_the_order() {
    let set = PolicySet::from_toml(STRICT).unwrap();
    let order = cable_delivered_days_ago(5);
    let Fulfillment::Delivered { delivered_at, .. } = order.fulfillment else {
        unreachable!("a delivered order")
    };

    // At a seller under the marketplace's 3 days, five days after delivery is too late.
    let strict = set.for_order("s-tea", &order);
    let (root, handle) = mount_form(order.clone(), strict, Some("a")).await;
    next(&root).await;
    choose(&root, "#reason", "no_longer_wanted");
    leptos::task::tick().await;
    let (class, said) = verdict(&root);
    assert!(class.contains("refused"), "{class}: {said}");
    let closed = text::date_time(order.end_of_day_after(delivered_at, 3));
    assert!(said.contains(&closed), "closed on {closed}: {said}");
    // The quote, and who would pay it, before the buyer chooses.
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    let (class, said) = verdict(&root);
    assert!(class.contains("eligible"), "{class}: {said}");
    let quote = text::money(Money::new(1490, Currency::EUR));
    assert!(
        said.contains(&format!("Sending it back costs {quote}")),
        "{said}"
    );
    // Sending it back costs more than the cable: a refund, and it stays with the buyer.
    assert!(said.contains("more than it is worth"), "{said}");
    next(&root).await;
    let offered: Vec<String> = (0..8)
        .filter_map(|i| {
            root.query_selector_all(".choice:not([hidden]) input[name=resolution]")
                .unwrap()
                .item(i)
                .map(|n| n.unchecked_into::<web_sys::HtmlInputElement>().value())
        })
        .collect();
    assert_eq!(offered, ["refund_only", "partial_refund"]);
    root.remove();
    drop(handle);

    // The seller who offers 30 days: the same request is eligible.
    let generous = set.for_order("s-north", &order);
    let (root, _handle) = mount_form(order.clone(), generous, Some("a")).await;
    next(&root).await;
    choose(&root, "#reason", "no_longer_wanted");
    leptos::task::tick().await;
    let (class, said) = verdict(&root);
    assert!(class.contains("eligible"), "{class}: {said}");
    assert!(said.contains("you pay the return shipping"), "{said}");
    root.remove();
}

/// What the buyer entered comes back with the form (a reload, a change of language): each
/// step's fields show the saved draft.
#[wasm_bindgen_test]
async fn the_fields_show_the_saved_draft_when_the_form_comes_back() {
    let order = order_delivered_days_ago(1);
    let (root, handle) = mount_form(order.clone(), OrderPolicy::default(), None).await;
    next(&root).await;
    choose(&root, "#reason", "defective");
    leptos::task::tick().await;
    next(&root).await;
    click(&root, "input[value=partial_refund]");
    leptos::task::tick().await;
    type_into(&root, "#partial-amount", "12.50");
    leptos::task::tick().await;
    next(&root).await;
    type_into(&root, "#description", "Broken hinge");
    leptos::task::tick().await;
    drop(handle);
    root.remove();

    // The same order again, the tab's storage kept.
    let document = web_sys::window().unwrap().document().unwrap();
    let again: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&again).unwrap();
    let _handle = mount_to(again.clone(), move || {
        view! { <ReturnForm order=order.clone() policy=OrderPolicy::default() on_filed=|_: String| {} /> }
    });
    leptos::task::tick().await;
    assert_eq!(heading(&again), "Anything the seller should know?");
    let value = |css: &str| {
        js_sys::Reflect::get(
            &again.query_selector(css).unwrap().expect(css),
            &"value".into(),
        )
        .unwrap()
        .as_string()
        .unwrap_or_default()
    };
    assert_eq!(value("#reason"), "defective");
    assert_eq!(value("#partial-amount"), "12.50");
    assert_eq!(value("#description"), "Broken hinge");
    let partial: web_sys::HtmlInputElement = again
        .query_selector("input[value=partial_refund]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(partial.checked());
    assert!(again
        .text_content()
        .unwrap_or_default()
        .contains("12 / 2000"));
    again.remove();
}
