//! What the app says for each stable code (reasons, resolutions, states, explanations, errors),
//! and how it writes dates. English for now; the codes are what other languages will key on.

use chrono::{DateTime, Utc};
use rules::calendar::civil_from_days;
use rules::{CaseState, Category, Explanation, Fulfillment, Party, Reason, Resolution};

use crate::clock::Zone;

pub fn reason(r: Reason) -> &'static str {
    match r {
        Reason::WrongItemOrdered => "I bought the wrong item",
        Reason::WrongAddress => "I entered the wrong address",
        Reason::NoLongerWanted => "I no longer want it",
        Reason::BetterPriceFound => "I found a better price",
        Reason::OrderedByMistake => "I ordered it by mistake",
        Reason::NotReceived => "It never arrived",
        Reason::ArrivedLate => "It arrived too late",
        Reason::DamagedInTransit => "It arrived damaged",
        Reason::Defective => "It is defective or of poor quality",
        Reason::NotAsDescribed => "It is not as described",
        Reason::WrongItemSent => "I received the wrong item",
        Reason::MissingParts => "Parts or items are missing",
        Reason::Counterfeit => "It is counterfeit",
    }
}

pub fn resolution(r: Resolution) -> &'static str {
    match r {
        Resolution::RefundOnly => "Refund only (keep or never had the goods)",
        Resolution::ReturnAndRefund => "Return the goods for a refund",
        Resolution::Replacement => "Replacement",
        Resolution::PartialRefund => "Partial refund, keep the goods",
    }
}

pub fn case_state(s: CaseState) -> &'static str {
    match s {
        CaseState::AwaitingSeller => "Waiting for the seller",
        CaseState::Negotiating => "Negotiating",
        CaseState::Escalated => "With the platform's mediator",
        CaseState::AwaitingReturnAddress => "Waiting for the return address",
        CaseState::AwaitingReturnShipment => "Waiting for the return to be shipped",
        CaseState::ReturnInTransit => "Return on its way",
        CaseState::ReturnDelivered => "Return delivered to the seller",
        CaseState::RefundDue => "Refund being issued",
        CaseState::ReplacementDue => "Waiting for the replacement",
        CaseState::Resolved => "Resolved",
        CaseState::Closed => "Closed",
    }
}

/// What happens next, in one sentence, for the case's party-neutral header.
pub fn case_next_step(s: CaseState) -> &'static str {
    match s {
        CaseState::AwaitingSeller => {
            "The seller has been asked to answer; you will see their answer here."
        }
        CaseState::Negotiating => "An offer is waiting for an answer.",
        CaseState::Escalated => "The platform's mediator is looking at the case and will decide.",
        CaseState::AwaitingReturnAddress => "The seller will give the address to send it back to.",
        CaseState::AwaitingReturnShipment => {
            "Send the goods back and enter the tracking number here."
        }
        CaseState::ReturnInTransit => "The return is on its way to the seller.",
        CaseState::ReturnDelivered => "The seller is checking the returned goods.",
        CaseState::RefundDue => "The refund is going back to your original payment method.",
        CaseState::ReplacementDue => "The seller will ship the replacement.",
        CaseState::Resolved | CaseState::Closed => "This case is settled.",
    }
}

pub fn category(c: Category) -> &'static str {
    match c {
        Category::General => "General goods",
        Category::Electronics => "Electronics",
        Category::Fashion => "Clothing and accessories",
        Category::Home => "Home and garden",
        Category::FreshFood => "Fresh or perishable food",
        Category::Personalised => "Personalised or custom-made goods",
        Category::Digital => "Digital goods",
        Category::OpenedHygiene => "Opened hygiene products",
    }
}

