use std::sync::Arc;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::Blob;

use crate::photos::{self, MAX_PHOTOS};
use crate::text::{error, t, tf};

/// Where a chosen photo is on its way to the case.
#[derive(Clone, Debug, PartialEq)]
pub enum Upload {
    /// Not sent yet.
    Waiting,
    /// The share sent so far, 0 to 1.
    Sending(f64),
    Sent,
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

/// Choosing photos: from files or the phone's camera, each scaled down in the browser, with
/// previews, remove and move up or down; a file that is not an image or is too large is named
/// with the reason.
#[component]
pub fn PhotoPicker(
    /// The photos chosen, in the order they will be sent.
    photos: RwSignal<Vec<Photo>>,
) -> impl IntoView {
    let (problems, set_problems) = signal(Vec::<String>::new());
    let (working, set_working) = signal(0usize);
    let next_id = StoredValue::new(0u32);
    let add = move |files: web_sys::FileList| {
        set_problems.set(Vec::new());
        let files: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        for file in files {
            set_working.update(|n| *n += 1);
            let file = SendWrapper::new(file);
            leptos::task::spawn_local(async move {
                let name = file.name();
                let full = photos.with_untracked(Vec::len) >= MAX_PHOTOS;
                let shrunk = if full {
                    Err("too_many_photos")
                } else {
                    photos::shrink(&file).await
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
                        p.push(tf(
                            "photos.problem",
                            &[("name", &name), ("why", &error(code, ""))],
                        ))
                    }),
                }
                set_working.update(|n| *n -= 1);
            });
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(files) = input.files() {
            add(files);
        }
        // The same file can be chosen again after a removal.
        input.set_value("");
    };
    let move_by = move |id: u32, step: isize| {
        photos.update(|list| {
            if let Some(i) = list.iter().position(|p| p.id == id) {
                let j = i as isize + step;
                if j >= 0 && (j as usize) < list.len() {
                    list.swap(i, j as usize);
                }
            }
        })
    };
    let remove = move |id: u32| {
        photos.update(|list| {
            if let Some(i) = list.iter().position(|p| p.id == id) {
                photos::forget_preview(&list.remove(i).preview);
            }
        })
    };
    let items = move || {
        let list = photos.get();
        let count = list.len();
        list.into_iter()
            .enumerate()
            .map(|(i, photo)| {
                let id = photo.id;
                let status = match &photo.upload {
                    Upload::Waiting => ().into_any(),
                    Upload::Sending(share) => view! {
                        <progress max="100" value=(share * 100.0) as u32 aria-label=tf("photos.sending", &[("name", &photo.name)])></progress>
                    }
                    .into_any(),
                    Upload::Sent => view! { <span class="ok">{t("photos.sent")}</span> }.into_any(),
                    Upload::Failed(why) => view! { <span class="error">{why.clone()}</span> }.into_any(),
                };
                let label = tf("photos.number", &[("n", &(i + 1).to_string()), ("name", &photo.name)]);
                view! {
                    <li class="photo">
                        <img src=photo.preview.clone() alt=label.clone() width="96" height="96" />
                        <span class="name">{label}</span>
                        {status}
                        <span class="photo-actions">
                            <button type="button" class="link" disabled=i == 0 on:click=move |_| move_by(id, -1)>
                                {t("photos.earlier")}
                            </button>
                            <button type="button" class="link" disabled=i + 1 == count on:click=move |_| move_by(id, 1)>
                                {t("photos.later")}
                            </button>
                            <button type="button" class="link" on:click=move |_| remove(id)>
                                {t("photos.remove")}
                            </button>
                        </span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="photo-picker">
            <p class="hint">{tf("photos.hint", &[("max", &MAX_PHOTOS.to_string())])}</p>
            <div class="photo-buttons">
                <label class="button secondary">
                    {t("photos.choose")}
                    <input type="file" accept="image/*" multiple class="visually-hidden" on:change=on_change />
                </label>
                <label class="button secondary">
                    {t("photos.camera")}
                    <input type="file" accept="image/*" capture="environment" class="visually-hidden" on:change=on_change />
                </label>
            </div>
            <p class="hint" aria-live="polite">
                {move || (working.get() > 0).then(|| t("photos.preparing"))}
            </p>
            <ul class="form-error" role="alert">
                {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
            </ul>
            <ul class="photos">{items}</ul>
        </div>
    }
}
