//! The case's photos: thumbnails with who sent them and when, and a full-size viewer (a modal
//! `<dialog>`) that the arrow keys move through and Escape closes. Drawn as markup; the case
//! page's handlers call [`open_photo`], [`step_photo`] and [`close_photo`].

use leptos::prelude::*;

use crate::components::case_actions::CaseControl;
use crate::markup::{all, button, by_id, el, esc, text as tag, Act, Markup};
use crate::screen::CaseScreen;
use crate::text::{self, t, tf};

/// The gallery of `detail`'s evidence, with the viewer it opens.
pub fn gallery_markup(detail: &CaseScreen) -> Markup {
    let evidence = &detail.parts.evidence;
    let items: Markup = evidence
        .iter()
        .enumerate()
        .map(|(i, e)| {
            // One sentence per party: Spanish contracts "de el" to "del".
            let caption = tf(
                &format!("gallery.caption.{}", e.party.code()),
                &[("date", &text::date_time(e.uploaded_at))],
            );
            let alt = tf(
                "gallery.photo",
                &[("n", &(i + 1).to_string()), ("name", &e.file_name)],
            );
            Markup::fill(
                "<li><button type=\"button\" class=\"thumb\" data-act=\"{}\" data-index=\"{}\" \
                 data-src=\"{}\" data-caption=\"{}\" data-sha=\"{}\">\
                 <img src=\"{}\" alt=\"{}\" loading=\"lazy\"></button>{}</li>",
                &[
                    &Markup::tags(Act::Photo.code()),
                    &Markup::number(i as u64),
                    &esc(&e.url),
                    &esc(&format!("{alt} · {caption}")),
                    &esc(&e.sha256),
                    &esc(&e.url),
                    &esc(&alt),
                    &tag("span", "muted", &caption),
                ],
            )
        })
        .collect();
    if evidence.is_empty() {
        tag("p", "muted", &t("gallery.none"))
    } else {
        el("ul", "thumbs", items)
    }
}

/// The case's photos and the viewer they open in. The thumbnails follow the case; the viewer is
/// drawn once, so a photo arriving does not close it.
#[component]
pub fn Gallery(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let nav = button(
        "button secondary",
        Act::PhotoPrev,
        &[],
        &t("gallery.previous"),
    )
    .join(button(
        "button secondary",
        Act::PhotoNext,
        &[],
        &t("gallery.next"),
    ))
    .join(button(
        "button primary",
        Act::PhotoClose,
        &[],
        &t("gallery.close"),
    ));
    view! {
        <section class="card gallery" aria-labelledby="gallery-title">
            <h2 id="gallery-title">{t("gallery.title")}</h2>
            <div inner_html=move || control.with(gallery_markup).unwrap_or_default().into_html()></div>
            <dialog id="photo-viewer" aria-labelledby="photo-viewer-caption">
                <img id="photo-viewer-img" alt="" />
                <p id="photo-viewer-caption"></p>
                <p class="muted hash" id="photo-viewer-sha"></p>
                <div class="viewer-nav" inner_html=nav.into_html()></div>
            </dialog>
        </section>
    }
}

fn viewer() -> Option<web_sys::HtmlDialogElement> {
    by_id("photo-viewer")
}

/// Shows photo `index` (counted around, so the last's next is the first) full size.
pub fn open_photo(index: i64) {
    let Some(dialog) = viewer() else {
        return;
    };
    let thumbs = all(".thumbs .thumb");
    if thumbs.is_empty() {
        return;
    }
    let index = index.rem_euclid(thumbs.len() as i64);
    let thumb = &thumbs[index as usize];
    let read = |name: &str| thumb.get_attribute(name).unwrap_or_default();
    if let Some(img) = leptos::prelude::document().get_element_by_id("photo-viewer-img") {
        let _ = img.set_attribute("src", &read("data-src"));
        let _ = img.set_attribute("alt", &read("data-caption"));
    }
    crate::markup::say("photo-viewer-caption", &read("data-caption"));
    crate::markup::say(
        "photo-viewer-sha",
        &tf("gallery.sha256", &[("sha", &read("data-sha"))]),
    );
    let _ = dialog.set_attribute("data-index", &index.to_string());
    if !dialog.open() {
        let _ = dialog.show_modal();
    }
}

/// Moves the open viewer by `delta` photos.
pub fn step_photo(delta: i64) {
    let Some(dialog) = viewer().filter(|d| d.open()) else {
        return;
    };
    let at: i64 = dialog
        .get_attribute("data-index")
        .and_then(|i| i.parse().ok())
        .unwrap_or(0);
    open_photo(at + delta);
}

pub fn close_photo() {
    if let Some(dialog) = viewer() {
        dialog.close();
    }
}
