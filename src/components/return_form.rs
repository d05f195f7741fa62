use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::api::{NewReturn, DESCRIPTION_MAX_CHARS};
use rules::{Fault, Order, Policy, Reason, Resolution};

use crate::components::photo_picker::{photo_list, Photo, Upload};
use crate::components::{PhotoPicker, VerdictPanel};
use crate::draft::{ReturnDraft, Step};
use crate::markup::{el, esc, facts, text as tag};
use crate::text::{self, code, error, t, tf};
use crate::{api, clock, photos};

/// The draft kept in the tab's storage, per order: a reload or a change of language keeps what
/// the buyer entered.
fn stored_draft(order: &Order, line: Option<&str>) -> ReturnDraft {
    let saved = window()
        .session_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(&draft_key(&order.id)).ok().flatten())
        .and_then(|json| api::parse::<ReturnDraft>(&json).ok())
        // A draft for other lines (the buyer clicked another line since) starts afresh.
        .filter(|d| line.is_none_or(|l| d.quantity(l) > 0));
    saved.unwrap_or_else(|| ReturnDraft {
        key: api::idempotency_key(),
        ..ReturnDraft::new(order, line)
    })
}

fn draft_key(order_id: &str) -> String {
    format!("retour.draft.{order_id}")
}

fn store_draft(order_id: &str, draft: Option<&ReturnDraft>) {
    let Some(storage) = window().session_storage().ok().flatten() else {
        return;
    };
    let _ = match draft.map(api::to_json) {
        Some(Ok(json)) => storage.set_item(&draft_key(order_id), &json),
        _ => storage.remove_item(&draft_key(order_id)),
    };
}

