//! The seller's return address: picked from the addresses given before, or typed. The saved ones
//! load once, when the form first shows.

use leptos::prelude::*;
use rules::{Action, ActionKind, ADDRESS_MAX_CHARS};

use crate::components::case_actions::{while_allowed, CaseControl};
use crate::components::form_parts::{choice, SendRow, TextBox};
use crate::markup::options;
use rules::api::SavedAddress;

use crate::api::{ApiError, Load};
use crate::decode::{Obj, Read};
use crate::text::{error, t};

/// The address typed, or what is wrong with it.
pub fn address_action(typed: &str) -> Result<Action, String> {
    let address = typed.trim().to_owned();
    if address.is_empty() {
        return Err(error("address_required", ""));
    }
    if address.chars().count() > ADDRESS_MAX_CHARS {
        return Err(error("text_too_long", ""));
    }
    Ok(Action::GiveReturnAddress { address })
}

/// The seller's saved addresses, most recent first, from the API's answer.
pub fn saved_addresses(answer: &str) -> Read<Vec<SavedAddress>> {
    Obj::parse(answer)?.items()
}

/// The address form, when the viewer is to give one.
#[component]
pub fn AddressForm(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let may = control.may(ActionKind::GiveReturnAddress);
    view! {
        {while_allowed(may, control, |control| view! { <AddressFields control /> }.into_any())}
    }
}

#[component]
fn AddressFields(control: CaseControl) -> impl IntoView {
    let address = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let load = Load::<Vec<SavedAddress>>::new(Signal::stored("/api/seller/addresses".into()));
    let saved = move || {
        let answer = load.resource.get()?;
        Some(answer.and_then(|text| saved_addresses(&text).map_err(ApiError::from)))
    };
    // The most recent one goes into the field, unless something is typed already.
    Effect::new(move |_| {
        if let Some(Ok(list)) = saved() {
            if let (Some(first), true) = (
                list.first(),
                address.with_untracked(|a| a.trim().is_empty()),
            ) {
                address.set(first.address.clone());
            }
        }
    });
    let options = Signal::derive(move || {
        let list = match saved() {
            None => vec![(String::new(), t("address.loading"))],
            Some(Err(why)) => vec![(String::new(), why.describe())],
            Some(Ok(list)) if list.is_empty() => vec![(String::new(), t("address.none"))],
            Some(Ok(list)) => std::iter::once((String::new(), t("address.pick")))
                .chain(list.into_iter().map(|a| (a.address.clone(), a.address)))
                .collect(),
        };
        options(list.iter().map(|(v, l)| (v.as_str(), l.as_str())), "")
    });
    // A saved address picked goes into the field, where it can still be changed.
    let pick = Callback::new(move |picked: String| {
        if !picked.is_empty() {
            address.set(picked);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        control.submit(address_action(&address.get_untracked()), problem);
    };
    view! {
        <section class="card" aria-labelledby="address-title">
            <h2 id="address-title">{t("address.title")}</h2>
            <form id="address" novalidate on:submit=submit>
                <label for="address-saved">{t("address.saved")}</label>
                {choice("address-saved".into(), NodeRef::new(), options, Signal::stored(String::new()), pick)}
                <TextBox
                    id="address-text"
                    label="address.label"
                    value=address
                    rows=3
                    max_chars=ADDRESS_MAX_CHARS
                    required=true
                    autocomplete="street-address"
                />
                <SendRow error_id="address-error" problem busy=control.busy label="address.send" />
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_required_and_bounded() {
        assert_eq!(
            address_action(" 1 Dock Road\nLeeds "),
            Ok(Action::GiveReturnAddress {
                address: "1 Dock Road\nLeeds".into()
            })
        );
        assert_eq!(address_action("  "), Err(error("address_required", "")));
        let long = "x".repeat(ADDRESS_MAX_CHARS + 1);
        assert_eq!(address_action(&long), Err(error("text_too_long", "")));
    }
}
