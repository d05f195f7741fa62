//! The seller's and the mediator's screens in a real browser: the proposals board drawn from a
//! case read by hand, the counter-offer form checked by the rules, and the queue's filters.
#![cfg(target_arch = "wasm32")]

use chrono::TimeDelta;
use leptos::mount::mount_to;
use retour::components::case_queue::{filters_in_form, filters_markup, page_markup};
use retour::components::parcel::parcel_markup;
use retour::components::proposals_board::{board_markup, counter_offer, kind_changed};
use retour::components::status_header::status_header;
use retour::markup::set_value;
use retour::queue::{QueueFilters, QueuePage, PAGE_SIZE};
use retour::screen::CaseScreen;
use retour::text::{self, error, Locale};
use retour::typing::Typing;
use rules::{CaseState, Party, Reason, Resolution};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn english() {
    text::install(
        Locale::En,
        text::parse_catalogue(include_str!("../locales/en.json")).unwrap(),
    );
}

/// `html` in a fresh element of the page.
fn mount(html: &str) -> web_sys::Element {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_inner_html(html);
    document.body().unwrap().append_child(&root).unwrap();
    root
}

fn euros(minor: i64) -> Value {
    json!({"minor": minor, "currency": "EUR"})
}

fn at(hours: i64) -> String {
    (retour::clock::now() + TimeDelta::hours(hours)).to_rfc3339()
}

/// A case as `GET /api/cases/{id}` answers the seller: the buyer asks for a return and refund,
/// the seller has countered with a partial refund and a photo.
fn case_json(viewer: &str, escalated: bool) -> Value {
    let proposal = |by: &str, resolution: &str, refund: i64, payer: Value, note: &str| {
        json!({"by": by, "terms": {"resolution": resolution, "refund": euros(refund),
               "return_shipping_paid_by": payer}, "note": note, "evidence": [], "made_at": at(-5)})
    };
    let permissions: Vec<Value> = if escalated {
        vec![json!({"party": "platform", "action": "rule"})]
    } else {
        ["accept", "propose", "reject", "withdraw_proposal"]
            .iter()
            .map(|a| json!({"party": "seller", "action": a}))
            .collect()
    };
    json!({
        "id": "case-9", "order_id": "ord-9", "store": "Northwind", "buyer": "Lucía",
        "state": if escalated { "escalated" } else { "negotiating" },
        "reason": "defective", "resolution": "return_and_refund", "refund": euros(5900),
        "description": "Cracked", "lines": [{"line_id": "l-1", "title": "Lamp", "quantity": 1}],
        "explanation": {"code": "protection_window", "closes_at": at(400)},
        "created_at": at(-6), "version": 3, "viewer": viewer,
        "permissions": permissions,
        "next_deadline": {"at": at(30), "party": "buyer",
                          "then": {"code": "carry_out_proposal", "of": "seller"}},
        "case": {
            "proposals": {
                "buyer": proposal("buyer", "return_and_refund", 5900, json!("seller"), ""),
                "seller": proposal("seller", "partial_refund", 2000, Value::Null, "Keep it"),
                "platform": Value::Null,
            },
            "rejection": null, "return_address": null, "return_tracking": null,
            "outcome": null, "rating": null, "max_refund": euros(5900),
        },
        "timeline": [], "messages": [],
        "parcel": [
            {"leg": "outbound", "tracking_number": "RR473124829GB", "status": "delivered",
             "at": at(-150), "location": ""},
            {"leg": "return", "tracking_number": "RB776655444CN", "status": "out_for_delivery",
             "at": at(-2), "location": "Leeds <depot>"},
        ],
        "order": {"id": "ord-9", "placed_at": at(-200), "utc_offset_minutes": 60, "currency": "EUR",
                  "lines": [{"id": "l-1", "product": {"title": "Lamp", "category": "home",
                             "no_returns": false}, "quantity": 1, "unit_price": euros(5900)}],
                  "shipping": euros(0),
                  "fulfillment": {"state": "delivered", "shipped_at": at(-190), "delivered_at": at(-150)}},
        "evidence": [
            {"id": "ev-1", "party": "buyer", "url": "/api/evidence/ev-1", "sha256": "ab", "content_type": "image/jpeg",
             "size_bytes": 10, "width": 4, "height": 3, "file_name": "crack.jpg", "uploaded_at": at(-6)},
            {"id": "ev-2", "party": "seller", "url": "/api/evidence/ev-2", "sha256": "cd", "content_type": "image/jpeg",
             "size_bytes": 10, "width": 4, "height": 3, "file_name": "packed.jpg", "uploaded_at": at(-5)},
        ],
    })
}

fn screen(viewer: &str, escalated: bool) -> CaseScreen {
    CaseScreen::decode(&case_json(viewer, escalated).to_string()).expect("the case reads")
}

