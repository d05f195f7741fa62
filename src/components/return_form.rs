use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::api::{NewReturn, DESCRIPTION_MAX_CHARS};
use rules::{Decision, Fault, Order, Policy, Reason, Resolution};

use crate::api;
use crate::clock;
use crate::components::VerdictPanel;
use crate::draft::ReturnDraft;
use crate::text::{self, code, error, t, tf};

/// The return request form. The verdict is recomputed in the browser by the rules crate on every
/// change; only the submit talks to the server.
#[component]
pub fn ReturnForm(
    /// The order the return is for.
    order: Order,
    /// The line the buyer clicked, selected to start with.
    #[prop(into, default = None)]
    line: Option<String>,
    /// Called with the new case's id once the server has filed it.
    #[prop(into)]
    on_filed: Callback<String>,
) -> impl IntoView {
    let (draft, set_draft) = signal(ReturnDraft::new(&order, line.as_deref()));
    let order = StoredValue::new(order);
    // Judged at the moment of each change, so a window that closes while the buyer types is
    // seen closed; the server judges again at submit.
    let verdict = Memo::new(move |_| {
        draft.with(|d| order.with_value(|o| d.verdict(o, clock::now(), &Policy::default())))
    });
    let eligible =
        move || verdict.with(|v| matches!(v, Some(Ok(e)) if e.decision == Decision::Eligible));
    // An error is about the draft as it was: once the buyer changes anything, it is gone.
    let (form_error, set_form_error) = signal(None::<(String, ReturnDraft)>);
    let show_error = move |message: String| {
        set_form_error.set(Some((message, draft.get_untracked())));
    };
    let current_error = move || {
        form_error.with(|error| {
            error
                .as_ref()
                .filter(|(_, about)| draft.with(|d| d == about))
                .map(|(message, _)| message.clone())
        })
    };

    let key = StoredValue::new(api::idempotency_key());
    let submit = Action::new_local(move |request: &NewReturn| {
        let request = request.clone();
        let key = key.get_value();
        async move { api::file_return(&request, &key).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(case)) => on_filed.run(case),
        Some(Err(error)) => show_error(error.describe()),
        None => {}
    });
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if submit.pending().get_untracked() {
            return;
        }
        let request = draft.with_untracked(|d| {
            order.with_value(|o| d.to_request(o, clock::now(), &Policy::default()))
        });
        match request {
            Ok(request) => {
                set_form_error.set(None);
                submit.dispatch(request);
            }
            Err(e) => show_error(error(e.code(), "")),
        }
    };

    let lines = order.with_value(|o| {
        o.lines
            .iter()
            .map(|line| {
                let id = line.id.clone();
                let max = line.quantity;
                let checkbox_id = format!("line-{id}");
                let quantity_id = format!("qty-{id}");
                let (id_checked, id_toggle, id_qty, id_set) =
                    (id.clone(), id.clone(), id.clone(), id.clone());
                let title = line.product.title.clone();
                // Only a selected line has a quantity to choose; the input stays mounted while
                // it is selected, so typing or arrow keys keep their focus.
                let selected = Memo::new(move |_| draft.with(|d| d.quantity(&id_qty) > 0));
                let quantity = (max > 1).then(|| {
                    let id_value = id_set.clone();
                    view! {
                        <Show when=move || selected.get()>
                            <span class="quantity">
                                <label for=quantity_id.clone()>{tf("wizard.how_many", &[("title", &title)])}</label>
                                <input
                                    id=quantity_id.clone()
                                    type="number"
                                    inputmode="numeric"
                                    min="1"
                                    max=max.to_string()
                                    prop:value={
                                        let id_value = id_value.clone();
                                        move || draft.with(|d| d.quantity(&id_value).to_string())
                                    }
                                    on:change={
                                        let id_set = id_set.clone();
                                        move |ev| {
                                            let typed = event_target_value(&ev).trim().parse::<u32>();
                                            let current = draft.with_untracked(|d| d.quantity(&id_set));
                                            // Out-of-range or garbage snaps back to what is allowed.
                                            let q = typed.map_or(current, |q| q.clamp(1, max));
                                            set_draft.update(|d| d.set_quantity(&id_set, q));
                                        }
                                    }
                                />
                                <span class="hint-inline">{tf("wizard.of", &[("max", &max.to_string())])}</span>
                            </span>
                        </Show>
                    }
                });
                view! {
                    <div class="line-choice">
                        <input
                            id=checkbox_id.clone()
                            type="checkbox"
                            prop:checked=move || draft.with(|d| d.quantity(&id_checked) > 0)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set_draft.update(|d| d.set_quantity(&id_toggle, if on { max } else { 0 }));
                            }
                        />
                        <label for=checkbox_id>
                            {tf("wizard.line", &[("title", &line.product.title), ("price", &text::money(line.unit_price))])}
                        </label>
                        {quantity}
                    </div>
                }
            })
            .collect_view()
    });

    let reason_options = |fault: Fault| {
        Reason::ALL
            .into_iter()
            .filter(move |r| r.fault() == fault)
            .map(|r| view! { <option value=r.code()>{code("reason", r.code())}</option> })
            .collect_view()
    };

    let resolutions = move || {
        let Some(Ok(v)) = verdict.get() else {
            return None;
        };
        let chosen = draft.with(|d| d.effective_resolution(&v));
        let max = v.max_refund;
        let options = v
            .resolutions
            .iter()
            .map(|&r| {
                view! {
                    <label class="choice">
                        <input
                            type="radio"
                            name="resolution"
                            value=r.code()
                            prop:checked=chosen == Some(r)
                            on:change=move |_| set_draft.update(|d| d.resolution = Some(r))
                        />
                        {code("resolution", r.code())}
                    </label>
                }
            })
            .collect_view();
        let partial = (chosen == Some(Resolution::PartialRefund)).then(|| {
            view! {
                <label for="partial-amount">
                    {tf("wizard.partial_amount", &[("currency", max.currency.code()), ("max", &text::money(max))])}
                </label>
                <input
                    id="partial-amount"
                    inputmode="decimal"
                    autocomplete="off"
                    prop:value=move || draft.with(|d| d.partial_amount.clone())
                    on:input=move |ev| set_draft.update(|d| d.partial_amount = event_target_value(&ev))
                />
            }
        });
        Some(view! {
            <fieldset>
                <legend>{t("wizard.resolution_title")}</legend>
                {options}
                {partial}
            </fieldset>
        })
    };

    view! {
        <form class="return-form" on:submit=on_submit novalidate>
            <fieldset>
                <legend>{t("wizard.items_title")}</legend>
                {lines}
            </fieldset>
            <fieldset>
                <legend>{t("wizard.reason_title")}</legend>
                <label for="reason">{t("wizard.reason")}</label>
                <select
                    id="reason"
                    on:change=move |ev| {
                        let code = event_target_value(&ev);
                        set_draft.update(|d| d.reason = Reason::from_code(&code));
                    }
                >
                    <option value="" selected>{t("wizard.choose_reason")}</option>
                    <optgroup label=t("wizard.group_problem")>
                        {reason_options(Fault::Seller)}
                    </optgroup>
                    <optgroup label=t("wizard.group_mind")>{reason_options(Fault::Buyer)}</optgroup>
                </select>
            </fieldset>
            <VerdictPanel verdict=verdict />
            {resolutions}
            <Show when=eligible>
                <fieldset>
                    <legend>{t("wizard.details_title")}</legend>
                    <label for="description">{t("wizard.description")}</label>
                    <textarea
                        id="description"
                        rows="4"
                        maxlength=DESCRIPTION_MAX_CHARS.to_string()
                        prop:value=move || draft.with(|d| d.description.clone())
                        on:input=move |ev| set_draft.update(|d| d.description = event_target_value(&ev))
                    ></textarea>
                    <p class="hint">
                        {move || {
                            format!(
                                "{} / {DESCRIPTION_MAX_CHARS}",
                                draft.with(|d| d.description.chars().count()),
                            )
                        }}
                    </p>
                </fieldset>
            </Show>
            {move || current_error().map(|message| view! { <p class="notice error" role="alert">{message}</p> })}
            <button type="submit" class="button primary" disabled=move || submit.pending().get()>
                {move || t(if submit.pending().get() { "wizard.sending" } else { "wizard.submit" })}
            </button>
        </form>
    }
}
