use rules::{AutoAction, Party, Trigger};

use crate::components::status_header::consequence;
use crate::screen::{CaseScreen, What};

use crate::markup::{el, esc, text as tag, Markup};
use crate::text::{self, code, t, who};

/// Everything that happened to the case, newest first: who, what and when, as markup.
pub fn timeline_markup(detail: &CaseScreen) -> Markup {
    let viewer = detail.parts.viewer;
    let entries: Markup = detail
        .parts
        .timeline
        .iter()
        .rev()
        .map(|entry| {
            let what = match entry.what {
                What::Filed => t("event.filed"),
                What::Acted(action) => code("event", action.code()),
                What::Automatic(then) => automatic(entry.trigger, then, viewer),
            };
            let by = entry.who.clone().unwrap_or_else(|| t("timeline.system"));
            el(
                "li",
                "",
                tag("span", "muted", &text::date_time(entry.at))
                    .join(Markup::tags(" "))
                    .join(tag("strong", "", &by))
                    .join(Markup::tags(": "))
                    .join(esc(&what))
                    .join(Markup::tags(" → "))
                    .join(esc(&code("state", entry.state.code()))),
            )
        })
        .collect();
    // Newest first, numbered down: the filing stays number 1.
    Markup::fill(
        "<section class=\"card\">{}<ol class=\"timeline\" reversed>{}</ol></section>",
        &[&tag("h2", "", &t("timeline.title")), &entries],
    )
}

/// What the clock did and what triggered it: a missed deadline and its consequence ("The seller
/// did not answer in time: the buyer's proposal is carried out automatically."), or a refund paid
/// as decided, which nobody missed.
fn automatic(trigger: Option<Trigger>, then: AutoAction, viewer: Party) -> String {
    let cause = match trigger {
        Some(Trigger::NoAnswer { party }) => code("trigger.no_answer", who(party, viewer)),
        Some(trigger) if !trigger.is_missed() => return code("trigger", trigger.code()),
        Some(trigger) => code("trigger", trigger.code()),
        None => return consequence(then, viewer),
    };
    text::then(&cause, &consequence(then, viewer))
}
