//! The pieces every form of the case page is made of: a text box that owns what is typed in it,
//! the button that opens a hidden form, and the form's last line (what went wrong, and send).

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::markup::Act;
use crate::text::t;

/// Moves the keyboard focus to `node` once drawn: a part just opened is where the viewer goes
/// next.
pub fn focus_when_drawn<E>(node: NodeRef<E>)
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    request_animation_frame(move || {
        if let Some(element) = node.get_untracked() {
            let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    });
}

/// A select whose `options` (markup from `markup::options`, drawn again when they change) and
/// whose choice follows `chosen`; each pick goes to `pick`. A function compiled once for every
/// list of choices, rather than a view per select.
pub fn choice(
    id: String,
    node: NodeRef<leptos::html::Select>,
    options: Signal<crate::markup::Markup>,
    chosen: Signal<String>,
    pick: Callback<String>,
) -> AnyView {
    view! {
        <select
            id=id
            node_ref=node
            inner_html=move || options.get().into_html()
            prop:value=move || chosen.get()
            on:change=move |ev| pick.run(event_target_value(&ev))
        ></select>
    }
    .into_any()
}

/// A labelled text box whose text lives in `value`, so that it stays whatever else changes.
#[component]
pub fn TextBox(
    /// The field's id.
    #[prop(into)]
    id: String,
    /// The catalogue key of its label.
    label: &'static str,
    /// What is typed in it.
    value: RwSignal<String>,
    /// Its height, in lines.
    rows: u32,
    /// The most characters it takes; none when it has no limit of its own.
    #[prop(optional)]
    max_chars: Option<usize>,
    /// Whether the form cannot be sent without it.
    #[prop(optional)]
    required: bool,
    /// For the browser's autofill, when it knows what this is.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// The field, to move the focus to.
    #[prop(optional)]
    node_ref: NodeRef<leptos::html::Textarea>,
) -> impl IntoView {
    view! {
        <label for=id.clone()>{t(label)}</label>
        <textarea
            id=id
            rows=rows
            maxlength=max_chars
            aria-required=required.then_some("true")
            autocomplete=autocomplete
            node_ref=node_ref
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        ></textarea>
    }
}

/// The button that opens a hidden form (`open` set to `opens`, then `focus` moves into it), or
/// closes it without sending it: what was typed stays for when it opens again.
#[component]
pub fn FormToggle(
    /// The control's code it is found by.
    act: Act,
    /// The catalogue key of its words.
    label: &'static str,
    /// Whether the form is open.
    open: RwSignal<bool>,
    /// Whether it opens the form (or closes it).
    opens: bool,
    /// Moves the focus into the form once it shows.
    #[prop(optional, into)]
    focus: Option<Callback<()>>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button secondary"
            data-act=act.code()
            on:click=move |_| {
                open.set(opens);
                if let Some(focus) = focus {
                    focus.run(());
                }
            }
        >
            {t(label)}
        </button>
    }
}

/// A form's last line: what went wrong with it (announced), and the button that sends it, which
/// waits while an action is on its way.
#[component]
pub fn SendRow(
    /// The id of the line that says what went wrong.
    #[prop(into)]
    error_id: String,
    /// What went wrong, in the viewer's words; empty when nothing did.
    problem: RwSignal<String>,
    /// An action is on its way.
    busy: RwSignal<bool>,
    /// The catalogue key of the button's words.
    label: &'static str,
    /// The button's look, when it is not the form's main act.
    #[prop(optional)]
    secondary: bool,
) -> impl IntoView {
    view! {
        <p class="form-error" id=error_id role="alert">{move || problem.get()}</p>
        <button
            type="submit"
            class=if secondary { "button secondary" } else { "button primary" }
            disabled=move || busy.get()
        >
            {t(label)}
        </button>
    }
}
