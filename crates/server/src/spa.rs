//! Serving the built app: files from Trunk's `dist/`, and `index.html` for the app's own paths so
//! deep links survive a reload.

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::Router;
use tower_http::services::ServeDir;

use crate::security;

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

pub fn service(dist: &Path) -> Router {
    let index = dist.join("index.html");
    let fallback: MethodRouter =
        get(move |uri: Uri, headers: HeaderMap| app_page(uri, headers, index.clone()));
    // `/` goes to the fallback too, so index.html is always served with `no-cache`: a browser
    // must never keep an old page that points at assets a new deployment removed.
    // `cargo xtask build` writes FILE.br and FILE.gz beside each file: sent as they are, with
    // Content-Encoding and Vary, to browsers that accept them; nothing is compressed per request.
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(fallback);
    Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_by_name))
}

async fn app_page(uri: Uri, headers: HeaderMap, index: PathBuf) -> Response {
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
            let head = [
                (CONTENT_TYPE, "text/html; charset=utf-8".to_owned()),
                (CACHE_CONTROL, "no-cache".to_owned()),
                (CONTENT_SECURITY_POLICY, policy),
                (VARY, "accept-encoding".to_owned()),
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
    use super::content_hashed;

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
