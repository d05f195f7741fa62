//! The proposals board: the standing proposals side by side, the buyer's, the seller's and, once
//! the platform is involved, the platform's, each with what it offers; under them what the viewer
//! may do: accept another side's, withdraw their own, or counter with a new one.
//!
//! Drawn as markup; the case page's handlers act on its buttons and its form.

use rules::{ActionKind, CaseState, Money, Offer, Party, Proposal, Resolution};

use crate::draft::DraftError;
use crate::markup::{button, esc, text as tag, value_of};
use crate::screen::CaseScreen;
use crate::text::{self, code, error, t, tf, who};

/// What a proposal offers: the kind, the amount, who pays return shipping, the note.
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

/// The board for `detail`, with the buttons its viewer may use now.
pub fn board_markup(detail: &CaseScreen) -> String {
    let viewer = detail.parts.viewer;
    let proposals = &detail.parts.case.proposals;
    let escalated = proposals.platform.is_some() || detail.summary.state == CaseState::Escalated;
    let sides: &[Party] = if escalated {
        &[Party::Buyer, Party::Seller, Party::Platform]
    } else {
        &[Party::Buyer, Party::Seller]
    };
    let columns: String = sides
        .iter()
        .map(|&party| {
            let mine = party == viewer;
            let body = match proposals.of(party) {
                None => tag("p", "muted", &t("board.none")),
                Some(p) => {
                    let act = if !mine && detail.may(ActionKind::Accept) {
                        button(
                            "button primary",
                            "accept",
                            Some(party.code()),
                            &t("board.accept"),
                        )
                    } else if mine && detail.may(ActionKind::WithdrawProposal) {
                        button(
                            "button secondary",
                            "withdraw-proposal",
                            None,
                            &t("board.withdraw"),
                        )
                    } else {
                        String::new()
                    };
                    format!("{}{act}", terms(p))
                }
            };
            format!(
                "<div class=\"proposal{}\" data-party=\"{}\">{}{body}</div>",
                if mine { " mine" } else { "" },
                party.code(),
                tag("h3", "", &code("whose", who(party, viewer))),
            )
        })
        .collect();
    let counter = if detail.may(ActionKind::Propose) {
        counter_markup(detail.parts.case.max_refund)
    } else {
        String::new()
    };
    format!(
        "<section class=\"card board\" aria-labelledby=\"board-title\"><h2 id=\"board-title\">{}</h2>\
         <div class=\"proposals\">{columns}</div>{counter}</section>",
        esc(&t("board.title"))
    )
}

/// A new proposal of the viewer's: the kind, the amount for a partial refund, who pays return
/// shipping when the goods go back, and a note; hidden until asked for.
fn counter_markup(max: Money) -> String {
    let kinds: String = Resolution::ALL
        .into_iter()
        .map(|r| {
            format!(
                "<option value=\"{}\"{}>{}</option>",
                r.code(),
                if r == Resolution::PartialRefund {
                    " selected"
                } else {
                    ""
                },
                esc(&code("resolution", r.code()))
            )
        })
        .collect();
    let payers: String = [Party::Seller, Party::Buyer]
        .into_iter()
        .map(|p| {
            format!(
                "<option value=\"{}\">{}</option>",
                p.code(),
                esc(&code("who", p.code()))
            )
        })
        .collect();
    let label = |key: &str, field: &str| format!("<label for=\"{field}\">{}</label>", esc(&t(key)));
    format!(
        "{}<form id=\"counter\" class=\"counter\" novalidate hidden>\
         {}<select id=\"counter-kind\">{kinds}</select>\
         <span id=\"counter-amount-wrap\"><label for=\"counter-amount\">{}</label>\
         <input id=\"counter-amount\" inputmode=\"decimal\" autocomplete=\"off\"></span>\
         <span id=\"counter-payer-wrap\" hidden>{}<select id=\"counter-payer\">{payers}</select></span>\
         {}<textarea id=\"counter-note\" rows=\"2\"></textarea>\
         <p class=\"form-error\" id=\"counter-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button primary\">{}</button>{}</form>",
        button("button secondary", "counter-open", None, &t("board.counter")),
        label("board.kind", "counter-kind"),
        esc(&tf(
            "wizard.partial_amount",
            &[("currency", max.currency.code()), ("max", &text::money(max))]
        )),
        label("board.payer", "counter-payer"),
        label("board.note", "counter-note"),
        esc(&t("board.send")),
        button("button secondary", "counter-cancel", None, &t("board.cancel")),
    )
}

/// The kind chosen in the counter form: the amount field shows for a partial refund, the
/// shipping payer when the goods go back.
pub fn counter_kind_changed() {
    let kind = Resolution::from_code(&value_of("counter-kind"));
    crate::markup::show(
        "counter-amount-wrap",
        kind == Some(Resolution::PartialRefund),
    );
    crate::markup::show(
        "counter-payer-wrap",
        kind.is_some_and(Resolution::sends_goods_back),
    );
}

/// The counter form as an offer, or what is wrong with it in the viewer's words, checked by the
/// rules as the case will check it.
pub fn counter_offer(max: Money) -> Result<Offer, String> {
    let resolution = Resolution::from_code(&value_of("counter-kind"))
        .ok_or_else(|| error("no_resolution", ""))?;
    let partial_amount_minor = if resolution == Resolution::PartialRefund {
        let typed = Money::parse(&value_of("counter-amount"), max.currency)
            .map_err(|e| error(DraftError::Amount(e).code(), ""))?;
        Some(typed.minor)
    } else {
        None
    };
    let payer = Party::from_code(&value_of("counter-payer"));
    let offer = Offer {
        resolution,
        partial_amount_minor,
        return_shipping_paid_by: payer.filter(|_| resolution.sends_goods_back()),
        note: value_of("counter-note").trim().to_owned(),
        evidence: Vec::new(),
    };
    // The rules' own check, the one the case makes when the offer arrives.
    offer.terms(max).map_err(|e| error(e.code(), ""))?;
    Ok(offer)
}
