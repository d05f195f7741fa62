//! Consequential clicks ask once: accepting a proposal, confirming a return, escalating, ruling,
//! withdrawing and recording a delivery or a refund each say what will happen (the plan, the
//! amount, what closes) in a modal dialog, reachable and dismissed by keyboard (Escape keeps
//! things as they are), before anything is sent.

use leptos::prelude::*;
use rules::{Action, ActionKind, Decree, Resolution};

use crate::components::case_actions::CaseControl;
use crate::components::decision::plan_words;
use crate::markup::Act;
use crate::screen::CaseScreen;
use crate::text::{t, tf};

/// The actions that ask before they are sent.
pub const CONFIRMED: [ActionKind; 8] = [
    ActionKind::Accept,
    ActionKind::ConfirmReceipt,
    ActionKind::ConfirmItem,
    ActionKind::Escalate,
    ActionKind::Rule,
    ActionKind::Withdraw,
    ActionKind::ReturnDelivered,
    ActionKind::RefundIssued,
];

/// What `action` will do to the case on screen, as the question put to the viewer.
pub fn question(detail: &CaseScreen, action: &Action) -> String {
    let viewer = detail.parts.viewer;
    let case = &detail.parts.case;
    let kind = action.kind().code();
    let plan = match action {
        Action::Accept { of } => case
            .proposals
            .of(*of)
            .map(|p| plan_words(&p.terms, Some(viewer))),
        Action::Rule {
            decree: Decree::Plan(offer),
            ..
        } => offer
            .terms(case.limits)
            .ok()
            .map(|terms| plan_words(&terms, Some(viewer))),
        Action::Rule { .. } => return t("confirm.rule_no_refund"),
        _ => None,
    };
    let agreed = case.agreement.as_ref().map(|a| a.terms.resolution);
    let key = match (action, agreed) {
        (Action::Accept { of }, _) => format!("confirm.accept.{}", of.code()),
        (Action::ConfirmReceipt, Some(Resolution::Replacement | Resolution::Exchange)) => {
            "confirm.confirm_receipt_replacement".to_owned()
        }
        (Action::ConfirmReceipt, Some(Resolution::Repair)) => {
            "confirm.confirm_receipt_repair".to_owned()
        }
        _ => format!("confirm.{kind}"),
    };
    tf(
        &key,
        &[
            ("plan", &plan.unwrap_or_default()),
            ("amount", &crate::text::money(detail.summary.refund)),
        ],
    )
}

/// The one dialog of the case page that asks before an action in [`CONFIRMED`] is sent: it
/// opens when a part asks through [`CaseControl::ask`].
#[component]
pub fn ConfirmDialog(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let asked = Memo::new(move |_| {
        control.asking.with(|a| {
            a.as_ref().and_then(|action| {
                control.with(|d| {
                    (
                        question(d, action),
                        format!("confirm.yes.{}", action.kind().code()),
                    )
                })
            })
        })
    });
    Effect::new(move |_| {
        let open = asked.with(Option::is_some);
        if let Some(d) = dialog.get() {
            if open && !d.open() {
                let _ = d.show_modal();
            } else if !open && d.open() {
                d.close();
            }
        }
    });
    let yes = move |_| {
        if let Some(action) = control.asking.get_untracked() {
            control.asking.set(None);
            control.run(action);
        }
    };
    view! {
        <dialog
            node_ref=dialog
            class="confirm-dialog"
            aria-labelledby="confirm-question"
            on:close=move |_| control.asking.set(None)
        >
            <p id="confirm-question">{move || asked.get().map(|a| a.0)}</p>
            <div class="send-row">
                <button
                    type="button"
                    class="button primary"
                    data-act=Act::ConfirmYes.code()
                    disabled=move || control.busy.get()
                    on:click=yes
                >
                    {move || asked.get().map(|a| t(&a.1))}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    data-act=Act::ConfirmKeep.code()
                    on:click=move |_| control.asking.set(None)
                >
                    {t("case.keep")}
                </button>
            </div>
        </dialog>
    }
}
