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
    /// What the viewer can do about it.
    #[derive(Clone, Copy)]
    enum Remedy {
        SignIn,
        Start,
        Retry,
    }
    let (remedy, label) = match error.code() {
        "unauthenticated" | "session_expired" => (Remedy::SignIn, "nav.sign_in"),
        "not_found" => (Remedy::Start, "error_view.home"),
        _ => (Remedy::Retry, "error_view.retry"),
    };
    let session = use_session();
    let router = use_router();
    let act = move |_| match remedy {
        Remedy::SignIn => {
            if let Some(s) = session {
                s.me.set(None)
            }
        }
        Remedy::Start => router.go("/"),
        Remedy::Retry => retry.run(()),
    };
    view! {
        <div class="notice error" role="alert">
            <p>{message}</p>
            <button type="button" class="button secondary" on:click=act>{t(label)}</button>
        </div>
    }
}
