use chrono::{DateTime, TimeDelta, Utc};
use leptos::prelude::*;

use crate::api::Load;
use crate::components::bar_chart::bar_chart;
use crate::components::Loaded;
use crate::decode::{FromJs, Obj, Read};
use crate::markup::{el, esc, facts, Markup};
use crate::route::encode;
use crate::text::{self, code, percent, t, tf};

/// The periods a seller can look back over, in days.
const PERIODS: [i64; 4] = [7, 30, 90, 365];

/// The seller's returns over a period, as `GET /api/seller/stats` counts them.
#[derive(Clone, Debug)]
pub struct Stats {
    pub orders: u64,
    pub cases: u64,
    pub return_rate_basis_points: u64,
    pub reasons: Vec<(String, u64)>,
    pub outcomes: Vec<(String, u64)>,
    pub median_seconds: Option<i64>,
    pub automatic: Vec<(String, u64)>,
}

fn code_counts(o: &Obj, name: &str) -> Read<Vec<(String, u64)>> {
    o.list::<Obj>(name)?
        .iter()
        .map(|c| Ok((c.text("code")?, c.unsigned("count")?)))
        .collect()
}

impl FromJs for Stats {
    fn from_js(o: &Obj) -> Read<Self> {
        Ok(Stats {
            orders: o.unsigned("orders")?,
            cases: o.unsigned("cases")?,
            return_rate_basis_points: o.unsigned("return_rate_basis_points")?,
            reasons: code_counts(o, "reasons")?,
            outcomes: code_counts(o, "outcomes")?,
            median_seconds: o.maybe("median_seconds_to_resolution", Obj::int)?,
            automatic: code_counts(o, "automatic_actions")?,
        })
    }
}

/// The statistics' address for the `days` before `now`.
pub fn stats_path(now: DateTime<Utc>, days: i64) -> String {
    let from = now - TimeDelta::days(days);
    let stamp = |at: DateTime<Utc>| encode(&at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    format!("/api/seller/stats?from={}&to={}", stamp(from), stamp(now))
}

/// The charts and figures of `stats`, every count readable as a table too.
pub fn stats_markup(stats: &Stats) -> Markup {
    let named = |family: &str, rows: &[(String, u64)]| -> Vec<(String, u64)> {
        rows.iter().map(|(c, n)| (code(family, c), *n)).collect()
    };
    let median = stats
        .median_seconds
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
            &named("automatic", &stats.automatic),
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
    let load = Load::<Stats>::new(Signal::derive(move || stats_path(now, days.get())));
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
    let render =
        |stats: Stats| view! { <div inner_html=stats_markup(&stats).into_html()></div> }.into_any();
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
