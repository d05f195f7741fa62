use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::api::{LineCase, NewReturn, DESCRIPTION_MAX_CHARS};
use rules::{Fault, Money, Order, OrderPolicy, Reason, Resolution};

use crate::components::form_parts::choice;
use crate::components::order_card::case_link;
use crate::components::photo_picker::{photo_list, Photo, Upload};
use crate::components::{PhotoPicker, VerdictPanel};
use crate::draft::{ReturnDraft, Step};
use crate::markup::{el, esc, facts, options, text as tag, Markup};
use crate::photos::UploadTo;
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
        .and_then(|text| ReturnDraft::from_storage(&text))
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
    let _ = match draft {
        Some(draft) => storage.set_item(&draft_key(order_id), &draft.to_storage()),
        None => storage.remove_item(&draft_key(order_id)),
    };
}

/// The return wizard: items → reason → resolution → description → photos → review. The verdict
/// beside it is recomputed by the rules crate in the browser on every change; only the submit
/// talks to the server, then the photos are sent one by one with their progress.
#[component]
pub fn ReturnForm(
    /// The order the return is for.
    order: Order,
    /// The rules the server judges that order by.
    policy: OrderPolicy,
    /// The order's lines already in a return case: they cannot be chosen again.
    #[prop(optional)]
    taken: Vec<LineCase>,
    /// The line the buyer clicked, selected to start with.
    #[prop(into, default = None)]
    line: Option<String>,
    /// Called with the new case's id once it is filed and its photos are sent.
    #[prop(into)]
    on_filed: Callback<String>,
) -> impl IntoView {
    // A line already in a case is never chosen, whatever the address or a saved draft say.
    let line = line.filter(|l| !taken.iter().any(|c| &c.line_id == l));
    let mut first = stored_draft(&order, line.as_deref());
    for case in &taken {
        first.set_quantity(&case.line_id, 0);
    }
    let (draft, set_draft) = signal(first);
    let order = StoredValue::new(order);
    let policy = StoredValue::new(policy);
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
    // A step's error goes as soon as what it asked for is there (a photo added, an amount
    // typed), not at the next press of the button.
    Effect::new(move |_| {
        photos.track();
        draft.track();
        if problem.with_untracked(Option::is_some) && step_error(step.get_untracked()).is_none() {
            set_problem.set(None);
        }
    });
    let go = move |to: Step| {
        set_problem.set(None);
        set_draft.update(|d| d.step = Some(to));
        // The new step's heading takes the focus, so a screen reader reads where the buyer is.
        request_animation_frame(|| {
            if let Some(h) = document()
                .query_selector(".wizard-step section:not([hidden]) h2")
                .ok()
                .flatten()
            {
                let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(h).focus();
            }
        });
    };
    let (sending, set_sending) = signal(false);
    let busy = move || sending.get();
    // Sends the photos not sent yet, one by one with their progress, then files the case citing
    // them (once: the draft's key makes a retry find the same case). The server opens no case
    // that lacks the photos its reason needs, so they go first.
    let send = move |request: NewReturn| {
        set_sending.set(true);
        leptos::task::spawn_local(async move {
            let waiting: Vec<Photo> = photos.with_untracked(|list| {
                list.iter()
                    .filter(|p| !matches!(p.upload, Upload::Sent(_)))
                    .cloned()
                    .collect()
            });
            let mut all_sent = true;
            for photo in waiting {
                let set = move |state: Upload| {
                    photos.try_update(|list| {
                        if let Some(p) = list.iter_mut().find(|p| p.id == photo.id) {
                            p.upload = state;
                        }
                    });
                };
                set(Upload::Sending(0.0));
                let progress = move |share| set(Upload::Sending(share));
                match photos::upload(UploadTo::Filing, &photo.blob, &photo.name, progress).await {
                    Ok(evidence) => set(Upload::Sent(evidence)),
                    Err(e) => {
                        all_sent = false;
                        set(Upload::Failed(e.describe()));
                    }
                }
            }
            if !all_sent {
                set_sending.try_set(false);
                return;
            }
            let Some(evidence) = photos.try_with_untracked(|list| {
                list.iter()
                    .filter_map(|p| match &p.upload {
                        Upload::Sent(id) => Some(id.clone()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
            }) else {
                return;
            };
            let key = draft.with_untracked(|d| d.key.clone());
            let request = NewReturn {
                evidence,
                ..request
            };
            let filed = api::file_return(&request, &key).await;
            set_sending.try_set(false);
            match filed {
                Ok(id) => {
                    order.with_value(|o| store_draft(&o.id, None));
                    on_filed.run(id);
                }
                Err(e) => {
                    // The server no longer holds a photo sent earlier (unfiled photos are kept a
                    // day): the next submit sends them all again.
                    if e.code() == "unknown_evidence" {
                        photos.try_update(|list| {
                            for p in list
                                .iter_mut()
                                .filter(|p| matches!(p.upload, Upload::Sent(_)))
                            {
                                p.upload = Upload::Waiting;
                            }
                        });
                    }
                    set_problem.try_set(Some(e.describe()));
                }
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
        let request = draft.with_untracked(|d| {
            order.with_value(|o| policy.with_value(|p| d.to_request(o, clock::now(), p)))
        });
        match request {
            Ok(request) => {
                set_problem.set(None);
                send(request);
            }
            Err(e) => set_problem.set(Some(error(e.code(), ""))),
        }
    };

    let at = move |s: Step| step.get() == s;
    let steps = move || {
        let now = step.get();
        Step::ALL
            .into_iter()
            .map(|s| {
                let class = if s.index() < now.index() {
                    " class=\"done\""
                } else {
                    ""
                };
                let current = if s == now {
                    " aria-current=\"step\""
                } else {
                    ""
                };
                Markup::fill(
                    "<li{}{}>{}</li>",
                    &[
                        &Markup::tags(class),
                        &Markup::tags(current),
                        &esc(&code("wizard.step", s.code())),
                    ],
                )
            })
            .collect::<Markup>()
    };
    let photos_needed = move || verdict.with(|v| matches!(v, Some(Ok(v)) if v.photos_required));
    let photo_failed =
        move || photos.with(|list| list.iter().any(|p| matches!(p.upload, Upload::Failed(_))));
    let main_button = move || {
        let key = match (step.get(), busy(), photo_failed()) {
            (_, true, _) => "wizard.sending",
            (Step::Review, _, true) => "wizard.retry_photos",
            (Step::Review, _, false) => "wizard.submit",
            _ => "wizard.next",
        };
        t(key)
    };
    // Every step is mounted once and shown in turn: its fields follow the draft and write to it,
    // so nothing redraws what the buyer typed.
    view! {
        <div class="wizard">
            <ol class="steps" aria-label=t("wizard.progress") inner_html=move || steps().into_html()></ol>
            <VerdictPanel verdict=verdict />
            <form class="return-form" on:submit=on_submit novalidate>
                <fieldset class="wizard-step" disabled=busy>
                    <section hidden=move || !at(Step::Items)>
                        <ItemsStep order taken draft=draft set_draft />
                    </section>
                    <section hidden=move || !at(Step::Reason)>
                        <ReasonStep draft set_draft />
                    </section>
                    <section hidden=move || !at(Step::Resolution)>
                        <ResolutionStep verdict draft set_draft order />
                    </section>
                    <section hidden=move || !at(Step::Details)>
                        <DetailsStep draft set_draft />
                    </section>
                    <section hidden=move || !at(Step::Photos)>
                        <h2 tabindex="-1">{t("wizard.photos_title")}</h2>
                        <p class="hint" hidden=move || !photos_needed()>{t("wizard.photos_required")}</p>
                        <PhotoPicker photos />
                    </section>
                    <section hidden=move || !at(Step::Review)>
                        <h2 tabindex="-1">{t("wizard.review_title")}</h2>
                        <div inner_html=move || review(order, verdict, draft, photos).into_html()></div>
                    </section>
                </fieldset>
                <p class="form-error" id="wizard-problem" role="alert">{problem}</p>
                <div class="wizard-buttons">
                    <button
                        type="button"
                        class="button secondary"
                        hidden=move || at(Step::Items) || busy()
                        on:click=move |_| go(step.get_untracked().back())
                    >
                        {t("wizard.back")}
                    </button>
                    <button type="submit" class="button primary" disabled=busy>{main_button}</button>
                </div>
            </form>
        </div>
    }
}

/// The heading a step's focus goes to when it is shown.
fn heading(key: &'static str) -> impl IntoView {
    view! { <h2 tabindex="-1">{t(key)}</h2> }
}

/// The lines to choose, each with its quantity when it has several items; a line already in a
/// case says so, with the way to it, and cannot be chosen.
#[component]
fn ItemsStep(
    /// The order whose lines are offered.
    order: StoredValue<Order>,
    /// Its lines already in a case.
    taken: Vec<LineCase>,
    /// What the buyer has entered so far.
    draft: ReadSignal<ReturnDraft>,
    /// Where each change goes.
    set_draft: WriteSignal<ReturnDraft>,
) -> impl IntoView {
    let lines = order.with_value(|o| o.lines.clone());
    let rows = lines
        .into_iter()
        .map(|line| {
            let check = format!("line-{}", line.id);
            let label = tf(
                "wizard.line",
                &[("title", &line.product.title), ("price", &text::money(line.unit_price))],
            );
            if let Some(case) = taken.iter().find(|c| c.line_id == line.id) {
                return view! {
                    <div class="line-choice">
                        <input id=check.clone() type="checkbox" disabled />
                        <label for=check>{label}</label>
                        <span inner_html=case_link(case).into_html()></span>
                    </div>
                }
                .into_any();
            }
            let (id, max) = (StoredValue::new(line.id.clone()), line.quantity);
            let chosen = Memo::new(move |_| draft.with(|d| id.with_value(|id| d.quantity(id))));
            let set = move |q: u32| set_draft.update(|d| id.with_value(|id| d.set_quantity(id, q)));
            let quantity = (max > 1).then(|| {
                let field = format!("qty-{}", line.id);
                view! {
                    <span class="quantity" hidden=move || chosen.get() == 0>
                        <label for=field.clone()>
                            {tf("wizard.how_many", &[("title", &line.product.title)])}
                        </label>
                        <input
                            id=field
                            type="number"
                            inputmode="numeric"
                            min="1"
                            max=max
                            prop:value=move || chosen.get().max(1).to_string()
                            on:change=move |ev| {
                                // Out-of-range or garbage snaps back to what is allowed.
                                let typed = event_target_value(&ev);
                                let q = typed.trim().parse::<u32>().map_or(max, |q| q.clamp(1, max));
                                set_value_of(&ev, &q.to_string());
                                set(q);
                            }
                        />
                        <span class="hint-inline">{tf("wizard.of", &[("max", &max.to_string())])}</span>
                    </span>
                }
            });
            // A newly chosen line starts with all its items.
            view! {
                <div class="line-choice">
                    <input
                        id=check.clone()
                        type="checkbox"
                        prop:checked=move || { chosen.get() > 0 }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            set(if on { max } else { 0 })
                        }
                    />
                    <label for=check>{label}</label>
                    {quantity}
                </div>
            }
            .into_any()
        })
        .collect_view();
    view! {
        {heading("wizard.items_title")}
        {rows}
    }
}

/// Writes `value` into the field an event came from.
fn set_value_of(ev: &leptos::ev::Event, value: &str) {
    if let Some(field) = ev.target() {
        let _ = js_sys::Reflect::set(&field, &"value".into(), &value.into());
    }
}

/// The reasons, grouped: a problem with the item or the delivery, or a change of mind.
#[component]
fn ReasonStep(
    /// What the buyer has entered so far.
    draft: ReadSignal<ReturnDraft>,
    /// Where each change goes.
    set_draft: WriteSignal<ReturnDraft>,
) -> impl IntoView {
    let group = |label: &'static str, fault: Fault| {
        let reasons: Vec<(&str, String)> = Reason::ALL
            .into_iter()
            .filter(|r| r.fault() == fault)
            .map(|r| (r.code(), code("reason", r.code())))
            .collect();
        Markup::fill(
            "<optgroup label=\"{}\">{}</optgroup>",
            &[
                &esc(&t(label)),
                &options(reasons.iter().map(|(c, l)| (*c, l.as_str())), ""),
            ],
        )
    };
    // The choices as markup: a view per option cost the bundle more, measured.
    let choices = Markup::fill(
        "<option value=\"\">{}</option>{}{}",
        &[
            &esc(&t("wizard.choose_reason")),
            &group("wizard.group_problem", Fault::Seller),
            &group("wizard.group_mind", Fault::Buyer),
        ],
    );
    view! {
        {heading("wizard.reason_title")}
        <label for="reason">{t("wizard.reason")}</label>
        <select
            id="reason"
            inner_html=choices.into_html()
            prop:value=move || draft.with(|d| d.reason.map_or("", Reason::code))
            on:change=move |ev| {
                let chosen = Reason::from_code(&event_target_value(&ev));
                set_draft.update(|d| d.reason = chosen);
            }
        ></select>
    }
}

type Verdict = Memo<Option<Result<rules::Eligibility, rules::SelectionError>>>;

/// The resolutions the rules offer now, each with the refund and who pays return shipping, and
/// the amount field for a partial refund. The list follows the verdict; the choice and the
/// amount follow the draft, so typing never redraws the field typed in.
#[component]
fn ResolutionStep(
    /// The rules' verdict on the draft: which resolutions it allows, for how much.
    verdict: Verdict,
    /// What the buyer has entered so far.
    draft: ReadSignal<ReturnDraft>,
    /// Where each change goes.
    set_draft: WriteSignal<ReturnDraft>,
    /// The order: the variants its line may be exchanged for.
    order: StoredValue<Order>,
) -> impl IntoView {
    let chosen = Memo::new(move |_| {
        verdict.with(|v| match v {
            Some(Ok(v)) => draft.with(|d| d.effective_resolution(v)),
            _ => None,
        })
    });
    let choice = move |(r, max, payer): (Resolution, Money, Option<rules::Party>)| {
        let amount = text::money(max);
        let refund = match r {
            Resolution::Replacement | Resolution::Repair | Resolution::Exchange => {
                code("wizard.no_refund", r.code())
            }
            Resolution::PartialRefund => tf("wizard.refund_up_to", &[("amount", &amount)]),
            _ => tf("wizard.refund_of", &[("amount", &amount)]),
        };
        let shipping = payer
            .map(|p| code("wizard.shipping_paid_by", p.code()))
            .unwrap_or_default();
        let partial = (r == Resolution::PartialRefund).then(|| {
            view! {
                <span id="partial-wrap" hidden=move || chosen.get() != Some(r)>
                    <label for="partial-amount">
                        {tf(
                            "wizard.partial_amount",
                            &[("currency", max.currency.code()), ("max", &amount)],
                        )}
                    </label>
                    <input
                        id="partial-amount"
                        inputmode="decimal"
                        autocomplete="off"
                        prop:value=draft.with_untracked(|d| d.partial_amount.clone())
                        on:input=move |ev| {
                            let typed = event_target_value(&ev);
                            set_draft.update(|d| d.partial_amount = typed);
                        }
                    />
                </span>
            }
        });
        let variant = (r == Resolution::Exchange).then(|| {
            let offered = order.with_value(|o| draft.with_untracked(|d| d.exchange_options(o)));
            let choose = t("board.choose_variant");
            let list = std::iter::once(("", choose.as_str()))
                .chain(offered.iter().map(|v| (v.as_str(), v.as_str())));
            let picked = Signal::derive(move || draft.with(|d| d.exchange_for.clone()));
            let pick = Callback::new(move |v| set_draft.update(|d| d.exchange_for = v));
            let list = Signal::stored(options(list, &picked.get_untracked()));
            view! {
                <span id="variant-wrap" hidden=move || chosen.get() != Some(r)>
                    <label for="exchange-variant">{t("wizard.exchange_for")}</label>
                    {choice("exchange-variant".into(), NodeRef::new(), list, picked, pick)}
                </span>
            }
        });
        view! {
            <div class="choice">
                <label>
                    <input
                        type="radio"
                        name="resolution"
                        value=r.code()
                        prop:checked=move || chosen.get() == Some(r)
                        on:change=move |_| set_draft.update(|d| d.resolution = Some(r))
                    />
                    " "
                    <strong>{code("resolution", r.code())}</strong>
                </label>
                <p class="hint">{format!("{refund} {shipping}")}</p>
                {partial}
                {variant}
            </div>
        }
    };
    view! {
        {heading("wizard.resolution_title")}
        <div role="radiogroup" aria-label=t("wizard.resolution_title")>
            {move || {
                verdict.with(|v| match v {
                    Some(Ok(v)) => v
                        .resolutions
                        .iter()
                        .map(|&r| {
                            choice((
                                r,
                                v.max_refund,
                                v.return_shipping_paid_by.filter(|_| r.sends_goods_back()),
                            ))
                        })
                        .collect_view()
                        .into_any(),
                    _ => ().into_any(),
                })
            }}
        </div>
    }
}

/// What the seller should know, with the characters left.
#[component]
fn DetailsStep(
    /// What the buyer has entered so far.
    draft: ReadSignal<ReturnDraft>,
    /// Where each change goes.
    set_draft: WriteSignal<ReturnDraft>,
) -> impl IntoView {
    let count = move || draft.with(|d| d.description.chars().count());
    view! {
        {heading("wizard.details_title")}
        <label for="description">{t("wizard.description")}</label>
        <textarea
            id="description"
            rows="5"
            maxlength=DESCRIPTION_MAX_CHARS
            aria-describedby="description-count"
            prop:value=draft.with_untracked(|d| d.description.clone())
            on:input=move |ev| {
                let typed = event_target_value(&ev);
                set_draft.update(|d| d.description = typed);
            }
        ></textarea>
        <p class="hint" id="description-count">
            {move || format!("{} / {DESCRIPTION_MAX_CHARS}", count())}
        </p>
    }
}

/// The review: what will be sent, and the photos with their progress once sending.
fn review(
    order: StoredValue<Order>,
    verdict: Verdict,
    draft: ReadSignal<ReturnDraft>,
    photos: RwSignal<Vec<Photo>>,
) -> Markup {
    draft.with(|d| {
        let items = order.with_value(|o| {
            o.lines
                .iter()
                .filter(|l| d.quantity(&l.id) > 0)
                .map(|l| format!("{} × {}", l.product.title, d.quantity(&l.id)))
                .collect::<Vec<_>>()
                .join(", ")
        });
        // The plan as it will be asked for, with its amount (a partial refund's is typed).
        let resolution = verdict.with(|v| match v {
            Some(Ok(v)) => d.effective_resolution(v).map(|r| {
                let words = code("resolution", r.code());
                let typed = Money::parse(&d.partial_amount, v.max_refund.currency).ok();
                let minor = typed
                    .filter(|_| r == Resolution::PartialRefund)
                    .map(|m| m.minor);
                match v.refund_for(r, minor) {
                    Ok(amount) if r != Resolution::Replacement => {
                        format!("{words}{}{}", t("punct.comma"), text::money(amount))
                    }
                    _ => words,
                }
            }),
            _ => None,
        });
        let rows = vec![
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
                t("wizard.review_description"),
                if d.description.trim().is_empty() {
                    tag("span", "muted", &t("wizard.review_no_description"))
                } else {
                    tag("span", "description", &d.description)
                },
            ),
        ];
        let list = photos.with(|list| {
            if list.is_empty() {
                tag("p", "muted", &t("wizard.no_photos"))
            } else {
                el("ul", "photos", photo_list(list, false))
            }
        });
        facts(rows)
            .join(tag("h3", "", &t("wizard.photos_title")))
            .join(list)
    })
}