pub fn party(p: Party) -> &'static str {
    match p {
        Party::Buyer => "you",
        Party::Seller => "the seller",
        Party::Platform => "the platform",
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date and time in the viewer's time zone, e.g. "12 Mar 2026, 23:59". Computed from the
/// timestamp: chrono's calendar and strftime code costs the app bytes it does not need.
pub fn date_time(at: DateTime<Utc>, zone: Zone) -> String {
    let local = at.timestamp() + zone.offset_seconds_at(at);
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let seconds = local.rem_euclid(86_400);
    format!(
        "{day} {} {year}, {:02}:{:02}",
        MONTHS[(month - 1) as usize],
        seconds / 3600,
        seconds % 3600 / 60
    )
}

pub fn fulfillment(f: &Fulfillment, zone: Zone) -> String {
    match f {
        Fulfillment::NotShipped => "Not shipped yet".into(),
        Fulfillment::GroupBuyWaiting { since } => {
            format!(
                "Group buy waiting for its group since {}",
                date_time(*since, zone)
            )
        }
        Fulfillment::Shipped { shipped_at, .. } => {
            format!("Shipped on {}, on its way", date_time(*shipped_at, zone))
        }
        Fulfillment::Delivered { delivered_at, .. } => {
            format!("Delivered on {}", date_time(*delivered_at, zone))
        }
    }
}

/// The verdict's explanation as a sentence: why, until when, and what to do instead.
pub fn explanation(e: &Explanation, zone: Zone) -> String {
    let when = |at: &DateTime<Utc>| date_time(*at, zone);
    match e {
        Explanation::CancelBeforeShipment => {
            "It has not shipped yet: cancel now and the refund is approved at once.".into()
        }
        Explanation::GroupBuyWaiting { opens_at } => format!(
            "This group-buy order is still waiting for its group. If it is not matched, you can ask for a refund from {}.",
            when(opens_at)
        ),
        Explanation::GroupBuyUnmatched { .. } => {
            "The group was not matched in time: you can get a refund at once.".into()
        }
        Explanation::InTransit { not_received_opens_at } => format!(
            "The order is on its way. Wait for it to arrive, or report it as not received from {}.",
            when(not_received_opens_at)
        ),
        Explanation::NotReceivedOpensAt { opens_at } => format!(
            "You can report it as not received from {}.",
            when(opens_at)
        ),
        Explanation::NotReceivedOpen { .. } => {
            "It should have arrived by now: you can ask for a refund.".into()
        }
        Explanation::ChangeOfMindWindow { closes_at } => format!(
            "You can return it for any reason until {}.",
            when(closes_at)
        ),
        Explanation::ChangeOfMindClosed { closed_at } => format!(
            "The window for returns without a reason closed on {}.",
            when(closed_at)
        ),
        Explanation::ProtectionWindow { closes_at } => format!(
            "Covered by buyer protection until {}.",
            when(closes_at)
        ),
        Explanation::ProtectionClosed { closed_at } => format!(
            "Buyer protection for this order ended on {}.",
            when(closed_at)
        ),
        Explanation::NonReturnable { category: c } => format!(
            "{} cannot be returned for a change of mind.",
            category(*c)
        ),
        Explanation::ListingNoReturns => {
            "The listing said \"no returns\", so a change of mind is not accepted.".into()
        }
        Explanation::SellerFaultStillOpen { closes_at } => format!(
            "If something is wrong with the item, you can still report it until {}.",
            when(closes_at)
        ),
        Explanation::ReturnCostsMoreThanGoods { return_cost, goods } => format!(
            "Sending it back would cost {return_cost}, more than it is worth ({goods}): keep it and get a refund."
        ),
        Explanation::ResolutionNotOffered { wanted } => format!(
            "\"{}\" is not possible for this request; choose one of those offered.",
            resolution(*wanted)
        ),
    }
}

/// An error code from the API or the form, as a sentence; `fallback` is the server's own message.
pub fn error(code: &str, fallback: &str) -> String {
    match code {
        "network" => {
            "We could not reach Retour. Check your connection and try again; nothing was lost."
                .into()
        }
        "not_found" => {
            "We could not find this. It may have been removed, or the link is wrong.".into()
        }
        "no_reason" => "Choose a reason first.".into(),
        "not_eligible" => {
            "This request is not possible: the panel above says why, and what you can do instead."
                .into()
        }
        "no_resolution" => {
            "Choose what you would like: a refund, a return or a replacement.".into()
        }
        "partial_amount_invalid" => "Enter the amount as a number, for example 12.50.".into(),
        "partial_amount_too_precise" => {
            "That amount has more decimal places than the currency has.".into()
        }
        "unknown_line" | "duplicate_line" => {
            "The items chosen do not match this order. Reload the page and choose again.".into()
        }
        "amount_out_of_range" => "That amount is too large.".into(),
        "return_shipping_cost_invalid" => {
            "The return shipping cost must be an amount in the order's currency.".into()
        }
        "partial_amount_unexpected" => "An amount is only needed for a partial refund.".into(),
        "unavailable" => {
            "Retour is not available right now. Try again in a moment; nothing was lost.".into()
        }
        "decode" | "http_error" => {
            "Retour answered in a way this page does not understand. Reload the page and try again."
                .into()
        }
        "no_lines_selected" => "Choose at least one item to return.".into(),
        "quantity_out_of_range" => "Choose a quantity between 1 and the number you ordered.".into(),
        "resolution_not_allowed" => {
            "Choose one of the resolutions offered for this request.".into()
        }
        "partial_amount_missing" => "Enter the amount you want back.".into(),
        "partial_amount_out_of_range" => {
            "The partial refund must be more than zero and no more than the maximum shown.".into()
        }
        "description_too_long" => "The description is too long.".into(),
        "unauthenticated" | "session_expired" => "Sign in to continue.".into(),
        "case_exists" => "These items already have a return case.".into(),
        "internal" => {
            "Something went wrong on our side; nothing was changed. Please try again.".into()
        }
        _ if fallback.is_empty() => format!("Something went wrong ({code})."),
        _ => fallback.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, TimeZone};

    #[test]
    fn every_reason_has_its_own_label() {
        let labels: std::collections::HashSet<_> = Reason::ALL.into_iter().map(reason).collect();
        assert_eq!(labels.len(), Reason::ALL.len());
    }

    #[test]
    fn dates_are_shown_in_the_viewers_zone() {
        let at = Utc.with_ymd_and_hms(2026, 3, 12, 23, 30, 0).unwrap();
        let madrid = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
        assert_eq!(date_time(at, madrid), "13 Mar 2026, 00:30");
        let text = explanation(&Explanation::ChangeOfMindWindow { closes_at: at }, madrid);
        assert!(text.contains("13 Mar 2026, 00:30"), "{text}");
    }

    #[test]
    fn hand_written_dates_agree_with_chrono() {
        let zones = [-11 * 3600, -5 * 3600 - 1800, 0, 3600, 8 * 3600, 14 * 3600];
        // Every 2 days 7 h 13 min from 1901 to 2100: leap years, centuries, month and year ends.
        let mut t = Utc.with_ymd_and_hms(1901, 1, 1, 0, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2100, 12, 31, 23, 59, 0).unwrap();
        while t < end {
            for offset in zones {
                let offset = FixedOffset::east_opt(offset).unwrap();
                let expected = t
                    .with_timezone(&offset)
                    .format("%-d %b %Y, %H:%M")
                    .to_string();
                assert_eq!(
                    date_time(t, Zone::Fixed(offset)),
                    expected,
                    "{t} at {offset}"
                );
            }
            t += chrono::TimeDelta::minutes(2 * 24 * 60 + 7 * 60 + 13);
        }
    }

    #[test]
    fn every_error_the_app_can_make_has_its_own_sentence() {
        use crate::draft::DraftError;
        use rules::{Money, MoneyError, RefundError, SelectionError};
        let max = Money::new(100, rules::Currency::EUR);
        let errors = [
            DraftError::NoReason,
            DraftError::NoResolution,
            DraftError::Amount(MoneyError::NotAnAmount),
            DraftError::Amount(MoneyError::TooManyDecimals {
                currency: rules::Currency::JPY,
                minor_units: 0,
            }),
            DraftError::DescriptionTooLong,
            DraftError::Selection(SelectionError::NoLines),
            DraftError::Selection(SelectionError::UnknownLine("x".into())),
            DraftError::Selection(SelectionError::DuplicateLine("x".into())),
            DraftError::Selection(SelectionError::Quantity {
                line_id: "x".into(),
                ordered: 2,
            }),
            DraftError::Selection(SelectionError::Money(MoneyError::Overflow)),
            DraftError::Selection(SelectionError::ReturnShippingCost),
            DraftError::Refund(RefundError::ResolutionNotAllowed),
            DraftError::Refund(RefundError::NotEligible),
            DraftError::Refund(RefundError::PartialAmountMissing),
            DraftError::Refund(RefundError::PartialAmountOutOfRange { max }),
            DraftError::Refund(RefundError::PartialAmountUnexpected),
        ];
        for e in errors {
            let sentence = error(e.code(), "");
            assert!(
                !sentence.starts_with("Something went wrong"),
                "{}: {sentence}",
                e.code()
            );
        }
        for code in [
            "network",
            "unavailable",
            "decode",
            "http_error",
            "not_found",
            "internal",
            "unauthenticated",
            "session_expired",
            "case_exists",
        ] {
            assert!(
                !error(code, "").starts_with("Something went wrong ("),
                "{code}"
            );
        }
    }

    #[test]
    fn unknown_error_codes_fall_back_to_the_servers_message() {
        assert_eq!(error("teapot", "I am a teapot"), "I am a teapot");
        assert!(error("network", "").contains("connection"));
    }
}
