use leptos::prelude::*;

use crate::api::ApiError;
use crate::text;

/// What went wrong with a load, in words the viewer understands, and a way to try again.
#[component]
pub fn ErrorView(
    /// The failure.
    error: ApiError,
    /// Loads again.
    #[prop(into)]
    retry: Callback<()>,
) -> impl IntoView {
    let message = match &error {
        ApiError::Server { code, message, .. } => text::error(code, message),
        other => text::error(other.code(), ""),
    };
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
