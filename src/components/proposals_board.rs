//! The proposals board: the standing proposals side by side, the buyer's, the seller's and, once
//! the platform is involved, the platform's, each with what it offers; under them what the viewer
//! may do: accept another side's, withdraw their own, or counter with a new one.
//!
//! Drawn as markup; the case page's handlers act on its buttons and its form.

use rules::{ActionKind, CaseState, Money, Offer, Party, Proposal, Resolution};

use crate::components::reason_form::photos_field;
use crate::components::status_header::consequence;
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
    // Once agreed (or before anyone proposes what the viewer could answer) an empty board is
    // only in the way of the step at hand.
    let standing = [Party::Buyer, Party::Seller, Party::Platform]
        .into_iter()
        .any(|p| proposals.of(p).is_some());
    if !standing && !detail.may(ActionKind::Propose) {
        return String::new();
    }
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
            let body = match (proposals.of(party), &detail.parts.case.rejection) {
                // A seller who rejected stands by the rejection: the mediator weighs it.
                (None, Some(reason)) if party == Party::Seller => {
                    tag("p", "", &tf("case.rejected_because", &[("reason", reason)]))
                }
                (None, _) => tag("p", "muted", &t("board.none")),
                (Some(p), _) => {
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
            // The side's photos beside its proposal: the mediator weighs them together.
            let photos: String = detail
                .parts
                .evidence
                .iter()
                .enumerate()
                .filter(|(_, e)| e.party == party)
                .map(|(i, e)| {
                    format!(
                        "<button type=\"button\" class=\"thumb-ref\" data-act=\"photo\" data-index=\"{i}\">\
                         <img src=\"{}\" alt=\"{}\"></button>",
                        esc(&e.url),
                        esc(&tf("gallery.photo", &[("n", &(i + 1).to_string()), ("name", &e.file_name)]))
                    )
                })
                .collect();
            let photos = if photos.is_empty() {
                photos
            } else {
                format!("<div class=\"evidence-refs\">{photos}</div>")
            };
            format!(
                "<div class=\"proposal{}\" data-party=\"{}\">{}{body}{photos}</div>",
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
    // What the clock will do, under the proposals it would carry out.
    let clock = detail
        .parts
        .next_deadline
        .as_ref()
        .map(|d| {
            tag(
                "p",
                "board-clock",
                &tf(
                    "board.clock",
                    &[
                        ("date", &text::date_time(d.at)),
                        ("what", &consequence(&d.then, viewer)),
                    ],
                ),
            )
        })
        .unwrap_or_default();
    format!(
        "<section class=\"card board\" aria-labelledby=\"board-title\"><h2 id=\"board-title\">{}</h2>\
         <div class=\"proposals\">{columns}</div>{clock}{counter}</section>",
        esc(&t("board.title"))
    )
}

/// The fields of a plan, their ids starting with `prefix`: the kind, labelled by the key
/// `kind_label` (and `extra`, an option beyond the resolutions, such as the mediator's "no
/// refund"), the amount for a partial refund, and who pays return shipping when the goods go back.
pub fn offer_fields(
    prefix: &str,
    kind_label: &str,
    max: Money,
    extra: Option<(&str, String)>,
) -> String {
    let kinds: String = Resolution::ALL
        .into_iter()
        .map(|r| (r.code(), code("resolution", r.code())))
        .chain(extra)
        .map(|(value, label)| {
            format!(
                "<option value=\"{value}\"{}>{}</option>",
                if value == Resolution::PartialRefund.code() {
                    " selected"
                } else {
                    ""
                },
                esc(&label)
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
    format!(
        "<label for=\"{prefix}-kind\">{}</label><select id=\"{prefix}-kind\" data-kind-of=\"{prefix}\">{kinds}</select>\
         <span id=\"{prefix}-amount-wrap\"><label for=\"{prefix}-amount\">{}</label>\
         <input id=\"{prefix}-amount\" inputmode=\"decimal\" autocomplete=\"off\"></span>\
         <span id=\"{prefix}-payer-wrap\" hidden><label for=\"{prefix}-payer\">{}</label>\
         <select id=\"{prefix}-payer\">{payers}</select></span>",
        esc(&t(kind_label)),
        esc(&tf(
            // Neutral words: the buyer, the seller and the mediator all use these fields.
            "board.amount",
            &[("currency", max.currency.code()), ("max", &text::money(max))]
        )),
        esc(&t("board.payer")),
    )
}

/// A new proposal of the viewer's: a plan and a note; hidden until asked for.
fn counter_markup(max: Money) -> String {
    format!(
        "{}<form id=\"counter\" class=\"counter\" novalidate hidden>{}\
         <label for=\"counter-note\">{}</label><textarea id=\"counter-note\" rows=\"2\"></textarea>{}\
         <p class=\"form-error\" id=\"counter-error\" role=\"alert\"></p>\
         <button type=\"submit\" class=\"button primary\">{}</button>{}</form>",
        button(
            "button secondary",
            "counter-open",
            None,
            &t("board.counter")
        ),
        offer_fields("counter", "board.kind", max, None),
        esc(&t("board.note")),
        photos_field("counter"),
        esc(&t("board.send")),
        button(
            "button secondary",
            "counter-cancel",
            None,
            &t("board.cancel")
        ),
    )
}

/// The kind chosen in the plan fields of `prefix`: the amount field shows for a partial refund,
/// the shipping payer when the goods go back.
pub fn kind_changed(prefix: &str) {
    let kind = Resolution::from_code(&value_of(&format!("{prefix}-kind")));
    crate::markup::show(
        &format!("{prefix}-amount-wrap"),
        kind == Some(Resolution::PartialRefund),
    );
    crate::markup::show(
        &format!("{prefix}-payer-wrap"),
        kind.is_some_and(Resolution::sends_goods_back),
    );
}

/// The plan in the fields of `prefix` with `note`, or what is wrong with it in the viewer's
/// words, checked by the rules as the case will check it.
pub fn offer_in(prefix: &str, max: Money, note: String) -> Result<Offer, String> {
    let resolution = Resolution::from_code(&value_of(&format!("{prefix}-kind")))
        .ok_or_else(|| error("no_resolution", ""))?;
    let partial_amount_minor = if resolution == Resolution::PartialRefund {
        let typed = Money::parse(&value_of(&format!("{prefix}-amount")), max.currency)
            .map_err(|e| error(DraftError::Amount(e).code(), ""))?;
        Some(typed.minor)
    } else {
        None
    };
    let payer = Party::from_code(&value_of(&format!("{prefix}-payer")));
    let offer = Offer {
        resolution,
        partial_amount_minor,
        return_shipping_paid_by: payer.filter(|_| resolution.sends_goods_back()),
        note,
        evidence: Vec::new(),
    };
    // The rules' own check, the one the case makes when the offer arrives.
    offer.terms(max).map_err(|e| error(e.code(), ""))?;
    Ok(offer)
}

/// The counter form as an offer, or what is wrong with it.
pub fn counter_offer(max: Money) -> Result<Offer, String> {
    offer_in("counter", max, value_of("counter-note").trim().to_owned())
}
