use leptos::prelude::*;
use rules::api::Notices;

use crate::api::{self, ApiError, Load};
use crate::markup::{el, esc, target, text as tag, Markup};
use crate::route::Route;
use crate::text::{self, t};

/// The header's notices: how many are unread, kept live by the person's stream of changes, and
/// the newest ones, each worded by the server in the reader's language. Opening one goes to its
/// case, whose page marks its notices read.
///
/// Drawn as markup under one click handler: a view per part cost the first load about 2 KB more,
/// measured, and the bundle has no room for it.
#[component]
pub fn NoticesMenu() -> impl IntoView {
    // Drawn again with each page: on a case's, that case's notices are read.
    let route = crate::route::use_router().route.get_untracked();
    let open = match &route {
        Route::Case { id } => Some(id.as_str()),
        _ => None,
    };
    let resource = api::notices(open).resource;
    // Every change to a case of theirs may have told them something; the mailer announces the
    // case of each reminder it writes (no case changed) on the same streams.
    crate::live::follow("/api/live", move || resource.refetch());
    let notices = move || {
        resource
            .get()
            .map(|answer| answer.and_then(|text| Load::<Notices>::decode(&text)))
    };
    // A notice is a link the router follows; the header stays (drawn again in place), so the
    // menu closes itself.
    let clicked = move |ev: leptos::ev::MouseEvent| {
        let link = target::<web_sys::Element>(&ev).and_then(|on| on.closest("a").ok().flatten());
        if let Some(Ok(Some(menu))) = link.map(|link| link.closest("details")) {
            let _ = menu.remove_attribute("open");
        }
    };
    view! {
        <details class="notices" on:click=clicked>
            <summary inner_html=move || summary_markup(notices().as_ref()).into_html()></summary>
            <div
                class="notice-list"
                inner_html=move || list_markup(notices().as_ref()).into_html()
            ></div>
        </details>
    }
}

/// The menu's name, with the count of unread notices when there are any. The count's place is
/// kept while there is none, so the header does not move when the first arrives.
pub fn summary_markup(notices: Option<&Result<Notices, ApiError>>) -> Markup {
    let (number, unread) = match notices {
        Some(Ok(n)) if n.unread > 0 => (
            Markup::number(n.unread),
            tag("span", "visually-hidden", &t("notices.unread")),
        ),
        _ => Default::default(),
    };
    esc(&t("notices.title")).join(Markup::fill(
        "<span class=\"count\">{}{}</span>",
        &[&number, &unread],
    ))
}

/// The list as the menu shows it: loading, the error, nothing yet, or the notices newest first,
/// the unread ones marked.
pub fn list_markup(notices: Option<&Result<Notices, ApiError>>) -> Markup {
    let notices = match notices {
        None => return tag("p", "loading", &t("nav.loading")),
        Some(Err(error)) => return tag("p", "form-error", &error.describe()),
        Some(Ok(n)) if n.items.is_empty() => return tag("p", "empty", &t("notices.none")),
        Some(Ok(n)) => n,
    };
    let items = notices
        .items
        .iter()
        .map(|n| {
            let href = Route::Case {
                id: n.case_id.clone(),
            }
            .href();
            let unread = if n.read {
                Markup::default()
            } else {
                tag("span", "visually-hidden", &t("notices.new"))
            };
            let link = Markup::fill(
                "<a href=\"{}\">{}{}{}</a>",
                &[
                    &esc(&href),
                    &unread,
                    &tag("span", "", &n.text),
                    &tag("span", "muted", &text::date_time(n.created_at)),
                ],
            );
            el("li", if n.read { "" } else { "unread" }, link)
        })
        .collect();
    el("ul", "", items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use rules::api::NoticeView;

    fn notice(id: &str, text: &str, read: bool) -> NoticeView {
        NoticeView {
            id: id.into(),
            case_id: "case 1/2".into(),
            number: 3016,
            kind: "filed".into(),
            actor: "buyer".into(),
            text: text.into(),
            created_at: Utc.with_ymd_and_hms(2026, 11, 30, 9, 5, 0).unwrap(),
            read,
        }
    }

    #[test]
    fn each_notice_links_to_its_case_and_the_unread_are_marked() {
        let notices = Notices {
            unread: 1,
            items: vec![
                notice("n\"1", "<b>Case 3016</b>", false),
                notice("n2", "Case 3016: read", true),
            ],
        };
        let html = list_markup(Some(&Ok(notices))).into_html();
        assert_eq!(
            html,
            "<ul><li class=\"unread\"><a href=\"/returns/case%201%2F2\">\
             <span class=\"visually-hidden\">notices.new</span><span>&lt;b&gt;Case 3016&lt;/b&gt;\
             </span><span class=\"muted\">2026-11-30 09:05 UTC</span></a></li><li>\
             <a href=\"/returns/case%201%2F2\"><span>Case 3016: read</span>\
             <span class=\"muted\">2026-11-30 09:05 UTC</span></a></li></ul>"
        );
    }

    #[test]
    fn the_count_keeps_its_place_while_nothing_is_unread() {
        let some = Notices {
            unread: 12,
            items: vec![],
        };
        assert_eq!(
            summary_markup(Some(&Ok(some))).into_html(),
            "notices.title<span class=\"count\">12<span class=\"visually-hidden\">\
             notices.unread</span></span>"
        );
        let none = Notices {
            unread: 0,
            items: vec![],
        };
        for empty in [None, Some(&Ok(none))] {
            assert_eq!(
                summary_markup(empty).into_html(),
                "notices.title<span class=\"count\"></span>"
            );
        }
    }

    #[test]
    fn loading_empty_and_failed_lists_say_so() {
        assert!(list_markup(None).into_html().contains("class=\"loading\""));
        let empty = Notices {
            unread: 0,
            items: vec![],
        };
        assert_eq!(
            list_markup(Some(&Ok(empty))).into_html(),
            "<p class=\"empty\">notices.none</p>"
        );
        let failed = list_markup(Some(&Err(ApiError::Network("down".into())))).into_html();
        assert!(failed.starts_with("<p class=\"form-error\">"), "{failed}");
    }
}
