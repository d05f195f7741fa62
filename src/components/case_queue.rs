use leptos::prelude::*;
use rules::{CaseState, Party, Reason};

use crate::api::{self, Load};
use crate::clock;
use crate::components::status_header::consequence;
use crate::components::Loaded;
use crate::decode::{FromJs, Obj};
use crate::markup::{by_id, el, esc, say, set_value, show, text as tag, value_of, Act, Markup};
use crate::queue::{rows_for_pages, QueueFilters, QueuePage, QueueRow, PAGE_SIZE};
use crate::route::Route;
use crate::text::{self, code, t, tf};

/// A queue of cases, the seller's or the mediator's (the API knows whose): the most urgent
/// first, filtered, searched and counted, one page at a time; changes arrive live.
///
/// Drawn as markup with one handler per kind of event, like the case page: the bundle budget
/// cannot spare a reactive view per row.
#[component]
pub fn CaseQueue(
    /// The key of the page's title.
    title: &'static str,
    /// Whose queue: the seller's or the platform's mediator's.
    viewer: Party,
) -> impl IntoView {
    let (filters, set_filters) = signal(QueueFilters::default());
    // Rows asked of the first answer: more once "show more" was used, so that a live change
    // keeps them on screen.
    let (limit, set_limit) = signal(PAGE_SIZE);
    let pages = StoredValue::new(1u32);
    let load = Load::<QueuePage>::new(Signal::derive(move || {
        filters.with(|f| f.path(None, limit.get()))
    }));
    // Where the next page starts; `None` on the last page.
    let cursor = StoredValue::new(None::<String>);
    let busy = StoredValue::new(false);
    crate::live::follow("/api/live", move || {
        let rows = rows_for_pages(pages.get_value());
        if rows == limit.get_untracked() {
            load.resource.refetch();
        } else {
            set_limit.set(rows);
        }
    });
    let choose = move |chosen: QueueFilters| {
        pages.set_value(1);
        set_limit.set(PAGE_SIZE);
        set_filters.set(chosen);
    };

    let render = move |page: QueuePage| {
        cursor.set_value(page.next_cursor.clone());
        let html = page_markup(&page, filters.get_untracked().state, clock::now(), viewer);
        view! { <div inner_html=html.into_html()></div> }.into_any()
    };
    let load_more = move || {
        let Some(after) = cursor.get_value() else {
            return;
        };
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        let button = document().get_element_by_id("queue-more");
        if let Some(button) = &button {
            let _ = button.set_attribute("aria-busy", "true");
        }
        let asked = filters.get_untracked();
        let path = asked.path(Some(&after), PAGE_SIZE);
        leptos::task::spawn_local(async move {
            let page = api::text(&path).await.and_then(|text| {
                Obj::parse(&text)
                    .and_then(|o| QueuePage::from_js(&o))
                    .map_err(api::ApiError::Decode)
            });
            // The viewer may have left the page, or chosen other filters, meanwhile: these rows
            // belong to nothing on screen.
            if filters.try_get_untracked().as_ref() != Some(&asked) {
                busy.try_set_value(false);
                return;
            }
            match page {
                Ok(page) => {
                    let now = clock::now();
                    let rows: Markup = page
                        .rows
                        .iter()
                        .map(|r| row_markup(r, now, viewer))
                        .collect();
                    if let Some(body) = document().get_element_by_id("queue-rows") {
                        let _ = body.insert_adjacent_html("beforeend", &rows.into_html());
                    }
                    show("queue-more", page.next_cursor.is_some());
                    cursor.set_value(page.next_cursor);
                    pages.update_value(|n| *n += 1);
                    say("queue-problem", "");
                }
                Err(e) => say("queue-problem", &e.describe()),
            }
            busy.set_value(false);
            if let Some(button) = button {
                let _ = button.remove_attribute("aria-busy");
            }
        });
    };
    // A choice applies at once; the search when Enter is pressed or the field is left, not at
    // every keystroke.
    let changed = move |_| choose(filters_in_form());
    let searched = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        choose(filters_in_form());
    };
    let on_click = move |ev: leptos::ev::MouseEvent| match Act::pressed(&ev) {
        Some((Act::QueueState, button)) => {
            set_value(
                "f-state",
                &button.get_attribute("data-state").unwrap_or_default(),
            );
            choose(filters_in_form());
        }
        Some((Act::QueueMore, _)) => load_more(),
        _ => {}
    };
    view! {
        <h1>{t(title)}</h1>
        <form
            id="queue-filters"
            class="filters"
            role="search"
            on:submit=searched
            on:change=changed
            // In the mediator's queue every case is escalated: no such filter there.
            inner_html=filters_markup(viewer != Party::Platform).into_html()
        ></form>
        <section on:click=on_click>
            <Loaded load=load loading="queue.loading" render=render />
        </section>
    }
}

