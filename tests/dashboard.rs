//! The seller's and the mediator's screens in a real browser: the proposals board drawn from a
//! case read by hand, the counter-offer form checked by the rules, and the queue's filters.
#![cfg(target_arch = "wasm32")]

use chrono::TimeDelta;
use leptos::mount::mount_to;
use leptos::prelude::*;
use retour::api::Decode;
use retour::components::case_actions::CaseControl;
use retour::components::case_queue::{filters_view, page_view};
use retour::components::messages::Messages;
use retour::components::parcel::parcel_markup;
use retour::components::proposals_board::{columns_markup, ProposalsBoard};
use retour::components::status_header::StatusHeader;
use retour::markup::Markup;
use retour::queue::{QueueFilters, QueuePage, PAGE_SIZE};
use retour::screen::CaseScreen;
use retour::text::{self, error, Locale};
use rules::{CaseState, Party, Reason};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn english() {
    text::install(
        Locale::En,
        text::parse_catalogue(include_str!("../locales/en.json")).unwrap(),
    );
    text::extend(text::parse_catalogue(include_str!("../locales/en.more.json")).unwrap());
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
        "id": "case-9", "number": 3009, "order_id": "ord-9", "store": "Northwind", "buyer": "Lucía",
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
    let root = mount(&parcel_markup(&screen("buyer", false)).into_html());
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
    assert_eq!(parcel_markup(&quiet), Markup::default());
}

/// The text of the status header drawn for the case `json`, as the server would send it.
fn header_of(json: &Value) -> String {
    let detail = CaseScreen::decode(&json.to_string()).expect("the case reads");
    let (root, _) = mount_case(detail, |control| {
        view! { <StatusHeader control /> }.into_any()
    });
    let text = root.text_content().unwrap_or_default();
    root.remove();
    text
}

#[wasm_bindgen_test]
fn each_party_reads_the_step_at_hand_in_its_own_words() {
    english();
    let step = |viewer: &str, state: &str| {
        let mut json = case_json(viewer, state == "escalated");
        json["state"] = json!(state);
        json["case"]["return_address"] = json!("Returns desk, Kowloon");
        header_of(&json)
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
    let timeline =
        mount(&retour::components::timeline::timeline_markup(&screen("seller", false)).into_html());
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
    text::extend(text::parse_catalogue(include_str!("../locales/es.more.json")).unwrap());
    let root =
        mount(&retour::components::gallery::gallery_markup(&screen("platform", true)).into_html());
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
    let root = mount(&columns_markup(&screen("seller", false)).into_html());
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
    let root = mount(&columns_markup(&screen("platform", true)).into_html());
    assert!(column(&root, "platform").contains("No proposal."));
    assert!(!root.inner_html().contains("data-act=\"accept\""));

    // A seller who rejected has no proposal: the column shows the rejection instead.
    let mut rejected = case_json("platform", true);
    rejected["case"]["proposals"]["seller"] = Value::Null;
    rejected["case"]["rejection"] = json!("It works <fine>");
    let detail = CaseScreen::decode(&rejected.to_string()).expect("the case reads");
    let root = mount(&columns_markup(&detail).into_html());
    let seller = column(&root, "seller");
    assert!(
        seller.contains("The seller rejected it: “It works &lt;fine&gt;”"),
        "{seller}"
    );
}

/// The parts `view` draws of the case `detail`, as if the server had sent it, mounted in a
/// fresh element of the page for as long as the test runs; and the control they share.
fn mount_case(
    detail: CaseScreen,
    view: impl FnOnce(CaseControl) -> AnyView + 'static,
) -> (web_sys::Element, CaseControl) {
    let root = mount("");
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let slot = made.clone();
    mount_to(root.clone().unchecked_into(), move || {
        let control = CaseControl::new(detail.summary.id.clone());
        control.case.set(Some(detail));
        slot.set(Some(control));
        view(control)
    })
    .forget();
    (root, made.get().expect("mounted"))
}

/// Types `value` into the field `id` (or picks it from a list) as a person would: the field
/// announces it as the browser does.
fn type_in(id: &str, value: &str) {
    let document = web_sys::window().unwrap().document().unwrap();
    let field = document.get_element_by_id(id).unwrap();
    js_sys::Reflect::set(&field, &"value".into(), &value.into()).unwrap();
    let event = if field.tag_name() == "SELECT" {
        "change"
    } else {
        "input"
    };
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    field
        .dispatch_event(&web_sys::Event::new_with_event_init_dict(event, &init).unwrap())
        .unwrap();
}

fn press(root: &web_sys::Element, css: &str) {
    find(root, css)
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
}

/// The browser runs what a change made due (effects, redraws) before the test reads the page.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |done, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&done, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_counter_offer_form_refuses_what_the_rules_refuse() {
    english();
    let (root, _) = mount_case(screen("seller", false), |control| {
        view! { <ProposalsBoard control /> }.into_any()
    });
    let form = find(&root, "#counter");
    assert!(form.has_attribute("hidden"), "closed until asked for");
    press(&root, "[data-act=counter-open]");
    settle().await;
    assert!(!form.has_attribute("hidden"));
    type_in("counter-amount", "60");
    press(&root, "#counter button[type=submit]");
    settle().await;
    assert_eq!(
        find(&root, "#counter-error").text_content().unwrap(),
        error("partial_amount_out_of_range", "")
    );
    // Goods going back: the payer's field shows and the amount's goes.
    assert!(find(&root, "#counter-payer-wrap").has_attribute("hidden"));
    type_in("counter-kind", "return_and_refund");
    settle().await;
    assert!(!find(&root, "#counter-payer-wrap").has_attribute("hidden"));
    assert!(find(&root, "#counter-amount-wrap").has_attribute("hidden"));
    root.remove();
}

