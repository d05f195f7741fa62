//! The proposals board: the standing proposals side by side, the buyer's, the seller's and, once
//! the platform is involved, the platform's, each with what it offers; under them what the viewer
//! may do: accept another side's, withdraw their own, or counter with a new one.
//!
//! The columns follow the case as it changes; the counter-offer form is mounted once and keeps
//! what the viewer typed and chose while the other party acts.

use leptos::prelude::*;
use rules::{Action, ActionKind, CaseState, Limits, Money, Offer, Party, Proposal, Resolution};

use crate::components::case_actions::{while_allowed, CaseControl};
use crate::components::decision::plan_words;
use crate::components::form_parts::{choice, focus_when_drawn, FormToggle, SendRow, TextBox};
use crate::components::reason_form::PhotosField;
use crate::components::status_header::consequence;
use crate::draft::DraftError;
use crate::markup::{button, esc, options, Act, Markup};
use crate::screen::CaseScreen;
use crate::text::{self, code, error, t, tf, who};

/// What a plan's fields hold, as typed: the kind's code, the amount, the payer's code, the
/// variant to exchange for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PlanInputs {
    pub kind: String,
    pub amount: String,
    pub payer: String,
    pub variant: String,
}

impl PlanInputs {
    /// The plan with `note`, or what is wrong with it in the viewer's words, checked by the
    /// rules as the case will check it against what it may pay at most.
    pub fn offer(&self, limits: Limits, note: String) -> Result<Offer, String> {
        let max = limits.refund;
        let resolution =
            Resolution::from_code(&self.kind).ok_or_else(|| error("no_resolution", ""))?;
        let partial_amount_minor = if resolution == Resolution::PartialRefund {
            let typed = Money::parse(&self.amount, max.currency)
                .map_err(|e| error(DraftError::Amount(e).code(), ""))?;
            Some(typed.minor)
        } else {
            None
        };
        let offer = Offer {
            resolution,
            partial_amount_minor,
            return_shipping_paid_by: Party::from_code(&self.payer)
                .filter(|_| resolution.sends_goods_back()),
            note,
            evidence: Vec::new(),
            exchange_for: Some(self.variant.clone())
                .filter(|v| resolution == Resolution::Exchange && !v.is_empty()),
        };
        // The rules' own check, the one the case makes when the offer arrives.
        offer.terms(limits).map_err(|e| error(e.code(), ""))?;
        Ok(offer)
    }
}

/// The fields of a plan, each owned by its form.
#[derive(Clone, Copy)]
pub struct PlanFields {
    pub kind: RwSignal<String>,
    pub amount: RwSignal<String>,
    pub payer: RwSignal<String>,
    pub variant: RwSignal<String>,
}

impl PlanFields {
    /// A partial refund, the most common counter-offer, with the seller paying any return.
    pub fn new() -> Self {
        PlanFields {
            kind: RwSignal::new(Resolution::PartialRefund.code().to_owned()),
            amount: RwSignal::new(String::new()),
            payer: RwSignal::new(Party::Seller.code().to_owned()),
            variant: RwSignal::new(String::new()),
        }
    }

    pub fn inputs(self) -> PlanInputs {
        PlanInputs {
            kind: self.kind.get_untracked(),
            amount: self.amount.get_untracked(),
            payer: self.payer.get_untracked(),
            variant: self.variant.get_untracked(),
        }
    }

    /// Back to how [`PlanFields::new`] made them: the viewer's proposal went through.
    pub fn clear(self) {
        self.kind.set(Resolution::PartialRefund.code().to_owned());
        self.amount.set(String::new());
        self.payer.set(Party::Seller.code().to_owned());
        self.variant.set(String::new());
    }
}

impl Default for PlanFields {
    fn default() -> Self {
        PlanFields::new()
    }
}