/// The element `css` under `root`; the test fails if there is none.
fn find(root: &web_sys::Element, css: &str) -> web_sys::Element {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("no {css}"))
}

fn column(root: &web_sys::Element, party: &str) -> String {
    find(root, &format!(".proposal[data-party={party}]")).inner_html()
}

#[wasm_bindgen_test]
fn the_parcels_journey_reads_oldest_first_with_where_the_carrier_saw_it() {
    english();
    let root = mount(&parcel_markup(&screen("buyer", false)));
    assert_eq!(find(&root, "h2").text_content().unwrap(), "Parcel tracking");
    let steps: Vec<String> = (0..2)
        .map(|i| {
            find(&root, &format!("li:nth-child({})", i + 1))
                .text_content()
                .unwrap_or_default()
        })
        .collect();
    assert!(steps[0].starts_with("Your order · Delivered"), "{steps:?}");
    assert!(
        steps[1].starts_with("The return · Out for delivery"),
        "{steps:?}"
    );
    // The carrier's words are text, never markup.
    assert!(steps[1].ends_with("Leeds <depot>"), "{steps:?}");
    root.remove();
    // No carrier has spoken: nothing is drawn.
    let mut json = case_json("buyer", false);
    json["parcel"] = json!([]);
    let quiet = CaseScreen::decode(&json.to_string()).expect("the case reads");
    assert_eq!(parcel_markup(&quiet), "");
}

#[wasm_bindgen_test]
fn each_party_reads_the_step_at_hand_in_its_own_words() {
    english();
    let step = |viewer: &str, state: &str| {
        let mut json = case_json(viewer, state == "escalated");
        json["state"] = json!(state);
        json["case"]["return_address"] = json!("Returns desk, Kowloon");
        let detail = CaseScreen::decode(&json.to_string()).expect("the case reads");
        let root = mount("");
        let handle = mount_to(root.clone().unchecked_into(), move || {
            status_header(&detail)
        });
        let text = root.text_content().unwrap_or_default();
        drop(handle);
        root.remove();
        text
    };
    let asked = step("buyer", "awaiting_seller");
    assert!(
        asked.contains("The seller has been asked to answer"),
        "{asked}"
    );
    assert!(
        asked.contains("Send it back to: Returns desk, Kowloon"),
        "{asked}"
    );
    let answer = step("seller", "awaiting_seller");
    assert!(answer.contains("waiting for your answer"), "{answer}");
    assert!(
        answer.contains("The return address you gave: Returns desk, Kowloon"),
        "{answer}"
    );
    let back = step("seller", "awaiting_return_shipment");
    assert!(
        back.contains("The buyer is sending the goods back") && !back.contains("Send the goods"),
        "{back}"
    );
    let rule = step("platform", "escalated");
    assert!(rule.contains("then rule"), "{rule}");
    // The timeline lists the newest first and numbers down, so the filing stays number 1.
    let timeline = mount(&retour::components::timeline::timeline_markup(&screen(
        "seller", false,
    )));
    assert!(timeline.query_selector("ol[reversed]").unwrap().is_some());
    timeline.remove();
    // Where a party has no sentence of its own, the common one serves.
    let settled = step("seller", "resolved");
    assert!(settled.contains("This case is settled"), "{settled}");
}

#[wasm_bindgen_test]
fn photo_captions_say_whose_they_are_in_good_spanish() {
    text::install(
        Locale::Es,
        text::parse_catalogue(include_str!("../locales/es.json")).unwrap(),
    );
    let root = mount(&retour::components::gallery::gallery_markup(&screen(
        "platform", true,
    )));
    let captions = root.text_content().unwrap_or_default();
    root.remove();
    english();
    assert!(
        captions.contains("Del comprador")
            && captions.contains("Del vendedor")
            && !captions.contains("De el"),
        "{captions}"
    );
}

