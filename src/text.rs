//! What the app says, in the viewer's language: English, Simplified Chinese or Spanish.
//!
//! Every sentence lives in a catalogue under `locales/` (one flat JSON object per language), keyed
//! by a stable name; the rules' and the API's codes are keys too (`reason.defective`,
//! `error.case_exists`). Only the chosen language is downloaded, so the other two cost the first
//! load nothing. Dates, times and money are written by the browser's `Intl`, for the locale.

use std::cell::{Cell, RefCell};

use chrono::{DateTime, Utc};
use rules::{Explanation, Fulfillment, Money, Party};

/// The languages Retour speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Locale {
    En,
    ZhCn,
    Es,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::ZhCn, Locale::Es];

    /// The BCP 47 tag: the catalogue's file name, `<html lang>` and `Intl`'s locale.
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
            Locale::Es => "es",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::ZhCn => "简体中文",
            Locale::Es => "Español",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The first of the browser's preferred languages that Retour speaks, else English.
    pub fn pick<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Locale {
        preferred
            .into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
                match primary.as_str() {
                    "en" => Some(Locale::En),
                    "zh" => Some(Locale::ZhCn),
                    "es" => Some(Locale::Es),
                    _ => None,
                }
            })
            .unwrap_or(Locale::En)
    }
}

/// A language's sentences by key. In the browser it stays the object `JSON.parse` made, read
/// with a property lookup: no map or decoder for it is compiled into the bundle.
#[cfg(target_arch = "wasm32")]
pub type Catalogue = js_sys::Object;
#[cfg(not(target_arch = "wasm32"))]
pub type Catalogue = std::collections::HashMap<String, String>;

thread_local! {
    static CATALOGUE: RefCell<Catalogue> = RefCell::new(Catalogue::new());
    static LOCALE: Cell<Locale> = const { Cell::new(Locale::En) };
}

/// Makes `catalogue` (a language's sentences) what the app says from now on.
pub fn install(locale: Locale, catalogue: Catalogue) {
    CATALOGUE.with(|c| *c.borrow_mut() = catalogue);
    LOCALE.with(|l| l.set(locale));
}

/// The language the app speaks now.
pub fn locale() -> Locale {
    LOCALE.with(Cell::get)
}

/// Adds `more` sentences (the second half of the language's catalogue) to what the app says.
pub fn extend(more: Catalogue) {
    #[cfg(target_arch = "wasm32")]
    CATALOGUE.with(|c| {
        js_sys::Object::assign(&c.borrow(), &more);
    });
    #[cfg(not(target_arch = "wasm32"))]
    CATALOGUE.with(|c| c.borrow_mut().extend(more));
}

/// A catalogue's JSON text as its sentences.
pub fn parse_catalogue(json: &str) -> Result<Catalogue, String> {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        js_sys::JSON::parse(json)
            .ok()
            .and_then(|value| value.dyn_into::<js_sys::Object>().ok())
            .ok_or_else(|| "the catalogue is not a JSON object".to_owned())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }
}

/// The sentence for `key`, if the language has it.
fn lookup(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        CATALOGUE.with(|c| {
            js_sys::Reflect::get(&c.borrow(), &key.into())
                .ok()
                .and_then(|v| v.as_string())
        })
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        CATALOGUE.with(|c| c.borrow().get(key).cloned())
    }
}

/// The sentence for `key`; a missing key shows as itself, which the catalogue tests forbid.
pub fn t(key: &str) -> String {
    lookup(key).unwrap_or_else(|| key.to_owned())
}

