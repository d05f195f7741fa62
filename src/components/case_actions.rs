//! Acting on a case: [`CaseControl`] holds the case on screen and sends the viewer's actions;
//! [`CaseActions`] are the case-wide ones (reject with a reason, escalate, withdraw).

use leptos::prelude::*;
use rules::{Action, ActionKind, Currency, Limits, Money, Party};

use crate::api::{self, ApiError, Decode, TextLoad};
use crate::body::ToBody;
use crate::components::reason_form::{ReasonForm, ReasonKind};
use crate::markup::Act;
use crate::screen::CaseScreen;
use crate::text::t;

/// The case on screen and what its parts share to act on it. Created once by the page: a live
/// update replaces the case inside it, and every part that reads it changes in place.
#[derive(Clone, Copy)]
pub struct CaseControl {
    id: StoredValue<String>,
    /// The case as last read; the page shows it once the first reading arrives.
    pub case: RwSignal<Option<CaseScreen>>,
    load: TextLoad,
    /// The last action's failure (or a failed re-reading), in the viewer's words.
    pub problem: RwSignal<Option<String>>,
    /// An action is on its way: the buttons wait.
    pub busy: RwSignal<bool>,
    /// A consequential action waiting for the viewer's yes (see `confirm::ConfirmDialog`).
    pub asking: RwSignal<Option<Action>>,
}

impl CaseControl {
    /// Reads the case `id`, and again at each [`CaseControl::reload`].
    pub fn new(id: String) -> Self {
        let load = api::case(id.clone()).resource;
        let control = CaseControl {
            id: StoredValue::new(id),
            case: RwSignal::new(None),
            load,
            problem: RwSignal::new(None),
            busy: RwSignal::new(false),
            asking: RwSignal::new(None),
        };
        // Each answer replaces the case; one that cannot be read leaves the last on screen.
        Effect::new(move |_| {
            let Some(answer) = load.get() else {
                return;
            };
            match answer.and_then(|text| CaseScreen::decode(&text)) {
                Ok(screen) => control.case.set(Some(screen)),
                Err(e) if control.case.with_untracked(Option::is_some) => {
                    control.problem.set(Some(e.describe()))
                }
                Err(_) => {}
            }
        });
        control
    }

    /// The first reading's failure, while there is no case to show.
    pub fn failed(self) -> Option<ApiError> {
        match self.load.get()? {
            Err(e) => Some(e),
            Ok(text) => CaseScreen::decode(&text).err(),
        }
    }

    /// Reads the case again; the last reading stays on screen meanwhile.
    pub fn reload(self) {
        self.load.refetch();
    }

    /// The side the viewer acts for: the buyer's until the case is read.
    pub fn viewer(self) -> Party {
        self.case
            .with_untracked(|c| c.as_ref().map(|c| c.parts.viewer))
            .unwrap_or(Party::Buyer)
    }

    /// The case's id.
    pub fn id(self) -> String {
        self.id.get_value()
    }

    /// Whether the viewer may take `action` now, tracked: a part shown by it stays mounted (and
    /// keeps what was typed in it) for as long as the answer stays yes.
    pub fn may(self, action: ActionKind) -> Memo<bool> {
        Memo::new(move |_| {
            self.case
                .with(|c| c.as_ref().is_some_and(|c| c.may(action)))
        })
    }

    /// The most a refund and store credit may be. Read when a form is mounted or sent, which
    /// only happens once the case is on screen.
    pub fn limits(self) -> Limits {
        let zero = Money::zero(Currency::EUR);
        self.case
            .with_untracked(|c| c.as_ref().map(|c| c.parts.case.limits))
            .unwrap_or(Limits {
                refund: zero,
                credit: zero,
            })
    }

    /// Whether a repair can put right what the case is about, read when a form is mounted.
    pub fn repairable(self) -> bool {
        self.case
            .with_untracked(|c| c.as_ref().map(|c| c.summary.reason.repairable()))
            .unwrap_or(false)
    }

    /// The variants the returned line may be exchanged for, read when a form is mounted.
    pub fn exchange_options(self) -> Vec<String> {
        self.case
            .with_untracked(|c| c.as_ref().map(|c| c.parts.case.exchange_options.clone()))
            .unwrap_or_default()
    }

    /// Whether the viewer may take any of `actions` now, tracked: a part that holds them shows.
    pub fn may_any(self, actions: &'static [ActionKind]) -> Memo<bool> {
        Memo::new(move |_| {
            self.case.with(|c| {
                c.as_ref()
                    .is_some_and(|c| actions.iter().any(|&a| c.may(a)))
            })
        })
    }

    /// Reads a part of the case, tracked.
    pub fn with<T>(self, read: impl FnOnce(&CaseScreen) -> T) -> Option<T> {
        self.case.with(|c| c.as_ref().map(read))
    }

    /// Takes the action a form checked, or says in `problem` what is wrong with it.
    pub fn submit(self, checked: Result<Action, String>, problem: RwSignal<String>) {
        self.submit_with_photos(checked, problem, Vec::new(), || {});
    }

    /// [`CaseControl::submit`] with photos sent first and `done` once it went through.
    pub fn submit_with_photos(
        self,
        checked: Result<Action, String>,
        problem: RwSignal<String>,
        photos: Vec<web_sys::File>,
        done: impl FnOnce() + 'static,
    ) {
        match checked {
            Ok(action) => {
                problem.set(String::new());
                self.run_with_photos(action, photos, done);
            }
            Err(why) => problem.set(why),
        }
    }

