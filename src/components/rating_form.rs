//! The buyer's rating of how the case was handled, once it is over: stars and an optional
//! comment. Shown as given once rated.

use leptos::prelude::*;
use rules::{Action, ActionKind, Rating};

use crate::components::case_actions::{while_allowed, CaseControl};
use crate::components::form_parts::{SendRow, TextBox};
use crate::markup::{text as tag, Markup};
use crate::text::{error, t, tf};

/// The rating given, as markup.
pub fn rating_markup(rating: &Rating) -> Markup {
    let comment = if rating.comment.is_empty() {
        Markup::default()
    } else {
        tag("blockquote", "", &rating.comment)
    };
    tag("h2", "", &t("rating.title"))
        .join(tag(
            "p",
            "",
            &tf("rating.given", &[("stars", &rating.stars.to_string())]),
        ))
        .join(comment)
}

/// The rating chosen, or what is missing.
pub fn rating_action(stars: Option<u8>, comment: &str) -> Result<Action, String> {
    let stars = stars.ok_or_else(|| error("stars_out_of_range", ""))?;
    Ok(Action::Rate {
        stars,
        comment: comment.trim().to_owned(),
    })
}

/// The rating given, or the form when the viewer may rate.
#[component]
pub fn RatingForm(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let given = Memo::new(move |_| control.with(|c| c.parts.case.rating.clone()).flatten());
    let may = control.may(ActionKind::Rate);
    let rate = Memo::new(move |_| may.get() && given.with(Option::is_none));
    view! {
        <Show when=move || given.with(Option::is_some)>
            <section
                class="card"
                inner_html=move || given.get().map(|r| rating_markup(&r)).unwrap_or_default().into_html()
            ></section>
        </Show>
        {while_allowed(rate, control, |control| view! { <RatingFields control /> }.into_any())}
    }
}

#[component]
fn RatingFields(control: CaseControl) -> impl IntoView {
    let stars = RwSignal::new(None::<u8>);
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        control.submit(
            rating_action(stars.get_untracked(), &comment.get_untracked()),
            problem,
        );
    };
    view! {
        <section class="card">
            <h2>{t("rating.title")}</h2>
            <form id="rate" novalidate on:submit=submit>
                <fieldset class="stars">
                    <legend>{t("rating.question")}</legend>
                    {(1..=5u8)
                        .map(|n| {
                            view! {
                                <label class="star">
                                    <input
                                        type="radio"
                                        name="stars"
                                        value=n
                                        prop:checked=move || stars.get() == Some(n)
                                        on:change=move |_| stars.set(Some(n))
                                    />
                                    <span aria-hidden="true">{"★".repeat(n as usize)}</span>
                                    <span class="visually-hidden">
                                        {tf("rating.stars", &[("stars", &n.to_string())])}
                                    </span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <TextBox id="rating-comment" label="rating.comment" value=comment rows=2 />
                <SendRow error_id="rate-error" problem busy=control.busy label="rating.send" />
            </form>
        </section>
    }
}
