//! After the goods went back, or when a replacement, an exchange or a repair is due: the seller
//! confirms the return arrived in the agreed condition (the refund follows) or reports a problem
//! (the platform decides), or ships the replacement, the other variant or the repaired item with
//! its tracking number; the buyer confirms what came back is right, or that the repair did not
//! work. The platform may record a delivery or a refund on the cases it handles.

use leptos::prelude::*;
use rules::{Action, ActionKind};

use crate::components::case_actions::{while_allowed, ActButton, CaseControl};
use crate::components::reason_form::{ReasonForm, ReasonKind};
use crate::components::tracking_field::{Shipment, TrackingForm};
use crate::markup::Act;
use crate::text::t;

/// The steps the viewer may take now, or nothing.
#[component]
pub fn ReceiptStep(
    /// The case on screen.
    control: CaseControl,
) -> impl IntoView {
    let report = control.may(ActionKind::ReportProblem);
    let ship = control.may(ActionKind::ShipReplacement);
    let ship_repaired = control.may(ActionKind::ShipRepaired);
    let failed = control.may(ActionKind::RepairFailed);
    let any = control.may_any(&[
        ActionKind::ReturnDelivered,
        ActionKind::ConfirmReceipt,
        ActionKind::ReportProblem,
        ActionKind::ShipReplacement,
        ActionKind::ShipRepaired,
        ActionKind::ConfirmItem,
        ActionKind::RepairFailed,
        ActionKind::RefundIssued,
    ]);
    view! {
        <section class="card receipt" aria-labelledby="receipt-title" hidden=move || !any.get()>
            <h2 id="receipt-title">{t("receipt.title")}</h2>
            <ActButton
                control
                act=Act::ReturnDelivered
                action=Action::ReturnDelivered
                label="receipt.delivered"
                class="button secondary"
            />
            <ActButton
                control
                act=Act::ConfirmReceipt
                action=Action::ConfirmReceipt
                label="receipt.confirm"
                class="button primary"
            />
            {while_allowed(
                report,
                control,
                |control| view! { <ReasonForm control kind=ReasonKind::Report /> }.into_any(),
            )}
            {while_allowed(
                ship,
                control,
                |control| {
                    view! {
                        <TrackingForm control shipment=Shipment::Replacement send="receipt.ship" />
                    }
                        .into_any()
                },
            )}
            {while_allowed(
                ship_repaired,
                control,
                |control| {
                    view! {
                        <TrackingForm control shipment=Shipment::Repaired send="repair.ship" />
                    }
                        .into_any()
                },
            )}
            <ActButton
                control
                act=Act::ConfirmItem
                action=Action::ConfirmItem
                label="repair.confirm_item"
                class="button primary"
            />
            {while_allowed(
                failed,
                control,
                |control| view! { <ReasonForm control kind=ReasonKind::RepairFailed /> }.into_any(),
            )}
            <ActButton
                control
                act=Act::RefundIssued
                action=Action::RefundIssued
                label="receipt.refund_issued"
                class="button secondary"
            />
        </section>
    }
}
