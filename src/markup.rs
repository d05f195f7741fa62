//! Read-only parts of a page written as HTML text, set with `inner_html`.
//!
//! Each `view!` compiles its own element-building code into the bundle; a case's facts, timeline
//! and messages are read-only, so writing them as text costs a fraction of the bytes for the same
//! DOM. That text is a [`Markup`]: only escaping and the builders here make one, so no text from
//! a person or the server can become tags, and nothing here accepts a plain string as markup.

use wasm_bindgen::JsCast;

/// HTML that is safe to place in a page. Built only by escaping text ([`Markup::text`]), from
/// tags written in the app's own code ([`Markup::tags`], [`Markup::fill`]) and by joining
/// markup; [`Markup::into_html`] is the only way out, and the only thing `inner_html` is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Markup(String);

impl Markup {
    /// `text`, escaped: safe between tags and inside a quoted attribute.
    pub fn text(text: &str) -> Markup {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        Markup(out)
    }

    /// Tags written in the app's own code: a `'static` literal, never text that arrived.
    pub fn tags(literal: &'static str) -> Markup {
        Markup(literal.to_owned())
    }

    /// `template` (the app's own tags) with each `{}` replaced, in order, by one of `parts`.
    /// A runtime fill rather than `format!`, whose inline `{name}` would let a plain string in.
    pub fn fill(template: &'static str, parts: &[&Markup]) -> Markup {
        let mut out = String::with_capacity(template.len());
        let mut pieces = template.split("{}");
        out.push_str(pieces.next().unwrap_or_default());
        for (piece, part) in pieces.zip(
            parts
                .iter()
                .map(|p| p.0.as_str())
                .chain(std::iter::repeat("")),
        ) {
            out.push_str(part);
            out.push_str(piece);
        }
        Markup(out)
    }

    /// A number, which needs no escaping.
    pub fn number(n: impl Into<u64>) -> Markup {
        Markup(n.into().to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `more` after this.
    pub fn push(&mut self, more: Markup) {
        self.0.push_str(&more.0);
    }

    /// The HTML, for `inner_html`.
    pub fn into_html(self) -> String {
        self.0
    }
}

impl FromIterator<Markup> for Markup {
    fn from_iter<I: IntoIterator<Item = Markup>>(parts: I) -> Self {
        let mut all = Markup::default();
        for part in parts {
            all.push(part);
        }
        all
    }
}

/// `text` escaped, as markup.
pub fn esc(text: &str) -> Markup {
    Markup::text(text)
}

/// `<tag class="class">inner</tag>`; the class is escaped.
pub fn el(tag: &'static str, class: &str, inner: Markup) -> Markup {
    let mut out = String::with_capacity(inner.0.len() + 32);
    out.push('<');
    out.push_str(tag);
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(&Markup::text(class).0);
        out.push('"');
    }
    out.push('>');
    out.push_str(&inner.0);
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
    Markup(out)
}

/// `<tag class="class">text</tag>` with `text` escaped.
pub fn text(tag: &'static str, class: &str, text: &str) -> Markup {
    el(tag, class, Markup::text(text))
}

/// A select's `<option>`s, each `(value, label)` escaped, `chosen`'s marked selected. One builder
/// for every list of choices, rather than a view compiled per select.
pub fn options<'a>(choices: impl IntoIterator<Item = (&'a str, &'a str)>, chosen: &str) -> Markup {
    choices
        .into_iter()
        .map(|(value, label)| {
            Markup::fill(
                "<option value=\"{}\"{}>{}</option>",
                &[
                    &esc(value),
                    &Markup::tags(if value == chosen { " selected" } else { "" }),
                    &esc(label),
                ],
            )
        })
        .collect()
}

/// A definition list's rows: each term with its value.
pub fn facts(rows: Vec<(String, Markup)>) -> Markup {
    let rows = rows
        .into_iter()
        .map(|(term, value)| text("dt", "", &term).join(el("dd", "", value)))
        .collect();
    el("dl", "facts", rows)
}

impl Markup {
    /// This, then `next`.
    pub fn join(mut self, next: Markup) -> Markup {
        self.push(next);
        self
    }
}

