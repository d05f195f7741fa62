//! A "why" form: the seller's rejection, or a problem with the returned goods. A reason in words
//! is required; photos that show it are optional and are sent first, as the viewer's evidence.
//! Hidden until its button is pressed; mounted once, so what is typed and chosen stays while the
//! other party acts.

use leptos::prelude::*;
use rules::{Action, TEXT_MAX_CHARS};

use crate::components::case_actions::CaseControl;
use crate::components::form_parts::{focus_when_drawn, FormToggle, SendRow, TextBox};
use crate::components::proposals_board::{clear_files, files_in};
use crate::markup::Act;
use crate::text::{error, t};

/// Which "why" a form asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonKind {
    /// The seller turns the request down.
    Reject,
    /// The buyer turns the seller's counter-offer down.
    RejectCounter,
    /// The goods came back damaged, different or not at all.
    Report,
    /// The repaired item still does not work: photos are required.
    RepairFailed,
}

impl ReasonKind {
    /// The form's id, the start of its fields' ids.
    fn id(self) -> &'static str {
        match self {
            ReasonKind::Reject | ReasonKind::RejectCounter => "reject",
            ReasonKind::Report => "report",
            ReasonKind::RepairFailed => "repair-failed",
        }
    }

    /// The catalogue keys of the button that opens it, the reason's label and the submit.
    fn keys(self) -> [&'static str; 3] {
        match self {
            ReasonKind::Reject => ["reject.open", "reject.reason", "reject.send"],
            ReasonKind::RejectCounter => [
                "reject.counter_open",
                "reject.counter_reason",
                "reject.send",
            ],
            ReasonKind::Report => ["receipt.report", "receipt.problem", "receipt.report_send"],
            ReasonKind::RepairFailed => [
                "repair.failed_open",
                "repair.failed_reason",
                "repair.failed_send",
            ],
        }
    }

    fn controls(self) -> (Act, Act) {
        match self {
            ReasonKind::Reject | ReasonKind::RejectCounter => (Act::RejectOpen, Act::RejectCancel),
            ReasonKind::Report => (Act::ReportOpen, Act::ReportCancel),
            ReasonKind::RepairFailed => (Act::RepairFailedOpen, Act::RepairFailedCancel),
        }
    }

    /// The action with the reason typed, or what is wrong with it. `photos` says how many are
    /// chosen: a failed repair needs one; the photos' ids join the action once they are sent.
    pub fn action(self, typed: &str, photos: usize) -> Result<Action, String> {
        let reason = typed.trim().to_owned();
        if reason.is_empty() {
            return Err(error("reason_required", ""));
        }
        if reason.chars().count() > TEXT_MAX_CHARS {
            return Err(error("text_too_long", ""));
        }
        Ok(match self {
            ReasonKind::Reject | ReasonKind::RejectCounter => Action::Reject { reason },
            ReasonKind::Report => Action::ReportProblem { reason },
            ReasonKind::RepairFailed if photos == 0 => return Err(error("photos_required", "")),
            ReasonKind::RepairFailed => Action::RepairFailed {
                reason,
                evidence: Vec::new(),
            },
        })
    }
}

/// The button that opens the form, and the form.
#[component]
pub fn ReasonForm(
    /// The case on screen.
    control: CaseControl,
    /// What the form is for.
    kind: ReasonKind,
) -> impl IntoView {
    let id = kind.id();
    let [open_key, label, send] = kind.keys();
    let (open_act, cancel_act) = kind.controls();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let photos = NodeRef::<leptos::html::Input>::new();
    let field = NodeRef::<leptos::html::Textarea>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let done = move || {
            reason.set(String::new());
            open.set(false);
            clear_files(photos);
        };
        let files = files_in(photos);
        let checked = kind.action(&reason.get_untracked(), files.len());
        control.submit_with_photos(checked, problem, files, done);
    };
    view! {
        <FormToggle opens=true act=open_act label=open_key open focus=move |()| focus_when_drawn(field) />
        <form id=id class="reason-form" novalidate hidden=move || !open.get() on:submit=submit>
            <TextBox
                id=format!("{id}-reason")
                label
                value=reason
                rows=3
                max_chars=TEXT_MAX_CHARS
                required=true
                node_ref=field
            />
            <PhotosField id=format!("{id}-photos") input=photos />
            <SendRow error_id=format!("{id}-error") problem busy=control.busy label=send />
            <FormToggle opens=false act=cancel_act label="board.cancel" open />
        </form>
    }
}

/// Optional photos for a form, sent as the viewer's evidence before its action.
#[component]
pub fn PhotosField(
    /// The field's id.
    #[prop(into)]
    id: String,
    /// The field, to read the chosen files from.
    input: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{t("reason_form.photos")}</label>
        <input
            type="file"
            id=id
            node_ref=input
            accept="image/jpeg,image/png,image/webp"
            multiple
        />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_required_and_bounded_and_names_its_action() {
        assert_eq!(
            ReasonKind::Reject.action("  It works  ", 0),
            Ok(Action::Reject {
                reason: "It works".into()
            })
        );
        assert_eq!(
            ReasonKind::Report.action("Broken", 0),
            Ok(Action::ReportProblem {
                reason: "Broken".into()
            })
        );
        assert_eq!(
            ReasonKind::Reject.action("   ", 0),
            Err(error("reason_required", ""))
        );
        assert_eq!(
            ReasonKind::RepairFailed.action("Still dead", 0),
            Err(error("photos_required", ""))
        );
        assert_eq!(
            ReasonKind::RepairFailed.action("Still dead", 2),
            Ok(Action::RepairFailed {
                reason: "Still dead".into(),
                evidence: vec![]
            })
        );
        let long = "x".repeat(TEXT_MAX_CHARS + 1);
        assert_eq!(
            ReasonKind::Report.action(&long, 0),
            Err(error("text_too_long", ""))
        );
    }
}