#[wasm_bindgen_test]
fn the_board_shows_each_side_its_photos_and_what_the_clock_will_do() {
    english();
    let root = mount(&board_markup(&screen("seller", false)));
    let buyer = column(&root, "buyer");
    assert!(buyer.contains("The buyer's proposal"), "{buyer}");
    assert!(
        buyer.contains("Return and refund") || buyer.contains("return"),
        "{buyer}"
    );
    assert!(buyer.contains("59"), "{buyer}");
    assert!(
        buyer.contains("data-act=\"accept\" data-party=\"buyer\""),
        "{buyer}"
    );
    assert!(buyer.contains("crack.jpg") && !buyer.contains("packed.jpg"));
    let seller = column(&root, "seller");
    assert!(seller.contains("Your proposal"), "{seller}");
    assert!(seller.contains("Keep it") && seller.contains("20"));
    assert!(
        !seller.contains("data-act=\"accept\""),
        "no accepting one's own"
    );
    assert!(seller.contains("withdraw-proposal"));
    assert!(seller.contains("packed.jpg"));
    // Not escalated: no platform column.
    assert!(root
        .query_selector(".proposal[data-party=platform]")
        .unwrap()
        .is_none());
    let clock = find(&root, ".board-clock").text_content().unwrap();
    assert!(
        clock.starts_with("If nobody acts by") && clock.contains("your proposal is carried out"),
        "{clock}"
    );

    // Escalated, for the mediator: three sides, nothing to accept.
    let root = mount(&board_markup(&screen("platform", true)));
    assert!(column(&root, "platform").contains("No proposal."));
    assert!(!root.inner_html().contains("data-act=\"accept\""));

    // A seller who rejected has no proposal: the column shows the rejection instead.
    let mut rejected = case_json("platform", true);
    rejected["case"]["proposals"]["seller"] = Value::Null;
    rejected["case"]["rejection"] = json!("It works <fine>");
    let detail = CaseScreen::decode(&rejected.to_string()).expect("the case reads");
    let root = mount(&board_markup(&detail));
    let seller = column(&root, "seller");
    assert!(
        seller.contains("The seller rejected it: “It works &lt;fine&gt;”"),
        "{seller}"
    );
}

fn choose(id: &str, value: &str) {
    set_value(id, value);
}

#[wasm_bindgen_test]
fn the_counter_offer_form_refuses_what_the_rules_refuse() {
    english();
    let case = screen("seller", false);
    let max = case.parts.case.max_refund;
    let root = mount(&board_markup(&case));
    assert!(
        root.query_selector("#counter").unwrap().is_some(),
        "the seller may counter"
    );
    choose("counter-kind", "partial_refund");
    kind_changed("counter");
    choose("counter-amount", "");
    let empty = counter_offer(max).unwrap_err();
    choose("counter-amount", "12,3,4");
    let garbled = counter_offer(max).unwrap_err();
    choose("counter-amount", "60");
    let too_much = counter_offer(max).unwrap_err();
    assert_eq!(
        too_much,
        error("partial_amount_out_of_range", ""),
        "{too_much}"
    );
    choose("counter-amount", "0");
    let nothing = counter_offer(max).unwrap_err();
    assert_eq!(nothing, error("partial_amount_out_of_range", ""));
    choose("counter-amount", "-5");
    let negative = counter_offer(max).unwrap_err();
    choose("counter-amount", "20,505");
    let cents = counter_offer(max).unwrap_err();
    assert_ne!(cents, garbled, "too many decimals says so");
    for why in [&empty, &garbled, &too_much, &negative, &cents] {
        assert!(!why.is_empty() && !why.starts_with("error."), "{why}");
    }
    // A decimal comma, as Spanish and many other buyers write it.
    choose("counter-amount", "20,50");
    assert_eq!(counter_offer(max).unwrap().partial_amount_minor, Some(2050));
    choose("counter-amount", "20.50");
    set_value("counter-note", "  Keep it  ");
    let offer = counter_offer(max).unwrap();
    assert_eq!(offer.resolution, Resolution::PartialRefund);
    assert_eq!(offer.partial_amount_minor, Some(2050));
    assert_eq!(offer.note, "Keep it");

    // Goods going back: the payer field shows, and is part of the offer.
    choose("counter-kind", "return_and_refund");
    kind_changed("counter");
    let payer = find(&root, "#counter-payer-wrap");
    assert!(!payer.has_attribute("hidden"));
    choose("counter-payer", "buyer");
    let offer = counter_offer(max).unwrap();
    assert_eq!(offer.return_shipping_paid_by, Some(Party::Buyer));
    assert_eq!(offer.partial_amount_minor, None);
}

#[wasm_bindgen_test]
fn what_was_typed_and_opened_survives_the_page_being_drawn_again() {
    english();
    let case = screen("seller", false);
    let page = || {
        format!(
            "<section class=\"case\">{}<form id=\"f\">{}</form></section>",
            board_markup(&case),
            filters_markup(true)
        )
    };
    let root = mount(&page());
    retour::markup::show("counter", true);
    choose("counter-kind", "replacement");
    set_value("counter-note", "Keep it");
    tick("f-mine");
    let kept = Typing::read(".case");

    // Drawn again from the case: every form closed, every field empty.
    root.set_inner_html(&page());
    let counter = find(&root, "#counter");
    assert!(counter.has_attribute("hidden"));
    kept.restore();
    assert!(
        !counter.has_attribute("hidden"),
        "the open form opens again"
    );
    assert_eq!(retour::markup::value_of("counter-kind"), "replacement");
    assert_eq!(retour::markup::value_of("counter-note"), "Keep it");
    let mine: web_sys::HtmlInputElement = find(&root, "#f-mine").unchecked_into();
    assert!(mine.checked(), "a ticked box stays ticked");
    root.remove();

    // Nothing typed, nothing open: nothing changes.
    let root = mount(&page());
    let blank = Typing::read(".case");
    blank.restore();
    assert!(find(&root, "#counter").has_attribute("hidden"));
    root.remove();
}

