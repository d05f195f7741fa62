use leptos::prelude::*;

use crate::api::ApiError;
use crate::session::use_session;
use crate::text::t;

/// What went wrong with a load, in words the viewer understands, and what to do: sign in again,
/// go back to the start for something that does not exist, or try again.
#[component]
pub fn ErrorView(
    /// The failure.
    error: ApiError,
    /// Loads again.
    #[prop(into)]
    retry: Callback<()>,
) -> impl IntoView {
    let message = error.describe();
    let what_to_do = match error.code() {
        "unauthenticated" | "session_expired" => {
            let session = use_session();
            view! {
                <button type="button" class="button primary" on:click=move |_| {
                    if let Some(s) = session { s.me.set(None) }
                }>{t("nav.sign_in")}</button>
            }
            .into_any()
        }
        "not_found" => {
            view! { <a class="button secondary" href="/">{t("error_view.home")}</a> }.into_any()
        }
        _ => view! {
            <button type="button" class="button secondary" on:click=move |_| retry.run(())>
                {t("error_view.retry")}
            </button>
        }
        .into_any(),
    };
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            {what_to_do}
        </div>
    }
}
