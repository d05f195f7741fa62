use leptos::prelude::*;
use rules::ActionKind;

use crate::api;
use crate::body::ToBody;
use crate::components::reason_form::reason_form;
use crate::markup::{button, el, say, text as tag};
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
    pub fn run(self, action: ActionKind, fields: &dyn ToBody) {
        self.run_with_photos(action, fields, Vec::new());
    }

    /// Sends `photos` as the viewer's evidence (each scaled as the wizard scales them), then
    /// takes `action`. A photo that cannot be sent stops it with the reason (kept across the
    /// reloads each upload causes); the ones sent stay with the case.
    pub fn run_with_photos(
        self,
        action: ActionKind,
        fields: &dyn ToBody,
        photos: Vec<web_sys::File>,
    ) {
        if self.busy.get_untracked() {
            return;
        }
        let fields = fields.body();
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let id = self.id.get_value();
            for file in photos {
                let sent = match crate::photos::shrink(&file).await {
                    Ok(blob) => crate::photos::upload(&id, &blob, &file.name(), |_| {})
                        .await
                        .map_err(|e| e.describe()),
                    Err(code) => Err(crate::text::error(code, "")),
                };
                if let Err(why) = sent {
                    self.problem.set(Some(format!("{}: {why}", file.name())));
                    self.busy.set(false);
                    self.reload();
                    return;
                }
            }
            // The photos took a while: the viewer may have left the page meanwhile.
            let Some(version) = self.version.try_get_value() else {
                return;
            };
            let result = api::act(&id, action.code(), version, fields).await;
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

    /// Sends the message being written; once sent the box empties and the case is read again.
    pub fn send_message(self) {
        let body = self.message.get_untracked().trim().to_owned();
        if body.is_empty() {
            say("message-error", &crate::text::error("message_empty", ""));
            return;
        }
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            match api::send_message(&self.id.get_value(), body).await {
                Ok(()) => {
                    self.message.set(String::new());
                    self.reload();
                }
                Err(e) => say("message-error", &e.describe()),
            }
            self.busy.set(false);
        });
    }
}

/// The case-wide actions the viewer may take now, as markup: reject the request with a reason,
/// escalate to the platform, or withdraw the request (after a confirmation, as it cannot be undone).
pub fn actions_markup(detail: &CaseScreen) -> String {
    let mut html = String::new();
    if detail.may(ActionKind::Reject) {
        html += &reason_form("reject", ["reject.open", "reject.reason", "reject.send"]);
    }
    if detail.may(ActionKind::Escalate) {
        html += &button("button primary", "escalate", None, &t("case.escalate"));
    }
    if detail.may(ActionKind::Withdraw) {
        html += &button("button secondary", "withdraw", None, &t("case.withdraw"));
        html +=
            &format!(
            "<span class=\"confirm\" id=\"withdraw-confirm\" role=\"group\" tabindex=\"-1\" hidden>{}{}{}</span>",
            tag("span", "", &t("case.withdraw_confirm")),
            button("button secondary", "withdraw-yes", None, &t("case.withdraw_yes")),
            button("button secondary", "withdraw-keep", None, &t("case.keep")),
        );
    }
    if html.is_empty() {
        html
    } else {
        el("div", "case-actions", &html)
    }
}