/// The sentence for `key` with each `{name}` replaced by its value.
pub fn tf(key: &str, args: &[(&str, &str)]) -> String {
    let mut text = t(key);
    for (name, value) in args {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// A label for one of the rules' codes: `family.code`, e.g. `reason.defective`.
pub fn code(family: &str, code: &str) -> String {
    t(&format!("{family}.{code}"))
}

/// Two parts of one sentence, spaced as the language spaces them: nothing after full-width
/// punctuation ("如果到…仍无人处理，将自动…"), one space otherwise.
pub fn then(first: &str, second: &str) -> String {
    let space = if first.ends_with(['，', '：', '。', '；', '？', '！']) {
        ""
    } else {
        " "
    };
    format!("{first}{space}{second}")
}

/// The key of `family.code` as `viewer` reads it: `family.seller.code` (or `.platform.`)
/// where that party has its own sentence, the common `family.code` otherwise.
pub fn key_for(family: &str, viewer: Party, code: &str) -> String {
    let own = format!("{family}.{}.{code}", viewer.code());
    if lookup(&own).is_some() {
        own
    } else {
        format!("{family}.{code}")
    }
}

/// The words of `family.code` as `viewer` reads them (see [`key_for`]).
pub fn code_for(family: &str, viewer: Party, code: &str) -> String {
    t(&key_for(family, viewer, code))
}

/// A date and time in the viewer's time zone, written the locale's way ("12 Mar 2026, 23:59",
/// "2026年3月12日 23:59").
pub fn date_time(at: DateTime<Utc>) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        intl::date_time(at.timestamp_millis() as f64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// An amount in its currency, written the locale's way ("€12.50", "12,50 €", "€12.50").
pub fn money(amount: Money) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        let scale = 10f64.powi(amount.currency.minor_units() as i32);
        intl::money(
            amount.minor as f64 / scale,
            amount.currency.code(),
            amount.currency.minor_units(),
        )
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        amount.to_string()
    }
}

/// A share per 10,000 as a percentage with one decimal, written the locale's way: 1234 is
/// "12.3%" in English, "12,3 %" in Spanish.
pub fn percent(basis_points: u64) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        intl::percent(basis_points as f64 / 10_000.0)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("{}.{}%", basis_points / 100, basis_points % 100 / 10)
    }
}

/// How long until `at`, in the two largest units that matter: "3 d 4 h", "5 h 12 min",
/// "4 min 30 s"; "now" once passed.
pub fn time_left(now: DateTime<Utc>, at: DateTime<Utc>) -> String {
    let seconds = (at - now).num_seconds();
    if seconds <= 0 {
        return t("time.now");
    }
    tf("time.left", &[("duration", &duration(seconds))])
}

/// A length of time in its two largest units: "3 d 4 h", "2 h 5 min", "4 min 10 s".
pub fn duration(seconds: i64) -> String {
    let (days, hours, minutes, secs) = (
        seconds / 86_400,
        seconds % 86_400 / 3600,
        seconds % 3600 / 60,
        seconds % 60,
    );
    let (key, a, b) = if days > 0 {
        ("duration.days_hours", days, hours)
    } else if hours > 0 {
        ("duration.hours_minutes", hours, minutes)
    } else {
        ("duration.minutes_seconds", minutes, secs)
    };
    tf(key, &[("a", &a.to_string()), ("b", &b.to_string())])
}

/// Who a party is to the viewer: "you" for the viewer's own side.
pub fn who(party: Party, viewer: Party) -> &'static str {
    if party == viewer {
        "you"
    } else {
        party.code()
    }
}

pub fn fulfillment(f: &Fulfillment) -> String {
    match f {
        Fulfillment::NotShipped => t("fulfillment.not_shipped"),
        Fulfillment::GroupBuyWaiting { since } => tf(
            "fulfillment.group_buy_waiting",
            &[("date", &date_time(*since))],
        ),
        Fulfillment::Shipped { shipped_at, .. } => {
            tf("fulfillment.shipped", &[("date", &date_time(*shipped_at))])
        }
        Fulfillment::Delivered { delivered_at, .. } => tf(
            "fulfillment.delivered",
            &[("date", &date_time(*delivered_at))],
        ),
    }
}

