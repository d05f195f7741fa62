use leptos::prelude::*;
use rules::api::Role;

use crate::components::ErrorView;
use crate::components::Nav;
use crate::pages::account::{MailPage, SignInPage};
use crate::pages::buyer::{CreditsPage, MyReturnsPage, OrdersPage, ReturnRequestPage};
use crate::pages::mediator::DisputesPage;
use crate::pages::seller::{AnalyticsPage, PolicyPage, SellerReturnsPage};
use crate::pages::{CasePage, NotFound};
use crate::route::{Route, Router};
use crate::session::{Session, Words};
use crate::text::t;

/// The whole app: the header and the page of the current address, in the chosen language. Anyone
/// not signed in is asked to, on the address they asked for.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::provide();
    let session = expect_context::<Session>();
    let page = move || {
        // Drawn again when the language changes, so every word follows it.
        session.locale.track();
        let role = session.me.with(|me| me.as_ref().map(|me| me.role));
        let route = router.route.get();
        let words = if role.is_some() && route.needs_all_words() {
            session.all_words()
        } else {
            Words::All
        };
        let page = match (role, route, words) {
            (_, _, Words::Failed(error)) => {
                let retry = Callback::new(move |_| session.load_rest());
                view! { <ErrorView error retry /> }.into_any()
            }
            (_, _, Words::First | Words::Loading) => {
                view! { <p class="loading" aria-busy="true">{t("nav.loading")}</p> }.into_any()
            }
            (role, route, Words::All) => match (role, route) {
                (_, Route::NotFound) => view! { <NotFound /> }.into_any(),
                (None, _) => view! { <SignInPage /> }.into_any(),
                (Some(Role::Buyer), Route::Orders | Route::SignIn) => {
                    view! { <OrdersPage /> }.into_any()
                }
                (Some(Role::Buyer), Route::Return { order_id, line }) => {
                    view! { <ReturnRequestPage order_id line /> }.into_any()
                }
                (Some(_), Route::Case { id }) => view! { <CasePage id /> }.into_any(),
                (Some(role), Route::Account) => view! { <MailPage role /> }.into_any(),
                (Some(Role::Buyer), Route::MyReturns) => view! { <MyReturnsPage /> }.into_any(),
                (Some(Role::Buyer), Route::Credits) => view! { <CreditsPage /> }.into_any(),
                (Some(Role::Seller), Route::Analytics) => view! { <AnalyticsPage /> }.into_any(),
                (Some(Role::Seller), Route::SellerPolicy) => view! { <PolicyPage /> }.into_any(),
                (Some(Role::Mediator), _) => view! { <DisputesPage /> }.into_any(),
                (Some(_), _) => view! { <SellerReturnsPage /> }.into_any(),
            },
        };
        view! {
            <Nav />
            <main id="main">{page}</main>
        }
    };
    page.into_any()
}
