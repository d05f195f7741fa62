use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use rules::api::{LineCase, NewReturn, DESCRIPTION_MAX_CHARS};
use rules::{Fault, Money, Order, OrderPolicy, Reason, Resolution};

use crate::components::order_card::case_link;
use crate::components::photo_picker::{photo_list, Photo, Upload};
use crate::components::{PhotoPicker, VerdictPanel};
use crate::draft::{ReturnDraft, Step};
use crate::markup::{el, esc, facts, set_value, show, text as tag, Markup};
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
    let initial = draft.get_untracked();
    let items = order.with_value(|o| items_markup(o, &initial, &taken));
    let reason = reason_markup(&initial);
    let details = details_markup(&initial);
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
    // One handler for every field of every step: the draft follows what is typed or chosen.
    let on_field = move |ev: leptos::ev::Event| {
        // Inputs, selects and text areas alike: read through the properties they share.
        let Some(field) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let property = |name: &str| js_sys::Reflect::get(&field, &name.into()).unwrap_or_default();
        let id = field.id();
        let value = property("value").as_string().unwrap_or_default();
        if let Some(line) = id.strip_prefix("line-") {
            let max = order.with_value(|o| {
                o.lines
                    .iter()
                    .find(|l| l.id == line)
                    .map_or(0, |l| l.quantity)
            });
            let on = property("checked").as_bool().unwrap_or(false);
            // A newly chosen line starts with all its items.
            set_draft.update(|d| d.set_quantity(line, if on { max } else { 0 }));
            show(&format!("qspan-{line}"), on);
            set_value(&format!("qty-{line}"), &max.to_string());
        } else if let Some(line) = id.strip_prefix("qty-") {
            if ev.type_() != "change" {
                return;
            }
            let max = order.with_value(|o| {
                o.lines
                    .iter()
                    .find(|l| l.id == line)
                    .map_or(1, |l| l.quantity)
            });
            // Out-of-range or garbage snaps back to what is allowed.
            let q = value.trim().parse::<u32>().map_or(max, |q| q.clamp(1, max));
            set_value(&id, &q.to_string());
            set_draft.update(|d| d.set_quantity(line, q));
        } else if id == "reason" {
            set_draft.update(|d| d.reason = Reason::from_code(&value));
        } else if field.get_attribute("name").as_deref() == Some("resolution") {
            let chosen = Resolution::from_code(&value);
            set_draft.update(|d| d.resolution = chosen);
            show("partial-wrap", chosen == Some(Resolution::PartialRefund));
        } else if id == "partial-amount" {
            set_draft.update(|d| d.partial_amount = value);
        } else if id == "description" {
            let count = format!("{} / {DESCRIPTION_MAX_CHARS}", value.chars().count());
            set_draft.update(|d| d.description = value);
            if let Some(counter) = document().get_element_by_id("description-count") {
                counter.set_text_content(Some(&count));
            }
        }
    };

    // Every step is drawn once and shown in turn; the fields keep what is typed in them.
    view! {
        <div class="wizard">
            <ol class="steps" aria-label=t("wizard.progress") inner_html=move || steps().into_html()></ol>
            <VerdictPanel verdict=verdict />
            <form class="return-form" on:submit=on_submit novalidate>
                <fieldset class="wizard-step" disabled=busy on:input=on_field on:change=on_field>
                    <section hidden=move || !at(Step::Items) inner_html=items.into_html()></section>
                    <section hidden=move || !at(Step::Reason) inner_html=reason.into_html()></section>
                    <section
                        hidden=move || !at(Step::Resolution)
                        inner_html=move || {
                            verdict
                                .with(|v| draft.with_untracked(|d| resolution_markup(v, d)))
                                .into_html()
                        }
                    ></section>
                    <section hidden=move || !at(Step::Details) inner_html=details.into_html()></section>
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

/// The lines to choose, each with its quantity when it has several items.
fn items_markup(order: &Order, initial: &ReturnDraft, taken: &[LineCase]) -> Markup {
    let lines: Markup = order
        .lines
        .iter()
        .map(|line| {
            let id = esc(&line.id);
            let label = esc(&tf(
                "wizard.line",
                &[("title", &line.product.title), ("price", &text::money(line.unit_price))],
            ));
            if let Some(case) = taken.iter().find(|c| c.line_id == line.id) {
                // Already in a case: said, with the way to it, and not to be chosen.
                return Markup::fill(
                    "<div class=\"line-choice\"><input id=\"line-{}\" type=\"checkbox\" disabled>\
                     <label for=\"line-{}\">{}</label>{}</div>",
                    &[&id, &id, &label, &case_link(case)],
                );
            }
            let chosen = initial.quantity(&line.id);
            let quantity = if line.quantity > 1 {
                Markup::fill(
                    "<span class=\"quantity\" id=\"qspan-{}\"{}><label for=\"qty-{}\">{}</label>\
                     <input id=\"qty-{}\" type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"{}\" value=\"{}\">\
                     <span class=\"hint-inline\">{}</span></span>",
                    &[
                        &id,
                        &Markup::tags(hidden_unless(chosen > 0)),
                        &id,
                        &esc(&tf("wizard.how_many", &[("title", &line.product.title)])),
                        &id,
                        &Markup::number(line.quantity),
                        &Markup::number(chosen.max(1)),
                        &esc(&tf("wizard.of", &[("max", &line.quantity.to_string())])),
                    ],
                )
            } else {
                Markup::default()
            };
            Markup::fill(
                "<div class=\"line-choice\"><input id=\"line-{}\" type=\"checkbox\"{}>\
                 <label for=\"line-{}\">{}</label>{}</div>",
                &[
                    &id,
                    &Markup::tags(if chosen > 0 { " checked" } else { "" }),
                    &id,
                    &label,
                    &quantity,
                ],
            )
        })
        .collect();
    heading("wizard.items_title").join(lines)
}

fn heading(key: &str) -> Markup {
    Markup::fill("<h2 tabindex=\"-1\">{}</h2>", &[&esc(&t(key))])
}

/// ` hidden` unless `shown`: for an element's opening tag.
fn hidden_unless(shown: bool) -> &'static str {
    if shown {
        ""
    } else {
        " hidden"
    }
}

