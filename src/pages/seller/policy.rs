use leptos::prelude::*;
use rules::api::StorePolicy;
use rules::{Category, Policy, PolicyOverride, DURATION_NAMES};

use crate::api::Load;
use crate::components::Loaded;
use crate::markup::{el, esc, facts, text as tag, Markup};
use crate::text::{code, t, tf};

/// A window or deadline as a person reads it: "7 days", "24 hours", "at once"; the store
/// credit bonus as "10 %".
fn span(name: &str, value: u32) -> String {
    let n = value.to_string();
    let key = if name.ends_with("_percent") {
        "policy.percent"
    } else if !name.ends_with("_hours") {
        "policy.days"
    } else if value == 0 {
        return t("policy.at_once");
    } else {
        "policy.hours"
    };
    tf(key, &[("n", &n)])
}

fn categories(list: &[Category]) -> String {
    if list.is_empty() {
        return t("policy.none");
    }
    list.iter()
        .map(|c| code("category", c.code()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The rows of everything `changes` sets (all of a whole policy's fields when it is one).
fn rows(changes: &PolicyOverride) -> Vec<(String, Markup)> {
    let mut rows: Vec<(String, Markup)> = DURATION_NAMES
        .into_iter()
        .zip(changes.clone().durations_mut())
        .filter_map(|(name, value)| {
            let value = (*value)?;
            Some((code("policy", name), esc(&span(name, value))))
        })
        .collect();
    for (name, list) in [
        ("non_returnable", &changes.non_returnable),
        ("perishable", &changes.perishable),
    ] {
        if let Some(list) = list {
            rows.push((code("policy", name), esc(&categories(list))));
        }
    }
    if let Some(shipping) = changes.return_shipping {
        for (name, party) in [
            ("buyer_side", shipping.buyer_side),
            ("seller_side", shipping.seller_side),
        ] {
            rows.push((
                code("policy", name),
                esc(&code("policy_pays", party.code())),
            ));
        }
    }
    rows
}

/// One store's rules: every window and deadline its orders are judged by, then what each
/// category with rules of its own changes.
pub fn store_markup(store: &StorePolicy) -> Markup {
    let everything = full(&store.policy.seller_policy());
    let by_category: Markup = store
        .policy
        .categories
        .iter()
        .map(|(category, changes)| {
            el(
                "section",
                "",
                tag("h3", "", &code("category", category.code())).join(facts(rows(changes))),
            )
        })
        .collect();
    let categories = if by_category.is_empty() {
        tag("p", "muted", &t("policy.no_categories"))
    } else {
        by_category
    };
    el(
        "section",
        "card",
        tag("h2", "", &store.store)
            .join(facts(rows(&everything)))
            .join(tag("h3", "", &t("policy.by_category")))
            .join(categories),
    )
}

/// `policy` with every field written out.
fn full(policy: &Policy) -> PolicyOverride {
    let mut into = PolicyOverride::default();
    for (slot, value) in into.durations_mut().into_iter().zip(policy.durations()) {
        *slot = Some(value);
    }
    into.non_returnable = Some(policy.non_returnable.clone());
    into.perishable = Some(policy.perishable.clone());
    into.return_shipping = Some(policy.return_shipping);
    into
}

/// The seller's own rules, store by store, as the marketplace's policy file sets them.
#[component]
pub fn PolicyPage() -> impl IntoView {
    let load = Load::<Vec<StorePolicy>>::new(Signal::stored("/api/seller/policy".to_owned()));
    let render = |stores: Vec<StorePolicy>| {
        let html: Markup = stores.iter().map(store_markup).collect();
        view! { <div inner_html=html.into_html()></div> }.into_any()
    };
    view! {
        <h1>{t("policy.title")}</h1>
        <p class="muted">{t("policy.intro")}</p>
        <Loaded load=load loading="policy.loading" render=render />
    }
}
