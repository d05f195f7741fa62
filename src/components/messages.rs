use crate::screen::CaseScreen;
use leptos::prelude::*;

use crate::api;
use crate::components::case_actions::CaseControl;
use crate::markup::{el, text as tag};
use crate::text::{self, code, t, who};

/// The parties' messages, oldest first, and a box to write one.
#[component]
pub fn Messages(
    /// The case as shown.
    detail: CaseScreen,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let viewer = detail.parts.viewer;
    let list: String = detail
        .parts
        .messages
        .iter()
        .map(|m| {
            let meta = format!(
                "{} {}",
                tag(
                    "strong",
                    "",
                    &format!("{} · {}", m.author, code("who", who(m.party, viewer)))
                ),
                tag("span", "muted", &text::date_time(m.sent_at))
            );
            let class = if m.party == viewer { "mine" } else { "" };
            el(
                "li",
                class,
                &format!(
                    "{}{}",
                    el("p", "meta", &meta),
                    tag("p", "description", &m.body)
                ),
            )
        })
        .collect();
    let empty = detail
        .parts
        .messages
        .is_empty()
        .then(|| view! { <p class="muted">{t("messages.none")}</p> });
    let body = control.message;
    let (problem, set_problem) = signal(None::<String>);
    let (sending, set_sending) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let text = body.get_untracked().trim().to_owned();
        if text.is_empty() {
            set_problem.set(Some(text::error("message_empty", "")));
            return;
        }
        set_problem.set(None);
        set_sending.set(true);
        leptos::task::spawn_local(async move {
            match api::send_message(&control.case_id(), text).await {
                Ok(()) => {
                    body.set(String::new());
                    control.reload();
                }
                Err(e) => set_problem.set(Some(e.describe())),
            }
            set_sending.set(false);
        });
    };
    view! {
        <section class="card messages">
            <h2>{t("messages.title")}</h2>
            {empty}
            <ul class="message-list" inner_html=list></ul>
            <form on:submit=submit novalidate>
                <label for="message">{t("messages.write")}</label>
                <textarea id="message" rows="3" prop:value=body on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <p class="form-error" role="alert">{problem}</p>
                <button type="submit" class="button secondary" disabled=sending>{t("messages.send")}</button>
            </form>
        </section>
    }
}
