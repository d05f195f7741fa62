use leptos::prelude::*;
use rules::{Decision, Eligibility, SelectionError};

use crate::clock::Zone;
use crate::text;

/// The rules' verdict on the request as it stands, updated as the buyer changes the form.
#[component]
pub fn VerdictPanel(
    /// `None` until a reason is chosen.
    #[prop(into)]
    verdict: Signal<Option<Result<Eligibility, SelectionError>>>,
    /// The viewer's time zone, for the dates in the explanation.
    zone: Zone,
) -> impl IntoView {
    let body = move || match verdict.get() {
        None => view! {
            <div class="verdict pending">
                <p>"Choose a reason to see at once whether you can return it."</p>
            </div>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <div class="verdict refused">
                <p>{text::error(error.code(), "")}</p>
            </div>
        }
        .into_any(),
        Some(Ok(v)) => {
            let (class, headline) = match v.decision {
                Decision::Eligible => ("verdict eligible", "You can ask for this"),
                Decision::NotYetOpen => ("verdict not-yet", "Not yet"),
                Decision::Refused => ("verdict refused", "Not possible"),
            };
            let details = (v.decision == Decision::Eligible).then(|| {
                let shipping = v.return_shipping_paid_by.map(|p| {
                    view! { <li>{format!("Return shipping is paid by {}.", text::party(p))}</li> }
                });
                let photos = v
                    .photos_required
                    .then(|| view! { <li>"Photos of the problem will be needed."</li> });
                view! {
                    <ul>
                        <li>{format!("Refund of up to {}.", v.max_refund)}</li>
                        {shipping}
                        {photos}
                    </ul>
                }
            });
            view! {
                <div class=class>
                    <p class="headline">{headline}</p>
                    {v
                        .explanations
                        .iter()
                        .map(|e| view! { <p>{text::explanation(e, zone)}</p> })
                        .collect_view()}
                    {details}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="verdict-panel" aria-live="polite" aria-label="Can I return it?">
            {body}
        </section>
    }
}
