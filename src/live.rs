//! Server-sent events: a case's live stream, or a queue's, tells when someone else changed it.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Calls `changed` whenever the case changes on the server, while the calling page is shown.
pub fn follow_case(case_id: &str, changed: impl Fn() + 'static) {
    follow(&crate::api::case_path(case_id, "/live"), changed);
}

/// Calls `changed` at each change the stream at `path` announces, while the calling page is
/// shown. The browser's `EventSource` reconnects by itself after a dropped connection.
pub fn follow(path: &str, changed: impl Fn() + 'static) {
    listen(path, Box::new(changed));
}

/// What [`follow`] does, compiled once rather than once per page that follows a stream.
fn listen(path: &str, changed: Box<dyn Fn()>) {
    let Ok(source) = web_sys::EventSource::new(path) else {
        return;
    };
    let heard = Closure::wrap(changed);
    for name in ["case", "reload"] {
        let _ = source.add_event_listener_with_callback(name, heard.as_ref().unchecked_ref());
    }
    // Leaving the page (a reload, another address typed, the back-forward cache) closes the
    // stream too, rather than keeping one of the few connections a browser opens per server.
    if let Ok(close) = js_sys::Reflect::get(&source, &"close".into()) {
        let close = close.unchecked_into::<js_sys::Function>().bind0(&source);
        let _ = window().add_event_listener_with_callback("pagehide", &close);
    }
    let source = send_wrapper::SendWrapper::new((source, heard));
    on_cleanup(move || source.0.close());
}