/// The other party's moves (a message, a photo, a new version of the case) change the page in
/// place: the seller's half-made counter-offer, its chosen photo included, is the same form
/// with the same values, still open.
#[wasm_bindgen_test]
async fn what_is_typed_and_chosen_survives_the_other_partys_moves() {
    english();
    let (root, control) = mount_case(screen("seller", false), |control| {
        view! {
            <ProposalsBoard control />
            <Messages control />
        }
        .into_any()
    });
    press(&root, "[data-act=counter-open]");
    settle().await;
    type_in("counter-kind", "replacement");
    type_in("counter-note", "Keep it");
    type_in("message", "Half a message");
    let photos: web_sys::HtmlInputElement = find(&root, "#counter-photos").unchecked_into();
    let chosen = web_sys::DataTransfer::new().unwrap();
    let file = web_sys::File::new_with_str_sequence(
        &js_sys::Array::of1(&"jpeg bytes".into()),
        "close-up.jpg",
    )
    .unwrap();
    chosen.items().add_with_file(&file).unwrap();
    photos.set_files(chosen.files().as_ref());
    let form = find(&root, "#counter");

    for n in 0..3 {
        let mut json = case_json("seller", false);
        json["version"] = json!(4 + n);
        json["messages"] = json!([{"id": format!("m-{n}"), "party": "buyer", "author": "Lucía",
            "body": format!("Any news? ({n})"), "sent_at": at(-1)}]);
        let mut evidence = json["evidence"].as_array().unwrap().clone();
        let mut photo = evidence[0].clone();
        photo["id"] = json!("ev-9");
        photo["file_name"] = json!("second.jpg");
        evidence.push(photo);
        json["evidence"] = json!(evidence);
        control
            .case
            .set(Some(CaseScreen::decode(&json.to_string()).unwrap()));
        settle().await;
        assert!(
            find(&root, ".messages")
                .text_content()
                .unwrap()
                .contains(&format!("Any news? ({n})")),
            "the message arrives"
        );
    }
    assert!(
        column(&root, "buyer").contains("second.jpg"),
        "the photo arrives"
    );
    assert!(
        form.is_same_node(Some(&find(&root, "#counter"))),
        "the form is the one the seller was filling in"
    );
    assert!(!form.has_attribute("hidden"), "still open");
    assert_eq!(retour::markup::value_of("counter-kind"), "replacement");
    assert_eq!(retour::markup::value_of("counter-note"), "Keep it");
    assert_eq!(retour::markup::value_of("message"), "Half a message");
    let kept: web_sys::HtmlInputElement = find(&root, "#counter-photos").unchecked_into();
    assert_eq!(
        kept.files().unwrap().length(),
        1,
        "the chosen photo is still chosen"
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn the_queue_filters_follow_the_form_and_flag_what_is_due_soon() {
    english();
    let (root, _) = mount_queue(None, Party::Platform);
    // In the mediator's queue every case is escalated: no such filter.
    assert!(root.query_selector("#f-mine").unwrap().is_some());
    assert!(root.query_selector("#f-escalated").unwrap().is_none());
    root.remove();
    let (root, chosen_by_seller) = mount_queue(None, Party::Seller);
    assert!(root.query_selector("#f-escalated").unwrap().is_some());
    type_in("f-state", "awaiting_seller");
    type_in("f-reason", "defective");
    press(&root, "#f-mine");
    type_in("f-q", "ord-10");
    // The search applies once the field is left (or Enter is pressed), not at each keystroke.
    assert_eq!(chosen_by_seller.get_untracked().search, "");
    // Leaving the field: the browser's change event, which bubbles.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    find(&root, "#f-q")
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    let picked = chosen_by_seller.get_untracked();
    assert_eq!(picked.state, Some(CaseState::AwaitingSeller));
    assert_eq!(picked.reason, Some(Reason::Defective));
    assert!(picked.needs_my_action && !picked.escalated);
    assert_eq!(
        picked.path(None, PAGE_SIZE),
        "/api/cases?limit=25&state=awaiting_seller&reason=defective&needs_my_action=true&q=ord-10"
    );
    // Every state and reason can be chosen, each labelled in words.
    let html = root.inner_html();
    assert_eq!(
        html.matches("<option").count(),
        2 + CaseState::ALL.len() + Reason::ALL.len()
    );
    assert!(!html.contains(">state.") && !html.contains(">reason."));
    root.remove();

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
    let (root, filters) = mount_queue(Some(page.clone()), Party::Seller);
    filters.set(QueueFilters {
        state: Some(CaseState::Negotiating),
        ..QueueFilters::default()
    });
    settle().await;
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
    assert!(root.text_content().unwrap().contains("2 cases"));
    // A chip filters by its state.
    press(&root, ".chip[data-state=closed]");
    assert_eq!(filters.get_untracked().state, Some(CaseState::Closed));
    root.remove();
    // One case is "1 case".
    let mut rows = page.rows[..1].to_vec();
    rows[0].escalated = true;
    let one = QueuePage {
        rows,
        next_cursor: None,
        total: 1,
        ..page
    };
    let (root, _) = mount_queue(Some(one.clone()), Party::Seller);
    let text = root.text_content().unwrap();
    assert!(
        text.contains("1 case") && !text.contains("1 cases"),
        "{text}"
    );
    root.remove();
    // The seller is told a case is escalated; in the mediator's queue every case is.
    let row = |viewer| {
        let (root, _) = mount_queue(Some(one.clone()), viewer);
        let text = find(&root, "tr[data-case]").text_content().unwrap();
        root.remove();
        text
    };
    assert!(row(Party::Seller).contains("Escalated"));
    assert!(!row(Party::Platform).contains("Escalated"));
}

/// A queue's filters and, when given, its `page`, for `viewer`, mounted in a fresh element; and
/// the filters, as the viewer's choices apply them.
fn mount_queue(
    page: Option<QueuePage>,
    viewer: Party,
) -> (web_sys::Element, RwSignal<QueueFilters>) {
    let root = mount("");
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let slot = made.clone();
    mount_to(root.clone().unchecked_into(), move || {
        let filters = RwSignal::new(QueueFilters::default());
        let shown = RwSignal::new(page);
        slot.set(Some(filters));
        let apply = move |chosen: QueueFilters| filters.set(chosen);
        view! {
            {filters_view(filters, viewer == Party::Seller, apply)}
            {page_view(shown, filters, viewer, apply)}
        }
    })
    .forget();
    (root, made.get().expect("mounted"))
}

/// Text that would be tags, a script and a `javascript:` link if it were ever taken as markup.
const HOSTILE: &str = r#"<img src=x onerror="alert(1)">'"><script>alert(2)</script><a href="javascript:alert(3)">x</a>"#;

/// `root` shows `HOSTILE` as text wherever it went, and holds none of what it would have made.
fn shown_as_text(root: &web_sys::Element, at_least: usize) {
    for css in ["img[src=x]", "script", "a[href^=javascript]", "[onerror]"] {
        assert!(
            root.query_selector(css).unwrap().is_none(),
            "{css} was made"
        );
    }
    let text = root.text_content().unwrap_or_default();
    assert!(
        text.matches(HOSTILE).count() >= at_least,
        "{at_least} × the text, as typed: {text}"
    );
}

/// Every field a person types that a case, an order card or the queue shows.
#[wasm_bindgen_test]
async fn hostile_text_in_every_typed_field_is_shown_as_text() {
    english();
    let mut json = case_json("seller", false);
    for field in ["buyer", "store", "description"] {
        json[field] = json!(HOSTILE);
    }
    json["lines"][0]["title"] = json!(HOSTILE);
    json["case"]["proposals"]["seller"]["note"] = json!(HOSTILE);
    json["case"]["rejection"] = json!(HOSTILE);
    json["case"]["return_address"] = json!(HOSTILE);
    json["case"]["rating"] = json!({"stars": 2, "comment": HOSTILE, "given_at": at(-1)});
    json["messages"] = json!([{"id": "m-1", "party": "buyer", "author": HOSTILE, "body": HOSTILE,
        "sent_at": at(-1)}]);
    json["evidence"][0]["file_name"] = json!(HOSTILE);
    json["parcel"][1]["location"] = json!(HOSTILE);
    json["order"]["lines"][0]["product"]["title"] = json!(HOSTILE);
    let detail = CaseScreen::decode(&json.to_string()).expect("the case reads");
    let (root, _) = mount_case(detail, |control| {
        view! {
            <retour::pages::case::CaseDetails
                control
                id="case-9".to_owned()
                number=3009
                order_id="ord-9".to_owned()
                viewer=Party::Seller
            />
        }
        .into_any()
    });
    settle().await;
    // Buyer, store, description, item, note, rejection, address, rating, author, message,
    // location; the file name is in the photos' attributes, whole.
    shown_as_text(&root, 11);
    let alt = find(&root, ".thumbs img").get_attribute("alt").unwrap();
    assert!(alt.contains(HOSTILE), "{alt}");
    root.remove();

    // The buyer's order card and the seller's queue.
    let order: rules::api::OrderView = retour::decode::FromJs::from_js(
        &retour::decode::Obj::parse(
            &json!({"store": HOSTILE, "store_id": "s-1", "order": json["order"]}).to_string(),
        )
        .unwrap(),
    )
    .expect("the order reads");
    let root = mount(&retour::components::order_card::order_card(&order).into_html());
    shown_as_text(&root, 2);
    root.remove();
    let mut item = json.clone();
    item["next_deadline"]["at"] = json!(at(3));
    item["needs_my_action"] = json!(true);
    item["escalated"] = json!(false);
    let answer = json!({"items": [item], "next_cursor": null,
                        "counts": [{"state": "negotiating", "count": 1}], "total": 1});
    let page: QueuePage =
        retour::decode::FromJs::from_js(&retour::decode::Obj::parse(&answer.to_string()).unwrap())
            .unwrap();
    let (root, _) = mount_queue(Some(page), Party::Seller);
    // Buyer, item.
    shown_as_text(&root, 2);
    root.remove();
}

/// The header and the buttons say what is true of the case and what the viewer can do.
#[wasm_bindgen_test]
fn the_words_say_what_is_true_of_each_state() {
    english();
    // After the seller's rejection no proposal waits for an answer: the buyer is told it was
    // rejected, and what they can do.
    let mut rejected = case_json("buyer", false);
    rejected["case"]["rejection"] = json!("Colour is as listed");
    rejected["case"]["proposals"]["seller"] = Value::Null;
    rejected["next_deadline"] =
        json!({"at": at(30), "party": "buyer", "then": {"code": "close_rejected"}});
    let header = header_of(&rejected);
    assert!(header.contains("Rejected by the seller"), "{header}");
    assert!(header.contains("ask the platform to decide"), "{header}");
    assert!(!header.contains("waiting for an answer"), "{header}");
    assert!(header.contains("Your move"), "{header}");
    // Settled, only the optional rating is left: nobody's move.
    let mut resolved = case_json("buyer", false);
    resolved["state"] = json!("resolved");
    resolved["next_deadline"] = json!({"at": at(300), "party": "buyer", "then": {"code": "close"}});
    let header = header_of(&resolved);
    assert!(!header.contains("Your move"), "{header}");
    // The parcel is on its way back: the carrier's move, not the seller's.
    let mut travelling = case_json("seller", false);
    travelling["state"] = json!("return_in_transit");
    travelling["next_deadline"] =
        json!({"at": at(300), "party": "seller", "then": {"code": "platform_steps_in"}});
    let header = header_of(&travelling);
    assert!(header.contains("on its way to you"), "{header}");
    assert!(!header.contains("Your move"), "{header}");

    // The buyer refuses the seller's counter-offer, not "the request"; taking back a proposal
    // and withdrawing the whole request read apart.
    let mut countered = case_json("buyer", false);
    countered["permissions"] = json!([
        {"party": "buyer", "action": "reject"},
        {"party": "buyer", "action": "withdraw"},
        {"party": "buyer", "action": "withdraw_proposal"},
        {"party": "buyer", "action": "accept"},
    ]);
    let detail = CaseScreen::decode(&countered.to_string()).expect("the case reads");
    let (root, _) = mount_case(detail, |control| {
        view! {
            <ProposalsBoard control />
            <retour::components::case_actions::CaseActions control />
        }
        .into_any()
    });
    let buttons = root.text_content().unwrap_or_default();
    root.remove();
    assert!(buttons.contains("Reject the counter-offer"), "{buttons}");
    assert!(!buttons.contains("Reject the request"), "{buttons}");
    assert!(buttons.contains("Take back this proposal"), "{buttons}");
    assert!(buttons.contains("Withdraw the whole request"), "{buttons}");

    // In Chinese, nothing follows a full-width comma but the next word.
    text::install(
        Locale::ZhCn,
        text::parse_catalogue(include_str!("../locales/zh-CN.json")).unwrap(),
    );
    text::extend(text::parse_catalogue(include_str!("../locales/zh-CN.more.json")).unwrap());
    let header = header_of(&case_json("buyer", false));
    english();
    assert!(header.contains("，"), "{header}");
    assert!(!header.contains("， "), "{header}");
    // In Spanish the median is not also called a mean.
    let spanish = text::parse_catalogue(include_str!("../locales/es.more.json")).unwrap();
    let median = js_sys::Reflect::get(&spanish, &"analytics.median".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(
        median.contains("mediana") && !median.contains("medio"),
        "{median}"
    );
}
