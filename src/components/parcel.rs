//! The parcels' journey as carriers report it: the order on its way to the buyer, the goods on
//! their way back. Drawn as markup; nothing to act on, and nothing when no carrier has spoken.

use crate::markup::{el, text as tag};
use crate::screen::CaseScreen;
use crate::text::{self, code, t};

/// The journey of `detail`'s parcels, oldest first.
pub fn parcel_markup(detail: &CaseScreen) -> String {
    let events = &detail.parts.parcel;
    if events.is_empty() {
        return String::new();
    }
    let rows: String = events
        .iter()
        .map(|e| {
            let what = format!(
                "{} · {}",
                code("parcel.leg", e.leg.code()),
                code("parcel.status", e.status.code())
            );
            let place = if e.location.is_empty() {
                String::new()
            } else {
                tag("span", "muted", &e.location)
            };
            el(
                "li",
                e.status.code(),
                &format!(
                    "{}{}{}",
                    tag("strong", "", &what),
                    tag("span", "muted", &text::date_time(e.at)),
                    place
                ),
            )
        })
        .collect();
    el(
        "section",
        "card parcel",
        &format!(
            "{}{}",
            tag("h2", "", &t("parcel.title")),
            el("ol", "parcel-journey", &rows)
        ),
    )
}
