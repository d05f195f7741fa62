//! The case's messages between its parties, oldest first, and the box to write one. The list
//! follows the case; the box is mounted once and keeps what is being written.

use leptos::prelude::*;

use crate::components::case_actions::CaseControl;
use crate::components::form_parts::{SendRow, TextBox};
use crate::markup::{el, text as tag, Markup};
use crate::screen::CaseScreen;
use crate::text::{self, code, error, t, who};

/// The messages of `detail`, as its viewer reads them.
pub fn messages_markup(detail: &CaseScreen) -> Markup {
    let viewer = detail.parts.viewer;
    if detail.parts.messages.is_empty() {
        return tag("p", "muted", &t("messages.none"));
    }
    let list = detail
        .parts
        .messages
        .iter()
        .map(|m| {
            let meta = tag(
                "strong",
                "",
                &format!("{} · {}", m.author, code("who", who(m.party, viewer))),
            )
            .join(Markup::tags(" "))
            .join(tag("span", "muted", &text::date_time(m.sent_at)));
            let class = if m.party == viewer { "mine" } else { "" };
            el(
                "li",
                class,
                el("p", "meta", meta).join(tag("p", "description", &m.body)),
            )
        })
        .collect();
    el("ul", "message-list", list)
}

/// The messages and the box to write one.
#[component]
pub fn Messages(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let body = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = body.get_untracked().trim().to_owned();
        if typed.is_empty() {
            problem.set(error("message_empty", ""));
            return;
        }
        control.send_message(typed, move |sent| match sent {
            // Emptied once sent; kept, with the reason, when it was not.
            Ok(()) => {
                body.set(String::new());
                problem.set(String::new());
            }
            Err(e) => problem.set(e.describe()),
        });
    };
    view! {
        <section class="card messages">
            <h2>{t("messages.title")}</h2>
            <div inner_html=move || control.with(messages_markup).unwrap_or_default().into_html()></div>
            <form id="message-form" novalidate on:submit=submit>
                <TextBox id="message" label="messages.write" value=body rows=3 />
                <SendRow
                    error_id="message-error"
                    problem
                    busy=control.busy
                    label="messages.send"
                    secondary=true
                />
            </form>
        </section>
    }
}
