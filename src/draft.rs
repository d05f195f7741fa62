//! The return form's state, kept as plain data so its logic is tested without a browser.

use chrono::{DateTime, Utc};
use rules::api::{NewReturn, DESCRIPTION_MAX_CHARS};
use rules::{
    eligibility, Decision, Eligibility, LineSelection, Money, MoneyError, Order, OrderPolicy,
    Reason, RefundError, Resolution, ReturnRequest, SelectionError,
};

/// The wizard's steps, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Items,
    Reason,
    Resolution,
    Details,
    Photos,
    Review,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Items,
        Step::Reason,
        Step::Resolution,
        Step::Details,
        Step::Photos,
        Step::Review,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Items => "items",
            Step::Reason => "reason",
            Step::Resolution => "resolution",
            Step::Details => "details",
            Step::Photos => "photos",
            Step::Review => "review",
        }
    }

    pub fn from_code(code: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Step {
        Step::ALL[(self.index() + 1).min(Step::ALL.len() - 1)]
    }

    pub fn back(self) -> Step {
        Step::ALL[self.index().saturating_sub(1)]
    }
}

/// What the buyer has entered so far; kept in the tab's storage, so a reload or a change of
/// language loses nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReturnDraft {
    /// Quantity chosen per line, in the order's line order; 0 means not selected.
    pub quantities: Vec<(String, u32)>,
    pub reason: Option<Reason>,
    pub resolution: Option<Resolution>,
    /// The partial refund as typed, in the order's currency.
    pub partial_amount: String,
    /// For an exchange: the variant wanted instead.
    pub exchange_for: String,
    pub description: String,
    pub step: Option<Step>,
    /// The same for every submit of this draft, so it files one case.
    pub key: String,
}

/// Why the draft cannot be submitted yet. Each has a code the UI translates.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DraftError {
    #[error("choose a reason")]
    NoReason,
    #[error(transparent)]
    Selection(#[from] SelectionError),
    #[error("choose a resolution")]
    NoResolution,
    #[error("the partial amount: {0}")]
    Amount(MoneyError),
    #[error(transparent)]
    Refund(#[from] RefundError),
    #[error("the description is too long")]
    DescriptionTooLong,
    #[error("add at least one photo")]
    PhotosRequired,
    #[error("choose the size or colour to exchange for")]
    VariantRequired,
}

impl DraftError {
    pub fn code(&self) -> &'static str {
        match self {
            DraftError::NoReason => "no_reason",
            DraftError::Selection(e) => e.code(),
            DraftError::NoResolution => "no_resolution",
            DraftError::Amount(MoneyError::TooManyDecimals { .. }) => "partial_amount_too_precise",
            DraftError::Amount(_) => "partial_amount_invalid",
            DraftError::Refund(e) => e.code(),
            DraftError::DescriptionTooLong => "description_too_long",
            DraftError::PhotosRequired => "photos_required",
            DraftError::VariantRequired => "variant_required",
        }
    }
}

impl ReturnDraft {
    /// A fresh draft; `line_id` (the line the buyer clicked) starts selected with all its items.
    pub fn new(order: &Order, line_id: Option<&str>) -> Self {
        let only_line = order.lines.len() == 1;
        ReturnDraft {
            quantities: order
                .lines
                .iter()
                .map(|l| {
                    let chosen = only_line || line_id == Some(l.id.as_str());
                    (l.id.clone(), if chosen { l.quantity } else { 0 })
                })
                .collect(),
            ..ReturnDraft::default()
        }
    }

    /// The draft as text for the tab's storage: a line per field, the description last (it may
    /// span lines). Written by hand: a serde format for it would cost the bundle more than this.
    pub fn to_storage(&self) -> String {
        let mut text = format!("retour-draft 1\nkey {}\n", self.key);
        let mut line = |name: &str, value: Option<&str>| {
            if let Some(value) = value {
                text.push_str(&format!("{name} {value}\n"));
            }
        };
        line("step", self.step.map(Step::code));
        line("reason", self.reason.map(Reason::code));
        line("resolution", self.resolution.map(Resolution::code));
        line("amount", Some(self.partial_amount.as_str()));
        line("variant", Some(self.exchange_for.as_str()));
        for (id, quantity) in &self.quantities {
            text.push_str(&format!("qty {quantity} {id}\n"));
        }
        text.push_str("description\n");
        text.push_str(&self.description);
        text
    }

