use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;

use crate::api::Load;
use crate::components::bar_chart::bar_chart;
use crate::components::Loaded;
use crate::markup::{el, esc, facts, Markup};
use crate::route::encode;
use crate::text::{self, code, percent, t, tf};
use rules::api::{CodeCount, SellerStats};

/// The periods a seller can look back over, in days.
const PERIODS: [i64; 4] = [7, 30, 90, 365];

/// The statistics' address for the `days` before `now`.
pub fn stats_path(now: DateTime<Utc>, days: i64) -> String {
    let from = now - TimeDelta::days(days);
    let stamp = |at: DateTime<Utc>| encode(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    format!("/api/seller/stats?from={}&to={}", stamp(from), stamp(now))
}

/// The charts and figures of `stats`, every count readable as a table too.
pub fn stats_markup(stats: &SellerStats) -> Markup {
    let named = |family: &str, rows: &[CodeCount]| -> Vec<(String, u64)> {
        rows.iter()
            .map(|c| (code(family, &c.code), c.count))
            .collect()
    };
    let median = stats
        .median_seconds_to_resolution
        .map_or_else(|| t("analytics.none"), text::duration);
    let figures = facts(vec![
        (
            t("analytics.return_rate"),
            esc(&percent(stats.return_rate_basis_points)),
        ),
        (t("analytics.cases"), esc(&stats.cases.to_string())),
        (t("analytics.orders"), esc(&stats.orders.to_string())),
        (t("analytics.median"), esc(&median)),
    ]);
    let cases = t("analytics.unit");
    let none = t("analytics.none");
    let charts = [
        bar_chart(
            "chart-reasons",
            &t("analytics.reasons"),
            &cases,
            &named("reason", &stats.reasons),
            &none,
        ),
        bar_chart(
            "chart-outcomes",
            &t("analytics.outcomes"),
            &cases,
            &named("outcome", &stats.outcomes),
            &none,
        ),
        bar_chart(
            "chart-automatic",
            &t("analytics.automatic"),
            &t("analytics.times"),
            &named("automatic", &stats.automatic_actions),
            &none,
        ),
    ];
    el("section", "card figures", figures).join(el("div", "charts", charts.into_iter().collect()))
}

/// The seller's analytics: return rate, reasons, how cases ended, time to resolution and the
/// clock's actions against the seller, over a period they choose.
#[component]
pub fn AnalyticsPage() -> impl IntoView {
    let (days, set_days) = signal(30i64);
    let now = crate::clock::now();
    let load = Load::<SellerStats>::new(Signal::derive(move || stats_path(now, days.get())));
    let options: Markup = PERIODS
        .iter()
        .map(|&d| {
            Markup::fill(
                "<option value=\"{}\"{}>{}</option>",
                &[
                    &Markup::number(d as u64),
                    &Markup::tags(if d == 30 { " selected" } else { "" }),
                    &esc(&tf("analytics.last_days", &[("n", &d.to_string())])),
                ],
            )
        })
        .collect();
    let render = |stats: SellerStats| {
        view! { <div inner_html=stats_markup(&stats).into_html()></div> }.into_any()
    };
    view! {
        <h1>{t("analytics.title")}</h1>
        <label for="period">{t("analytics.period")}</label>
        <select
            id="period"
            inner_html=options.into_html()
            on:change=move |ev| {
                if let Ok(d) = event_target_value(&ev).parse() {
                    set_days.set(d);
                }
            }
        ></select>
        <Loaded load=load loading="analytics.loading" render=render />
    }
}
