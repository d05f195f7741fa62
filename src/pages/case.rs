use leptos::prelude::*;

use rules::api::{AcceptBody, NoFields};
use rules::{ActionKind, Party};

use crate::components::address_form::{address_body, address_markup, address_picked, fill_saved};
use crate::components::case_actions::{actions_markup, CaseControl};
use crate::components::gallery::{close_photo, gallery_markup, open_photo, step_photo};
use crate::components::messages::messages_markup;
use crate::components::parcel::parcel_markup;
use crate::components::proposals_board::{board_markup, counter_offer, kind_changed};
use crate::components::rating_form::{rating_body, rating_markup};
use crate::components::reason_form::{photos_in, reason_in};
use crate::components::receipt_step::receipt_markup;
use crate::components::return_step::return_markup;
use crate::components::risk_panel::{load_risk, risk_markup};
use crate::components::ruling_form::{ruling, ruling_markup};
use crate::components::status_header::status_header;
use crate::components::timeline::timeline_markup;
use crate::components::tracking_field::{tracking_in, tracking_typed};
use crate::components::Loaded;
use crate::markup::{el, esc, facts, focus, pressed, say, show, target, text as tag};
use crate::screen::CaseScreen;
use crate::text::{self, code, t, tf};
use crate::{api, live};

/// One return case, as each of its parties follows it: `/returns/:id`. The buyer's case page,
/// the seller's negotiation view and the mediator's console are this one page; what each sees
/// and may do comes from the case's permissions. Changes made by another party arrive over the
/// case's live stream and the page reads the case again.
#[component]
pub fn CasePage(
    /// The case's id, from the address.
    id: String,
) -> impl IntoView {
    let (reload, set_reload) = signal(0u32);
    let case = api::case(id.clone(), reload.into());
    let control = CaseControl::new(id.clone(), set_reload);
    live::follow_case(&id, move || set_reload.update(|n| *n += 1));
    let render = move |detail: CaseScreen| {
        // The other party's move redraws the page: what the viewer was typing stays.
        control.keep_typing();
        view! { <CaseDetails detail control /> }.into_any()
    };
    view! {
        <Loaded load=case loading="case.loading" render=render />
    }
}

