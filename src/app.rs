use leptos::prelude::*;

use crate::components::Nav;
use crate::pages::buyer::{CasePage, OrdersPage, ReturnRequestPage};
use crate::pages::seller::SellerReturnsPage;
use crate::pages::NotFound;
use crate::route::{Route, Router};

/// The whole app: the header and the page of the current address.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::provide();
    let page = move || match router.route.get() {
        Route::Orders => view! { <OrdersPage /> }.into_any(),
        Route::Return { order_id, line } => {
            view! { <ReturnRequestPage order_id line /> }.into_any()
        }
        Route::Case { id } => view! { <CasePage id /> }.into_any(),
        Route::SellerReturns => view! { <SellerReturnsPage /> }.into_any(),
        Route::SignIn | Route::NotFound => view! { <NotFound /> }.into_any(),
    };
    view! {
        <Nav />
        <main id="main">{page}</main>
    }
}
