//! A tracking number: the carrier it belongs to as soon as it is recognised, and why it cannot
//! be one once the buyer has finished typing (left the field) or sends it, said once, beside the
//! field, which is marked invalid. The server checks it again.

use leptos::prelude::*;
use rules::{Action, TrackingNumber};

use crate::components::case_actions::CaseControl;
use crate::components::form_parts::SendRow;
use crate::text::{code, error, t};

/// What the field says under a number as typed: the carrier once recognised; what is wrong
/// (an empty field included) only once it is `judged`, so a number half typed is not called
/// wrong; else nothing (the hint).
pub fn feedback(typed: &str, judged: bool) -> Option<Result<String, String>> {
    match TrackingNumber::parse(typed) {
        Ok(n) => Some(Ok(code("carrier", n.carrier.code()))),
        Err(e) if judged => Some(Err(error(e.code(), ""))),
        Err(_) => None,
    }
}

/// Which parcel a tracking form sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shipment {
    /// The buyer's parcel back to the seller.
    Return,
    /// The seller's replacement (or the other variant of an exchange) to the buyer.
    Replacement,
    /// The repaired item back to the buyer.
    Repaired,
}

impl Shipment {
    /// The form's id and its field's id.
    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Shipment::Return => ("ship-return", "return-tracking"),
            Shipment::Replacement => ("ship-replacement", "replacement-tracking"),
            Shipment::Repaired => ("ship-repaired", "repaired-tracking"),
        }
    }

    /// The action with the number typed, or what is wrong with it.
    pub fn action(self, typed: &str) -> Result<Action, String> {
        let tracking = TrackingNumber::parse(typed).map_err(|e| error(e.code(), ""))?;
        Ok(match self {
            Shipment::Return => Action::ShipReturn { tracking },
            Shipment::Replacement => Action::ShipReplacement { tracking },
            Shipment::Repaired => Action::ShipRepaired { tracking },
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
    // Judged once the field is left or the form sent; from then on it follows each keystroke,
    // so a correction clears the error at once.
    let judged = RwSignal::new(false);
    let problem = RwSignal::new(String::new());
    let said = Memo::new(move |_| typed.with(|n| feedback(n, judged.get())));
    let field = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        judged.set(true);
        match shipment.action(&typed.get_untracked()) {
            Ok(action) => control.submit(Ok(action), problem),
            // Said beside the field, not again under the button.
            Err(_) => {
                if let Some(field) = field.get_untracked() {
                    let _ = field.focus();
                }
            }
        }
    };
    view! {
        <form id=form novalidate on:submit=submit>
            <label for=id>{t("tracking.label")}</label>
            <input
                id=id
                node_ref=field
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                aria-describedby=format!("{id}-feedback")
                aria-invalid=move || if matches!(said.get(), Some(Err(_))) { "true" } else { "false" }
                prop:value=move || typed.get()
                on:input=move |ev| typed.set(event_target_value(&ev))
                on:change=move |_| judged.set(true)
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