/// A first page for `viewer`: the counts per state (each a button that filters by it, `chosen`
/// pressed), the total, the table, and the button for the next page.
pub fn page_markup(
    page: &QueuePage,
    chosen: Option<CaseState>,
    now: chrono::DateTime<chrono::Utc>,
    viewer: Party,
) -> Markup {
    let chips: Markup = std::iter::once((None, page.counts.iter().map(|c| c.1).sum()))
        .chain(page.counts.iter().map(|&(state, n)| (Some(state), n)))
        .map(|(state, n): (Option<CaseState>, u64)| {
            let label = state.map_or_else(|| t("queue.all_states"), |s| code("state", s.code()));
            Markup::fill(
                "<button type=\"button\" class=\"chip\" data-act=\"{}\" data-state=\"{}\" \
                 aria-pressed=\"{}\">{} <b>{}</b></button>",
                &[
                    &Markup::tags(Act::QueueState.code()),
                    &Markup::tags(state.map_or("", CaseState::code)),
                    &Markup::tags(if state == chosen { "true" } else { "false" }),
                    &esc(&label),
                    &Markup::number(n),
                ],
            )
        })
        .collect();
    let rows: Markup = page
        .rows
        .iter()
        .map(|r| row_markup(r, now, viewer))
        .collect();
    let table = if page.rows.is_empty() {
        tag("p", "empty", &t("queue.empty"))
    } else {
        Markup::fill(
            "<div class=\"table-scroll\"><table class=\"cases\"><thead>{}</thead>\
             <tbody id=\"queue-rows\">{}</tbody></table></div>",
            &[&head_markup(), &rows],
        )
    };
    Markup::fill(
        "<div class=\"chips\" role=\"group\" aria-label=\"{}\">{}</div>\
         <p class=\"muted\" aria-live=\"polite\">{}</p>{}\
         <p class=\"form-error\" id=\"queue-problem\" role=\"alert\"></p>\
         <button type=\"button\" class=\"button secondary\" id=\"queue-more\" data-act=\"{}\"{}>{}</button>",
        &[
            &esc(&t("queue.counts")),
            &chips,
            &esc(&if page.total == 1 {
                t("queue.total_one")
            } else {
                tf("queue.total", &[("n", &page.total.to_string())])
            }),
            &table,
            &Markup::tags(Act::QueueMore.code()),
            &Markup::tags(if page.next_cursor.is_some() { "" } else { " hidden" }),
            &esc(&t("queue.more")),
        ],
    )
}

/// The filter fields: search, state, reason, "needs my action" and, if `escalated`, "escalated".
pub fn filters_markup(escalated: bool) -> Markup {
    let options = |all: &str, items: Vec<(&'static str, String)>| {
        let list: Markup = items
            .into_iter()
            .map(|(value, label)| {
                Markup::fill(
                    "<option value=\"{}\">{}</option>",
                    &[&Markup::tags(value), &esc(&label)],
                )
            })
            .collect();
        Markup::fill("<option value=\"\">{}</option>{}", &[&esc(&t(all)), &list])
    };
    let states = CaseState::ALL
        .into_iter()
        .map(|s| (s.code(), code("state", s.code())))
        .collect();
    let reasons = Reason::ALL
        .into_iter()
        .map(|r| (r.code(), code("reason", r.code())))
        .collect();
    Markup::fill(
        "<span class=\"field\"><label for=\"f-q\">{}</label>\
         <input id=\"f-q\" type=\"search\" autocomplete=\"off\" spellcheck=\"false\"></span>\
         <span class=\"field\"><label for=\"f-state\">{}</label><select id=\"f-state\">{}</select></span>\
         <span class=\"field\"><label for=\"f-reason\">{}</label><select id=\"f-reason\">{}</select></span>\
         <label class=\"check\"><input type=\"checkbox\" id=\"f-mine\"> {}</label>{}",
        &[
            &esc(&t("queue.search")),
            &esc(&t("queue.state")),
            &options("queue.all_states", states),
            &esc(&t("queue.reason")),
            &options("queue.all_reasons", reasons),
            &esc(&t("queue.mine")),
            &if escalated {
                Markup::fill(
                    "<label class=\"check\"><input type=\"checkbox\" id=\"f-escalated\"> {}</label>",
                    &[&esc(&t("queue.escalated"))],
                )
            } else {
                Markup::default()
            },
        ],
    )
}

