use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::Blob;

use crate::markup::{el, esc, target, text as tag, Act, Markup};
use crate::photos::{self, MAX_PHOTOS};
use crate::text::{error, t, tf};

/// Where a chosen photo is on its way to the server.
#[derive(Clone, Debug, PartialEq)]
pub enum Upload {
    /// Not sent yet.
    Waiting,
    /// The share sent so far, 0 to 1.
    Sending(f64),
    /// Kept by the server as the evidence with this id.
    Sent(String),
    /// Sending failed, with the sentence to show; it can be tried again.
    Failed(String),
}

/// A photo chosen, scaled down and ready to send.
#[derive(Clone)]
pub struct Photo {
    pub id: u32,
    pub name: String,
    pub blob: Arc<SendWrapper<Blob>>,
    /// A `blob:` address for the preview.
    pub preview: String,
    pub upload: Upload,
}

/// The photos as a list: preview, name, upload progress and, when `editable`, buttons to move
/// each up or down or remove it. Written as markup: the list's one click handler reads which
/// button was pressed from its `data-act` and `data-id`.
pub fn photo_list(list: &[Photo], editable: bool) -> Markup {
    let count = list.len();
    list.iter()
        .enumerate()
        .map(|(i, photo)| {
            let label = tf(
                "photos.number",
                &[("n", &(i + 1).to_string()), ("name", &photo.name)],
            );
            let status = match &photo.upload {
                Upload::Waiting => Markup::default(),
                Upload::Sending(share) => Markup::fill(
                    "<progress max=\"100\" value=\"{}\" aria-label=\"{}\"></progress>",
                    &[
                        &Markup::number((share * 100.0) as u32),
                        &esc(&tf("photos.sending", &[("name", &photo.name)])),
                    ],
                ),
                Upload::Sent(_) => tag("span", "ok", &t("photos.sent")),
                Upload::Failed(why) => tag("span", "error", why),
            };
            let button = |act: Act, key: &str, disabled: bool| {
                Markup::fill(
                    "<button type=\"button\" class=\"link\" data-act=\"{}\" data-id=\"{}\"{}>{}</button>",
                    &[
                        &Markup::tags(act.code()),
                        &Markup::number(photo.id),
                        &Markup::tags(if disabled { " disabled" } else { "" }),
                        &esc(&t(key)),
                    ],
                )
            };
            // A single photo has no order to change: only its removal is offered.
            let moves = if count > 1 {
                button(Act::PhotoUp, "photos.earlier", i == 0)
                    .join(button(Act::PhotoDown, "photos.later", i + 1 == count))
            } else {
                Markup::default()
            };
            let actions = if editable {
                el(
                    "span",
                    "photo-actions",
                    moves.join(button(Act::PhotoRemove, "photos.remove", false)),
                )
            } else {
                Markup::default()
            };
            Markup::fill(
                "<li class=\"photo\"><img src=\"{}\" alt=\"{}\" width=\"96\" height=\"96\">{}{}{}</li>",
                &[
                    &esc(&photo.preview),
                    &esc(&label),
                    &tag("span", "name", &label),
                    &status,
                    &actions,
                ],
            )
        })
        .collect()
}

/// Choosing photos: from files or the phone's camera, each scaled down in the browser, with
/// previews, remove and move up or down; a file that is not an image or is too large is named
/// with the reason.
#[component]
pub fn PhotoPicker(
    /// The photos chosen, in the order they will be sent.
    photos: RwSignal<Vec<Photo>>,
) -> impl IntoView {
    let (problems, set_problems) = signal(Markup::default());
    let (working, set_working) = signal(0usize);
    let next_id = StoredValue::new(0u32);
    let add = move |files: web_sys::FileList| {
        set_problems.set(Markup::default());
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        // One after another, so the photos keep the order they were chosen in.
        set_working.update(|n| *n += files.len());
        let files = SendWrapper::new(files);
        leptos::task::spawn_local(async move {
            for file in files.iter() {
                let name = file.name();
                let full = photos.with_untracked(Vec::len) >= MAX_PHOTOS;
                let shrunk = if full {
                    Err("too_many_photos")
                } else {
                    photos::shrink(file).await
                };
                match shrunk {
                    Ok(blob) => {
                        let id = next_id.get_value();
                        next_id.set_value(id + 1);
                        let preview = photos::preview(&blob);
                        photos.update(|list| {
                            list.push(Photo {
                                id,
                                name: name.clone(),
                                blob: Arc::new(SendWrapper::new(blob)),
                                preview,
                                upload: Upload::Waiting,
                            })
                        });
                    }
                    Err(code) => set_problems.update(|p| {
                        let why = tf(
                            "photos.problem",
                            &[("name", &name), ("why", &error(code, ""))],
                        );
                        p.push(tag("li", "", &why));
                    }),
                }
                set_working.update(|n| *n -= 1);
            }
        });
    };
    // Both file inputs, drawn as markup, report here.
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = target::<web_sys::HtmlInputElement>(&ev) else {
            return;
        };
        if let Some(files) = input.files() {
            add(files);
        }
        // The same file can be chosen again after a removal.
        input.set_value("");
    };
    // One handler for every photo's buttons.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some((act, button)) = Act::pressed(&ev) else {
            return;
        };
        let Some(id) = button
            .get_attribute("data-id")
            .and_then(|i| i.parse::<u32>().ok())
        else {
            return;
        };
        photos.update(|list| {
            let Some(i) = list.iter().position(|p| p.id == id) else {
                return;
            };
            match act {
                Act::PhotoUp if i > 0 => list.swap(i, i - 1),
                Act::PhotoDown if i + 1 < list.len() => list.swap(i, i + 1),
                Act::PhotoRemove => photos::forget_preview(&list.remove(i).preview),
                _ => {}
            }
        });
        // The list was written again: the same button of the same photo keeps the focus.
        let selector = format!(
            "button[data-act='{}'][data-id='{id}']:not([disabled])",
            act.code()
        );
        request_animation_frame(move || {
            if let Some(again) = document().query_selector(&selector).ok().flatten() {
                let _ = again.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        });
    };
    let choose = Markup::fill(
        "{}<div class=\"photo-buttons\"><label class=\"button secondary\">{}\
         <input type=\"file\" accept=\"image/*\" multiple class=\"visually-hidden\"></label>\
         <label class=\"button secondary\">{}<input type=\"file\" accept=\"image/*\" capture=\"environment\" \
         class=\"visually-hidden\"></label></div>",
        &[
            &tag("p", "hint", &tf("photos.hint", &[("max", &MAX_PHOTOS.to_string())])),
            &esc(&t("photos.choose")),
            &esc(&t("photos.camera")),
        ],
    );
    view! {
        <div class="photo-picker" on:change=on_change>
            <div inner_html=choose.into_html()></div>
            <p class="hint" aria-live="polite">
                {move || if working.get() > 0 { t("photos.preparing") } else { String::new() }}
            </p>
            <ul class="form-error" role="alert" inner_html=move || problems.get().into_html()></ul>
            <ul
                class="photos"
                on:click=on_click
                inner_html=move || photos.with(|list| photo_list(list, true)).into_html()
            ></ul>
        </div>
    }
}
