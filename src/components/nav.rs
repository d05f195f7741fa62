use leptos::prelude::*;

use crate::markup::Markup;
use rules::api::Role;

use crate::api;
use crate::components::notices::NoticesMenu;
use crate::session::use_session;
use crate::text::{t, Locale};

/// The header: where to go for the signed-in role, the language, and signing out.
#[component]
pub fn Nav() -> impl IntoView {
    let session = use_session().expect("the header runs inside the app");
    let role = session
        .me
        .with_untracked(|me| me.as_ref().map(|me| me.role));
    let links: &[(&str, &str)] = match role {
        None => &[],
        Some(Role::Buyer) => &[
            ("/", "nav.orders"),
            ("/returns", "nav.my_returns"),
            ("/credits", "nav.credits"),
        ],
        Some(Role::Seller) => &[
            ("/seller/returns", "nav.returns"),
            ("/seller/analytics", "nav.analytics"),
            ("/seller/policy", "nav.policy"),
        ],
        Some(Role::Mediator) => &[("/mediator/cases", "nav.disputes")],
    };
    let links: Markup = links
        .iter()
        .map(|(href, label)| {
            Markup::fill(
                "<a href=\"{}\">{}</a>",
                &[&Markup::tags(href), &Markup::text(&t(label))],
            )
        })
        .collect();
    let current = session.locale.get_untracked();
    let languages = crate::markup::options(
        Locale::ALL.into_iter().map(|l| (l.code(), l.name())),
        current.code(),
    );
    let router = crate::route::use_router();
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // Signed out here even if the answer is lost: the cookie expires on its own.
            let _ = api::sign_out().await;
            session.me.set(None);
            // The next person to sign in starts at the beginning, not on this person's page.
            router.go("/");
        })
    };
    let who = session.me.with_untracked(|me| {
        me.as_ref().map(|me| {
            view! {
                <NoticesMenu />
                <a class="who" href="/account">{me.display_name.clone()}</a>
                <button type="button" class="link" on:click=sign_out>
                    {t("nav.sign_out")}
                </button>
            }
        })
    });
    view! {
        <header class="top">
            <a class="brand" href="/">"Retour"</a>
            <nav aria-label=t("nav.label") inner_html=links.into_html()></nav>
            <div class="account">
                <label class="language">
                    <span class="visually-hidden">{t("nav.language")}</span>
                    <select on:change=move |ev| {
                        if let Some(l) = Locale::from_code(&event_target_value(&ev)) {
                            // A catalogue that cannot be fetched leaves the language as it was.
                            leptos::task::spawn_local(async move {
                                let _ = session.switch_locale(l).await;
                            });
                        }
                    } inner_html=languages.into_html()></select>
                </label>
                {who}
            </div>
        </header>
    }
}
