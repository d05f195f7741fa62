use leptos::prelude::*;

/// Any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"This page does not exist. " <a href="/">"Go to your orders"</a></p>
    }
}
