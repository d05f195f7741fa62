//! Serving the built app: files from Trunk's `dist/`, and `index.html` for the app's own paths so
//! deep links survive a reload.

use std::path::PathBuf;

use axum::extract::FromRequestParts;
use axum::extract::Request;
use axum::http::header::{
    ACCEPT_ENCODING, ACCEPT_LANGUAGE, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY,
    CONTENT_TYPE, LINK, VARY,
};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use tower_http::services::ServeDir;

use rules::api::{first, Role};

use crate::auth::{self, CurrentUser, LOCALE_COOKIE};
use crate::security;
use crate::words::Words;
use crate::AppState;

/// Trunk names the app's assets after their content (`retour-4f2a1b1c9d3e8f70_bg.wasm`): such a
/// name never changes its bytes, and a browser may keep it for good. Other files (the
/// catalogues under `locales/`) change under the same name at a deploy.
fn content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.bytes().take_while(u8::is_ascii_hexdigit).count() >= 16)
}

/// Immutable for content-hashed names; everything else is checked again at each use
/// (`no-cache` with the file's Last-Modified, so an unchanged file answers 304).
async fn cache_by_name(request: Request, next: Next) -> Response {
    let hashed = content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let status = response.status();
    let cacheable = status.is_success() || status == StatusCode::NOT_MODIFIED;
    if cacheable && !response.headers().contains_key(CACHE_CONTROL) {
        let value = if hashed {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(value));
    }
    // The same address answers in Brotli, gzip or plain by the request's Accept-Encoding: a
    // cache between must keep them apart.
    if cacheable {
        response
            .headers_mut()
            .insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

pub fn service(state: &AppState) -> Router {
    let dist = state.dist.clone();
    let index = dist.join("index.html");
    let state = state.clone();
    let fallback: MethodRouter =
        get(move |request: Request| app_page(request, index.clone(), state.clone()));
    // `/` goes to the fallback too, so index.html is always served with `no-store`: a browser
    // must never keep an old page that points at assets a new deployment removed.
    // `cargo xtask build` writes FILE.br and FILE.gz beside each file: sent as they are, with
    // Content-Encoding and Vary, to browsers that accept them; nothing is compressed per request.
    let files = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(fallback);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_by_name))
}

/// What the first screen of `path` will ask for, for whoever has `role` and speaks `language`:
/// its words (all of them where the page needs the second half too, with `later_style`, the
/// later pages' stylesheet) and its data. Named in the page's `Link` header, they download while
/// the app does instead of after it starts.
fn first_requests(
    path: &str,
    role: Option<Role>,
    language: &str,
    later_style: Option<&str>,
) -> Vec<String> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // An id goes into an address as it is only when the app would write it the same way.
    let plain = |id: &str| {
        id.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
    };
    let data = match (role, segments.as_slice()) {
        (None, _) => None,
        (Some(_), ["returns", id]) if plain(id) => Some(format!("/api/cases/{id}")),
        (Some(Role::Buyer), ["orders", id, "return"]) if plain(id) => {
            Some(format!("/api/orders/{id}"))
        }
        (Some(Role::Buyer), [] | ["orders"]) => Some(first::ORDERS.to_owned()),
        (Some(Role::Buyer), ["credits"]) => Some(first::CREDITS.to_owned()),
        (Some(_), ["account"]) => Some(first::MAIL.to_owned()),
        (Some(Role::Buyer), ["returns"])
        | (Some(Role::Seller), [] | ["seller", "returns"])
        | (Some(Role::Mediator), [] | ["mediator", "cases"]) => Some(first::QUEUE.to_owned()),
        _ => None,
    };
    let all_words = role.is_some()
        && matches!(
            segments.as_slice(),
            ["returns", _]
                | ["orders", _, "return"]
                | ["credits"]
                | ["account"]
                | ["seller", "analytics" | "policy"]
        );
    let mut wanted = vec![format!("/locales/{language}.json")];
    if all_words {
        // The later pages' words come with their stylesheet.
        wanted.push(format!("/locales/{language}.more.json"));
        wanted.extend(later_style.map(str::to_owned));
    }
    wanted.extend(data.map(as_fetched));
    wanted
}