    /// Asks the viewer to confirm `action` (what it will do, in words), and takes it on yes.
    pub fn ask(self, action: Action) {
        self.asking.set(Some(action));
    }

    /// [`CaseControl::ask`] for the action a form checked, or says in `problem` what is wrong.
    pub fn ask_checked(self, checked: Result<Action, String>, problem: RwSignal<String>) {
        match checked {
            Ok(action) => {
                problem.set(String::new());
                self.ask(action);
            }
            Err(why) => problem.set(why),
        }
    }

    /// Takes `action`, then shows the case as it is now. If the other party acted meanwhile,
    /// nothing is overwritten: the viewer is told and sees their move.
    pub fn run(self, action: Action) {
        self.run_with_photos(action, Vec::new(), || {});
    }

    /// Sends `photos` as the viewer's evidence (each scaled as the wizard scales them), then
    /// takes `action`; `done` runs once it went through (the form it came from empties). A photo
    /// that cannot be sent stops it with the reason; the ones sent stay with the case.
    pub fn run_with_photos(
        self,
        action: Action,
        photos: Vec<web_sys::File>,
        done: impl FnOnce() + 'static,
    ) {
        self.send(action, photos, Box::new(done));
    }

    /// What [`CaseControl::run_with_photos`] does, compiled once rather than once per form.
    fn send(self, mut action: Action, photos: Vec<web_sys::File>, done: Box<dyn FnOnce()>) {
        if self.busy.get_untracked() {
            return;
        }
        let Some(version) = self
            .case
            .with_untracked(|c| c.as_ref().map(|c| c.parts.version))
        else {
            return;
        };
        self.busy.set(true);
        self.problem.set(None);
        leptos::task::spawn_local(async move {
            let id = self.id.get_value();
            for file in photos {
                let sent = match crate::photos::shrink(&file).await {
                    Ok(blob) => {
                        let to = crate::photos::UploadTo::Case(&id);
                        crate::photos::upload(to, &blob, &file.name(), |_| {})
                            .await
                            .map_err(|e| e.describe())
                    }
                    Err(code) => Err(crate::text::error(code, "")),
                };
                match sent {
                    // A failed repair cites its photos; other actions leave them with the case.
                    Ok(evidence) => {
                        if let Action::RepairFailed {
                            evidence: cited, ..
                        } = &mut action
                        {
                            cited.push(evidence);
                        }
                    }
                    Err(why) => {
                        self.settle(Some(format!("{}: {why}", file.name())));
                        return;
                    }
                }
            }
            let result = api::act(&id, action.kind().code(), version, action.body()).await;
            if result.is_ok() {
                done();
            }
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

    /// Sends a message; `sent` runs once it is in, and the case is read again.
    pub fn send_message(self, body: String, sent: impl FnOnce(Result<(), ApiError>) + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::send_message(&self.id.get_value(), body).await;
            let ok = result.is_ok();
            sent(result);
            if self.busy.try_set(false).is_none() && ok {
                self.reload();
            }
        });
    }
}

/// `part` of the case page while `when` holds: mounted once when it starts to hold, and kept,
/// with what was typed in it, for as long as it does. One function for every such part, rather
/// than a `<Show>` compiled for each.
pub fn while_allowed(
    when: Memo<bool>,
    control: CaseControl,
    part: fn(CaseControl) -> AnyView,
) -> impl IntoView {
    move || when.get().then(|| part(control))
}

/// A button for an action that needs nothing but a click, and the viewer's yes.
#[component]
pub fn ActButton(
    /// The case on screen.
    control: CaseControl,
    /// The control's code it is found by.
    act: Act,
    /// What it does: an action that needs nothing but the click.
    action: Action,
    /// The catalogue key of its words.
    label: &'static str,
    /// Its look: `button primary` or `button secondary`.
    class: &'static str,
) -> impl IntoView {
    let may = control.may(action.kind());
    view! {
        <Show when=move || may.get()>
            <button
                type="button"
                class=class
                data-act=act.code()
                disabled=move || control.busy.get()
                on:click={
                    let action = action.clone();
                    move |_| control.ask(action.clone())
                }
            >
                {t(label)}
            </button>
        </Show>
    }
}

/// The case-wide actions the viewer may take now: reject the request with a reason, escalate to
/// the platform, or withdraw the request.
#[component]
pub fn CaseActions(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let reject = control.may(ActionKind::Reject);
    let any = control.may_any(&[
        ActionKind::Reject,
        ActionKind::Escalate,
        ActionKind::Withdraw,
    ]);
    view! {
        <div class="case-actions" hidden=move || !any.get()>
            {while_allowed(
                reject,
                control,
                |control| {
                    // The buyer only ever rejects the seller's counter-offer.
                    let kind = match control.viewer() {
                        Party::Buyer => ReasonKind::RejectCounter,
                        _ => ReasonKind::Reject,
                    };
                    view! { <ReasonForm control kind /> }.into_any()
                },
            )}
            <ActButton
                control
                act=Act::Escalate
                action=Action::Escalate
                label="case.escalate"
                class="button primary"
            />
            <ActButton
                control
                act=Act::Withdraw
                action=Action::Withdraw
                label="case.withdraw"
                class="button secondary"
            />
        </div>
    }
}
