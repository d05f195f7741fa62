use leptos::prelude::*;
use rules::api::OrderView;

use crate::clock::Zone;
use crate::text;

/// One of the buyer's orders with its lines, each with a way to start a return.
#[component]
pub fn OrderCard(
    /// The order, as the API sends it.
    order: OrderView,
) -> impl IntoView {
    let OrderView { store, order } = order;
    let status = text::fulfillment(&order.fulfillment, Zone::Browser);
    let order_id = order.id.clone();
    let lines = order
        .lines
        .into_iter()
        .map(|line| {
            let href = format!("/orders/{}/return?line={}", order_id, line.id);
            // A total too large to compute is shown as the unit price, said to be one.
            let price = line.unit_price.checked_mul(line.quantity).map_or_else(
                |_| format!("{} each", line.unit_price),
                |total| total.to_string(),
            );
            view! {
                <li class="line">
                    <span class="title">{line.product.title}</span>
                    <span class="qty">{format!("× {}", line.quantity)}</span>
                    <span class="price">{price}</span>
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
