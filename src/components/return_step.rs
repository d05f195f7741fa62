//! Sending the goods back: the seller's address, and the tracking number with its carrier once
//! shipped.

use leptos::prelude::*;
use rules::{ActionKind, CaseState};

use crate::components::case_actions::CaseControl;
use crate::components::tracking_field::{Shipment, TrackingForm};
use crate::screen::CaseScreen;
use crate::text::{code, t, tf};

/// What the return step says when the viewer has nothing to send: the number it went with, or
/// that the seller's address is awaited; `None` when the goods do not go back.
fn said(detail: &CaseScreen) -> Option<String> {
    match &detail.parts.case.return_tracking {
        Some(n) => Some(tf(
            "return.shipped_with",
            &[
                ("carrier", &code("carrier", n.carrier.code())),
                ("number", &n.number),
            ],
        )),
        None if detail.summary.state == CaseState::AwaitingReturnAddress => {
            Some(t("return.waiting_address"))
        }
        None => None,
    }
}

/// The return step of the case, or nothing when the goods do not go back.
#[component]
pub fn ReturnStep(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let shipping = control.may(ActionKind::ShipReturn);
    let words = Memo::new(move |_| control.with(said).flatten());
    view! {
        <section class="card return-step" hidden=move || !shipping.get() && words.with(Option::is_none)>
            <h2>{t("return.title")}</h2>
            <Show
                when=move || shipping.get()
                fallback=move || view! { <p>{move || words.get().unwrap_or_default()}</p> }
            >
                <TrackingForm control shipment=Shipment::Return send="return.send" />
            </Show>
        </section>
    }
}
