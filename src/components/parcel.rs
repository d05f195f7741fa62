//! The parcels' journey as carriers report it: the order on its way to the buyer, the goods on
//! their way back. Drawn as markup; nothing to act on, and nothing when no carrier has spoken.

use crate::markup::{el, text as tag, Markup};
use crate::screen::CaseScreen;
use crate::text::{self, code, t};

/// The journey of `detail`'s parcels, oldest first.
pub fn parcel_markup(detail: &CaseScreen) -> Markup {
    let events = &detail.parts.parcel;
    if events.is_empty() {
        return Markup::default();
    }
    let rows: Markup = events
        .iter()
        .map(|e| {
            let what = format!(
                "{} · {}",
                code("parcel.leg", e.leg.code()),
                code("parcel.status", e.status.code())
            );
            let place = if e.location.is_empty() {
                Markup::default()
            } else {
                tag("span", "muted", &e.location)
            };
            el(
                "li",
                e.status.code(),
                tag("strong", "", &what)
                    .join(tag("span", "muted", &text::date_time(e.at)))
                    .join(place),
            )
        })
        .collect();
    el(
        "section",
        "card parcel",
        tag("h2", "", &t("parcel.title")).join(el("ol", "parcel-journey", rows)),
    )
}
