use leptos::error::Error;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::text;

/// An error caught by an `<ErrorBoundary>`, in words the viewer understands.
pub fn describe_error(error: &Error) -> String {
    match error.downcast_ref::<ApiError>() {
        Some(ApiError::Server { code, message, .. }) => text::error(code, message),
        Some(other) => text::error(other.code(), ""),
        None => error.to_string(),
    }
}

/// The fallback of an `<ErrorBoundary>`: what went wrong, and a way to try again.
#[component]
pub fn ErrorView(
    /// The errors the boundary caught.
    errors: ArcRwSignal<Errors>,
    /// Loads again; the button is shown only when given.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <div class="notice error" role="alert">
            {move || {
                errors
                    .get()
                    .into_iter()
                    .map(|(_, error)| view! { <p>{describe_error(&error)}</p> })
                    .collect_view()
            }}
            {retry
                .map(|retry| {
                    view! {
                        <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                            "Try again"
                        </button>
                    }
                })}
        </div>
    }
}
