use leptos::prelude::*;
use rules::{CaseState, Party, Reason};

use crate::api::{self, Decode, Load};
use crate::clock;
use crate::components::status_header::consequence;
use crate::components::ErrorView;
use crate::markup::{el, esc, target, text as tag, Act, Markup};
use crate::queue::{rows_for_pages, QueueFilters, QueuePage, QueueRow, PAGE_SIZE};
use crate::route::Route;
use crate::text::{self, code, t, tf};

/// A queue of cases, the buyer's, the seller's or the mediator's (the API knows whose): the most
/// urgent first, filtered, searched and counted, one page at a time; changes arrive live.
///
/// The filters own their values; the rows are a keyed list whose cells are read-only markup, so a
/// live change redraws only the rows that changed, and "show more" only adds rows.
#[component]
pub fn CaseQueue(
    /// The key of the page's title.
    title: &'static str,
    /// Whose queue: the buyer's, the seller's or the platform's mediator's.
    viewer: Party,
) -> impl IntoView {
    let filters = RwSignal::new(QueueFilters::default());
    // Rows asked of the first answer: more once "show more" was used, so that a live change
    // keeps them on screen.
    let limit = RwSignal::new(PAGE_SIZE);
    let pages = StoredValue::new(1u32);
    let load = Load::<QueuePage>::new(Signal::derive(move || {
        filters.with(|f| f.path(None, limit.get()))
    }));
    let page = RwSignal::new(None::<QueuePage>);
    let problem = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Each answer replaces the page; one that cannot be read leaves the last on screen.
    Effect::new(move |_| {
        if let Some(answer) = load.resource.get() {
            match answer.and_then(|text| QueuePage::decode(&text)) {
                Ok(read) => {
                    problem.set(String::new());
                    page.set(Some(read));
                }
                Err(e) => problem.set(e.describe()),
            }
        }
    });
    crate::live::follow("/api/live", move || {
        let rows = rows_for_pages(pages.get_value());
        if rows == limit.get_untracked() {
            load.resource.refetch();
        } else {
            limit.set(rows);
        }
    });
    let apply = move |chosen: QueueFilters| {
        pages.set_value(1);
        limit.set(PAGE_SIZE);
        filters.set(chosen);
    };
    let load_more = move || {
        let Some(after) = page.with_untracked(|p| p.as_ref().and_then(|p| p.next_cursor.clone()))
        else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let asked = filters.get_untracked();
        let path = asked.path(Some(&after), PAGE_SIZE);
        leptos::task::spawn_local(async move {
            let next = api::text(&path)
                .await
                .and_then(|text| QueuePage::decode(&text));
            // The viewer may have left the page, or chosen other filters, meanwhile: these rows
            // belong to nothing on screen.
            if filters.try_get_untracked().as_ref() != Some(&asked) {
                busy.try_set(false);
                return;
            }
            match next {
                Ok(next) => {
                    page.update(|p| {
                        if let Some(p) = p {
                            p.rows.extend(next.rows);
                            p.next_cursor = next.next_cursor;
                        }
                    });
                    pages.update_value(|n| *n += 1);
                    problem.set(String::new());
                }
                Err(e) => problem.set(e.describe()),
            }
            busy.set(false);
        });
    };
    let read = Memo::new(move |_| page.with(Option::is_some));
    let retry = Callback::new(move |_| load.resource.refetch());
    let body = move || {
        if read.get() {
            page_view(page, filters, viewer, apply).into_any()
        } else if let Some(Err(error)) = load.resource.get() {
            view! { <ErrorView error retry /> }.into_any()
        } else {
            view! { <p class="loading" aria-busy="true">{t("queue.loading")}</p> }.into_any()
        }
    };
    view! {
        <h1>{t(title)}</h1>
        // In the mediator's queue every case is escalated: no such filter there.
        {filters_view(filters, viewer == Party::Seller, apply)}
        {body}
        <p class="form-error" id="queue-problem" role="alert">{move || problem.get()}</p>
        <button
            type="button"
            class="button secondary"
            id="queue-more"
            aria-busy=move || busy.get().then_some("true")
            hidden=move || page.with(|p| p.as_ref().is_none_or(|p| p.next_cursor.is_none()))
            on:click=move |_| load_more()
        >
            {t("queue.more")}
        </button>
    }
}

