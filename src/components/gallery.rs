//! The case's photos: thumbnails with who sent them and when, and a full-size viewer (a modal
//! `<dialog>`) that the arrow keys move through and Escape closes. Drawn as markup; the case
//! page's handlers call [`open_photo`], [`step_photo`] and [`close_photo`].

use crate::markup::{all, button, by_id, esc, text as tag};
use crate::screen::CaseScreen;
use crate::text::{self, t, tf};

/// The gallery of `detail`'s evidence, with the viewer it opens.
pub fn gallery_markup(detail: &CaseScreen) -> String {
    let evidence = &detail.parts.evidence;
    let items: String = evidence
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
            format!(
                "<li><button type=\"button\" class=\"thumb\" data-act=\"photo\" data-index=\"{i}\" \
                 data-src=\"{url}\" data-caption=\"{caption}\" data-sha=\"{sha}\">\
                 <img src=\"{url}\" alt=\"{alt}\" loading=\"lazy\"></button>{}</li>",
                tag("span", "muted", &caption),
                url = esc(&e.url),
                caption = esc(&format!("{alt} · {caption}")),
                sha = esc(&e.sha256),
                alt = esc(&alt),
            )
        })
        .collect();
    let body = if evidence.is_empty() {
        tag("p", "muted", &t("gallery.none"))
    } else {
        format!(
            "<ul class=\"thumbs\">{items}</ul>\
             <dialog id=\"photo-viewer\" aria-labelledby=\"photo-viewer-caption\">\
             <img id=\"photo-viewer-img\" alt=\"\">\
             <p id=\"photo-viewer-caption\"></p><p class=\"muted hash\" id=\"photo-viewer-sha\"></p>\
             <div class=\"viewer-nav\">{}{}{}</div></dialog>",
            button("button secondary", "photo-prev", None, &t("gallery.previous")),
            button("button secondary", "photo-next", None, &t("gallery.next")),
            button("button primary", "photo-close", None, &t("gallery.close")),
        )
    };
    format!(
        "<section class=\"card gallery\" aria-labelledby=\"gallery-title\">\
         <h2 id=\"gallery-title\">{}</h2>{body}</section>",
        esc(&t("gallery.title"))
    )
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
