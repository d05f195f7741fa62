use leptos::prelude::*;

use crate::api::ApiError;
use crate::route::use_router;
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
    let code = error.code().to_owned();
    let label = match code.as_str() {
        "unauthenticated" | "session_expired" => "nav.sign_in",
        "not_found" => "error_view.home",
        _ => "error_view.retry",
    };
    let session = use_session();
    let router = use_router();
    let act = move |_| match code.as_str() {
        "unauthenticated" | "session_expired" => {
            if let Some(s) = session {
                s.me.set(None)
            }
        }
        "not_found" => router.go("/"),
        _ => retry.run(()),
    };
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            <button type="button" class="button secondary" on:click=act>{t(label)}</button>
        </div>
    }
}
