use leptos::prelude::*;

use rules::Party;

use crate::components::address_form::AddressForm;
use crate::components::case_actions::{CaseActions, CaseControl};
use crate::components::confirm::ConfirmDialog;
use crate::components::decision::decision_markup;
use crate::components::gallery::{close_photo, open_photo, step_photo, Gallery};
use crate::components::messages::Messages;
use crate::components::parcel::parcel_markup;
use crate::components::proposals_board::ProposalsBoard;
use crate::components::rating_form::RatingForm;
use crate::components::receipt_step::ReceiptStep;
use crate::components::return_step::ReturnStep;
use crate::components::risk_panel::RiskPanel;
use crate::components::ruling_form::RulingForm;
use crate::components::status_header::StatusHeader;
use crate::components::timeline::timeline_markup;
use crate::components::ErrorView;
use crate::markup::{el, esc, facts, text as tag, Act, Markup};
use crate::screen::CaseScreen;
use crate::text::{self, code, t, tf};
use crate::{api, live};

/// One return case, as each of its parties follows it: `/returns/:id`. The buyer's case page,
/// the seller's negotiation view and the mediator's console are this one page; what each sees
/// and may do comes from the case's permissions. Changes made by another party arrive over the
/// case's live stream: the case is read again and each part changes in place, so what the
/// viewer is typing, the files chosen and the forms open stay as they are.
#[component]
pub fn CasePage(
    /// The case's id, from the address.
    id: String,
) -> impl IntoView {
    let control = CaseControl::new(id.clone());
    live::follow_case(&id, move || control.reload());
    let shown = Memo::new(move |_| control.case.with(Option::is_some));
    let retry = Callback::new(move |_| control.reload());
    move || {
        // Read, not only tracked: a memo that is never read never follows its source.
        let fixed = shown
            .get()
            .then(|| {
                control.case.with_untracked(|c| {
                    c.as_ref().map(|d| {
                        (
                            d.summary.id.clone(),
                            d.summary.number,
                            d.summary.order_id.clone(),
                            d.parts.viewer,
                        )
                    })
                })
            })
            .flatten();
        if let Some((id, number, order_id, viewer)) = fixed {
            view! { <CaseDetails control id number order_id viewer /> }.into_any()
        } else if let Some(error) = control.failed() {
            view! { <ErrorView error retry /> }.into_any()
        } else {
            view! { <p class="loading" aria-busy="true">{t("case.loading")}</p> }.into_any()
        }
    }
}

/// What the case is about: the order, the buyer, the store, the items, the reason, the refund,
/// when it was filed and why it was accepted.
fn about_markup(detail: &CaseScreen) -> Markup {
    let summary = &detail.summary;
    let order = &detail.parts.order;
    let lines = summary
        .lines
        .iter()
        .map(|l| tag("li", "", &format!("{} × {}", l.title, l.quantity)))
        .collect();
    let mut rows = vec![
        (
            t("case.order"),
            esc(&tf(
                "case.order_placed",
                &[
                    ("id", &order.id),
                    ("date", &text::date_time(order.placed_at)),
                ],
            )),
        ),
        (t("case.buyer"), esc(&detail.parts.buyer)),
        (t("case.store"), esc(&summary.store)),
        (t("case.items"), el("ul", "", lines)),
        (
            t("wizard.reason"),
            esc(&code("reason", summary.reason.code())),
        ),
        (t("case.filed"), esc(&text::date_time(summary.created_at))),
        (
            t("case.why_accepted"),
            esc(&text::explanation(&summary.explanation)),
        ),
    ];
    // Once settled, the decision card says what was paid.
    if detail.parts.settlement.is_none() {
        rows.push((
            t("case.refund"),
            esc(&tf(
                "case.refund_at_stake",
                &[("amount", &text::money(summary.refund))],
            )),
        ));
    }
    if !summary.description.is_empty() {
        rows.push((
            t("case.description"),
            tag("span", "description", &summary.description),
        ));
    }
    tag("h2", "", &t("case.about")).join(facts(rows))
}

/// The case, once first read: every part of the page, each following the case as it changes.
#[component]
pub fn CaseDetails(
    /// The case on screen.
    control: CaseControl,
    /// The case's id, which never changes.
    id: String,
    /// Its short number, which never changes.
    number: u64,
    /// The order it is about, which never changes.
    order_id: String,
    /// Whom the page is for, which never changes.
    viewer: Party,
) -> impl IntoView {
    let state = move || control.with(|d| d.summary.state.code()).unwrap_or_default();
    // The photos, drawn as markup by the board and the gallery, open in one viewer.
    let on_click = move |ev: leptos::ev::MouseEvent| match Act::pressed(&ev) {
        Some((Act::Photo, button)) => open_photo(
            button
                .get_attribute("data-index")
                .and_then(|i| i.parse().ok())
                .unwrap_or(0),
        ),
        Some((Act::PhotoNext, _)) => step_photo(1),
        Some((Act::PhotoPrev, _)) => step_photo(-1),
        Some((Act::PhotoClose, _)) => close_photo(),
        _ => {}
    };
    // The photo viewer moves with the arrow keys (Escape closes it, as every dialog).
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowRight" => step_photo(1),
        "ArrowLeft" => step_photo(-1),
        _ => {}
    };
    // The case file's summary is written in the viewer's language.
    let bundle = format!(
        "{}?lang={}",
        api::case_path(&id, "/bundle"),
        text::locale().code()
    );
    let risk = (viewer == Party::Platform).then(|| view! { <RiskPanel case_id=id.clone() /> });
    view! {
        <section
            class="case"
            data-case=id.clone()
            data-state=state
            on:click=on_click
            on:keydown=on_keydown
        >
            <StatusHeader control />
            <ConfirmDialog control />
            <section class="card decision" inner_html=move || control.with(decision_markup).unwrap_or_default().into_html()></section>
            <h1>{tf("case.title", &[("number", &number.to_string()), ("id", &order_id)])}</h1>
            <p>
                <a class="button secondary" href=bundle download>{t("case.bundle")}</a>
            </p>
            <p class="form-error" role="alert">{move || control.problem.get()}</p>
            {risk}
            <ProposalsBoard control />
            <CaseActions control />
            <RulingForm control />
            <AddressForm control />
            <ReturnStep control />
            <ReceiptStep control />
            <Gallery control />
            <RatingForm control />
            <section class="card" inner_html=move || control.with(about_markup).unwrap_or_default().into_html()></section>
            <div inner_html=move || control.with(parcel_markup).unwrap_or_default().into_html()></div>
            <Messages control />
            <div inner_html=move || control.with(timeline_markup).unwrap_or_default().into_html()></div>
        </section>
    }
}