/// Every control that the tests and the delegated click handlers find by its `data-act`: the
/// code written into the page comes from here and is parsed back here, so a misspelt control
/// fails to compile rather than doing nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Accept,
    WithdrawProposal,
    Escalate,
    Withdraw,
    /// Cancels an order not shipped yet (`data-order`).
    CancelOrder,
    /// The confirmation dialog's answers.
    ConfirmYes,
    ConfirmKeep,
    CounterOpen,
    CounterCancel,
    RejectOpen,
    RejectCancel,
    ReportOpen,
    ReportCancel,
    RepairFailedOpen,
    RepairFailedCancel,
    ConfirmReceipt,
    ConfirmItem,
    ReturnDelivered,
    RefundIssued,
    /// Open one photo of the case in the viewer (`data-index`).
    Photo,
    PhotoPrev,
    PhotoNext,
    PhotoClose,
    /// A chosen photo moves up, down or out of the wizard's list (`data-id`).
    PhotoUp,
    PhotoDown,
    PhotoRemove,
    /// The queue filtered by one state (`data-state`).
    QueueState,
    /// The queue's next page.
    QueueMore,
}

impl Act {
    pub const ALL: [Act; 28] = [
        Act::Accept,
        Act::WithdrawProposal,
        Act::Escalate,
        Act::Withdraw,
        Act::CancelOrder,
        Act::ConfirmYes,
        Act::ConfirmKeep,
        Act::CounterOpen,
        Act::CounterCancel,
        Act::RejectOpen,
        Act::RejectCancel,
        Act::ReportOpen,
        Act::ReportCancel,
        Act::RepairFailedOpen,
        Act::RepairFailedCancel,
        Act::ConfirmReceipt,
        Act::ConfirmItem,
        Act::ReturnDelivered,
        Act::RefundIssued,
        Act::Photo,
        Act::PhotoPrev,
        Act::PhotoNext,
        Act::PhotoClose,
        Act::PhotoUp,
        Act::PhotoDown,
        Act::PhotoRemove,
        Act::QueueState,
        Act::QueueMore,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Act::Accept => "accept",
            Act::WithdrawProposal => "withdraw-proposal",
            Act::Escalate => "escalate",
            Act::Withdraw => "withdraw",
            Act::CancelOrder => "cancel-order",
            Act::ConfirmYes => "confirm-yes",
            Act::ConfirmKeep => "confirm-keep",
            Act::CounterOpen => "counter-open",
            Act::CounterCancel => "counter-cancel",
            Act::RejectOpen => "reject-open",
            Act::RejectCancel => "reject-cancel",
            Act::ReportOpen => "report-open",
            Act::ReportCancel => "report-cancel",
            Act::RepairFailedOpen => "repair-failed-open",
            Act::RepairFailedCancel => "repair-failed-cancel",
            Act::ConfirmReceipt => "confirm-receipt",
            Act::ConfirmItem => "confirm-item",
            Act::ReturnDelivered => "return-delivered",
            Act::RefundIssued => "refund-issued",
            Act::Photo => "photo",
            Act::PhotoPrev => "photo-prev",
            Act::PhotoNext => "photo-next",
            Act::PhotoClose => "photo-close",
            Act::PhotoUp => "up",
            Act::PhotoDown => "down",
            Act::PhotoRemove => "remove",
            Act::QueueState => "state",
            Act::QueueMore => "more",
        }
    }

    pub fn parse(code: &str) -> Option<Act> {
        Act::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The control a click landed on, drawn as markup with `data-act`, and its element.
    pub fn pressed(ev: &web_sys::MouseEvent) -> Option<(Act, web_sys::Element)> {
        let button = target::<web_sys::Element>(ev)?
            .closest("button[data-act]")
            .ok()??;
        let act = Act::parse(&button.get_attribute("data-act")?)?;
        Some((act, button))
    }
}