/// The return wizard: items → reason → resolution → description → photos → review. The verdict
/// beside it is recomputed by the rules crate in the browser on every change; only the submit
/// talks to the server, then the photos are sent one by one with their progress.
#[component]
pub fn ReturnForm(
    /// The order the return is for.
    order: Order,
    /// The line the buyer clicked, selected to start with.
    #[prop(into, default = None)]
    line: Option<String>,
    /// Called with the new case's id once it is filed and its photos are sent.
    #[prop(into)]
    on_filed: Callback<String>,
) -> impl IntoView {
    let (draft, set_draft) = signal(stored_draft(&order, line.as_deref()));
    let order = StoredValue::new(order);
    let policy = StoredValue::new(Policy::default());
    let photos = RwSignal::new(Vec::<Photo>::new());
    Effect::new(move |_| draft.with(|d| order.with_value(|o| store_draft(&o.id, Some(d)))));
    // Judged at the moment of each change, so a window that closes while the buyer types is
    // seen closed; the server judges again at submit.
    let verdict = Memo::new(move |_| {
        draft.with(|d| order.with_value(|o| policy.with_value(|p| d.verdict(o, clock::now(), p))))
    });
    let step = Memo::new(move |_| draft.with(|d| d.step.unwrap_or(Step::Items)));
    let (problem, set_problem) = signal(None::<String>);
    let step_error = move |at: Step| {
        let count = photos.with_untracked(Vec::len);
        draft.with_untracked(|d| {
            order.with_value(|o| policy.with_value(|p| d.step_error(at, o, clock::now(), p, count)))
        })
    };
    let go = move |to: Step| {
        set_problem.set(None);
        set_draft.update(|d| d.step = Some(to));
        // The new step's heading takes the focus, so a screen reader reads where the buyer is.
        request_animation_frame(|| {
            if let Some(h) = document().query_selector(".wizard-step section:not([hidden]) h2").ok().flatten() {
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(h).focus();
            }
        });
    };
    let (case_id, set_case_id) = signal(None::<String>);
    let (sending, set_sending) = signal(false);
    let busy = move || sending.get();
    // Files the case (once: the draft's key makes a retry find the same case), then sends the
    // photos not sent yet, one by one with their progress; the case opens once all are sent.
    let send = move |request: Option<NewReturn>| {
        set_sending.set(true);
        leptos::task::spawn_local(async move {
            let id = match (request, case_id.get_untracked()) {
                (_, Some(id)) => id,
                (Some(request), None) => {
                    let key = draft.with_untracked(|d| d.key.clone());
                    match api::file_return(&request, &key).await {
                        Ok(id) => {
                            set_case_id.set(Some(id.clone()));
                            id
                        }
                        Err(e) => {
                            set_problem.set(Some(e.describe()));
                            set_sending.set(false);
                            return;
                        }
                    }
                }
                (None, None) => return set_sending.set(false),
            };
            let waiting: Vec<Photo> = photos.with_untracked(|list| {
                list.iter()
                    .filter(|p| p.upload != Upload::Sent)
                    .cloned()
                    .collect()
            });
            let mut all_sent = true;
            for photo in waiting {
                let set = move |state: Upload| {
                    photos.update(|list| {
                        if let Some(p) = list.iter_mut().find(|p| p.id == photo.id) {
                            p.upload = state;
                        }
                    })
                };
                set(Upload::Sending(0.0));
                let progress = move |share| set(Upload::Sending(share));
                match photos::upload(&id, &photo.blob, &photo.name, progress).await {
                    Ok(()) => set(Upload::Sent),
                    Err(e) => {
                        all_sent = false;
                        set(Upload::Failed(e.describe()));
                    }
                }
            }
            set_sending.set(false);
            if all_sent {
                order.with_value(|o| store_draft(&o.id, None));
                on_filed.run(id);
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let at = step.get_untracked();
        if let Some(e) = step_error(at) {
            set_problem.set(Some(error(e.code(), "")));
            return;
        }
        if at != Step::Review {
            go(at.next());
            return;
        }
        if case_id.get_untracked().is_some() {
            // Filed already: only photos are left to send.
            send(None);
            return;
        }
        let request = draft.with_untracked(|d| {
            order.with_value(|o| policy.with_value(|p| d.to_request(o, clock::now(), p)))
        });
        match request {
            Ok(request) => {
                set_problem.set(None);
                send(Some(request));
            }
            Err(e) => set_problem.set(Some(error(e.code(), ""))),
        }
    };

    let at = move |s: Step| step.get() == s;
    let steps = Step::ALL
        .into_iter()
        .map(|s| {
            view! {
                <li
                    class:done={move || s.index() < step.get().index()}
                    aria-current=move || at(s).then_some("step")
                >
                    {code("wizard.step", s.code())}
                </li>
            }
        })
        .collect_view();
    let initial = draft.get_untracked();
    let photos_needed = move || verdict.with(|v| matches!(v, Some(Ok(v)) if v.photos_required));
    let main_button = move || {
        let key = match (step.get(), busy(), case_id.get().is_some()) {
            (_, true, _) => "wizard.sending",
            (Step::Review, _, true) => "wizard.retry_photos",
            (Step::Review, _, false) => "wizard.submit",
            _ => "wizard.next",
        };
        t(key)
    };
    let skip_photos = move |_| {
        if let Some(id) = case_id.get_untracked() {
            order.with_value(|o| store_draft(&o.id, None));
            on_filed.run(id);
        }
    };

    // Every step is drawn once and shown in turn; the fields keep what is typed in them, and
    // each change updates the draft.
    view! {
        <div class="wizard">
            <ol class="steps" aria-label=t("wizard.progress")>{steps}</ol>
            <VerdictPanel verdict=verdict />
            <form class="return-form" on:submit=on_submit novalidate>
                <fieldset class="wizard-step" disabled=busy>
                    <section hidden=move || !at(Step::Items)>{items_step(order, &initial, set_draft)}</section>
                    <section hidden=move || !at(Step::Reason)>{reason_step(&initial, set_draft)}</section>
                    <section hidden=move || !at(Step::Resolution)>
                        {resolution_step(verdict, draft, &initial, set_draft)}
                    </section>
                    <section hidden=move || !at(Step::Details)>{details_step(draft, &initial, set_draft)}</section>
                    <section hidden=move || !at(Step::Photos)>
                        <h2 tabindex="-1">{t("wizard.photos_title")}</h2>
                        <p class="hint" hidden=move || !photos_needed()>{t("wizard.photos_required")}</p>
                        <PhotoPicker photos />
                    </section>
                    <section hidden=move || !at(Step::Review)>
                        <h2 tabindex="-1">{t("wizard.review_title")}</h2>
                        <div inner_html=move || review(order, verdict, draft, photos)></div>
                    </section>
                </fieldset>
                <p class="form-error" id="wizard-problem" role="alert">{problem}</p>
                <div class="wizard-buttons">
                    <button
                        type="button"
                        class="button secondary"
                        hidden=move || at(Step::Items) || case_id.get().is_some()
                        on:click=move |_| go(step.get_untracked().back())
                    >
                        {t("wizard.back")}
                    </button>
                    <button type="submit" class="button primary" disabled=busy>{main_button}</button>
                    <button
                        type="button"
                        class="button secondary"
                        hidden=move || case_id.get().is_none() || busy()
                        on:click=skip_photos
                    >
                        {t("wizard.skip_photos")}
                    </button>
                </div>
            </form>
        </div>
    }
}

fn items_step(
    order: StoredValue<Order>,
    initial: &ReturnDraft,
    set_draft: WriteSignal<ReturnDraft>,
) -> impl IntoView {
    let lines = order.with_value(|o| {
        o.lines
            .iter()
            .map(|line| {
                let id = StoredValue::new(line.id.clone());
                let max = line.quantity;
                let chosen = initial.quantity(&line.id);
                let (selected, set_selected) = signal(chosen > 0);
                let checkbox_id = format!("line-{}", line.id);
                let quantity_id = format!("qty-{}", line.id);
                // Only a line with several items has a quantity to choose.
                let quantity = (max > 1).then(|| {
                    view! {
                        <span class="quantity" hidden=move || !selected.get()>
                            <label for=quantity_id.clone()>
                                {tf("wizard.how_many", &[("title", &line.product.title)])}
                            </label>
                            <input
                                id=quantity_id.clone()
                                type="number"
                                inputmode="numeric"
                                min="1"
                                max=max.to_string()
                                value=chosen.max(1).to_string()
                                on:change=move |ev| {
                                    let input: web_sys::HtmlInputElement = event_target(&ev);
                                    // Out-of-range or garbage snaps back to what is allowed.
                                    let q = input.value().trim().parse::<u32>().map_or(max, |q| q.clamp(1, max));
                                    input.set_value(&q.to_string());
                                    id.with_value(|id| set_draft.update(|d| d.set_quantity(id, q)));
                                }
                            />
                            <span class="hint-inline">{tf("wizard.of", &[("max", &max.to_string())])}</span>
                        </span>
                    }
                });
                view! {
                    <div class="line-choice">
                        <input
                            id=checkbox_id.clone()
                            type="checkbox"
                            checked={chosen > 0}
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set_selected.set(on);
                                // A newly chosen line starts with all its items.
                                id.with_value(|id| set_draft.update(|d| d.set_quantity(id, if on { max } else { 0 })));
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
    view! {
        <h2 tabindex="-1">{t("wizard.items_title")}</h2>
        {lines}
    }
}

fn reason_step(initial: &ReturnDraft, set_draft: WriteSignal<ReturnDraft>) -> impl IntoView {
    let chosen = initial.reason;
    let options = move |fault: Fault| {
        Reason::ALL
            .into_iter()
            .filter(move |r| r.fault() == fault)
            .map(|r| view! { <option value=r.code() selected=chosen == Some(r)>{code("reason", r.code())}</option> })
            .collect_view()
    };
    view! {
        <h2 tabindex="-1">{t("wizard.reason_title")}</h2>
        <label for="reason">{t("wizard.reason")}</label>
        <select
            id="reason"
            on:change=move |ev| {
                let code = event_target_value(&ev);
                set_draft.update(|d| d.reason = Reason::from_code(&code));
            }
        >
            <option value="" selected=chosen.is_none()>{t("wizard.choose_reason")}</option>
            <optgroup label=t("wizard.group_problem")>{options(Fault::Seller)}</optgroup>
            <optgroup label=t("wizard.group_mind")>{options(Fault::Buyer)}</optgroup>
        </select>
    }
}

type Verdict = Memo<Option<Result<rules::Eligibility, rules::SelectionError>>>;

/// Every resolution is drawn once; those the rules do not offer now are hidden, and the amounts
/// and who pays shipping follow the verdict.
fn resolution_step(
    verdict: Verdict,
    draft: ReadSignal<ReturnDraft>,
    initial: &ReturnDraft,
    set_draft: WriteSignal<ReturnDraft>,
) -> impl IntoView {
    let eligible = move || verdict.get().and_then(Result::ok);
    let options = Resolution::ALL
        .into_iter()
        .map(|r| {
            let offered = move || eligible().is_some_and(|v| v.resolutions.contains(&r));
            let chosen = move || eligible().and_then(|v| draft.with(|d| d.effective_resolution(&v))) == Some(r);
            let hint = move || {
                let Some(v) = eligible() else { return String::new() };
                let amount = text::money(v.max_refund);
                let refund = match r {
                    Resolution::Replacement => t("wizard.no_refund"),
                    Resolution::PartialRefund => tf("wizard.refund_up_to", &[("amount", &amount)]),
                    _ => tf("wizard.refund_of", &[("amount", &amount)]),
                };
                let shipping = v
                    .return_shipping_paid_by
                    .filter(|_| r.sends_goods_back())
                    .map(|p| code("wizard.shipping_paid_by", p.code()))
                    .unwrap_or_default();
                format!("{refund} {shipping}")
            };
            let partial = (r == Resolution::PartialRefund).then(|| {
                let label = move || {
                    eligible().map(|v| {
                        tf("wizard.partial_amount", &[("currency", v.max_refund.currency.code()), ("max", &text::money(v.max_refund))])
                    })
                };
                view! {
                    <span hidden=move || !chosen()>
                        <label for="partial-amount">{label}</label>
                        <input
                            id="partial-amount"
                            inputmode="decimal"
                            autocomplete="off"
                            value=initial.partial_amount.clone()
                            on:input=move |ev| set_draft.update(|d| d.partial_amount = event_target_value(&ev))
                        />
                    </span>
                }
            });
            view! {
                <div class="choice" hidden=move || !offered()>
                    <label>
                        <input
                            type="radio"
                            name="resolution"
                            value=r.code()
                            prop:checked=chosen
                            on:change=move |_| set_draft.update(|d| d.resolution = Some(r))
                        />
                        <strong>{code("resolution", r.code())}</strong>
                    </label>
                    <p class="hint">{hint}</p>
                    {partial}
                </div>
            }
        })
        .collect_view();
    view! {
        <h2 tabindex="-1">{t("wizard.resolution_title")}</h2>
        <div role="radiogroup" aria-label=t("wizard.resolution_title")>{options}</div>
    }
}

fn details_step(
    draft: ReadSignal<ReturnDraft>,
    initial: &ReturnDraft,
    set_draft: WriteSignal<ReturnDraft>,
) -> impl IntoView {
    view! {
        <h2 tabindex="-1">{t("wizard.details_title")}</h2>
        <label for="description">{t("wizard.description")}</label>
        <textarea
            id="description"
            rows="5"
            maxlength=DESCRIPTION_MAX_CHARS.to_string()
            aria-describedby="description-count"
            on:input=move |ev| set_draft.update(|d| d.description = event_target_value(&ev))
        >
            {initial.description.clone()}
        </textarea>
        <p class="hint" id="description-count">
            {move || format!("{} / {DESCRIPTION_MAX_CHARS}", draft.with(|d| d.description.chars().count()))}
        </p>
    }
}

/// The review: what will be sent, and the photos with their progress once sending.
fn review(
    order: StoredValue<Order>,
    verdict: Verdict,
    draft: ReadSignal<ReturnDraft>,
    photos: RwSignal<Vec<Photo>>,
) -> String {
    draft.with(|d| {
        let items = order.with_value(|o| {
            o.lines
                .iter()
                .filter(|l| d.quantity(&l.id) > 0)
                .map(|l| format!("{} × {}", l.product.title, d.quantity(&l.id)))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let resolution = verdict.with(|v| match v {
            Some(Ok(v)) => d
                .effective_resolution(v)
                .map(|r| code("resolution", r.code())),
            _ => None,
        });
        let rows = [
            (t("wizard.review_items"), esc(&items)),
            (
                t("wizard.reason"),
                esc(&d
                    .reason
                    .map(|r| code("reason", r.code()))
                    .unwrap_or_default()),
            ),
            (
                t("wizard.review_resolution"),
                esc(&resolution.unwrap_or_default()),
            ),
            (
                t("wizard.description"),
                tag("span", "description", &d.description),
            ),
        ];
        let list = photos.with(|list| {
            if list.is_empty() {
                tag("p", "muted", &t("wizard.no_photos"))
            } else {
                el("ul", "photos", &photo_list(list, false))
            }
        });
        format!(
            "{}{}{list}",
            facts(&rows),
            tag("h3", "", &t("wizard.photos_title"))
        )
    })
}
