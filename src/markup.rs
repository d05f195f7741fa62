//! Read-only parts of a page written as HTML text, set with `inner_html`.
//!
//! Each `view!` compiles its own element-building code into the bundle; a case's facts, timeline
//! and messages are shown once and never patched, so writing them as text (every value escaped
//! here) costs a fraction of the bytes for the same DOM.

use wasm_bindgen::JsCast;

/// `text` safe to place between tags or inside a quoted attribute.
pub fn esc(text: &str) -> String {
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
    out
}

/// `<tag class="class">inner</tag>`, where `inner` is already markup (escaped text or tags).
pub fn el(tag: &str, class: &str, inner: &str) -> String {
    if class.is_empty() {
        format!("<{tag}>{inner}</{tag}>")
    } else {
        format!("<{tag} class=\"{}\">{inner}</{tag}>", esc(class))
    }
}

/// `<tag class="class">text</tag>` with `text` escaped.
pub fn text(tag: &str, class: &str, text: &str) -> String {
    el(tag, class, &esc(text))
}

/// A definition list's rows: each term with its value (already markup).
pub fn facts(rows: &[(String, String)]) -> String {
    let rows: String = rows
        .iter()
        .map(|(term, value)| format!("{}{}", text("dt", "", term), el("dd", "", value)))
        .collect();
    el("dl", "facts", &rows)
}

/// ` hidden` unless `shown`: for an element's opening tag.
pub fn hidden_unless(shown: bool) -> &'static str {
    if shown {
        ""
    } else {
        " hidden"
    }
}

/// `<button type="button" class="class" data-act="act" …>label</button>`: the page's one click
/// handler reads `data-act` (and `data-party` when given).
pub fn button(class: &str, act: &str, party: Option<&str>, label: &str) -> String {
    let party = party.map_or_else(String::new, |p| format!(" data-party=\"{}\"", esc(p)));
    format!(
        "<button type=\"button\" class=\"{}\" data-act=\"{}\"{party}>{}</button>",
        esc(class),
        esc(act),
        esc(label)
    )
}

/// The button drawn by [`button`] (or carrying `data-act`) that a click landed on, if any.
pub fn pressed(ev: &web_sys::MouseEvent) -> Option<web_sys::Element> {
    target::<web_sys::Element>(ev)?
        .closest("button[data-act]")
        .ok()?
}

/// What an event happened on, as the element type `T` (a field, a form).
pub fn target<T: JsCast>(ev: &web_sys::Event) -> Option<T> {
    ev.target()?.dyn_into().ok()
}

/// The element with `id`, drawn as markup, as the element type `T` (a field, a dialog).
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

/// Moves the keyboard focus to the element with `id`: a part just shown is where the viewer goes
/// next.
pub fn focus(id: &str) {
    if let Some(element) = by_id::<web_sys::HtmlElement>(id) {
        let _ = element.focus();
    }
}

/// Shows or hides the element with `id`, drawn as markup.
pub fn show(id: &str, shown: bool) {
    if let Some(element) = leptos::prelude::document().get_element_by_id(id) {
        let _ = if shown {
            element.remove_attribute("hidden")
        } else {
            element.set_attribute("hidden", "")
        };
    }
}

/// The value of the form field with `id`, drawn as markup; empty when there is none.
pub fn value_of(id: &str) -> String {
    leptos::prelude::document()
        .get_element_by_id(id)
        .and_then(|e| js_sys::Reflect::get(&e, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Sets the value of the form field with `id`.
pub fn set_value(id: &str, value: &str) {
    if let Some(field) = leptos::prelude::document().get_element_by_id(id) {
        let _ = js_sys::Reflect::set(&field, &"value".into(), &value.into());
    }
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
        let html = text("p", "note\" onclick=\"x", hostile);
        assert_eq!(
            html,
            "<p class=\"note&quot; onclick=&quot;x\">&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39;</p>"
        );
        assert!(!html.contains("<img"));
    }

    #[test]
    fn facts_pair_each_term_with_its_value() {
        let html = facts(&[
            ("Store".into(), esc("A & B")),
            ("Items".into(), el("ul", "", "<li>x</li>")),
        ]);
        assert_eq!(
            html,
            "<dl class=\"facts\"><dt>Store</dt><dd>A &amp; B</dd><dt>Items</dt><dd><ul><li>x</li></ul></dd></dl>"
        );
    }
}