/// `<button type="button" class="class" data-act="act">label</button>`, with `data` as further
/// `data-` attributes: a delegated click handler reads them through [`Act::pressed`].
pub fn button(class: &'static str, act: Act, data: &[(&'static str, &str)], label: &str) -> Markup {
    let data: Markup = data
        .iter()
        .map(|(name, value)| {
            Markup::fill(
                " data-{}=\"{}\"",
                &[&Markup::tags(name), &Markup::text(value)],
            )
        })
        .collect();
    Markup::fill(
        "<button type=\"button\" class=\"{}\" data-act=\"{}\"{}>{}</button>",
        &[
            &Markup::tags(class),
            &Markup::tags(act.code()),
            &data,
            &Markup::text(label),
        ],
    )
}

/// What an event happened on, as the element type `T` (a field, a form).
pub fn target<T: JsCast>(ev: &web_sys::Event) -> Option<T> {
    ev.target()?.dyn_into().ok()
}

/// The element with `id`, as the element type `T` (a field, a dialog).
pub fn by_id<T: JsCast>(id: &str) -> Option<T> {
    leptos::prelude::document()
        .get_element_by_id(id)?
        .dyn_into()
        .ok()
}

/// Every element matching `css` now, in the document's order.
pub fn all(css: &str) -> Vec<web_sys::Element> {
    let Ok(found) = leptos::prelude::document().query_selector_all(css) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into().ok())
        .collect()
}

/// The value of the form field with `id`, drawn as markup; empty when there is none.
pub fn value_of(id: &str) -> String {
    leptos::prelude::document()
        .get_element_by_id(id)
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Writes `text` into the element with `id` (a form's message line).
pub fn say(id: &str, text: &str) {
    if let Some(element) = leptos::prelude::document().get_element_by_id(id) {
        element.set_text_content(Some(text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_can_never_become_markup() {
        let hostile = r#"<img src=x onerror="alert(1)"> & 'quoted'"#;
        let html = text("p", "note\" onclick=\"x", hostile).into_html();
        assert_eq!(
            html,
            "<p class=\"note&quot; onclick=&quot;x\">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39;</p>"
        );
        assert!(!html.contains("<img"));
    }

    #[test]
    fn facts_pair_each_term_with_its_value() {
        let html = facts(vec![
            ("Store".into(), esc("A & B")),
            ("Items".into(), el("ul", "", text("li", "", "x"))),
        ])
        .into_html();
        assert_eq!(
            html,
            "<dl class=\"facts\"><dt>Store</dt><dd>A &amp; B</dd><dt>Items</dt><dd><ul><li>x</li></ul></dd></dl>"
        );
    }

    #[test]
    fn a_fill_places_each_part_once_and_in_order() {
        let html = Markup::fill("<a>{}</a><b>{}</b>{}", &[&esc("1<"), &esc("2")]).into_html();
        assert_eq!(html, "<a>1&lt;</a><b>2</b>");
    }

    #[test]
    fn every_control_is_parsed_back_from_its_code() {
        for act in Act::ALL {
            assert_eq!(Act::parse(act.code()), Some(act), "{act:?}");
        }
        assert_eq!(Act::parse("counter_open"), None);
        let html = button("button", Act::Photo, &[("index", "2\"")], "<b>").into_html();
        assert_eq!(
            html,
            "<button type=\"button\" class=\"button\" data-act=\"photo\" data-index=\"2&quot;\">&lt;b&gt;</button>"
        );
    }

    /// Every `inner_html` in the app is given markup's own HTML, so a plain string can never
    /// be set as a page's tags.
    #[test]
    fn only_markup_is_set_as_html() {
        fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let mut checked = 0;
        for file in files.iter().filter(|f| !f.ends_with("markup.rs")) {
            let code = std::fs::read_to_string(file).unwrap();
            for (at, _) in code.match_indices("inner_html") {
                checked += 1;
                // The expression given, up to the end of its attribute or call.
                let rest = &code[at..];
                let end = rest.find(['>', ';']).unwrap_or(rest.len());
                assert!(
                    rest[..end].contains("into_html()"),
                    "{}: `{}` is not given Markup::into_html()",
                    file.display(),
                    &rest[..end.min(80)]
                );
            }
        }
        assert!(
            checked > 5,
            "the scan found the app's inner_html ({checked})"
        );
    }
}
