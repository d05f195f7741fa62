use leptos::prelude::*;
use rules::api::CaseView;

use crate::clock::Zone;
use crate::components::Loaded;
use crate::{api, text};

/// The signed-in seller's return requests, most urgent first.
#[component]
pub fn SellerReturnsPage() -> impl IntoView {
    let cases = api::seller_returns();
    let render = |list: Vec<CaseView>| {
        if list.is_empty() {
            view! { <p class="empty">"No return requests yet."</p> }.into_any()
        } else {
            view! { <CaseTable cases=list /> }.into_any()
        }
    };
    view! {
        <h1>"Return requests"</h1>
        <Loaded
            load=cases
            loading="Loading return requests…"
            render=render
        />
    }
}

#[component]
fn CaseTable(cases: Vec<CaseView>) -> impl IntoView {
    let zone = Zone::Browser;
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
                    <td data-label="Filed">{text::date_time(c.created_at, zone)}</td>
                    <td data-label="Order">
                        <span>{c.order_id}<br /><span class="muted">{c.store}</span></span>
                    </td>
                    <td data-label="Items">{items}</td>
                    <td data-label="Reason">{text::reason(c.reason)}</td>
                    <td data-label="Asked for">{text::resolution(c.resolution)}</td>
                    <td data-label="Refund" class="num">{c.refund.to_string()}</td>
                    <td data-label="Status">{text::case_state(c.state)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll">
            <table class="cases">
                <thead>
                    <tr>
                        <th scope="col">"Filed"</th>
                        <th scope="col">"Order"</th>
                        <th scope="col">"Items"</th>
                        <th scope="col">"Reason"</th>
                        <th scope="col">"Asked for"</th>
                        <th scope="col">"Refund"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