/// An address of the API as the app's HTTP client asks for it: gloo-net ends an address that
/// has a query with `&` (it appends its own parameters, none here). A preload is used only by a
/// request for the very same address: without the `&` the queue's first page was fetched twice.
fn as_fetched(path: String) -> String {
    if path.contains('?') {
        path + "&"
    } else {
        path
    }
}

/// The address of the later pages' stylesheet, which the page links disabled (`id=later-style`)
/// under the name the build gave it (with its content hash), and the app enables with their words.
fn later_style(page: &str) -> Option<&str> {
    let at = page.find("later-style")?;
    let tag = &page[page[..at].rfind('<')?..];
    let tag = &tag[..tag.find('>')?];
    let href = &tag[tag.find("href=")? + "href=".len()..];
    let href = href.trim_start_matches('"');
    Some(&href[..href.find(['"', ' ', '>']).unwrap_or(href.len())]).filter(|h| h.ends_with(".css"))
}

/// The `Link` header that preloads `paths` as the app asks for them: the stylesheet as the page
/// links it, the rest as its own `fetch` does.
fn preload_header(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| {
            if p.ends_with(".css") {
                format!("<{p}>; rel=preload; as=style")
            } else {
                format!("<{p}>; rel=preload; as=fetch; crossorigin")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn app_page(request: Request, index: PathBuf, state: AppState) -> Response {
    let (mut parts, _) = request.into_parts();
    let (uri, headers) = (parts.uri.clone(), parts.headers.clone());
    // A missing asset must stay a 404: index.html in place of a `.wasm` or `.js` file breaks the
    // page with a confusing parse error instead of an honest "not found".
    let last_segment = uri.path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read_to_string(&index).await {
        Ok(html) => {
            // The page's own start-up script is allowed by its hash, read from the page served.
            let policy = security::content_security_policy(&security::inline_scripts(&html));
            // The language the app will speak: the one chosen in it (its cookie), else the
            // browser's, as the app picks it.
            let language = Words::choose(
                auth::cookie(&headers, LOCALE_COOKIE),
                headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
            )
            .code();
            let role = CurrentUser::from_request_parts(&mut parts, &state)
                .await
                .ok()
                .map(|user| user.role);
            let preload = preload_header(&first_requests(
                uri.path(),
                role,
                language,
                later_style(&html),
            ));
            let head = [
                (CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                // Never kept, not even whole in the back-forward cache: the page holds live
                // streams that close when it is left, and data that is stale when it returns.
                (CACHE_CONTROL, "no-store".to_owned()),
                (CONTENT_SECURITY_POLICY, policy),
                // The page differs by who asks and in which language.
                (VARY, "accept-encoding, accept-language, cookie".to_owned()),
                (LINK, preload),
            ];
            // The page compressed at build time, for a browser that takes Brotli.
            let brotli = headers
                .get(ACCEPT_ENCODING)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("br")));
            let packed = if brotli {
                let mut name = index.clone().into_os_string();
                name.push(".br");
                tokio::fs::read(name).await.ok()
            } else {
                None
            };
            match packed {
                Some(bytes) => (head, [(CONTENT_ENCODING, "br")], bytes).into_response(),
                None => (head, html).into_response(),
            }
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "The app is not built ({} is missing): run `cargo xtask serve`.",
                index.display()
            ),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::{content_hashed, first_requests, later_style, preload_header};
    use rules::api::Role;

    const LATER_STYLE: &str = "/style/later-0123456789abcdef.css";

    #[test]
    fn the_later_stylesheet_is_found_under_the_name_the_build_gave_it() {
        for page in [
            "<link disabled href=/style/later-0123456789abcdef.css id=later-style rel=stylesheet>",
            "<link rel=\"stylesheet\" id=\"later-style\" href=\"/style/later-0123456789abcdef.css\" disabled>",
        ] {
            assert_eq!(later_style(page), Some(LATER_STYLE), "{page}");
        }
        assert_eq!(later_style("<link href=/main.css rel=stylesheet>"), None);
    }

    #[test]
    fn each_first_screen_preloads_its_words_and_its_data() {
        let wanted = |path, role| first_requests(path, role, "es", Some(LATER_STYLE));
        assert_eq!(wanted("/", None), ["/locales/es.json"]);
        assert_eq!(wanted("/seller/returns", None), ["/locales/es.json"]);
        assert_eq!(
            wanted("/", Some(Role::Buyer)),
            ["/locales/es.json", "/api/orders"]
        );
        assert_eq!(
            wanted("/returns", Some(Role::Buyer)),
            ["/locales/es.json", "/api/cases?limit=25&"]
        );
        for (path, role) in [("/", Role::Seller), ("/mediator/cases", Role::Mediator)] {
            assert_eq!(
                wanted(path, Some(role)),
                ["/locales/es.json", "/api/cases?limit=25&"]
            );
        }
        assert_eq!(
            wanted("/returns/case-3001", Some(Role::Seller)),
            [
                "/locales/es.json",
                "/locales/es.more.json",
                LATER_STYLE,
                "/api/cases/case-3001"
            ]
        );
        assert_eq!(
            wanted("/orders/ord-1005/return", Some(Role::Buyer)),
            [
                "/locales/es.json",
                "/locales/es.more.json",
                LATER_STYLE,
                "/api/orders/ord-1005"
            ]
        );
        // An id the app would write otherwise is left for the app to ask for.
        assert_eq!(
            wanted("/returns/a%20b", Some(Role::Buyer)),
            ["/locales/es.json", "/locales/es.more.json", LATER_STYLE]
        );
        assert_eq!(
            wanted("/credits", Some(Role::Buyer)),
            [
                "/locales/es.json",
                "/locales/es.more.json",
                LATER_STYLE,
                "/api/credits"
            ]
        );
        assert_eq!(
            wanted("/seller/analytics", Some(Role::Seller)),
            ["/locales/es.json", "/locales/es.more.json", LATER_STYLE]
        );
        for role in [Role::Buyer, Role::Seller, Role::Mediator] {
            assert_eq!(
                wanted("/account", Some(role)),
                [
                    "/locales/es.json",
                    "/locales/es.more.json",
                    LATER_STYLE,
                    "/api/account/mail"
                ]
            );
        }
        assert_eq!(
            preload_header(&wanted("/seller/policy", Some(Role::Seller))),
            "</locales/es.json>; rel=preload; as=fetch; crossorigin, \
             </locales/es.more.json>; rel=preload; as=fetch; crossorigin, \
             </style/later-0123456789abcdef.css>; rel=preload; as=style"
        );
        assert_eq!(
            preload_header(&wanted("/", Some(Role::Buyer))),
            "</locales/es.json>; rel=preload; as=fetch; crossorigin, \
             </api/orders>; rel=preload; as=fetch; crossorigin"
        );
    }

    #[test]
    fn only_names_that_carry_their_content_hash_count_as_hashed() {
        assert!(content_hashed("/retour-4f2a1b1c9d3e8f70_bg.wasm"));
        assert!(content_hashed("/retour-4f2a1b1c9d3e8f70.js"));
        assert!(content_hashed("/main-0123456789abcdef.css"));
        assert!(!content_hashed("/locales/en.json"));
        assert!(!content_hashed("/locales/zh-CN.json"));
        assert!(!content_hashed("/index.html"));
        assert!(!content_hashed("/my-photo.jpg"));
    }
}
