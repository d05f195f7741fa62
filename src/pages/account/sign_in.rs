use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::api::Login;

use crate::api;
use crate::markup::{esc, value_of, Markup};
use crate::session::use_session;
use crate::text::t;

/// Signing in, shown in place of any page while nobody is signed in; the page asked for follows.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session().expect("the sign-in page runs inside the app");
    let router = crate::route::use_router();
    let (problem, set_problem) = signal(None::<String>);
    let (pending, set_pending) = signal(false);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let login = Login {
            email: value_of("email").trim().to_owned(),
            password: value_of("password"),
        };
        if pending.get_untracked() {
            return;
        }
        if login.email.is_empty() || login.password.is_empty() {
            set_problem.set(Some(t("sign_in.missing")));
            return;
        }
        set_problem.set(None);
        set_pending.set(true);
        leptos::task::spawn_local(async move {
            match api::sign_in(&login).await {
                Ok(me) => {
                    // Signed in from the sign-in address itself: the address becomes the start.
                    if router.route.get_untracked() == crate::route::Route::SignIn {
                        router.go(&crate::route::Route::Orders.href());
                    }
                    session.me.set(Some(me));
                }
                Err(e) => set_problem.set(Some(match e.code() {
                    "wrong_credentials" => t("sign_in.wrong"),
                    _ => e.describe(),
                })),
            }
            set_pending.set(false);
        });
    };
    let fields = Markup::fill(
        "<label for=\"email\">{}</label><input id=\"email\" type=\"email\" autocomplete=\"username\" required>\
         <label for=\"password\">{}</label><input id=\"password\" type=\"password\" autocomplete=\"current-password\" required>",
        &[&esc(&t("sign_in.email")), &esc(&t("sign_in.password"))],
    );
    view! {
        <section class="card sign-in">
            <h1>{t("sign_in.title")}</h1>
            <form on:submit=on_submit novalidate>
                <div inner_html=fields.into_html()></div>
                <p class="form-error" role="alert" aria-live="assertive">{problem}</p>
                <button type="submit" class="button primary" disabled=pending>
                    {move || t(if pending.get() { "sign_in.pending" } else { "sign_in.submit" })}
                </button>
            </form>
        </section>
    }
}
