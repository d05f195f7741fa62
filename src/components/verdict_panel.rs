use leptos::prelude::*;
use rules::{Decision, Eligibility, SelectionError};

use crate::text::{self, code, error, t, tf};

/// The rules' verdict on the request as it stands, updated as the buyer changes the form, and
/// announced to screen readers as it changes.
#[component]
pub fn VerdictPanel(
    /// `None` until a reason is chosen.
    #[prop(into)]
    verdict: Signal<Option<Result<Eligibility, SelectionError>>>,
) -> impl IntoView {
    let body = move || match verdict.get() {
        None => view! {
            <div class="verdict pending">
                <p>{t("verdict.pending")}</p>
            </div>
        }
        .into_any(),
        Some(Err(e)) => view! {
            <div class="verdict refused">
                <p>{error(e.code(), "")}</p>
            </div>
        }
        .into_any(),
        Some(Ok(v)) => {
            let (class, headline) = match v.decision {
                Decision::Eligible => ("verdict eligible", "verdict.eligible"),
                Decision::NotYetOpen => ("verdict not-yet", "verdict.not_yet"),
                Decision::Refused => ("verdict refused", "verdict.refused"),
            };
            let details = (v.decision == Decision::Eligible).then(|| {
                let shipping = v
                    .return_shipping_paid_by
                    .map(|p| view! { <li>{code("verdict.shipping_paid_by", p.code())}</li> });
                let photos = v
                    .photos_required
                    .then(|| view! { <li>{t("verdict.photos_required")}</li> });
                view! {
                    <ul>
                        <li>{tf("verdict.refund_up_to", &[("amount", &text::money(v.max_refund))])}</li>
                        {shipping}
                        {photos}
                    </ul>
                }
            });
            view! {
                <div class=class>
                    <p class="headline">{t(headline)}</p>
                    {v.explanations.iter().map(|e| view! { <p>{text::explanation(e)}</p> }).collect_view()}
                    {details}
                </div>
            }
            .into_any()
        }
    };
    view! {
        <section class="verdict-panel" aria-live="polite" aria-label=t("verdict.label")>
            {body}
        </section>
    }
}
