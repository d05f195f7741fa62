use leptos::prelude::*;
use rules::api::CaseView;

use crate::api;
use crate::components::Loaded;
use crate::text::{self, code, t};

/// The signed-in seller's return requests, most urgent first.
#[component]
pub fn SellerReturnsPage() -> impl IntoView {
    let cases = api::seller_returns();
    let render = |list: Vec<CaseView>| {
        let empty = list.is_empty();
        view! {
            <p class="empty" hidden=!empty>{t("queue.empty")}</p>
            {(!empty).then(|| view! { <CaseTable cases=list /> })}
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

#[component]
fn CaseTable(cases: Vec<CaseView>) -> impl IntoView {
    let rows = cases
        .into_iter()
        .map(|c| {
            let items = c
                .lines
                .iter()
                .map(|l| format!("{} × {}", l.title, l.quantity))
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <tr data-case=c.id.clone()>
                    <td data-label=t("queue.filed")>{text::date_time(c.created_at)}</td>
                    <td data-label=t("queue.order")>
                        <span><a href=crate::route::Route::Case { id: c.id.clone() }.href()>{c.order_id}</a><br /><span class="muted">{c.store}</span></span>
                    </td>
                    <td data-label=t("queue.items")>{items}</td>
                    <td data-label=t("queue.reason")>{code("reason", c.reason.code())}</td>
                    <td data-label=t("queue.asked_for")>{code("resolution", c.resolution.code())}</td>
                    <td data-label=t("queue.refund") class="num">{text::money(c.refund)}</td>
                    <td data-label=t("queue.status")>{code("state", c.state.code())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="cases">
                <thead>
                    <tr>
                        <th scope="col">{t("queue.filed")}</th>
                        <th scope="col">{t("queue.order")}</th>
                        <th scope="col">{t("queue.items")}</th>
                        <th scope="col">{t("queue.reason")}</th>
                        <th scope="col">{t("queue.asked_for")}</th>
                        <th scope="col">{t("queue.refund")}</th>
                        <th scope="col">{t("queue.status")}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
