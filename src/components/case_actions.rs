use leptos::prelude::*;
use rules::api::NoFields;
use rules::ActionKind;
use serde::Serialize;

use crate::api::{self, ApiError};
use crate::screen::CaseScreen;
use crate::text::t;

/// What the parts of a case page share to act on the case: its id, the version the viewer saw,
/// and where to say what went wrong. Created by the page, so it outlives each reload.
#[derive(Clone, Copy)]
pub struct CaseControl {
    id: StoredValue<String>,
    version: StoredValue<u32>,
    set_reload: WriteSignal<u32>,
    /// The last action's failure, in the viewer's words.
    pub problem: RwSignal<Option<String>>,
    /// An action is on its way: the buttons wait.
    pub busy: RwSignal<bool>,
    /// The message being written: kept when the case is read again because someone acted.
    pub message: RwSignal<String>,
}

impl CaseControl {
    pub fn new(id: String, set_reload: WriteSignal<u32>) -> Self {
        CaseControl {
            id: StoredValue::new(id),
            version: StoredValue::new(0),
            set_reload,
            problem: RwSignal::new(None),
            busy: RwSignal::new(false),
            message: RwSignal::new(String::new()),
        }
    }

    /// The version of the case on screen, sent with every action.
    pub fn seen(self, version: u32) {
        self.version.set_value(version);
    }

    /// Takes `action` with `fields`, then shows the case as it is now. If the other party acted
    /// meanwhile, nothing is overwritten: the viewer is told and sees their move.
    pub fn run<B: Serialize>(self, action: ActionKind, fields: B) {
        match api::to_json(&fields) {
            Ok(json) => self.send(action, json),
            Err(e) => self.problem.set(Some(ApiError::Decode(e).describe())),
        }
    }

    /// Not generic, so it is compiled once for every action.
    fn send(self, action: ActionKind, fields: String) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let id = self.id.get_value();
            let result = api::act(&id, action.code(), self.version.get_value(), &fields).await;
            self.problem.set(match result {
                Ok(()) => None,
                Err(e) if e.code() == "stale_version" => Some(t("case.stale")),
                Err(e) => Some(e.describe()),
            });
            self.busy.set(false);
            self.reload();
        });
    }

    /// Reads the case again.
    pub fn reload(self) {
        self.set_reload.update(|n| *n += 1);
    }

    pub fn case_id(self) -> String {
        self.id.get_value()
    }
}

/// The case-wide actions the viewer may take now: escalate to the platform, or withdraw the
/// request (after a confirmation, as it cannot be undone).
#[component]
pub fn CaseActions(
    /// The case as shown.
    detail: CaseScreen,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let (confirming, set_confirming) = signal(false);
    let escalate = detail.may(ActionKind::Escalate).then(|| {
        view! {
            <button type="button" class="button primary" disabled=control.busy
                on:click=move |_| control.run(ActionKind::Escalate, NoFields {})>
                {t("case.escalate")}
            </button>
        }
    });
    let withdraw = detail.may(ActionKind::Withdraw).then(|| {
        view! {
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button type="button" class="button secondary" on:click=move |_| set_confirming.set(true)>
                        {t("case.withdraw")}
                    </button>
                }
            >
                <span class="confirm" role="group" aria-label=t("case.withdraw")>
                    {t("case.withdraw_confirm")}
                    <button type="button" class="button secondary" disabled=control.busy
                        on:click=move |_| control.run(ActionKind::Withdraw, NoFields {})>
                        {t("case.withdraw_yes")}
                    </button>
                    <button type="button" class="button secondary" on:click=move |_| set_confirming.set(false)>
                        {t("case.keep")}
                    </button>
                </span>
            </Show>
        }
    });
    (escalate.is_some() || withdraw.is_some()).then(|| {
        view! { <div class="case-actions">{escalate}{withdraw}</div> }
    })
}
