use leptos::prelude::*;
use rules::api::{AcceptBody, NoFields};
use rules::{ActionKind, Money, Offer, Party, Proposal, Resolution};

use crate::components::case_actions::CaseControl;
use crate::markup::text as tag;
use crate::screen::CaseScreen;
use crate::text::{self, code, t, tf, who};

/// The standing proposals side by side, the buyer's, the seller's and, once the platform is
/// involved, the platform's, each with what it offers; under them what the viewer may do: accept
/// another side's, withdraw their own, or counter with a new one.
#[component]
pub fn ProposalsBoard(
    /// The case as shown.
    detail: CaseScreen,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let viewer = detail.parts.viewer;
    let escalated = detail.parts.case.proposals.platform.is_some()
        || detail.summary.state == rules::CaseState::Escalated;
    let sides: Vec<Party> = if escalated {
        vec![Party::Buyer, Party::Seller, Party::Platform]
    } else {
        vec![Party::Buyer, Party::Seller]
    };
    let may_accept = detail.may(ActionKind::Accept);
    let may_withdraw = detail.may(ActionKind::WithdrawProposal);
    let may_propose = detail.may(ActionKind::Propose);
    let columns = sides
        .into_iter()
        .map(|party| {
            let proposal = detail.parts.case.proposals.of(party).cloned();
            let mine = party == viewer;
            let buttons = proposal.as_ref().map(|_| {
                let accept = (!mine && may_accept).then(|| view! {
                    <button type="button" class="button primary" disabled=control.busy
                        on:click=move |_| control.run(ActionKind::Accept, AcceptBody { of: party })>
                        {t("board.accept")}
                    </button>
                });
                let withdraw = (mine && may_withdraw).then(|| view! {
                    <button type="button" class="button secondary" disabled=control.busy
                        on:click=move |_| control.run(ActionKind::WithdrawProposal, NoFields {})>
                        {t("board.withdraw")}
                    </button>
                });
                view! { {accept}{withdraw} }
            });
            view! {
                <div class="proposal" class:mine=mine data-party=party.code()>
                    <h3>{code("whose", who(party, viewer))}</h3>
                    <div inner_html=proposal.as_ref().map_or_else(|| tag("p", "muted", &t("board.none")), terms)></div>
                    {buttons}
                </div>
            }
        })
        .collect_view();
    let counter =
        may_propose.then(|| view! { <CounterForm max=detail.parts.case.max_refund control /> });
    view! {
        <section class="card board" aria-labelledby="board-title">
            <h2 id="board-title">{t("board.title")}</h2>
            <div class="proposals">{columns}</div>
            {counter}
        </section>
    }
}

/// What a proposal offers, as markup: the kind, the amount, who pays return shipping, the note.
fn terms(p: &Proposal) -> String {
    let shipping = p
        .terms
        .return_shipping_paid_by
        .map(|payer| code("wizard.shipping_paid_by", payer.code()))
        .unwrap_or_default();
    let note = if p.note.is_empty() {
        String::new()
    } else {
        tag("blockquote", "", &p.note)
    };
    format!(
        "{}{}{}{note}{}",
        tag("p", "kind", &code("resolution", p.terms.resolution.code())),
        tag("p", "amount", &text::money(p.terms.refund)),
        tag("p", "hint", &shipping),
        tag("p", "muted", &text::date_time(p.made_at)),
    )
}

/// A new proposal of the viewer's: the kind, the amount for a partial refund (checked against
/// what may be refunded), who pays return shipping when the goods go back, and a note.
#[component]
fn CounterForm(
    /// The most that may be refunded.
    max: Money,
    /// Acts on the case.
    control: CaseControl,
) -> impl IntoView {
    let (open, set_open) = signal(false);
    let (resolution, set_resolution) = signal(Resolution::PartialRefund);
    let (amount, set_amount) = signal(String::new());
    let (payer, set_payer) = signal(Party::Seller);
    let (note, set_note) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = resolution.get_untracked();
        let partial_amount_minor = if chosen == Resolution::PartialRefund {
            match Money::parse(&amount.get_untracked(), max.currency) {
                Ok(m) if m.minor > 0 && m.minor <= max.minor => Some(m.minor),
                Ok(_) => {
                    set_problem.set(Some(text::error("partial_amount_out_of_range", "")));
                    return;
                }
                Err(_) => {
                    set_problem.set(Some(text::error("partial_amount_invalid", "")));
                    return;
                }
            }
        } else {
            None
        };
        set_problem.set(None);
        control.run(
            ActionKind::Propose,
            Offer {
                resolution: chosen,
                partial_amount_minor,
                return_shipping_paid_by: chosen.sends_goods_back().then(|| payer.get_untracked()),
                note: note.get_untracked().trim().to_owned(),
                evidence: Vec::new(),
            },
        );
        set_open.set(false);
    };
    let kinds = Resolution::ALL
        .into_iter()
        .map(|r| view! { <option value=r.code() selected=move || resolution.get() == r>{code("resolution", r.code())}</option> })
        .collect_view();
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="button secondary" on:click=move |_| set_open.set(true)>
                    {t("board.counter")}
                </button>
            }
        >
            <form class="counter" on:submit=submit novalidate>
                <label for="counter-kind">{t("board.kind")}</label>
                <select id="counter-kind" on:change=move |ev| {
                    if let Some(r) = Resolution::from_code(&event_target_value(&ev)) { set_resolution.set(r) }
                }>{kinds.clone()}</select>
                <Show when=move || resolution.get() == Resolution::PartialRefund>
                    <label for="counter-amount">
                        {tf("wizard.partial_amount", &[("currency", max.currency.code()), ("max", &text::money(max))])}
                    </label>
                    <input id="counter-amount" inputmode="decimal" autocomplete="off" prop:value=amount
                        on:input=move |ev| set_amount.set(event_target_value(&ev)) />
                </Show>
                <Show when=move || resolution.get().sends_goods_back()>
                    <label for="counter-payer">{t("board.payer")}</label>
                    <select id="counter-payer" on:change=move |ev| {
                        set_payer.set(if event_target_value(&ev) == "buyer" { Party::Buyer } else { Party::Seller })
                    }>
                        <option value="seller" selected=move || payer.get() == Party::Seller>{code("who", "seller")}</option>
                        <option value="buyer" selected=move || payer.get() == Party::Buyer>{code("who", "buyer")}</option>
                    </select>
                </Show>
                <label for="counter-note">{t("board.note")}</label>
                <textarea id="counter-note" rows="2" prop:value=note on:input=move |ev| set_note.set(event_target_value(&ev))></textarea>
                <p class="form-error" role="alert">{problem}</p>
                <button type="submit" class="button primary" disabled=control.busy>{t("board.send")}</button>
                <button type="button" class="button secondary" on:click=move |_| set_open.set(false)>{t("board.cancel")}</button>
            </form>
        </Show>
    }
}
