use leptos::prelude::*;
use rules::ActionKind;

use crate::api;
use crate::body::ToBody;
use crate::components::reason_form::reason_form;
use crate::markup::{button, el, say, set_value, text as tag, value_of};
use crate::screen::CaseScreen;
use crate::text::t;
use crate::typing::Typing;

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
    /// What the viewer typed and opened, between reading the case again and drawing it.
    typing: StoredValue<Typing>,
    /// The viewer's own action went through: the page moves on, and what was typed for it goes.
    done: StoredValue<bool>,
}

impl CaseControl {
    pub fn new(id: String, set_reload: WriteSignal<u32>) -> Self {
        CaseControl {
            id: StoredValue::new(id),
            version: StoredValue::new(0),
            set_reload,
            problem: RwSignal::new(None),
            busy: RwSignal::new(false),
            typing: StoredValue::new(Typing::default()),
            done: StoredValue::new(false),
        }
    }

    /// Called as the case is about to be drawn again: keeps what the viewer has typed and
    /// opened (someone else acted, or the viewer's action was refused), but not after the
    /// viewer's own action went through.
    pub fn keep_typing(self) {
        let kept = if self.done.get_value() {
            Typing::default()
        } else {
            Typing::read(".case")
        };
        self.done.set_value(false);
        self.typing.set_value(kept);
    }

    /// Called once the case is drawn again: gives back what [`CaseControl::keep_typing`] kept.
    pub fn restore_typing(self) {
        self.typing.try_with_value(Typing::restore);
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
                    Ok(blob) => {
                        let to = crate::photos::UploadTo::Case(&id);
                        crate::photos::upload(to, &blob, &file.name(), |_| {})
                            .await
                            .map(drop)
                            .map_err(|e| e.describe())
                    }
                    Err(code) => Err(crate::text::error(code, "")),
                };
                if let Err(why) = sent {
                    self.settle(Some(format!("{}: {why}", file.name())));
                    return;
                }
            }
            // The photos took a while: the viewer may have left the page meanwhile.
            let Some(version) = self.version.try_get_value() else {
                return;
            };
            let result = api::act(&id, action.code(), version, fields).await;
            self.done.try_set_value(result.is_ok());
            self.settle(match result {
                Ok(()) => None,
                Err(e) if e.code() == "stale_version" => Some(t("case.stale")),
                Err(e) => Some(e.describe()),
            });
        });
    }

    /// An action is over, with what went wrong if anything: the case is read again. Does nothing
    /// if the viewer left the page meanwhile.
    fn settle(self, problem: Option<String>) {
        if self.problem.try_set(problem).is_some() {
            return;
        }
        self.busy.set(false);
        self.reload();
    }

    /// Reads the case again (unless the viewer has left the page).
    pub fn reload(self) {
        self.set_reload.try_update(|n| *n += 1);
    }

    /// Sends the message being written; once sent the box empties and the case is read again.
    pub fn send_message(self) {
        let body = value_of("message").trim().to_owned();
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
                    // Emptied before the case is read again, so the sent words are not kept.
                    set_value("message", "");
                    say("message-error", "");
                    self.reload();
                }
                Err(e) => say("message-error", &e.describe()),
            }
            self.busy.try_set(false);
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
