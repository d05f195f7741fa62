use leptos::prelude::*;
use rules::api::RateBody;
use rules::ActionKind;

use crate::components::case_actions::CaseControl;
use crate::markup::text as tag;
use crate::screen::CaseScreen;
use crate::text::{error, t, tf};

/// Once the case is settled: 1 to 5 stars and a comment, or the rating given.
#[component]
pub fn RatingForm(
    /// The case as shown.
    detail: CaseScreen,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let given = detail.parts.case.rating.clone().map(|rating| {
        let comment = if rating.comment.is_empty() {
            String::new()
        } else {
            tag("blockquote", "", &rating.comment)
        };
        let html = format!(
            "{}{}{comment}",
            tag("h2", "", &t("rating.title")),
            tag(
                "p",
                "",
                &tf("rating.given", &[("stars", &rating.stars.to_string())])
            )
        );
        view! { <section class="card" inner_html=html></section> }
    });
    let form = detail.may(ActionKind::Rate).then(|| rating_form(control));
    view! { {given}{form} }
}

fn rating_form(control: CaseControl) -> impl IntoView {
    let (stars, set_stars) = signal(0u8);
    let (comment, set_comment) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if stars.get_untracked() == 0 {
            set_problem.set(Some(error("stars_out_of_range", "")));
            return;
        }
        set_problem.set(None);
        control.run(
            ActionKind::Rate,
            RateBody {
                stars: stars.get_untracked(),
                comment: comment.get_untracked().trim().to_owned(),
            },
        );
    };
    let choices = (1..=5u8)
        .map(|n| {
            view! {
                <label class="star">
                    <input type="radio" name="stars" value=n.to_string() on:change=move |_| set_stars.set(n) />
                    <span aria-hidden="true">{"★".repeat(n as usize)}</span>
                    <span class="visually-hidden">{tf("rating.stars", &[("stars", &n.to_string())])}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h2>{t("rating.title")}</h2>
            <form on:submit=submit novalidate>
                <fieldset class="stars">
                    <legend>{t("rating.question")}</legend>
                    {choices}
                </fieldset>
                <label for="rating-comment">{t("rating.comment")}</label>
                <textarea id="rating-comment" rows="2" prop:value=comment on:input=move |ev| set_comment.set(event_target_value(&ev))></textarea>
                <p class="form-error" role="alert">{problem}</p>
                <button type="submit" class="button primary" disabled=control.busy>{t("rating.send")}</button>
            </form>
        </section>
    }
}
