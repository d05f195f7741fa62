use leptos::prelude::*;
use rules::api::CreditView;

use crate::api;
use crate::components::Loaded;
use crate::markup::{el, esc, text as tag, Markup};
use crate::route::Route;
use crate::text::{self, t, tf};

/// The store credit the buyer holds, newest first, each with its code, its store and the case it
/// settled: `/credits`.
#[component]
pub fn CreditsPage() -> impl IntoView {
    let render = |credits: Vec<CreditView>| {
        let list = credits_markup(&credits);
        view! { <div inner_html=list.into_html()></div> }.into_any()
    };
    view! {
        <h1>{t("credits.title")}</h1>
        <p class="hint">{t("credits.intro")}</p>
        <Loaded load=api::credits() loading="credits.loading" render />
    }
}

/// The credits as a list; an empty list says so.
fn credits_markup(credits: &[CreditView]) -> Markup {
    if credits.is_empty() {
        return tag("p", "empty", &t("credits.none"));
    }
    let items: Markup = credits
        .iter()
        .map(|c| {
            let case = Markup::fill(
                "<a href=\"{}\">{}</a>",
                &[
                    &esc(&Route::Case {
                        id: c.case_id.clone(),
                    }
                    .href()),
                    &esc(&tf("case.number", &[("number", &c.number.to_string())])),
                ],
            );
            let facts = [
                tag("strong", "amount", &text::money(c.amount)),
                tag("code", "credit-code", &c.code),
                tag(
                    "span",
                    "muted",
                    &tf(
                        "credits.from",
                        &[("store", &c.store), ("date", &text::date_time(c.issued_at))],
                    ),
                ),
                case,
            ];
            el("li", "credit", facts.into_iter().collect())
        })
        .collect();
    el("ul", "credits", items)
}
