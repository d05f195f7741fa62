use leptos::prelude::*;
use rules::api::CaseDetail;

use crate::api;
use crate::components::case_actions::CaseControl;
use crate::text::{self, code, t, who};

/// The parties' messages, oldest first, and a box to write one.
#[component]
pub fn Messages(
    /// The case as shown.
    detail: CaseDetail,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let viewer = detail.viewer;
    let list = detail
        .messages
        .iter()
        .map(|m| {
            view! {
                <li class:mine=m.party == viewer>
                    <p class="meta">
                        <strong>{format!("{} · {}", m.author, code("who", who(m.party, viewer)))}</strong>
                        " "
                        <span class="muted">{text::date_time(m.sent_at)}</span>
                    </p>
                    <p class="description">{m.body.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let empty = detail
        .messages
        .is_empty()
        .then(|| view! { <p class="muted">{t("messages.none")}</p> });
    let (body, set_body) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let send = Action::new_local(move |text: &String| {
        let text = text.clone();
        async move { api::send_message(&control.case_id(), text).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(())) => {
            set_body.set(String::new());
            control.reload();
        }
        Some(Err(e)) => set_problem.set(Some(e.describe())),
        None => {}
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = body.get_untracked().trim().to_owned();
        if text.is_empty() {
            set_problem.set(Some(text::error("message_empty", "")));
            return;
        }
        set_problem.set(None);
        send.dispatch(text);
    };
    view! {
        <section class="card messages">
            <h2>{t("messages.title")}</h2>
            {empty}
            <ul class="message-list">{list}</ul>
            <form on:submit=submit novalidate>
                <label for="message">{t("messages.write")}</label>
                <textarea id="message" rows="3" prop:value=body on:input=move |ev| set_body.set(event_target_value(&ev))></textarea>
                <p class="form-error" role="alert">{problem}</p>
                <button type="submit" class="button secondary" disabled=move || send.pending().get()>{t("messages.send")}</button>
            </form>
        </section>
    }
}
