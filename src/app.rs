use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::Nav;
use crate::pages::buyer::{CasePage, OrdersPage, ReturnRequestPage};
use crate::pages::seller::SellerReturnsPage;
use crate::pages::NotFound;

/// The whole app: the header and one page per route.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Nav />
            <main id="main">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=OrdersPage />
                    <Route path=path!("/orders/:order_id/return") view=ReturnRequestPage />
                    <Route path=path!("/returns/:id") view=CasePage />
                    <Route path=path!("/seller/returns") view=SellerReturnsPage />
                </Routes>
            </main>
        </Router>
    }
}
