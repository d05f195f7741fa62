use leptos::prelude::*;
use rules::api::TrackingBody;
use rules::{ActionKind, CaseState, TrackingNumber};

use crate::components::case_actions::CaseControl;
use crate::components::TrackingField;
use crate::screen::CaseScreen;
use crate::text::{code, error, t, tf};

/// Sending the goods back: the seller's address, and the tracking number with its carrier once
/// shipped.
#[component]
pub fn ReturnStep(
    /// The case as shown.
    detail: CaseScreen,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let tracking = detail.parts.case.return_tracking.clone();
    let state = detail.summary.state;
    let shipping = detail.may(ActionKind::ShipReturn);
    if !shipping && tracking.is_none() && state != CaseState::AwaitingReturnAddress {
        return None;
    }
    let typed = RwSignal::new(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = typed.get_untracked();
        match TrackingNumber::parse(&number) {
            Ok(_) => {
                set_problem.set(None);
                control.run(
                    ActionKind::ShipReturn,
                    TrackingBody {
                        tracking_number: number,
                    },
                );
            }
            Err(e) => set_problem.set(Some(error(e.code(), ""))),
        }
    };
    let form = shipping.then(|| {
        view! {
            <form on:submit=submit novalidate>
                <TrackingField value=typed id="return-tracking" />
                <p class="form-error" role="alert">{problem}</p>
                <button type="submit" class="button primary" disabled=control.busy>{t("return.send")}</button>
            </form>
        }
    });
    let status = match (shipping, tracking) {
        (true, _) => None,
        (false, Some(n)) => Some(tf(
            "return.shipped_with",
            &[
                ("carrier", &code("carrier", n.carrier.code())),
                ("number", &n.number),
            ],
        )),
        (false, None) => Some(t("return.waiting_address")),
    };
    let body = view! {
        {form}
        {status.map(|s| view! { <p>{s}</p> })}
    };
    Some(view! {
        <section class="card return-step">
            <h2>{t("return.title")}</h2>
            {body}
        </section>
    })
}
