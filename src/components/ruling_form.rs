//! The mediator's ruling: a plan carried out (or no refund at all) and the written reason both
//! parties will read. It ends the negotiation.

use leptos::prelude::*;
use rules::{Action, ActionKind, Decree, Limits};

use crate::components::case_actions::{while_allowed, CaseControl};
use crate::components::form_parts::{SendRow, TextBox};
use crate::components::proposals_board::{OfferFields, PlanFields, PlanInputs};
use crate::text::{error, t};

/// The value of the kind that rules out any refund.
const NO_REFUND: &str = "no_refund";

/// The ruling in the fields, or what is wrong with it.
pub fn ruling(plan: &PlanInputs, reason: &str, max: Limits) -> Result<Action, String> {
    let decree = if plan.kind == NO_REFUND {
        Decree::NoRefund
    } else {
        Decree::Plan(plan.offer(max, String::new())?)
    };
    let reason = reason.trim().to_owned();
    if reason.is_empty() {
        return Err(error("reason_required", ""));
    }
    Ok(Action::Rule { decree, reason })
}

/// The ruling form, when the viewer may rule.
#[component]
pub fn RulingForm(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let may = control.may(ActionKind::Rule);
    view! {
        {while_allowed(may, control, |control| view! { <RulingFields control /> }.into_any())}
    }
}

#[component]
fn RulingFields(control: CaseControl) -> impl IntoView {
    let fields = PlanFields::new();
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let max = control.limits();
    let variants = control.exchange_options();
    let repairable = control.repairable();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        control.ask_checked(
            ruling(&fields.inputs(), &reason.get_untracked(), max),
            problem,
        );
    };
    view! {
        <section class="card ruling" aria-labelledby="rule-title">
            <h2 id="rule-title">{t("rule.title")}</h2>
            <p class="hint">{t("rule.hint")}</p>
            <form id="rule" novalidate on:submit=submit>
                <OfferFields
                    prefix="rule"
                    kind_label="rule.kind"
                    limits=max
                    variants
                    repairable
                    extra=(NO_REFUND, t("rule.no_refund"))
                    fields
                />
                <TextBox
                    id="rule-reason"
                    label="rule.reason"
                    value=reason
                    rows=3
                    max_chars=rules::TEXT_MAX_CHARS
                    required=true
                />
                <SendRow error_id="rule-error" problem busy=control.busy label="rule.send" />
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::Currency;

    #[test]
    fn a_ruling_needs_its_reason_and_may_refund_nothing() {
        let max = Limits {
            refund: rules::Money::new(5900, Currency::EUR),
            credit: rules::Money::new(5900, Currency::EUR),
        };
        let none = PlanInputs {
            kind: NO_REFUND.into(),
            ..PlanInputs::default()
        };
        assert_eq!(
            ruling(&none, " Worn ", max),
            Ok(Action::Rule {
                decree: Decree::NoRefund,
                reason: "Worn".into()
            })
        );
        assert_eq!(ruling(&none, "", max), Err(error("reason_required", "")));
        let refund = PlanInputs {
            kind: "refund_only".into(),
            ..PlanInputs::default()
        };
        assert!(matches!(
            ruling(&refund, "Broken", max),
            Ok(Action::Rule {
                decree: Decree::Plan(_),
                ..
            })
        ));
    }
}