/// The reasons, grouped: a problem with the item or the delivery, or a change of mind.
fn reason_markup(initial: &ReturnDraft) -> Markup {
    let options = |fault: Fault| -> Markup {
        Reason::ALL
            .into_iter()
            .filter(|r| r.fault() == fault)
            .map(|r| {
                Markup::fill(
                    "<option value=\"{}\"{}>{}</option>",
                    &[
                        &Markup::tags(r.code()),
                        &Markup::tags(if initial.reason == Some(r) {
                            " selected"
                        } else {
                            ""
                        }),
                        &esc(&code("reason", r.code())),
                    ],
                )
            })
            .collect()
    };
    Markup::fill(
        "{}<label for=\"reason\">{}</label><select id=\"reason\"><option value=\"\"{}>{}</option>\
         <optgroup label=\"{}\">{}</optgroup><optgroup label=\"{}\">{}</optgroup></select>",
        &[
            &heading("wizard.reason_title"),
            &esc(&t("wizard.reason")),
            &Markup::tags(if initial.reason.is_none() {
                " selected"
            } else {
                ""
            }),
            &esc(&t("wizard.choose_reason")),
            &esc(&t("wizard.group_problem")),
            &options(Fault::Seller),
            &esc(&t("wizard.group_mind")),
            &options(Fault::Buyer),
        ],
    )
}

type Verdict = Memo<Option<Result<rules::Eligibility, rules::SelectionError>>>;

/// The resolutions the rules offer now, each with the refund and who pays return shipping, and
/// the amount field for a partial refund. Drawn again only when the verdict changes.
fn resolution_markup(
    verdict: &Option<Result<rules::Eligibility, rules::SelectionError>>,
    draft: &ReturnDraft,
) -> Markup {
    let options = match verdict {
        Some(Ok(v)) => {
            let chosen = draft.effective_resolution(v);
            let amount = text::money(v.max_refund);
            v.resolutions
                .iter()
                .map(|&r| {
                    let refund = match r {
                        Resolution::Replacement => t("wizard.no_refund"),
                        Resolution::PartialRefund => {
                            tf("wizard.refund_up_to", &[("amount", &amount)])
                        }
                        _ => tf("wizard.refund_of", &[("amount", &amount)]),
                    };
                    let shipping = v
                        .return_shipping_paid_by
                        .filter(|_| r.sends_goods_back())
                        .map(|p| code("wizard.shipping_paid_by", p.code()))
                        .unwrap_or_default();
                    let partial = if r == Resolution::PartialRefund {
                        Markup::fill(
                            "<span id=\"partial-wrap\"{}><label for=\"partial-amount\">{}</label>\
                             <input id=\"partial-amount\" inputmode=\"decimal\" autocomplete=\"off\" value=\"{}\"></span>",
                            &[
                                &Markup::tags(hidden_unless(chosen == Some(r))),
                                &esc(&tf(
                                    "wizard.partial_amount",
                                    &[("currency", v.max_refund.currency.code()), ("max", &amount)],
                                )),
                                &esc(&draft.partial_amount),
                            ],
                        )
                    } else {
                        Markup::default()
                    };
                    Markup::fill(
                        "<div class=\"choice\"><label><input type=\"radio\" name=\"resolution\" value=\"{}\"{}> {}</label>{}{}</div>",
                        &[
                            &Markup::tags(r.code()),
                            &Markup::tags(if chosen == Some(r) { " checked" } else { "" }),
                            &tag("strong", "", &code("resolution", r.code())),
                            &tag("p", "hint", &format!("{refund} {shipping}")),
                            &partial,
                        ],
                    )
                })
                .collect()
        }
        _ => Markup::default(),
    };
    Markup::fill(
        "{}<div role=\"radiogroup\" aria-label=\"{}\">{}</div>",
        &[
            &heading("wizard.resolution_title"),
            &esc(&t("wizard.resolution_title")),
            &options,
        ],
    )
}

fn details_markup(initial: &ReturnDraft) -> Markup {
    let max = Markup::number(DESCRIPTION_MAX_CHARS as u64);
    Markup::fill(
        "{}<label for=\"description\">{}</label><textarea id=\"description\" rows=\"5\" maxlength=\"{}\" \
         aria-describedby=\"description-count\">{}</textarea><p class=\"hint\" id=\"description-count\">{} / {}</p>",
        &[
            &heading("wizard.details_title"),
            &esc(&t("wizard.description")),
            &max,
            &esc(&initial.description),
            &Markup::number(initial.description.chars().count() as u64),
            &max,
        ],
    )
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
