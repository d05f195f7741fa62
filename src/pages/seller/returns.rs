use leptos::prelude::*;
use rules::api::CaseView;

use crate::api;
use crate::components::Loaded;
use crate::markup::{esc, text as tag};
use crate::route::Route;
use crate::text::{self, code, t};

/// The signed-in seller's return requests, most urgent first.
#[component]
pub fn SellerReturnsPage() -> impl IntoView {
    let cases = api::seller_returns();
    let render = |list: Vec<CaseView>| {
        let empty = list.is_empty();
        view! {
            <p class="empty" hidden=!empty>{t("queue.empty")}</p>
            <div class="table-scroll" inner_html=case_table(&list)></div>
        }
        .into_any()
    };
    view! {
        <h1>{t("queue.title")}</h1>
        <Loaded
            load=cases
            loading="queue.loading"
            render=render
        />
    }
}

/// The queue as a table (on a phone, a card per case with each cell labelled).
fn case_table(cases: &[CaseView]) -> String {
    const COLUMNS: [&str; 7] = [
        "queue.filed",
        "queue.order",
        "queue.items",
        "queue.reason",
        "queue.asked_for",
        "queue.refund",
        "queue.status",
    ];
    let head: String = COLUMNS
        .iter()
        .map(|key| format!("<th scope=\"col\">{}</th>", esc(&t(key))))
        .collect();
    let rows: String = cases
        .iter()
        .map(|c| {
            let items = c
                .lines
                .iter()
                .map(|l| format!("{} × {}", l.title, l.quantity))
                .collect::<Vec<_>>()
                .join(", ");
            let order = format!(
                "<a href=\"{}\">{}</a><br>{}",
                esc(&Route::Case { id: c.id.clone() }.href()),
                esc(&c.order_id),
                tag("span", "muted", &c.store)
            );
            let cells = [
                esc(&text::date_time(c.created_at)),
                order,
                esc(&items),
                esc(&code("reason", c.reason.code())),
                esc(&code("resolution", c.resolution.code())),
                esc(&text::money(c.refund)),
                esc(&code("state", c.state.code())),
            ];
            let cells: String = cells
                .iter()
                .zip(COLUMNS)
                .map(|(cell, key)| {
                    let class = if key == "queue.refund" {
                        " class=\"num\""
                    } else {
                        ""
                    };
                    format!("<td data-label=\"{}\"{class}>{cell}</td>", esc(&t(key)))
                })
                .collect();
            format!("<tr data-case=\"{}\">{cells}</tr>", esc(&c.id))
        })
        .collect();
    format!("<table class=\"cases\"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
}