/// The fields of a plan, their ids starting with `prefix`: the kind (and `extra`, an option
/// beyond the resolutions, such as the mediator's "no refund"), the amount for a partial refund,
/// what store credit is worth, the variant of an exchange, and who pays return shipping when the
/// goods go back.
#[component]
pub fn OfferFields(
    /// The start of each field's id: `counter`, `rule`.
    prefix: &'static str,
    /// The catalogue key of the kind's label.
    kind_label: &'static str,
    /// The most a refund and store credit may be.
    limits: Limits,
    /// The variants the goods may be exchanged for; none, no exchange.
    variants: Vec<String>,
    /// Whether the case's reason is one a repair can put right.
    repairable: bool,
    /// An option beyond the resolutions: its value and its words.
    #[prop(optional)]
    extra: Option<(&'static str, String)>,
    /// Where the fields' values live.
    fields: PlanFields,
    /// The kind's field, to move the focus to when the form opens.
    #[prop(optional)]
    kind_ref: NodeRef<leptos::html::Select>,
) -> impl IntoView {
    let max = limits.refund;
    let exchange = !variants.is_empty();
    let kinds: Vec<(String, String)> = Resolution::ALL
        .into_iter()
        .filter(|r| match r {
            Resolution::Exchange => exchange,
            Resolution::Repair => repairable,
            _ => true,
        })
        .map(|r| (r.code().to_owned(), code("resolution", r.code())))
        .chain(extra.map(|(value, label)| (value.to_owned(), label)))
        .collect();
    let chosen = move || Resolution::from_code(&fields.kind.get());
    let id = move |field: &str| format!("{prefix}-{field}");
    // Each select drawn by one function: its options as markup, its value in its signal.
    let select = move |field: &str, list: Vec<(String, String)>, value: RwSignal<String>, node| {
        let options = options(
            list.iter().map(|(v, label)| (v.as_str(), label.as_str())),
            &value.get_untracked(),
        );
        choice(
            id(field),
            node,
            Signal::stored(options),
            value.into(),
            Callback::new(move |v| value.set(v)),
        )
    };
    let choose = (String::new(), t("board.choose_variant"));
    let variants = std::iter::once(choose)
        .chain(variants.into_iter().map(|v| (v.clone(), v)))
        .collect();
    let payers = [Party::Seller, Party::Buyer]
        .map(|p| (p.code().to_owned(), code("who", p.code())))
        .to_vec();
    view! {
        <label for=id("kind")>{t(kind_label)}</label>
        {select("kind", kinds, fields.kind, kind_ref)}
        <span id=id("amount-wrap") hidden=move || chosen() != Some(Resolution::PartialRefund)>
            <label for=id("amount")>
                {tf(
                    // Neutral words: the buyer, the seller and the mediator all use these fields.
                    "board.amount",
                    &[("currency", max.currency.code()), ("max", &text::money(max))],
                )}
            </label>
            <input
                id=id("amount")
                inputmode="decimal"
                autocomplete="off"
                prop:value=move || fields.amount.get()
                on:input=move |ev| fields.amount.set(event_target_value(&ev))
            />
        </span>
        <p id=id("credit") class="hint" hidden=move || chosen() != Some(Resolution::StoreCredit)>
            {tf("board.credit", &[("amount", &text::money(limits.credit))])}
        </p>
        <span id=id("variant-wrap") hidden=move || chosen() != Some(Resolution::Exchange)>
            <label for=id("variant")>{t("board.variant")}</label>
            {select("variant", variants, fields.variant, NodeRef::new())}
        </span>
        <span id=id("payer-wrap") hidden=move || !chosen().is_some_and(Resolution::sends_goods_back)>
            <label for=id("payer")>{t("board.payer")}</label>
            {select("payer", payers, fields.payer, NodeRef::new())}
        </span>
    }
}

/// What a proposal offers: the kind, the amount, who pays return shipping, the note.
fn terms(p: &Proposal) -> Markup {
    let shipping = p
        .terms
        .return_shipping_paid_by
        .map(|payer| code("wizard.shipping_paid_by", payer.code()))
        .unwrap_or_default();
    let note = if p.note.is_empty() {
        Markup::default()
    } else {
        crate::markup::text("blockquote", "", &p.note)
    };
    [
        crate::markup::text("p", "kind", &plan_words(&p.terms, None)),
        crate::markup::text("p", "hint", &shipping),
        note,
        crate::markup::text("p", "muted", &text::date_time(p.made_at)),
    ]
    .into_iter()
    .collect()
}

/// One side's column: its proposal (or the seller's rejection), the button the viewer may use
/// on it, and the side's photos beside it, which the mediator weighs together.
pub fn column_markup(detail: &CaseScreen, party: Party) -> Markup {
    let viewer = detail.parts.viewer;
    let mine = party == viewer;
    let proposals = &detail.parts.case.proposals;
    let body = match (proposals.of(party), &detail.parts.case.rejection) {
        // A seller who rejected stands by the rejection: the mediator weighs it.
        (None, Some(reason)) if party == Party::Seller => {
            crate::markup::text("p", "", &tf("case.rejected_because", &[("reason", reason)]))
        }
        (None, _) => crate::markup::text("p", "muted", &t("board.none")),
        (Some(p), _) => {
            let act = if !mine && detail.may(ActionKind::Accept) {
                button(
                    "button primary",
                    Act::Accept,
                    &[("party", party.code())],
                    &t("board.accept"),
                )
            } else if mine && detail.may(ActionKind::WithdrawProposal) {
                button(
                    "button secondary",
                    Act::WithdrawProposal,
                    &[],
                    &t("board.withdraw"),
                )
            } else {
                Markup::default()
            };
            terms(p).join(act)
        }
    };
    let photos: Markup = detail
        .parts
        .evidence
        .iter()
        .enumerate()
        .filter(|(_, e)| e.party == party)
        .map(|(i, e)| {
            let alt = tf(
                "gallery.photo",
                &[("n", &(i + 1).to_string()), ("name", &e.file_name)],
            );
            Markup::fill(
                "<button type=\"button\" class=\"thumb-ref\" data-act=\"{}\" data-index=\"{}\">\
                 <img src=\"{}\" alt=\"{}\"></button>",
                &[
                    &Markup::tags(Act::Photo.code()),
                    &Markup::number(i as u64),
                    &esc(&e.url),
                    &esc(&alt),
                ],
            )
        })
        .collect();
    let photos = if photos.is_empty() {
        photos
    } else {
        crate::markup::el("div", "evidence-refs", photos)
    };
    Markup::fill(
        "<div class=\"proposal{}\" data-party=\"{}\">{}{}{}</div>",
        &[
            &Markup::tags(if mine { " mine" } else { "" }),
            &Markup::tags(party.code()),
            &crate::markup::text("h3", "", &code("whose", who(party, viewer))),
            &body,
            &photos,
        ],
    )
}

/// The sides shown: the platform's once it is involved.
fn sides(detail: &CaseScreen) -> &'static [Party] {
    let escalated = detail.parts.case.proposals.platform.is_some()
        || detail.summary.state == CaseState::Escalated;
    if escalated {
        &[Party::Buyer, Party::Seller, Party::Platform]
    } else {
        &[Party::Buyer, Party::Seller]
    }
}

