use crate::components::status_header::consequence;
use crate::screen::{CaseScreen, What};

use crate::markup::{el, esc, text as tag};
use crate::text::{self, code, t};

/// Everything that happened to the case, newest first: who, what and when, as markup.
pub fn timeline_markup(detail: &CaseScreen) -> String {
    let viewer = detail.parts.viewer;
    let entries: String = detail
        .parts
        .timeline
        .iter()
        .rev()
        .map(|entry| {
            let event = &entry.event;
            let what = match event.what() {
                What::Filed => t("event.filed"),
                What::Acted(action) => code("event", &action),
                What::Automatic(then) => {
                    format!("{} {}", t("event.automatic"), consequence(&then, viewer))
                }
            };
            let by = entry.who.clone().unwrap_or_else(|| t("timeline.system"));
            el(
                "li",
                "",
                &format!(
                    "{} {}: {} → {}",
                    tag("span", "muted", &text::date_time(event.at)),
                    tag("strong", "", &by),
                    esc(&what),
                    esc(&code("state", event.state.code()))
                ),
            )
        })
        .collect();
    // Newest first, numbered down: the filing stays number 1.
    format!(
        "<section class=\"card\">{}<ol class=\"timeline\" reversed>{entries}</ol></section>",
        tag("h2", "", &t("timeline.title")),
    )
}
