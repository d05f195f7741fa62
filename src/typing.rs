//! What the viewer has typed and opened on a page drawn as markup, so that drawing it again (the
//! other party acted, and the case is read anew) loses nothing: the fields' values and which
//! forms were open. Chosen files cannot be given back to a file field, and are not kept.

use wasm_bindgen::JsValue;

use crate::markup::all as elements;

/// The fields with an id and the open forms with an id under one element, as they were.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Typing {
    /// Each field's id, its value, and whether it was ticked (check boxes and radio buttons).
    fields: Vec<(String, String, bool)>,
    open_forms: Vec<String>,
}

fn property(element: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(element, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

impl Typing {
    /// What is typed and open under the element `scope` (a CSS selector) now.
    pub fn read(scope: &str) -> Typing {
        let fields = elements(&format!(
            "{scope} input[id]:not([type=file]), {scope} textarea[id], {scope} select[id]"
        ))
        .into_iter()
        .map(|field| {
            let value = property(&field, "value").as_string().unwrap_or_default();
            let ticked = property(&field, "checked").as_bool().unwrap_or(false);
            (field.id(), value, ticked)
        })
        .collect();
        let open_forms = elements(&format!("{scope} form[id]:not([hidden])"))
            .into_iter()
            .map(|form| form.id())
            .collect();
        Typing { fields, open_forms }
    }

    /// Opens the forms that were open and gives each field that is still there its value back.
    /// Each field then announces the change, so whatever follows it (the amount field of a
    /// partial refund, a tracking number's check) follows again.
    pub fn restore(&self) {
        let document = leptos::prelude::document();
        for id in &self.open_forms {
            crate::markup::show(id, true);
        }
        for (id, value, ticked) in &self.fields {
            let Some(field) = document.get_element_by_id(id) else {
                continue;
            };
            let _ = js_sys::Reflect::set(&field, &"value".into(), &value.into());
            let _ = js_sys::Reflect::set(&field, &"checked".into(), &(*ticked).into());
            let init = web_sys::EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
                let _ = field.dispatch_event(&event);
            }
        }
    }
}