/// The board's columns and what the clock will do, under the proposals it would carry out.
pub fn columns_markup(detail: &CaseScreen) -> Markup {
    let columns: Markup = sides(detail)
        .iter()
        .map(|&party| column_markup(detail, party))
        .collect();
    let clock = detail
        .parts
        .next_deadline
        .as_ref()
        .map(|d| {
            crate::markup::text(
                "p",
                "board-clock",
                &tf(
                    "board.clock",
                    &[
                        ("date", &text::date_time(d.at)),
                        ("what", &consequence(d.then, detail.parts.viewer)),
                    ],
                ),
            )
        })
        .unwrap_or_default();
    crate::markup::el("div", "proposals", columns).join(clock)
}

/// Whether the board has anything to show: a standing proposal, or the viewer may make one.
/// Once agreed (or before anyone proposes what the viewer could answer) an empty board is only
/// in the way of the step at hand.
pub fn board_shown(detail: &CaseScreen) -> bool {
    let proposals = &detail.parts.case.proposals;
    [Party::Buyer, Party::Seller, Party::Platform]
        .into_iter()
        .any(|p| proposals.of(p).is_some())
        || detail.may(ActionKind::Propose)
}

/// The board, with the buttons its viewer may use now and the counter-offer form.
#[component]
pub fn ProposalsBoard(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let shown = Memo::new(move |_| control.with(board_shown).unwrap_or(false));
    let propose = control.may(ActionKind::Propose);
    let on_click = move |ev: leptos::ev::MouseEvent| match Act::pressed(&ev) {
        Some((Act::Accept, button)) => {
            if let Some(of) = button
                .get_attribute("data-party")
                .as_deref()
                .and_then(Party::from_code)
            {
                control.ask(Action::Accept { of });
            }
        }
        Some((Act::WithdrawProposal, _)) => control.run(Action::WithdrawProposal),
        _ => {}
    };
    view! {
        <section class="card board" aria-labelledby="board-title" hidden=move || !shown.get()>
            <h2 id="board-title">{t("board.title")}</h2>
            <div
                on:click=on_click
                inner_html=move || control.with(columns_markup).unwrap_or_default().into_html()
            ></div>
            {while_allowed(propose, control, |control| view! { <CounterForm control /> }.into_any())}
        </section>
    }
}

