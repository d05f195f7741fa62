use leptos::prelude::*;

use crate::api::ApiError;

/// What went wrong with a load, in words the viewer understands, and what to do: try again, or
/// for something that does not exist, go back to the orders.
#[component]
pub fn ErrorView(
    /// The failure.
    error: ApiError,
    /// Loads again.
    #[prop(into)]
    retry: Callback<()>,
) -> impl IntoView {
    let missing = error.code() == "not_found";
    let message = error.describe();
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            {if missing {
                view! { <a class="button secondary" href="/">"Go to my orders"</a> }.into_any()
            } else {
                view! {
                    <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                        "Try again"
                    </button>
                }
                    .into_any()
            }}
        </div>
    }
}
