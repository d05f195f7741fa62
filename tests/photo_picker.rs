//! The photo picker in a real browser: real image files are scaled down and shown, then moved
//! and removed with their buttons.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use leptos::prelude::*;
use retour::components::photo_picker::Photo;
use retour::components::PhotoPicker;
use retour::text::{self, Locale};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlCanvasElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A PNG file of `width` × `height`, drawn by the browser.
async fn image_file(name: &str, width: u32, height: u32) -> web_sys::File {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    let blob = js_sys::Promise::new(&mut |resolve, _| {
        let done =
            wasm_bindgen::closure::Closure::once_into_js(move |blob: wasm_bindgen::JsValue| {
                let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &blob);
            });
        canvas.to_blob(done.unchecked_ref()).unwrap();
    });
    let blob = JsFuture::from(blob).await.unwrap();
    let parts = js_sys::Array::of1(&blob);
    web_sys::File::new_with_blob_sequence(&parts, name).unwrap()
}

/// Chooses `files` in the picker's input, as the file dialog would.
fn choose(root: &HtmlElement, files: &[web_sys::File]) {
    let transfer = web_sys::DataTransfer::new().unwrap();
    for file in files {
        transfer.items().add_with_file(file).unwrap();
    }
    let input: HtmlInputElement = root
        .query_selector("input[type=file][multiple]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_files(transfer.files().as_ref());
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
}

async fn settle() {
    for _ in 0..50 {
        leptos::task::tick().await;
        sleep(Duration::from_millis(20)).await;
    }
}

async fn sleep(d: Duration) {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, d.as_millis() as i32)
            .unwrap();
    });
    JsFuture::from(wait).await.unwrap();
}

fn names(root: &HtmlElement) -> Vec<String> {
    let found = root.query_selector_all(".photo .name").unwrap();
    (0..found.length())
        .map(|i| found.item(i).unwrap().text_content().unwrap())
        .collect()
}

fn press(root: &HtmlElement, act: &str, n: usize) {
    let buttons = root
        .query_selector_all(&format!("button[data-act='{act}']"))
        .unwrap();
    buttons
        .item(n as u32)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
}

#[wasm_bindgen_test]
async fn photos_are_scaled_shown_moved_and_removed() {
    let json = include_str!("../locales/en.json");
    text::install(Locale::En, text::parse_catalogue(json).unwrap());
    let more = include_str!("../locales/en.more.json");
    text::extend(text::parse_catalogue(more).unwrap());
    let document = web_sys::window().unwrap().document().unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let photos = RwSignal::new(Vec::<Photo>::new());
    let _handle = mount_to(root.clone(), move || view! { <PhotoPicker photos /> });

    let big = image_file("big.png", 3000, 1000).await;
    let small = image_file("small.png", 300, 200).await;
    let text_file =
        web_sys::File::new_with_str_sequence(&js_sys::Array::of1(&"hello".into()), "notes.jpg")
            .unwrap();
    choose(&root, &[big, small, text_file]);
    settle().await;

    // Two photos shown, the text file named with the reason.
    assert_eq!(names(&root), ["Photo 1: big.png", "Photo 2: small.png"]);
    let problems = root
        .query_selector(".form-error")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        problems.contains("notes.jpg: This file is not a photo"),
        "{problems}"
    );
    // Re-encoded as JPEG (the end-to-end test checks the 2048 px the server receives).
    let sizes: Vec<(String, f64)> = photos.with_untracked(|list| {
        list.iter()
            .map(|p| (p.blob.type_(), p.blob.size()))
            .collect()
    });
    assert!(
        sizes.iter().all(|(kind, _)| kind == "image/jpeg"),
        "{sizes:?}"
    );
    let first = photos.with_untracked(|list| list[0].preview.clone());
    assert!(first.starts_with("blob:"), "{first}");

    // The first moves down, then the (now second) big one is removed.
    press(&root, "down", 0);
    settle().await;
    assert_eq!(names(&root), ["Photo 1: small.png", "Photo 2: big.png"]);
    press(&root, "remove", 1);
    settle().await;
    assert_eq!(names(&root), ["Photo 1: small.png"]);
    root.remove();
}
