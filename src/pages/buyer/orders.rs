use leptos::prelude::*;

use rules::api::OrderView;

use crate::api;
use crate::components::order_card::{cancellation, order_card};
use crate::components::Loaded;
use crate::markup::{Act, Markup};
use crate::route::{use_router, Route, Router};
use crate::text::t;

/// The buyer's orders, each line with a way to start a return; an order not shipped yet is
/// cancelled and refunded with one click.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = api::orders();
    let problem = RwSignal::new(None::<String>);
    view! {
        <h1>{t("orders.title")}</h1>
        <p class="form-error" role="alert">{move || problem.get()}</p>
        <Loaded load=orders loading="orders.loading" render=move |list| cards(list, problem) />
    }
}

/// The order cards, whose "Cancel and refund" buttons file the cancellation.
fn cards(list: Vec<OrderView>, problem: RwSignal<Option<String>>) -> AnyView {
    let empty = list.is_empty();
    let cards: Markup = list.iter().map(order_card).collect();
    let list = StoredValue::new(list);
    let router = use_router();
    let on_click = move |ev: leptos::ev::MouseEvent| cancel(&ev, list, problem, router);
    view! {
        <p class="empty" hidden=!empty>{t("orders.empty")}</p>
        <div on:click=on_click inner_html=cards.into_html()></div>
    }
    .into_any()
}

/// Files the cancellation of the order whose button was pressed, then shows its case; says in
/// `problem` why if it could not.
fn cancel(
    ev: &leptos::ev::MouseEvent,
    list: StoredValue<Vec<OrderView>>,
    problem: RwSignal<Option<String>>,
    router: Router,
) {
    let Some((Act::CancelOrder, button)) = Act::pressed(ev) else {
        return;
    };
    let id = button.get_attribute("data-order").unwrap_or_default();
    let Some((filing, _)) = list.with_value(|l| {
        l.iter()
            .find(|v| v.order.id == id)
            .and_then(|v| cancellation(v, crate::clock::now()))
    }) else {
        return;
    };
    let _ = button.set_attribute("disabled", "");
    problem.set(None);
    leptos::task::spawn_local(async move {
        // One key per order: a second click, or a retry, finds the same case.
        match api::file_return(&filing, &format!("cancel-{id}")).await {
            Ok(case_id) => router.go(&Route::Case { id: case_id }.href()),
            Err(e) => {
                let _ = button.remove_attribute("disabled");
                problem.try_set(Some(e.describe()));
            }
        }
    });
}