/// The verdict's explanation as a sentence: why, until when, and what to do instead.
pub fn explanation(e: &Explanation) -> String {
    let key = format!("explanation.{}", e.code());
    let date = |at: &DateTime<Utc>| date_time(*at);
    match e {
        Explanation::GroupBuyWaiting { opens_at }
        | Explanation::InTransit {
            not_received_opens_at: opens_at,
        }
        | Explanation::NotReceivedOpensAt { opens_at } => tf(&key, &[("date", &date(opens_at))]),
        Explanation::ChangeOfMindWindow { closes_at }
        | Explanation::ProtectionWindow { closes_at }
        | Explanation::SellerFaultStillOpen { closes_at } => {
            tf(&key, &[("date", &date(closes_at))])
        }
        Explanation::ChangeOfMindClosed { closed_at }
        | Explanation::ProtectionClosed { closed_at } => tf(&key, &[("date", &date(closed_at))]),
        Explanation::NonReturnable { category } => {
            tf(&key, &[("category", &code("category", category.code()))])
        }
        Explanation::ReturnCostsMoreThanGoods { return_cost, goods } => tf(
            &key,
            &[("cost", &money(*return_cost)), ("goods", &money(*goods))],
        ),
        Explanation::ResolutionNotOffered { wanted } => {
            tf(&key, &[("resolution", &code("resolution", wanted.code()))])
        }
        _ => t(&key),
    }
}

/// An error code from the API or the form, as a sentence; `fallback` is the server's own message,
/// for a code this version of the app does not know.
pub fn error(code: &str, fallback: &str) -> String {
    if let Some(sentence) = lookup(&format!("error.{code}")) {
        sentence
    } else if fallback.is_empty() {
        tf("error.other", &[("code", code)])
    } else {
        fallback.to_owned()
    }
}

/// The browser's `Intl` formatters for the current language.
#[cfg(target_arch = "wasm32")]
mod intl {
    use js_sys::{Array, Intl, Object, Reflect};
    use wasm_bindgen::JsValue;

    fn options(pairs: &[(&str, JsValue)]) -> Object {
        let options = Object::new();
        for (key, value) in pairs {
            let _ = Reflect::set(&options, &(*key).into(), value);
        }
        options
    }

    fn locales() -> Array {
        Array::of1(&super::locale().code().into())
    }

    fn formatted(format: js_sys::Function, value: &JsValue) -> String {
        format
            .call1(&JsValue::UNDEFINED, value)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }

    pub fn date_time(millis: f64) -> String {
        let format = Intl::DateTimeFormat::new(
            &locales(),
            &options(&[
                ("dateStyle", "medium".into()),
                ("timeStyle", "short".into()),
            ]),
        );
        formatted(format.format(), &js_sys::Date::new(&millis.into()).into())
    }

    fn number(value: f64, settings: &[(&str, JsValue)]) -> String {
        let format = Intl::NumberFormat::new(&locales(), &options(settings));
        formatted(format.format(), &value.into())
    }

    pub fn money(amount: f64, currency: &str, decimals: u32) -> String {
        number(
            amount,
            &[
                ("style", "currency".into()),
                ("currency", currency.into()),
                ("minimumFractionDigits", decimals.into()),
                ("maximumFractionDigits", decimals.into()),
            ],
        )
    }

    pub fn percent(ratio: f64) -> String {
        number(
            ratio,
            &[
                ("style", "percent".into()),
                ("minimumFractionDigits", 1.into()),
                ("maximumFractionDigits", 1.into()),
            ],
        )
    }
}