#[component]
fn CaseDetails(detail: CaseScreen, control: CaseControl) -> impl IntoView {
    control.seen(detail.parts.version);
    request_animation_frame(move || control.restore_typing());
    let summary = &detail.summary;
    let lines: String = summary
        .lines
        .iter()
        .map(|l| tag("li", "", &format!("{} × {}", l.title, l.quantity)))
        .collect();
    let refund = match detail.parts.case.outcome_code() {
        Some(outcome) => code("outcome", &outcome),
        None => tf(
            "case.refund_at_stake",
            &[("amount", &text::money(summary.refund))],
        ),
    };
    let mut rows = vec![
        (t("case.store"), esc(&summary.store)),
        (t("case.items"), el("ul", "", &lines)),
        (
            t("wizard.reason"),
            esc(&code("reason", summary.reason.code())),
        ),
        (t("case.refund"), esc(&refund)),
        (t("case.filed"), esc(&text::date_time(summary.created_at))),
        (
            t("case.why_accepted"),
            esc(&text::explanation(&summary.explanation)),
        ),
    ];
    if !summary.description.is_empty() {
        rows.push((
            t("case.description"),
            tag("span", "description", &summary.description),
        ));
    }
    let about = format!(
        "{}{}{}",
        tag("h2", "", &t("case.about")),
        facts(&rows),
        tag("p", "muted", &tf("case.number", &[("id", &summary.id)]))
    );
    let order = &detail.parts.order;
    rows.insert(
        0,
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
    );
    rows.insert(1, (t("case.buyer"), esc(&detail.parts.buyer)));
    let parts = format!(
        "{}{}{}{}{}{}{}{}",
        risk_markup(&detail),
        board_markup(&detail),
        actions_markup(&detail),
        ruling_markup(&detail),
        address_markup(&detail),
        return_markup(&detail),
        receipt_markup(&detail),
        gallery_markup(&detail),
    );
    if detail.may(ActionKind::GiveReturnAddress) {
        leptos::task::spawn_local(fill_saved());
    }
    if detail.parts.viewer == Party::Platform {
        leptos::task::spawn_local(load_risk(summary.id.clone()));
    }
    let after = format!(
        "{}{}{}{}{}",
        rating_markup(&detail),
        el("section", "card", &about),
        parcel_markup(&detail),
        messages_markup(&detail),
        timeline_markup(&detail)
    );
    let max = detail.parts.case.max_refund;
    // One handler per kind of event for everything drawn as markup below.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(button) = pressed(&ev) else {
            return;
        };
        let party = button.get_attribute("data-party");
        match button.get_attribute("data-act").as_deref() {
            Some("accept") => {
                if let Some(of) = party.as_deref().and_then(Party::from_code) {
                    control.run(ActionKind::Accept, &AcceptBody { of });
                }
            }
            Some("withdraw-proposal") => control.run(ActionKind::WithdrawProposal, &NoFields {}),
            Some("escalate") => control.run(ActionKind::Escalate, &NoFields {}),
            Some("withdraw") => {
                show("withdraw-confirm", true);
                focus("withdraw-confirm");
            }
            Some("withdraw-keep") => show("withdraw-confirm", false),
            Some("withdraw-yes") => control.run(ActionKind::Withdraw, &NoFields {}),
            Some("counter-open") => {
                show("counter", true);
                kind_changed("counter");
                focus("counter-kind");
            }
            Some(act @ ("reject-open" | "report-open")) => {
                let form = act.trim_end_matches("-open");
                show(form, true);
                focus(&format!("{form}-reason"));
            }
            Some(act @ ("counter-cancel" | "reject-cancel" | "report-cancel")) => {
                show(act.trim_end_matches("-cancel"), false)
            }
            Some("photo") => open_photo(
                button
                    .get_attribute("data-index")
                    .and_then(|i| i.parse().ok())
                    .unwrap_or(0),
            ),
            Some("photo-next") => step_photo(1),
            Some("photo-prev") => step_photo(-1),
            Some("photo-close") => close_photo(),
            Some("confirm-receipt") => control.run(ActionKind::ConfirmReceipt, &NoFields {}),
            Some("return-delivered") => control.run(ActionKind::ReturnDelivered, &NoFields {}),
            Some("refund-issued") => control.run(ActionKind::RefundIssued, &NoFields {}),
            _ => {}
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(form) = target::<web_sys::Element>(&ev) else {
            return;
        };
        match form.id().as_str() {
            "counter" => {
                ev.prevent_default();
                match counter_offer(max) {
                    Ok(offer) => {
                        control.run_with_photos(ActionKind::Propose, &offer, photos_in("counter"))
                    }
                    Err(why) => say("counter-error", &why),
                }
            }
            "rate" => {
                ev.prevent_default();
                match rating_body() {
                    Ok(body) => control.run(ActionKind::Rate, &body),
                    Err(why) => say("rate-error", &why),
                }
            }
            "ship-return" => {
                ev.prevent_default();
                match tracking_in("return-tracking") {
                    Ok(body) => control.run(ActionKind::ShipReturn, &body),
                    Err(why) => say("ship-return-error", &why),
                }
            }
            "ship-replacement" => {
                ev.prevent_default();
                match tracking_in("replacement-tracking") {
                    Ok(body) => control.run(ActionKind::ShipReplacement, &body),
                    Err(why) => say("ship-replacement-error", &why),
                }
            }
            id @ ("reject" | "report") => {
                ev.prevent_default();
                let action = if id == "reject" {
                    ActionKind::Reject
                } else {
                    ActionKind::ReportProblem
                };
                match reason_in(id) {
                    Ok(body) => control.run_with_photos(action, &body, photos_in(id)),
                    Err(why) => say(&format!("{id}-error"), &why),
                }
            }
            "address" => {
                ev.prevent_default();
                match address_body() {
                    Ok(body) => control.run(ActionKind::GiveReturnAddress, &body),
                    Err(why) => say("address-error", &why),
                }
            }
            "rule" => {
                ev.prevent_default();
                match ruling(max) {
                    Ok(body) => control.run(ActionKind::Rule, &body),
                    Err(why) => say("rule-error", &why),
                }
            }
            "message-form" => {
                ev.prevent_default();
                control.send_message();
            }
            _ => {}
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        let Some(field) = target::<web_sys::Element>(&ev) else {
            return;
        };
        if let Some(prefix) = field.get_attribute("data-kind-of") {
            kind_changed(&prefix);
            return;
        }
        match field.id().as_str() {
            id @ ("return-tracking" | "replacement-tracking") => tracking_typed(id),
            "address-saved" => address_picked(),
            _ => {}
        }
    };
    // The photo viewer moves with the arrow keys (Escape closes it, as every dialog).
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "ArrowRight" => step_photo(1),
        "ArrowLeft" => step_photo(-1),
        _ => {}
    };
    let bundle = api::case_path(&summary.id, "/bundle");
    view! {
        <section
            class="case"
            data-case=summary.id.clone()
            data-state=summary.state.code()
            on:click=on_click
            on:submit=on_submit
            on:input=on_input
            on:change=on_input
            on:keydown=on_keydown
        >
            {status_header(&detail)}
            <h1>{tf("case.title", &[("id", &summary.order_id)])}</h1>
            <p>
                <a class="button secondary" href=bundle download>{t("case.bundle")}</a>
            </p>
            <p class="form-error" role="alert">{control.problem}</p>
            <div inner_html=parts></div>
            <div inner_html=after></div>
        </section>
    }
}