/// The filter fields over `filters`: search, state, reason, "needs my action" and, if
/// `escalated`, "escalated"; `apply` takes the filters chosen. A choice applies at once; the search when Enter is pressed or the field is left, not at
/// every keystroke.
pub fn filters_view(
    filters: RwSignal<QueueFilters>,
    escalated: bool,
    apply: impl Fn(QueueFilters) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let change = move |edit: &dyn Fn(&mut QueueFilters)| {
        let mut chosen = filters.get_untracked();
        edit(&mut chosen);
        chosen.search = typed.get_untracked();
        apply(chosen);
    };
    // Each list as markup: a view per option cost the first load more, measured.
    let options = |all: &'static str, family: &'static str, codes: Vec<&'static str>| {
        let labels: Vec<String> = codes.iter().map(|c| code(family, c)).collect();
        let any = t(all);
        crate::markup::options(
            std::iter::once(("", any.as_str()))
                .chain(codes.iter().zip(&labels).map(|(c, l)| (*c, l.as_str()))),
            "",
        )
    };
    let states = options(
        "queue.all_states",
        "state",
        CaseState::ALL.map(CaseState::code).to_vec(),
    );
    let reasons = options(
        "queue.all_reasons",
        "reason",
        Reason::ALL.map(Reason::code).to_vec(),
    );
    // A ticked box filters at once: "needs my action", "escalated".
    let check = |id: &'static str, label: &'static str| {
        Markup::fill(
            "<label class=\"check\"><input type=\"checkbox\" id=\"{}\"> {}</label>",
            &[&Markup::tags(id), &esc(&t(label))],
        )
    };
    let mut checks = check("f-mine", "queue.mine");
    if escalated {
        checks.push(check("f-escalated", "queue.escalated"));
    }
    // One handler for every field, told apart by its id: a handler per field cost the first
    // load more, measured. The search applies when it changes (Enter, or the field left).
    let changed = move |ev: leptos::ev::Event| {
        let id = target::<web_sys::Element>(&ev)
            .map(|e| e.id())
            .unwrap_or_default();
        // A box is read for whether it is ticked, the other fields for their value.
        let on = || event_target_checked(&ev);
        let value = || event_target_value(&ev);
        match id.as_str() {
            // Read again: a field emptied without typing (its clear button, a script) may
            // announce only the change.
            "f-q" => {
                typed.set(value());
                change(&|_| {})
            }
            "f-state" => change(&|f| f.state = CaseState::from_code(&value())),
            "f-reason" => change(&|f| f.reason = Reason::from_code(&value())),
            "f-mine" => change(&|f| f.needs_my_action = on()),
            "f-escalated" => change(&|f| f.escalated = on()),
            _ => {}
        }
    };
    view! {
        <form
            id="queue-filters"
            class="filters"
            role="search"
            on:change=changed
            on:submit=move |ev| {
                ev.prevent_default();
                change(&|_| {});
            }
        >
            <span class="field">
                <label for="f-q">{t("queue.search")}</label>
                <input
                    id="f-q"
                    type="search"
                    maxlength=rules::api::QUEUE_SEARCH_MAX_CHARS
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
            </span>
            <span class="field">
                <label for="f-state">{t("queue.state")}</label>
                <select
                    id="f-state"
                    inner_html=states.into_html()
                    prop:value=move || filters.with(|f| f.state.map_or("", CaseState::code))
                ></select>
            </span>
            <span class="field">
                <label for="f-reason">{t("queue.reason")}</label>
                <select id="f-reason" inner_html=reasons.into_html()></select>
            </span>
            <span class="checks" inner_html=checks.into_html()></span>
        </form>
    }
}