/// A new proposal of the viewer's: a plan, a note and photos; hidden until asked for.
#[component]
fn CounterForm(control: CaseControl) -> impl IntoView {
    let open = RwSignal::new(false);
    let fields = PlanFields::new();
    let note = RwSignal::new(String::new());
    let problem = RwSignal::new(String::new());
    let photos = NodeRef::<leptos::html::Input>::new();
    let kind_ref = NodeRef::<leptos::html::Select>::new();
    let limits = control.limits();
    let variants = control.exchange_options();
    let repairable = control.repairable();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let offer = fields
            .inputs()
            .offer(limits, note.get_untracked().trim().to_owned());
        let done = move || {
            fields.clear();
            note.set(String::new());
            open.set(false);
            clear_files(photos);
        };
        control.submit_with_photos(offer.map(Action::Propose), problem, files_in(photos), done);
    };
    view! {
        <FormToggle opens=true
            act=Act::CounterOpen
            label="board.counter"
            open
            focus=move |()| focus_when_drawn(kind_ref)
        />
        <form id="counter" class="counter" novalidate hidden=move || !open.get() on:submit=submit>
            <OfferFields prefix="counter" kind_label="board.kind" limits variants repairable fields kind_ref />
            <TextBox id="counter-note" label="board.note" value=note rows=2 />
            <PhotosField id="counter-photos" input=photos />
            <SendRow error_id="counter-error" problem busy=control.busy label="board.send" />
            <FormToggle opens=false act=Act::CounterCancel label="board.cancel" open />
        </form>
    }
}

/// The files chosen in a file field, in the order chosen.
pub fn files_in(input: NodeRef<leptos::html::Input>) -> Vec<web_sys::File> {
    input
        .get_untracked()
        .and_then(|input| input.files())
        .map(|files| (0..files.length()).filter_map(|i| files.get(i)).collect())
        .unwrap_or_default()
}

/// Empties a file field: what it held was sent.
pub fn clear_files(input: NodeRef<leptos::html::Input>) {
    if let Some(input) = input.get_untracked() {
        input.set_value("");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rules::Currency;

    fn plan(kind: &str, amount: &str, payer: &str) -> PlanInputs {
        PlanInputs {
            kind: kind.into(),
            amount: amount.into(),
            payer: payer.into(),
            variant: String::new(),
        }
    }

    #[test]
    fn a_plan_is_checked_as_the_case_will_check_it() {
        let max = Limits {
            refund: Money::new(5900, Currency::EUR),
            credit: Money::new(6490, Currency::EUR),
        };
        let offer = plan("partial_refund", "20,50", "seller")
            .offer(max, "Keep it".into())
            .unwrap();
        assert_eq!(offer.partial_amount_minor, Some(2050));
        // The payer only counts when the goods go back.
        assert_eq!(offer.return_shipping_paid_by, None);
        let back = plan("return_and_refund", "", "buyer")
            .offer(max, String::new())
            .unwrap();
        assert_eq!(back.return_shipping_paid_by, Some(Party::Buyer));
        assert_eq!(back.partial_amount_minor, None);
        for (amount, code) in [
            ("60", "partial_amount_out_of_range"),
            ("0", "partial_amount_out_of_range"),
            ("20,505", "partial_amount_too_precise"),
        ] {
            assert_eq!(
                plan("partial_refund", amount, "").offer(max, String::new()),
                Err(error(code, "")),
                "{amount}"
            );
        }
        assert_eq!(
            plan("voucher", "", "").offer(max, String::new()),
            Err(error("no_resolution", ""))
        );
    }

    #[test]
    fn an_exchange_names_its_variant_and_credit_needs_no_amount() {
        let limits = Limits {
            refund: Money::new(5900, Currency::EUR),
            credit: Money::new(6490, Currency::EUR),
        };
        let mut exchange = plan("exchange", "", "buyer");
        assert_eq!(
            exchange.offer(limits, String::new()),
            Err(error("variant_required", ""))
        );
        exchange.variant = "L".into();
        let offer = exchange.offer(limits, String::new()).unwrap();
        assert_eq!(offer.exchange_for.as_deref(), Some("L"));
        assert_eq!(offer.return_shipping_paid_by, Some(Party::Buyer));
        // A variant left chosen in the form goes nowhere once another kind is picked.
        let credit = PlanInputs {
            kind: "store_credit".into(),
            ..exchange
        };
        let offer = credit.offer(limits, String::new()).unwrap();
        assert_eq!(offer.exchange_for, None);
        assert_eq!(offer.return_shipping_paid_by, None);
        let terms = offer.terms(limits).unwrap();
        assert_eq!(terms.credit, Some(Money::new(6490, Currency::EUR)));
    }
}