fn tick(id: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    let input: web_sys::HtmlInputElement = document.get_element_by_id(id).unwrap().unchecked_into();
    input.set_checked(true);
}

#[wasm_bindgen_test]
fn the_queue_filters_follow_the_form_and_flag_what_is_due_soon() {
    english();
    // In the mediator's queue every case is escalated: no such filter.
    let mediators = mount(&filters_markup(false));
    assert!(mediators.query_selector("#f-mine").unwrap().is_some());
    assert!(mediators.query_selector("#f-escalated").unwrap().is_none());
    mediators.remove();
    let root = mount(&filters_markup(true));
    assert!(root.query_selector("#f-escalated").unwrap().is_some());
    assert_eq!(filters_in_form(), QueueFilters::default());
    choose("f-state", "awaiting_seller");
    choose("f-reason", "defective");
    tick("f-mine");
    set_value("f-q", "ord-10");
    let filters = filters_in_form();
    assert_eq!(filters.state, Some(CaseState::AwaitingSeller));
    assert_eq!(filters.reason, Some(Reason::Defective));
    assert!(filters.needs_my_action && !filters.escalated);
    assert_eq!(
        filters.path(None, PAGE_SIZE),
        "/api/cases?limit=25&state=awaiting_seller&reason=defective&needs_my_action=true&q=ord-10"
    );
    // Every state and reason can be chosen, each labelled in words.
    let html = root.inner_html();
    assert_eq!(
        html.matches("<option").count(),
        2 + CaseState::ALL.len() + Reason::ALL.len()
    );
    assert!(!html.contains(">state.") && !html.contains(">reason."));

    let row = |id: &str, hours: i64, mine: bool| {
        let mut item = case_json("seller", false);
        item["id"] = json!(id);
        item["next_deadline"]["at"] = json!(at(hours));
        item["needs_my_action"] = json!(mine);
        item["escalated"] = json!(false);
        item
    };
    let answer = json!({
        "items": [row("soon", 3, true), row("later", 72, false)],
        "next_cursor": "123:later",
        "counts": [{"state": "negotiating", "count": 2}, {"state": "closed", "count": 1}],
        "total": 2,
    });
    let object = retour::decode::Obj::parse(&answer.to_string()).unwrap();
    let page: QueuePage = retour::decode::FromJs::from_js(&object).unwrap();
    let root = mount(&page_markup(
        &page,
        Some(CaseState::Negotiating),
        retour::clock::now(),
        Party::Seller,
    ));
    let soon = find(&root, "tr[data-case=soon]").inner_html();
    assert!(
        soon.contains("Due within 24 h") && soon.contains("Your move"),
        "{soon}"
    );
    // What the clock will do, as the seller reads it.
    assert!(
        soon.contains("If nothing is done: your proposal is carried out automatically."),
        "{soon}"
    );
    let later = find(&root, "tr[data-case=later]").inner_html();
    assert!(!later.contains("Due within 24 h") && !later.contains("Your move"));
    let pressed = find(&root, "[aria-pressed=true]").text_content().unwrap();
    assert_eq!(pressed, "Negotiating 2");
    let all = find(&root, "[data-state='']").text_content().unwrap();
    assert_eq!(all, "All states 3");
    assert!(!find(&root, "#queue-more").has_attribute("hidden"));
    assert!(root.text_content().unwrap().contains("2 cases"));
    // One case is "1 case", and the last page offers no more.
    let mut rows = page.rows[..1].to_vec();
    rows[0].escalated = true;
    let one = QueuePage {
        rows,
        next_cursor: None,
        total: 1,
        ..page
    };
    let root = mount(&page_markup(
        &one,
        None,
        retour::clock::now(),
        Party::Seller,
    ));
    let text = root.text_content().unwrap();
    assert!(
        text.contains("1 case") && !text.contains("1 cases"),
        "{text}"
    );
    assert!(find(&root, "#queue-more").has_attribute("hidden"));
    // The seller is told a case is escalated; in the mediator's queue every case is.
    root.remove();
    let row = |viewer| {
        let root = mount(&page_markup(&one, None, retour::clock::now(), viewer));
        let text = find(&root, "tr[data-case]").text_content().unwrap();
        root.remove();
        text
    };
    assert!(row(Party::Seller).contains("Escalated"));
    assert!(!row(Party::Platform).contains("Escalated"));
}
