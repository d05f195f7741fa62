//! The app's pages and their addresses, and moving between them without reloading.
//!
//! A hand-written router instead of `leptos_router`: the app has a handful of flat routes, and
//! the router crate cost 53 KB gzip of the first load for them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Every page the app has, with what its address carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    SignIn,
    Orders,
    /// The return wizard for one order, optionally starting with one line selected.
    Return {
        order_id: String,
        line: Option<String>,
    },
    Case {
        id: String,
    },
    /// The buyer's own return cases.
    MyReturns,
    /// The store credit the buyer holds.
    Credits,
    SellerReturns,
    /// The mediator's queue of escalated cases.
    Disputes,
    /// The seller's returns over a period, as charts and tables.
    Analytics,
    /// The rules the seller's orders are judged by.
    SellerPolicy,
    /// Which e-mails the signed-in person wants.
    Account,
    NotFound,
}

impl Route {
    /// Whether the page speaks with the words past the first screens' (`locales/*.more.json`):
    /// the case page, the return wizard, the analytics and the policy.
    pub fn needs_all_words(&self) -> bool {
        matches!(
            self,
            Route::Case { .. }
                | Route::Return { .. }
                | Route::Credits
                | Route::Analytics
                | Route::SellerPolicy
                | Route::Account
        )
    }

    /// The route of a path and its query (without the leading `?`), both as the browser has them.
    pub fn parse(path: &str, query: &str) -> Route {
        // Empty segments (doubled or trailing slashes) do not count; one that decodes to nothing
        // (an escape that is not UTF-8) names nothing of ours.
        let segments: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .map(decode)
            .collect();
        if segments.iter().any(String::is_empty) {
            return Route::NotFound;
        }
        let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
        match parts.as_slice() {
            [] => Route::Orders,
            ["sign-in"] => Route::SignIn,
            ["orders", order_id, "return"] => Route::Return {
                order_id: (*order_id).to_owned(),
                line: query_value(query, "line"),
            },
            ["returns"] => Route::MyReturns,
            ["credits"] => Route::Credits,
            ["returns", id] => Route::Case {
                id: (*id).to_owned(),
            },
            ["seller", "returns"] => Route::SellerReturns,
            ["seller", "analytics"] => Route::Analytics,
            ["seller", "policy"] => Route::SellerPolicy,
            ["mediator", "cases"] => Route::Disputes,
            ["account"] => Route::Account,
            _ => Route::NotFound,
        }
    }

    /// The address of the route, with every id kept inside its own path segment.
    pub fn href(&self) -> String {
        match self {
            Route::SignIn => "/sign-in".into(),
            Route::Orders => "/".into(),
            Route::Return { order_id, line } => {
                let mut href = format!("/orders/{}/return", encode(order_id));
                if let Some(line) = line {
                    href.push_str("?line=");
                    href.push_str(&encode(line));
                }
                href
            }
            Route::Case { id } => format!("/returns/{}", encode(id)),
            Route::MyReturns => "/returns".into(),
            Route::Credits => "/credits".into(),
            Route::SellerReturns => "/seller/returns".into(),
            Route::Analytics => "/seller/analytics".into(),
            Route::SellerPolicy => "/seller/policy".into(),
            Route::Disputes => "/mediator/cases".into(),
            Route::Account => "/account".into(),
            Route::NotFound => "/not-found".into(),
        }
    }
}

fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| decode(value))
        .filter(|value| !value.is_empty())
}

/// Percent-encoding for one path segment or query value: ids come from addresses the user can
/// edit, and stay inside their segment. Hand-written rather than the browser's
/// `encodeURIComponent` so it is tested natively too; the API client uses it as well.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    fn hex(digit: u8) -> Option<u8> {
        match digit {
            b'0'..=b'9' => Some(digit - b'0'),
            b'a'..=b'f' => Some(digit - b'a' + 10),
            b'A'..=b'F' => Some(digit - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&high), Some(&low)) => hex(high).zip(hex(low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, byte) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    // An escape that is not UTF-8 cannot name anything of ours: it reads as not found.
    String::from_utf8(out).unwrap_or_default()
}

/// The current route, shared by the whole app.
#[derive(Clone, Copy)]
pub struct Router {
    pub route: ReadSignal<Route>,
    set_route: WriteSignal<Route>,
}

/// The route of the browser's current address.
pub fn current() -> Route {
    let location = window().location();
    Route::parse(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
    )
}

impl Router {
    /// Starts following the address bar: back and forward buttons, and clicks on the app's own
    /// links, which change the page without reloading it.
    pub fn provide() -> Router {
        let (route, set_route) = signal(current());
        let router = Router { route, set_route };
        provide_context(router);
        window_event_listener(leptos::ev::popstate, move |_| set_route.set(current()));
        window_event_listener(leptos::ev::click, move |ev| {
            if let Some(href) = own_link(&ev) {
                ev.prevent_default();
                router.go(&href);
            }
        });
        router
    }

    /// Goes to `href` (an address of this app), adding it to the history.
    pub fn go(self, href: &str) {
        let _ = window()
            .history()
            .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href)));
        self.set_route.set(current());
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The app's router; panics outside the app, where there is none.
pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// The address of a plain left click on a link to this app, which the app handles itself; `None`
/// for anything the browser should do (new tab, download, another site).
fn own_link(ev: &web_sys::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let link = target.closest("a[href]").ok()??;
    if link.has_attribute("target") || link.has_attribute("download") {
        return None;
    }
    let link: web_sys::HtmlAnchorElement = link.dyn_into().ok()?;
    let here = window().location();
    (link.origin() == here.origin().ok()?)
        .then(|| format!("{}{}", link.pathname(), link.search()))
        .filter(|href| !href.starts_with("/api/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_reads_back_from_its_address() {
        let routes = [
            Route::SignIn,
            Route::Orders,
            Route::Return {
                order_id: "ord 1/2".into(),
                line: Some("l&1".into()),
            },
            Route::Return {
                order_id: "ord-1001".into(),
                line: None,
            },
            Route::Case {
                id: "case-3001".into(),
            },
            Route::MyReturns,
            Route::Credits,
            Route::SellerReturns,
            Route::Analytics,
            Route::SellerPolicy,
            Route::Disputes,
            Route::Account,
        ];
        for route in routes {
            let href = route.href();
            let (path, query) = href.split_once('?').unwrap_or((&href, ""));
            assert_eq!(Route::parse(path, query), route, "{href}");
        }
    }

    #[test]
    fn unknown_addresses_are_not_found_and_trailing_slashes_do_not_matter() {
        assert_eq!(Route::parse("/orders/x", ""), Route::NotFound);
        assert_eq!(Route::parse("/returns/a/b", ""), Route::NotFound);
        assert_eq!(Route::parse("/returns/%FF", ""), Route::NotFound);
        assert_eq!(
            Route::parse("/returns/%e6%a1%88%zz", ""),
            Route::Case {
                id: "案%zz".into()
            }
        );
        assert_eq!(Route::parse("/seller/returns/", ""), Route::SellerReturns);
        assert_eq!(
            Route::parse("/orders/o%2F1/return", "?x=1&line=a%20b"),
            Route::Return {
                order_id: "o/1".into(),
                line: Some("a b".into())
            }
        );
        assert_eq!(
            Route::parse("/orders/o/return", "line="),
            Route::Return {
                order_id: "o".into(),
                line: None
            }
        );
    }
}
