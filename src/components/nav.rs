use leptos::prelude::*;

/// The header: who Retour is for, and where to go.
#[component]
pub fn Nav() -> impl IntoView {
    view! {
        <header class="top">
            <a class="brand" href="/">"Retour"</a>
            <nav aria-label="Main">
                <a href="/">"My orders"</a>
                <a href="/seller/returns">"Seller: returns"</a>
            </nav>
        </header>
    }
}