// The catalogues are read from disk: these run natively.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::components::confirm::CONFIRMED;
    use std::collections::BTreeSet;

    /// One half of a language's catalogue: `""` for the first screens', `".more"` for the rest.
    fn half(locale: Locale, half: &str) -> Catalogue {
        let path = format!(
            "{}/locales/{}{half}.json",
            env!("CARGO_MANIFEST_DIR"),
            locale.code()
        );
        let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        parse_catalogue(&json).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A language's whole catalogue: both halves.
    fn catalogue(locale: Locale) -> Catalogue {
        let mut all = half(locale, "");
        all.extend(half(locale, ".more"));
        all
    }

    /// The families of the second half: the words of the case page, the analytics and the
    /// policy, downloaded when one of them first opens.
    const LATER: [&str; 36] = [
        "account",
        "address",
        "analytics",
        "automatic",
        "board",
        "carrier",
        "case",
        "confirm",
        "credits",
        "event",
        "gallery",
        "messages",
        "next_if",
        "outcome",
        "parcel",
        "photos",
        "policy",
        "policy_pays",
        "punct",
        "rating",
        "reason_form",
        "receipt",
        "reject",
        "repair",
        "return",
        "risk",
        "rule",
        "settled",
        "step",
        "timeline",
        "topic",
        "tracking",
        "trigger",
        "verdict",
        "whose",
        "wizard",
    ];

    /// The errors the first screens can meet (loading, signing in); the rest come with the
    /// second half, and one that arrives before it reads as `error.other` with its code.
    const FIRST_ERRORS: [&str; 18] = [
        "search_too_long",
        "body_too_large",
        "credentials_required",
        "cross_site_request",
        "csrf_token_invalid",
        "decode",
        "http_error",
        "internal",
        "invalid_field",
        "malformed_json",
        "network",
        "not_found",
        "other",
        "session_expired",
        "too_many_attempts",
        "unauthenticated",
        "unavailable",
        "wrong_credentials",
    ];

    /// Whether `key` belongs in the second half.
    fn later(key: &str) -> bool {
        match key.split_once('.') {
            Some(("error", code)) => !FIRST_ERRORS.contains(&code),
            Some((family, _)) => LATER.contains(&family),
            None => false,
        }
    }

    /// The modules that speak with the second half: only the pages that wait for it.
    const LATER_MODULES: [&str; 30] = [
        "pages/case.rs",
        "components/bar_chart.rs",
        "pages/account/mail.rs",
        "pages/buyer/credits.rs",
        "pages/buyer/return_request.rs",
        "components/return_form.rs",
        "components/verdict_panel.rs",
        "components/photo_picker.rs",
        "draft.rs",
        "pages/seller/analytics.rs",
        "pages/seller/policy.rs",
        "components/address_form.rs",
        "components/case_actions.rs",
        "components/confirm.rs",
        "components/decision.rs",
        "components/gallery.rs",
        "components/messages.rs",
        "components/parcel.rs",
        "components/proposals_board.rs",
        "components/rating_form.rs",
        "components/reason_form.rs",
        "components/receipt_step.rs",
        "components/return_step.rs",
        "components/risk_panel.rs",
        "components/ruling_form.rs",
        "components/status_header.rs",
        "components/timeline.rs",
        "components/tracking_field.rs",
        // Their tests and decoders name the families too, as codes rather than words.
        "text.rs",
        "screen.rs",
    ];

    #[test]
    fn the_second_half_holds_only_the_later_pages_words_and_only_they_use_it() {
        for locale in Locale::ALL {
            for key in half(locale, "").keys() {
                assert!(!later(key), "{}: {key} belongs in .more", locale.code());
            }
            for key in half(locale, ".more").keys() {
                assert!(later(key), "{}: {key} is a first screen's", locale.code());
            }
        }
        for (module, source) in modules() {
            for family in LATER {
                // A key written out, or a family completed by a code at run time (a method of
                // the same name, `o.code("carrier", …)`, reads a JSON field).
                let used = source.contains(&format!("\"{family}."))
                    || ["code(", "code_for(", "key_for(", "named("]
                        .iter()
                        .any(|call| {
                            let called = format!("{call}\"{family}\"");
                            source
                                .match_indices(&called)
                                .any(|(at, _)| !source[..at].ends_with('.'))
                        });
                assert!(
                    !used || LATER_MODULES.contains(&module.as_str()),
                    "{module} uses the later words of {family:?} on a first screen"
                );
            }
        }
    }

    /// Every module of the app under `src/`, by its path there, with its source.
    fn modules() -> Vec<(String, String)> {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![src.clone()];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let module = path.strip_prefix(&src).unwrap().to_string_lossy();
                found.push((module.into_owned(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        found
    }

    /// The class or id each selector of a stylesheet is anchored on: its first name, which an
    /// element must carry (or sit inside one that does) for the rule to apply. A selector that
    /// starts with an element's name (`blockquote`) has none.
    fn anchors(css: &str) -> BTreeSet<String> {
        let mut plain = String::new();
        let mut rest = css;
        while let Some((before, comment)) = rest.split_once("/*") {
            plain.push_str(before);
            rest = comment.split_once("*/").map_or("", |(_, after)| after);
        }
        plain.push_str(rest);
        // What comes before each `{` is a selector list (or an at-rule's condition).
        let selectors = plain.split('}').flat_map(|block| {
            let parts: Vec<&str> = block.split('{').collect();
            parts[..parts.len() - 1]
                .iter()
                .flat_map(|list| list.split(','))
                .map(str::trim)
                .collect::<Vec<_>>()
        });
        selectors
            .filter(|s| s.starts_with(['.', '#']))
            .map(|s| s[1..].chars().take_while(|&c| name_char(c)).collect())
            .collect()
    }

    fn name_char(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '-' || c == '_'
    }

    /// The string literals of a Rust source (or the whole of any other text), escapes kept:
    /// where every class and id the app draws is written.
    fn literals(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        // A quote as a character literal opens no string.
        let mut chars = source
            .replace("'\"'", "' '")
            .chars()
            .collect::<Vec<_>>()
            .into_iter();
        while let Some(c) = chars.next() {
            if c != '"' {
                continue;
            }
            let mut literal = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => literal.extend(chars.next()),
                    '"' => break,
                    c => literal.push(c),
                }
            }
            found.push(literal);
        }
        found
    }

    /// Whether `name` stands in `text` as a word of its own, not as part of a longer name.
    fn names(text: &str, name: &str) -> bool {
        text.match_indices(name).any(|(at, _)| {
            !text[..at].ends_with(name_char) && !text[at + name.len()..].starts_with(name_char)
        })
    }

    #[test]
    fn the_later_stylesheet_styles_only_the_later_pages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = "style/later.css";
        let later = anchors(&std::fs::read_to_string(root.join(path)).unwrap());
        assert!(
            later.contains("proposals") && later.contains("address"),
            "{later:?}"
        );
        // The modules that draw the first screens: not the later pages', nor those that only
        // read and write the API's JSON (whose field names may be any word).
        let index = std::fs::read_to_string(root.join("index.html")).unwrap();
        // Linked disabled, so not downloaded before a later page asks for it.
        let link = format!(
            "<link data-trunk rel=\"css\" href=\"{path}\" data-target-path=\"style\" \
             data-integrity=\"none\" id=\"{}\" disabled",
            crate::session::LATER_STYLE
        );
        assert!(index.contains(&link), "index.html lacks {link}");
        let first_screens = modules()
            .into_iter()
            .filter(|(module, _)| {
                !LATER_MODULES.contains(&module.as_str())
                    && !JSON_MODULES.contains(&module.as_str())
            })
            // A button's action (`data-act="photo"`) names no class; tests draw no screen.
            .map(|(module, source)| {
                let code = source.split("#[cfg(test)]").next().unwrap_or_default();
                let drawn = literals(code)
                    .into_iter()
                    .filter(|l| crate::markup::Act::parse(l).is_none());
                (module, drawn.collect::<Vec<_>>())
            })
            .chain([("index.html".to_owned(), vec![index])]);
        let mut misplaced = Vec::new();
        for (module, literals) in first_screens {
            for name in &later {
                if literals.iter().any(|l| names(l, name)) {
                    misplaced.push(format!("{module}: {name}"));
                }
            }
        }
        assert!(
            misplaced.is_empty(),
            "styled by {path}, which the first screens do not load: {misplaced:?}"
        );
    }

    /// The modules that read and write the API's JSON and draw nothing.
    const JSON_MODULES: [&str; 2] = ["body.rs", "decode.rs"];

    /// Families of keys the app completes with a code at run time (`code("reason", …)`).
    const FAMILIES: [&str; 11] = [
        "then.carry_out_proposal",
        "wizard.no_refund",
        "trigger.no_answer",
        "settled.reached",
        "confirm.yes",
        "confirm.accept",
        "parcel.leg",
        "parcel.status",
        "wizard.step",
        "wizard.shipping_paid_by",
        "verdict.shipping_paid_by",
    ];

    /// Every key the app's code names literally: each string literal shaped like a key
    /// (`family.name`) whose family the catalogue has.
    fn keys_in_source(families: &BTreeSet<String>) -> BTreeSet<String> {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    found.extend(source.split('"').skip(1).step_by(2).map(str::to_owned));
                }
            }
        }
        let mut literals = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut literals,
        );
        literals
            .into_iter()
            .filter(|l| {
                l.contains('.')
                    && l.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    })
                    && families.contains(l.split('.').next().unwrap())
                    && !FAMILIES.contains(&l.as_str())
            })
            .collect()
    }

    /// Every key made from a code of the rules or the API.
    fn keys_from_codes() -> BTreeSet<String> {
        use rules::{ActionKind, AutoAction, CaseState, Category, Reason, Resolution};
        let mut keys = BTreeSet::new();
        let mut add = |family: &str, code: &str| keys.insert(format!("{family}.{code}"));
        for r in Reason::ALL {
            add("reason", r.code());
        }
        for r in Resolution::ALL {
            add("resolution", r.code());
        }
        for s in CaseState::ALL
            .map(CaseState::code)
            .into_iter()
            .chain([crate::components::status_header::REJECTED])
        {
            add("state", s);
            add("step", s);
        }
        for c in Category::ALL {
            add("category", c.code());
        }
        for topic in rules::api::Topic::ALL {
            add("topic", topic.code());
        }
        // The seller's policy page: each field, and who pays return shipping.
        for name in rules::DURATION_NAMES.into_iter().chain([
            "non_returnable",
            "perishable",
            "buyer_side",
            "seller_side",
        ]) {
            add("policy", name);
        }
        for who in ["buyer", "seller", "platform"] {
            add("policy_pays", who);
        }
        for who in ["you", "buyer", "seller", "platform"] {
            add("who", who);
            add("next_if", who);
            add("whose", who);
            add("then.carry_out_proposal", who);
        }
        for then in [
            AutoAction::CloseRejected,
            AutoAction::PlatformStepsIn,
            AutoAction::RefundWithoutReturn,
            AutoAction::CloseNotShipped,
            AutoAction::IssueRefund,
            AutoAction::RefundInsteadOfCredit { of: Party::Seller },
            AutoAction::ItemAccepted,
            AutoAction::Close,
        ] {
            add("then", then.code());
            add("automatic", then.code());
        }
        add(
            "automatic",
            AutoAction::CarryOutProposal { of: Party::Buyer }.code(),
        );
        for kind in ActionKind::ALL {
            add("event", kind.code());
        }
        for leg in rules::api::Leg::ALL {
            add("parcel.leg", leg.code());
        }
        for status in rules::api::ParcelStatus::ALL {
            add("parcel.status", status.code());
        }
        add("event", "filed");
        for trigger in rules::Trigger::PLAIN {
            add("trigger", trigger.code());
        }
        for who in ["you", "buyer", "seller", "platform"] {
            add("trigger.no_answer", who);
        }
        for reached in rules::Reached::ALL {
            add("settled.reached", reached.code());
        }
        for kind in CONFIRMED {
            if kind != ActionKind::Accept {
                add("confirm", kind.code());
            }
            add("confirm.yes", kind.code());
        }
        for party in ["buyer", "seller", "platform"] {
            add("confirm.accept", party);
        }
        for outcome in [
            "refunded",
            "replaced",
            "withdrawn",
            "rejected",
            "return_not_shipped",
            "ruled_no_refund",
            "repaired",
            "exchanged",
            "credited",
            // The statistics' name for a case closed without an outcome.
            "closed",
        ] {
            add("outcome", outcome);
        }
        for carrier in [
            "upu_s10",
            "ups",
            "usps",
            "fedex",
            "dhl_express",
            "cainiao",
            "yunexpress",
        ] {
            add("carrier", carrier);
        }
        for wizard_step in crate::draft::Step::ALL {
            add("wizard.step", wizard_step.code());
        }
        for party in ["buyer", "seller", "platform"] {
            add("wizard.shipping_paid_by", party);
            add("verdict.shipping_paid_by", party);
        }
        for r in [
            Resolution::Replacement,
            Resolution::Repair,
            Resolution::Exchange,
        ] {
            add("wizard.no_refund", r.code());
        }
        for error in ERROR_CODES {
            add("error", error);
        }
        keys
    }

    /// Every error code the app can meet: the server's, the rules' and its own.
    const ERROR_CODES: [&str; 64] = [
        "search_too_long",
        "other",
        "network",
        "unavailable",
        "decode",
        "http_error",
        "internal",
        "not_found",
        "unauthenticated",
        "session_expired",
        "wrong_credentials",
        "too_many_attempts",
        "credentials_required",
        "csrf_token_invalid",
        "cross_site_request",
        "case_exists",
        "idempotency_key_required",
        "stale_version",
        "action_not_allowed",
        "case_closed",
        "no_standing_proposal",
        "own_proposal",
        "shipping_payer_missing",
        "shipping_payer_unexpected",
        "reason_required",
        "address_required",
        "text_too_long",
        "stars_out_of_range",
        "message_empty",
        "photo_damaged",
        "photo_empty",
        "photo_not_an_image",
        "photo_too_large",
        "photo_too_many_pixels",
        "too_many_photos",
        "photos_required",
        "file_missing",
        "invalid_field",
        "malformed_json",
        "body_too_large",
        "tracking_empty",
        "tracking_invalid_characters",
        "tracking_unknown_format",
        "tracking_check_failed",
        "not_eligible",
        "no_reason",
        "no_resolution",
        "partial_amount_invalid",
        "partial_amount_too_precise",
        "partial_amount_missing",
        "partial_amount_out_of_range",
        "partial_amount_unexpected",
        "unknown_line",
        "duplicate_line",
        "no_lines_selected",
        "quantity_out_of_range",
        "amount_out_of_range",
        "return_shipping_cost_invalid",
        "resolution_not_allowed",
        "variant_required",
        "variant_not_offered",
        "variant_unexpected",
        "credit_not_asked",
        "not_repairable",
    ];

    #[test]
    fn every_partys_own_sentence_has_a_common_one_to_fall_back_on() {
        let english = catalogue(Locale::En);
        let mut own = 0;
        for key in english.keys() {
            let parts: Vec<&str> = key.split('.').collect();
            if let [family, party, code] = parts.as_slice() {
                if Party::from_code(party).is_none() {
                    continue;
                }
                own += 1;
                assert!(
                    english.contains_key(&format!("{family}.{code}")),
                    "{key}: no common sentence to fall back on"
                );
                if *family == "step" {
                    assert!(
                        rules::CaseState::from_code(code).is_some()
                            || *code == crate::components::status_header::REJECTED,
                        "{key}: no such state"
                    );
                }
            }
        }
        assert!(own > 0, "no party has sentences of its own");
    }

    #[test]
    fn parts_of_a_sentence_are_spaced_as_the_language_spaces_them() {
        assert_eq!(
            then("If nobody acts,", "it closes."),
            "If nobody acts, it closes."
        );
        assert_eq!(
            then("如果无人处理，", "申请将关闭。"),
            "如果无人处理，申请将关闭。"
        );
        assert_eq!(
            then("卖家未在期限内答复：", "将自动执行"),
            "卖家未在期限内答复：将自动执行"
        );
        for locale in Locale::ALL {
            let words = catalogue(locale);
            for key in ["punct.comma", "punct.semicolon"] {
                let sep = &words[key];
                let full_width = locale == Locale::ZhCn;
                assert_eq!(sep.ends_with(' '), !full_width, "{}: {key}", locale.code());
            }
        }
    }

    #[test]
    fn rates_read_as_percentages_with_one_decimal() {
        assert_eq!(percent(0), "0.0%");
        assert_eq!(percent(1234), "12.3%");
        assert_eq!(percent(10_000), "100.0%");
        assert_eq!(percent(5), "0.0%");
    }

    #[test]
    fn every_language_has_exactly_the_same_keys_and_no_empty_sentence() {
        let english: BTreeSet<String> = catalogue(Locale::En).into_keys().collect();
        for locale in [Locale::ZhCn, Locale::Es] {
            let other = catalogue(locale);
            let keys: BTreeSet<String> = other.keys().cloned().collect();
            let missing: Vec<_> = english.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&english).collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", locale.code());
            assert!(
                extra.is_empty(),
                "{}: not in English {extra:?}",
                locale.code()
            );
            let empty: Vec<_> = other.iter().filter(|(_, v)| v.trim().is_empty()).collect();
            assert!(empty.is_empty(), "{}: empty {empty:?}", locale.code());
        }
    }

    #[test]
    fn every_key_the_app_uses_is_in_every_language() {
        let families: BTreeSet<String> = catalogue(Locale::En)
            .into_keys()
            .map(|k| k.split('.').next().unwrap().to_owned())
            .collect();
        let used: BTreeSet<String> = keys_in_source(&families)
            .into_iter()
            .chain(keys_from_codes())
            .collect();
        assert!(used.len() > 100, "the key scan found too little: {used:?}");
        for locale in Locale::ALL {
            let catalogue = catalogue(locale);
            let missing: Vec<_> = used
                .iter()
                .filter(|k| !catalogue.contains_key(*k))
                .collect();
            assert!(missing.is_empty(), "{}: missing {missing:?}", locale.code());
        }
    }

    #[test]
    fn placeholders_match_across_languages() {
        let names = |text: &str| -> BTreeSet<String> {
            text.split('{')
                .skip(1)
                .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
                .collect()
        };
        let english = catalogue(Locale::En);
        for locale in [Locale::ZhCn, Locale::Es] {
            for (key, text) in catalogue(locale) {
                assert_eq!(
                    names(&text),
                    names(&english[&key]),
                    "{} {key}: {text}",
                    locale.code()
                );
            }
        }
    }

    #[test]
    fn the_browsers_language_picks_the_catalogue() {
        assert_eq!(Locale::pick(["zh-TW", "en"]), Locale::ZhCn);
        assert_eq!(Locale::pick(["fr-FR", "es-MX"]), Locale::Es);
        assert_eq!(Locale::pick(["de", "fr"]), Locale::En);
        assert_eq!(Locale::pick(["EN_gb"]), Locale::En);
        for l in Locale::ALL {
            assert_eq!(Locale::from_code(l.code()), Some(l));
        }
    }

    #[test]
    fn sentences_fill_their_placeholders_and_errors_fall_back() {
        install(Locale::Es, catalogue(Locale::Es));
        let text = tf("duration.days_hours", &[("a", "3"), ("b", "4")]);
        assert!(
            text.contains('3') && text.contains('4') && !text.contains('{'),
            "{text}"
        );
        assert_eq!(error("teapot", "I am a teapot"), "I am a teapot");
        assert!(error("teapot", "").contains("teapot"));
        assert_ne!(error("network", ""), "error.network");
        let at = DateTime::from_timestamp(1_000_000, 0).unwrap();
        let later = at + chrono::TimeDelta::seconds(3 * 86_400 + 4 * 3600 + 59);
        assert_eq!(time_left(at, later), "en 3 d 4 h");
        assert_eq!(duration(3 * 86_400 + 4 * 3600 + 59), "3 d 4 h");
        assert_eq!(
            time_left(at, at + chrono::TimeDelta::seconds(61)),
            "en 1 min 1 s"
        );
        assert_eq!(duration(2 * 3600 + 5 * 60), "2 h 5 min");
        assert_eq!(time_left(later, at), t("time.now"));
    }
}
