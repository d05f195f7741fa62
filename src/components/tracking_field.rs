//! A tracking number, checked as it is typed: the carrier it belongs to, or why it cannot be
//! one. The server checks it again.

use leptos::prelude::*;
use rules::{Action, TrackingNumber};

use crate::components::case_actions::CaseControl;
use crate::components::form_parts::SendRow;
use crate::text::{code, error, t};

/// What the field says under a number as typed: nothing yet, the carrier, or what is wrong.
pub fn feedback(typed: &str) -> Option<Result<String, String>> {
    if typed.trim().is_empty() {
        return None;
    }
    Some(
        TrackingNumber::parse(typed)
            .map(|n| code("carrier", n.carrier.code()))
            .map_err(|e| error(e.code(), "")),
    )
}

/// Which parcel a tracking form sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shipment {
    /// The buyer's parcel back to the seller.
    Return,
    /// The seller's replacement to the buyer.
    Replacement,
}

impl Shipment {
    /// The form's id and its field's id.
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Shipment::Return => ("ship-return", "return-tracking"),
            Shipment::Replacement => ("ship-replacement", "replacement-tracking"),
        }
    }

    /// The action with the number typed, or what is wrong with it.
    pub fn action(self, typed: &str) -> Result<Action, String> {
        let tracking = TrackingNumber::parse(typed).map_err(|e| error(e.code(), ""))?;
        Ok(match self {
            Shipment::Return => Action::ShipReturn { tracking },
            Shipment::Replacement => Action::ShipReplacement { tracking },
        })
    }
}

/// A tracking number's form: the field, what the number is, and the submit labelled by `send`.
#[component]
pub fn TrackingForm(
    /// The case on screen.
    control: CaseControl,
    /// The parcel it sends.
    shipment: Shipment,
    /// The catalogue key of the submit.
    send: &'static str,
) -> impl IntoView {
    let (form, id) = shipment.ids();
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let said = Memo::new(move |_| typed.with(|n| feedback(n)));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        control.submit(shipment.action(&typed.get_untracked()), problem);
    };
    view! {
        <form id=form novalidate on:submit=submit>
            <label for=id>{t("tracking.label")}</label>
            <input
                id=id
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                aria-describedby=format!("{id}-feedback")
                aria-invalid=move || if matches!(said.get(), Some(Err(_))) { "true" } else { "false" }
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
            />
            <p
                class=move || match said.get() {
                    None => "tracking-feedback hint",
                    Some(Ok(_)) => "tracking-feedback ok",
                    Some(Err(_)) => "tracking-feedback error",
                }
                id=format!("{id}-feedback")
                aria-live="polite"
            >
                {move || match said.get() {
                    None => t("tracking.hint"),
                    Some(Ok(words) | Err(words)) => words,
                }}
            </p>
            <SendRow error_id=format!("{form}-error") problem busy=control.busy label=send />
        </form>
    }
}
