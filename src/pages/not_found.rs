use leptos::prelude::*;

use crate::markup::{esc, text as tag, Markup};
use crate::text::t;

/// Any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let html = Markup::fill(
        "{}<p>{} <a href=\"/\">{}</a></p>",
        &[
            &tag("h1", "", &t("not_found.title")),
            &esc(&t("not_found.body")),
            &esc(&t("error_view.home")),
        ],
    );
    view! { <div inner_html=html.into_html()></div> }
}