    /// A draft written by [`ReturnDraft::to_storage`]; `None` for anything else.
    pub fn from_storage(text: &str) -> Option<ReturnDraft> {
        let (head, description) = text.split_once("\ndescription\n")?;
        let mut lines = head.lines();
        if lines.next()? != "retour-draft 1" {
            return None;
        }
        let mut draft = ReturnDraft {
            description: description.to_owned(),
            ..ReturnDraft::default()
        };
        for line in lines {
            let (name, value) = line.split_once(' ').unwrap_or((line, ""));
            match name {
                "key" => draft.key = value.to_owned(),
                "step" => draft.step = Step::from_code(value),
                "reason" => draft.reason = Reason::from_code(value),
                "resolution" => draft.resolution = Resolution::from_code(value),
                "amount" => draft.partial_amount = value.to_owned(),
                "variant" => draft.exchange_for = value.to_owned(),
                "qty" => {
                    let (quantity, id) = value.split_once(' ')?;
                    draft
                        .quantities
                        .push((id.to_owned(), quantity.parse().ok()?));
                }
                _ => return None,
            }
        }
        (!draft.key.is_empty()).then_some(draft)
    }

    pub fn quantity(&self, line_id: &str) -> u32 {
        self.quantities
            .iter()
            .find(|(id, _)| id == line_id)
            .map_or(0, |(_, q)| *q)
    }

    pub fn set_quantity(&mut self, line_id: &str, quantity: u32) {
        if let Some(entry) = self.quantities.iter_mut().find(|(id, _)| id == line_id) {
            entry.1 = quantity;
        }
    }

    /// The variants the selected line may be exchanged for, as the rules say.
    pub fn exchange_options(&self, order: &Order) -> Vec<String> {
        rules::exchange_options(order, &self.selection())
    }

    pub fn selection(&self) -> Vec<LineSelection> {
        self.quantities
            .iter()
            .filter(|(_, q)| *q > 0)
            .map(|(id, q)| LineSelection {
                line_id: id.clone(),
                quantity: *q,
            })
            .collect()
    }

    /// The rules' verdict on the draft as it stands; `None` until a reason is chosen.
    /// Judged as the server judges it: with the policy of the chosen lines' categories and the
    /// rate card's quote for sending them back.
    pub fn verdict(
        &self,
        order: &Order,
        now: DateTime<Utc>,
        rules: &OrderPolicy,
    ) -> Option<Result<Eligibility, SelectionError>> {
        self.reason.map(|reason| {
            let selection = self.selection();
            let (policy, quote) = rules.for_request(order, &selection);
            let request = ReturnRequest {
                return_shipping_cost: quote,
                ..ReturnRequest::new(selection, reason)
            };
            eligibility(order, &request, now, &policy)
        })
    }

    /// The resolution to submit: the chosen one if still allowed, else the only one offered.
    pub fn effective_resolution(&self, verdict: &Eligibility) -> Option<Resolution> {
        match self.resolution {
            Some(r) if verdict.resolutions.contains(&r) => Some(r),
            _ if verdict.resolutions.len() == 1 => Some(verdict.resolutions[0]),
            _ => None,
        }
    }

    /// What keeps the buyer on `step`, if anything: each step checks what it asks for, and the
    /// photos step whether the rules need photos (`photos` is how many are chosen).
    pub fn step_error(
        &self,
        step: Step,
        order: &Order,
        now: DateTime<Utc>,
        rules: &OrderPolicy,
        photos: usize,
    ) -> Option<DraftError> {
        let request = self.to_request(order, now, rules);
        match step {
            Step::Items if self.selection().is_empty() => Some(SelectionError::NoLines.into()),
            Step::Items => None,
            Step::Reason => match request {
                Err(
                    e @ (DraftError::NoReason
                    | DraftError::Selection(_)
                    | DraftError::Refund(RefundError::NotEligible)),
                ) => Some(e),
                _ => None,
            },
            Step::Resolution => match request {
                Err(DraftError::DescriptionTooLong) | Ok(_) => None,
                Err(e) => Some(e),
            },
            Step::Details => request.err(),
            Step::Photos | Step::Review => request.err().or_else(|| {
                let needed = self
                    .verdict(order, now, rules)
                    .and_then(Result::ok)
                    .is_some_and(|v| v.photos_required);
                (needed && photos == 0).then_some(DraftError::PhotosRequired)
            }),
        }
    }