/// The counts per state of `page` (each a chip that filters by it through `apply`), the total,
/// and the rows as `viewer` reads them.
pub fn page_view(
    page: RwSignal<Option<QueuePage>>,
    filters: RwSignal<QueueFilters>,
    viewer: Party,
    apply: impl Fn(QueueFilters) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let read = move |from: fn(&QueuePage) -> Vec<QueueRow>| {
        page.with(|p| p.as_ref().map(from).unwrap_or_default())
    };
    let total = move || {
        page.with(|p| match p.as_ref().map_or(0, |p| p.total) {
            1 => t("queue.total_one"),
            n => tf("queue.total", &[("n", &n.to_string())]),
        })
    };
    let empty = Memo::new(move |_| page.with(|p| p.as_ref().is_none_or(|p| p.rows.is_empty())));
    let rows = move || read(|p| p.rows.clone());
    // The chips are read-only buttons: one handler reads which state was pressed.
    let on_chip = move |ev: leptos::ev::MouseEvent| {
        if let Some((Act::QueueState, chip)) = Act::pressed(&ev) {
            let state = CaseState::from_code(&chip.get_attribute("data-state").unwrap_or_default());
            apply(QueueFilters {
                state,
                ..filters.get_untracked()
            });
        }
    };
    let chips = move || {
        let chosen = filters.with(|f| f.state);
        page.with(|p| p.as_ref().map(|p| chips_markup(p, chosen)))
            .unwrap_or_default()
    };
    let row = move |r: QueueRow| {
        view! {
            <tr
                data-case=r.summary.id.clone()
                class=r.needs_my_action.then_some("mine")
                inner_html=row_markup(&r, clock::now(), viewer).into_html()
            ></tr>
        }
    };
    view! {
        <div
            class="chips"
            role="group"
            aria-label=t("queue.counts")
            on:click=on_chip
            inner_html=move || chips().into_html()
        ></div>
        <p class="muted" aria-live="polite">{total}</p>
        <p class="empty" hidden=move || !empty.get()>{t("queue.empty")}</p>
        <div class="table-scroll" hidden=move || empty.get()>
            <table class="cases">
                <thead inner_html=head_markup(viewer).into_html()></thead>
                <tbody id="queue-rows">
                    <For
                        each=rows
                        key=|r| (r.summary.id.clone(), r.version, r.needs_my_action)
                        children=row
                    />
                </tbody>
            </table>
        </div>
    }
}

/// The counts per state of `page`, each a button that filters by it (`chosen` pressed).
pub fn chips_markup(page: &QueuePage, chosen: Option<CaseState>) -> Markup {
    std::iter::once((None, page.counts.iter().map(|c| c.1).sum()))
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
        .collect()
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

/// Whether `viewer`'s queue has the column `key`: a buyer's cases are all the buyer's own.
fn has_column(viewer: Party, key: &str) -> bool {
    !(viewer == Party::Buyer && key == "queue.buyer")
}

fn head_markup(viewer: Party) -> Markup {
    let cells: Markup = COLUMNS
        .iter()
        .filter(|key| has_column(viewer, key))
        .map(|key| Markup::fill("<th scope=\"col\">{}</th>", &[&esc(&t(key))]))
        .collect();
    el("tr", "", cells)
}

/// One case's cells in the table (on a phone, a card with each cell labelled), for `viewer`.
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
                tag("span", "badge", &t("queue.your_move"))
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
                &esc(&tf("queue.number", &[("number", &c.number.to_string())])),
                &tag("span", "muted", &format!("{} · {}", c.order_id, c.store)),
            ],
        ),
        esc(&row.buyer),
        esc(&items),
        esc(&code("reason", c.reason.code())),
        esc(&code("resolution", c.resolution.code())),
        esc(&text::money(c.refund)),
        esc(&code("state", c.state.code())).join(escalated),
    ];
    cells
        .into_iter()
        .zip(COLUMNS)
        .filter(|(_, key)| has_column(viewer, key))
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
        .collect()
}