fn checked(id: &str) -> bool {
    by_id::<web_sys::HtmlInputElement>(id).is_some_and(|i| i.checked())
}

/// The filters as chosen in the form.
pub fn filters_in_form() -> QueueFilters {
    QueueFilters {
        state: CaseState::from_code(&value_of("f-state")),
        reason: Reason::from_code(&value_of("f-reason")),
        needs_my_action: checked("f-mine"),
        escalated: checked("f-escalated"),
        search: value_of("f-q"),
    }
}

const COLUMNS: [&str; 8] = [
    "queue.due",
    "queue.order",
    "queue.buyer",
    "queue.items",
    "queue.reason",
    "queue.asked_for",
    "queue.refund",
    "queue.status",
];

fn head_markup() -> Markup {
    let cells: Markup = COLUMNS
        .iter()
        .map(|key| Markup::fill("<th scope=\"col\">{}</th>", &[&esc(&t(key))]))
        .collect();
    el("tr", "", cells)
}

/// One case as a table row (on a phone, a card with each cell labelled), for `viewer`.
pub fn row_markup(row: &QueueRow, now: chrono::DateTime<chrono::Utc>, viewer: Party) -> Markup {
    let c = &row.summary;
    let due = match &row.due {
        Some(due) => {
            let soon = if row.due_soon(now) {
                tag("span", "badge due-soon", &t("queue.due_soon"))
            } else {
                Markup::default()
            };
            let mine = if row.needs_my_action {
                tag("span", "badge", &t("case.your_move"))
            } else {
                Markup::default()
            };
            // What the clock will do, at a glance.
            Markup::fill(
                "{}{}{}<br>{}{}",
                &[
                    &soon,
                    &mine,
                    &esc(&text::date_time(due.at)),
                    &tag("span", "muted", &text::time_left(now, due.at)),
                    &tag(
                        "span",
                        "then",
                        &tf("queue.then", &[("what", &consequence(due.then, viewer))]),
                    ),
                ],
            )
        }
        None => tag("span", "muted", &t("queue.no_deadline")),
    };
    let items = c
        .lines
        .iter()
        .map(|l| format!("{} × {}", l.title, l.quantity))
        .collect::<Vec<_>>()
        .join(", ");
    // Every case of the mediator's queue is: said only to the seller.
    let escalated = if row.escalated && viewer != Party::Platform {
        Markup::tags("<br>").join(tag("span", "muted", &t("queue.row_escalated")))
    } else {
        Markup::default()
    };
    let cells = [
        due,
        Markup::fill(
            "<a href=\"{}\">{}</a><br>{}",
            &[
                &esc(&Route::Case { id: c.id.clone() }.href()),
                &esc(&c.order_id),
                &tag("span", "muted", &format!("{} · {}", c.store, c.id)),
            ],
        ),
        esc(&row.buyer),
        esc(&items),
        esc(&code("reason", c.reason.code())),
        esc(&code("resolution", c.resolution.code())),
        esc(&text::money(c.refund)),
        esc(&code("state", c.state.code())).join(escalated),
    ];
    let cells: Markup = cells
        .into_iter()
        .zip(COLUMNS)
        .map(|(cell, key)| {
            let class = if key == "queue.refund" {
                " class=\"num\""
            } else {
                ""
            };
            // One wrapper: on a phone the cell is a grid of its label and its content.
            Markup::fill(
                "<td data-label=\"{}\"{}><div>{}</div></td>",
                &[&esc(&t(key)), &Markup::tags(class), &cell],
            )
        })
        .collect();
    Markup::fill(
        "<tr data-case=\"{}\"{}>{}</tr>",
        &[
            &esc(&c.id),
            &Markup::tags(if row.needs_my_action {
                " class=\"mine\""
            } else {
                ""
            }),
            &cells,
        ],
    )
}