    /// The request to send, or the first thing the buyer still has to fix.
    pub fn to_request(
        &self,
        order: &Order,
        now: DateTime<Utc>,
        rules: &OrderPolicy,
    ) -> Result<NewReturn, DraftError> {
        let verdict = self
            .verdict(order, now, rules)
            .ok_or(DraftError::NoReason)??;
        if verdict.decision != Decision::Eligible {
            return Err(RefundError::NotEligible.into());
        }
        let resolution = self
            .effective_resolution(&verdict)
            .ok_or(DraftError::NoResolution)?;
        let partial_amount_minor = if resolution == Resolution::PartialRefund {
            Some(
                Money::parse(&self.partial_amount, order.currency)
                    .map_err(DraftError::Amount)?
                    .minor,
            )
        } else {
            None
        };
        // The same check the server makes: never above what was paid.
        verdict.refund_for(resolution, partial_amount_minor)?;
        let exchange_for = (resolution == Resolution::Exchange)
            .then(|| self.exchange_for.clone())
            .filter(|v| self.exchange_options(order).contains(v));
        if resolution == Resolution::Exchange && exchange_for.is_none() {
            return Err(DraftError::VariantRequired);
        }
        if self.description.trim().chars().count() > DESCRIPTION_MAX_CHARS {
            return Err(DraftError::DescriptionTooLong);
        }
        Ok(NewReturn {
            order_id: order.id.clone(),
            lines: self.selection(),
            reason: self.reason.ok_or(DraftError::NoReason)?,
            resolution,
            partial_amount_minor,
            exchange_for,
            description: self.description.trim().to_owned(),
            // The photos are cited once the server has them, just before filing.
            evidence: vec![],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use rules::{Category, Currency, Fulfillment, OrderLine, Product};

    fn delivered_order(delivered_at: DateTime<Utc>) -> Order {
        let line = |id: &str, quantity| OrderLine {
            id: id.into(),
            product: Product {
                title: id.into(),
                category: Category::General,
                no_returns: false,
            },
            quantity,
            unit_price: Money::new(1000, Currency::EUR),
            weight_grams: None,
            variant: None,
            variants: vec![],
        };
        Order {
            id: "o".into(),
            placed_at: delivered_at - TimeDelta::days(5),
            utc_offset_minutes: 0,
            currency: Currency::EUR,
            lines: vec![line("a", 1), line("b", 3)],
            shipping: Money::new(300, Currency::EUR),
            fulfillment: Fulfillment::Delivered {
                shipped_at: delivered_at - TimeDelta::days(2),
                delivered_at,
            },
            ships_from: None,
            ships_to: None,
        }
    }

    #[test]
    fn each_step_holds_the_buyer_only_for_what_it_asks() {
        let order = delivered_order(now() - TimeDelta::days(1));
        let policy = OrderPolicy::default();
        let mut draft = ReturnDraft::new(&order, None);
        let error = |d: &ReturnDraft, step| {
            d.step_error(step, &order, now(), &policy, 0)
                .map(|e| e.code())
        };
        assert_eq!(error(&draft, Step::Items), Some("no_lines_selected"));
        draft.set_quantity("a", 1);
        assert_eq!(error(&draft, Step::Items), None);
        assert_eq!(error(&draft, Step::Reason), Some("no_reason"));
        draft.reason = Some(Reason::Defective);
        assert_eq!(error(&draft, Step::Reason), None);
        assert_eq!(error(&draft, Step::Resolution), Some("no_resolution"));
        draft.resolution = Some(Resolution::ReturnAndRefund);
        draft.description = "x".repeat(DESCRIPTION_MAX_CHARS + 1);
        assert_eq!(error(&draft, Step::Resolution), None);
        assert_eq!(error(&draft, Step::Details), Some("description_too_long"));
        draft.description = "Broken hinge".into();
        assert_eq!(error(&draft, Step::Details), None);
        // A defect needs a photo; one chosen lets the buyer through.
        assert_eq!(error(&draft, Step::Photos), Some("photos_required"));
        assert_eq!(
            draft.step_error(Step::Review, &order, now(), &policy, 1),
            None
        );
        assert_eq!(Step::Items.back(), Step::Items);
        assert_eq!(Step::Photos.next(), Step::Review);
        assert_eq!(Step::Review.next(), Step::Review);
    }

    #[test]
    fn an_exchange_asks_for_one_of_the_other_sizes_of_the_line() {
        let mut order = delivered_order(now() - TimeDelta::days(1));
        order.lines[0].variant = Some("M".into());
        order.lines[0].variants = vec!["S".into(), "M".into(), "L".into()];
        let policy = OrderPolicy::default();
        let mut draft = ReturnDraft::new(&order, Some("a"));
        draft.reason = Some(Reason::NoLongerWanted);
        assert_eq!(draft.exchange_options(&order), ["S", "L"]);
        draft.resolution = Some(Resolution::Exchange);
        let error = |d: &ReturnDraft| {
            d.step_error(Step::Resolution, &order, now(), &policy, 0)
                .map(|e| e.code())
        };
        assert_eq!(error(&draft), Some("variant_required"));
        draft.exchange_for = "M".into();
        assert_eq!(error(&draft), Some("variant_required"), "the size bought");
        draft.exchange_for = "L".into();
        assert_eq!(error(&draft), None);
        let request = draft.to_request(&order, now(), &policy).unwrap();
        assert_eq!(request.exchange_for.as_deref(), Some("L"));
        // Another resolution sends no size, whatever was picked before.
        draft.resolution = Some(Resolution::ReturnAndRefund);
        let request = draft.to_request(&order, now(), &policy).unwrap();
        assert_eq!(request.exchange_for, None);
        // Two lines: nothing to exchange for.
        draft.set_quantity("b", 1);
        assert!(draft.exchange_options(&order).is_empty());
        // The size picked survives the tab's storage.
        draft.key = "k2".into();
        assert_eq!(
            ReturnDraft::from_storage(&draft.to_storage()),
            Some(draft.clone())
        );
    }

    #[test]
    fn a_draft_survives_the_tabs_storage() {
        let order = delivered_order(now());
        let mut draft = ReturnDraft {
            key: "k1-x".into(),
            ..ReturnDraft::new(&order, Some("b"))
        };
        assert_eq!(
            ReturnDraft::from_storage(&draft.to_storage()),
            Some(draft.clone())
        );
        draft.reason = Some(Reason::Defective);
        draft.resolution = Some(Resolution::PartialRefund);
        draft.partial_amount = "7,50".into();
        draft.description = "Cracked lid.\ndescription\nqty 9 a".into();
        draft.step = Some(Step::Photos);
        assert_eq!(ReturnDraft::from_storage(&draft.to_storage()), Some(draft));
        assert_eq!(ReturnDraft::from_storage("{\"key\": 1}"), None);
        assert_eq!(
            ReturnDraft::from_storage("retour-draft 1\nqty x a\ndescription\n"),
            None
        );
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap()
    }

    #[test]
    fn the_clicked_line_starts_selected_with_all_its_items() {
        let order = delivered_order(now());
        let draft = ReturnDraft::new(&order, Some("b"));
        assert_eq!(draft.quantity("a"), 0);
        assert_eq!(draft.quantity("b"), 3);
        assert_eq!(draft.selection().len(), 1);
    }

    #[test]
    fn verdict_waits_for_a_reason_then_follows_it() {
        let order = delivered_order(now() - TimeDelta::days(10));
        let mut draft = ReturnDraft::new(&order, Some("a"));
        assert!(draft
            .verdict(&order, now(), &OrderPolicy::default())
            .is_none());
        draft.reason = Some(Reason::NoLongerWanted);
        let late = draft
            .verdict(&order, now(), &OrderPolicy::default())
            .unwrap()
            .unwrap();
        assert_eq!(late.decision, Decision::Refused);
        draft.reason = Some(Reason::Defective);
        let covered = draft
            .verdict(&order, now(), &OrderPolicy::default())
            .unwrap()
            .unwrap();
        assert_eq!(covered.decision, Decision::Eligible);
    }

    #[test]
    fn request_is_built_only_when_everything_fits() {
        let order = delivered_order(now() - TimeDelta::days(1));
        let policy = OrderPolicy::default();
        let mut draft = ReturnDraft::new(&order, None);
        assert_eq!(
            draft.to_request(&order, now(), &policy),
            Err(DraftError::NoReason)
        );
        draft.reason = Some(Reason::Defective);
        assert_eq!(
            draft.to_request(&order, now(), &policy).unwrap_err().code(),
            "no_lines_selected"
        );
        draft.set_quantity("b", 2);
        assert_eq!(
            draft.to_request(&order, now(), &policy),
            Err(DraftError::NoResolution)
        );
        draft.resolution = Some(Resolution::PartialRefund);
        draft.partial_amount = "abc".into();
        assert_eq!(
            draft.to_request(&order, now(), &policy),
            Err(DraftError::Amount(MoneyError::NotAnAmount))
        );
        draft.partial_amount = "7.505".into();
        assert_eq!(
            draft.to_request(&order, now(), &policy).unwrap_err().code(),
            "partial_amount_too_precise"
        );
        draft.partial_amount = "1000".into();
        assert_eq!(
            draft.to_request(&order, now(), &policy).unwrap_err().code(),
            "partial_amount_out_of_range"
        );
        draft.partial_amount = "7,50".into();
        draft.description = "  Cracked lid  ".into();
        let request = draft.to_request(&order, now(), &policy).unwrap();
        assert_eq!(request.partial_amount_minor, Some(750));
        assert_eq!(request.description, "Cracked lid");
        assert_eq!(
            request.lines,
            vec![LineSelection {
                line_id: "b".into(),
                quantity: 2
            }]
        );
    }

    #[test]
    fn a_single_offered_resolution_is_chosen_for_the_buyer() {
        let order = delivered_order(now() - TimeDelta::days(1));
        let mut draft = ReturnDraft::new(&order, Some("a"));
        draft.reason = Some(Reason::NoLongerWanted);
        let request = draft
            .to_request(&order, now(), &OrderPolicy::default())
            .unwrap();
        assert_eq!(request.resolution, Resolution::ReturnAndRefund);
    }
}
