use leptos::prelude::*;
use rules::api::OrderView;

use crate::{clock, text};

/// One of the buyer's orders with its lines, each with a way to start a return.
#[component]
pub fn OrderCard(
    /// The order, as the API sends it.
    order: OrderView,
) -> impl IntoView {
    let OrderView { store, order } = order;
    let status = text::fulfillment(&order.fulfillment, clock::local_offset());
    let order_id = order.id.clone();
    let lines = order
        .lines
        .into_iter()
        .map(|line| {
            let href = format!("/orders/{}/return?line={}", order_id, line.id);
            let total = line
                .unit_price
                .checked_mul(line.quantity)
                .unwrap_or(line.unit_price);
            view! {
                <li class="line">
                    <span class="title">{line.product.title}</span>
                    <span class="qty">{format!("× {}", line.quantity)}</span>
                    <span class="price">{total.to_string()}</span>
                    <a class="button secondary" href=href>"Return or refund"</a>
                </li>
            }
        })
        .collect_view();
    view! {
        <article class="card order" data-order=order.id.clone()>
            <header>
                <h2>{store}</h2>
                <span class="muted">{format!("Order {}", order.id)}</span>
            </header>
            <p class="status">{status}</p>
            <ul class="lines">{lines}</ul>
        </article>
    }
}
