//! The parties' messages, oldest first, and a box to write one. Drawn as markup; the case page
//! sends it.

use crate::markup::{el, esc, text as tag};
use crate::screen::CaseScreen;
use crate::text::{self, code, t, who};

/// The messages of `detail`, and the box to write one (what is being written is kept by the case
/// page when it is drawn again).
pub fn messages_markup(detail: &CaseScreen) -> String {
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
    let empty = if detail.parts.messages.is_empty() {
        tag("p", "muted", &t("messages.none"))
    } else {
        String::new()
    };
    format!(
        "<section class=\"card messages\">{}{empty}{}<form id=\"message-form\" novalidate>\
         <label for=\"message\">{}</label><textarea id=\"message\" rows=\"3\"></textarea>\
         <p class=\"form-error\" id=\"message-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button secondary\">{}</button></form></section>",
        tag("h2", "", &t("messages.title")),
        el("ul", "message-list", &list),
        esc(&t("messages.write")),
        esc(&t("messages.send")),
    )
}
