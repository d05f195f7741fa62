use leptos::prelude::*;

use crate::text::t;

/// Any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>{t("not_found.title")}</h1>
        <p>{t("not_found.body")} " " <a href="/">{t("error_view.home")}</a></p>
    }
}
