//! Headers every answer carries so a browser limits what a page of ours may do: run only our own
//! script and wasm, load only our own styles and images, never be framed by another site, never
//! be sniffed into another type. Browsers report what the policy blocked to `/api/csp-report`.

use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::AppState;

pub const CSP_REPORT_PATH: &str = "/api/csp-report";

/// The Content-Security-Policy for a page whose inline scripts are `inline_scripts`: each is
/// allowed by its hash, so the one Trunk writes to start the app runs and nothing injected does.
pub fn content_security_policy(inline_scripts: &[&str]) -> String {
    let hashes: String = inline_scripts
        .iter()
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'; \
         report-uri {CSP_REPORT_PATH}"
    )
}

/// The contents of the page's `<script>` elements that have no `src`.
pub fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body = &after[open_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(&body[..close]);
        }
        rest = &body[close..];
    }
    scripts
}

/// Adds the security headers to every answer that has not set its own (index.html sets a CSP
/// with its scripts' hashes).
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    // Served over HTTPS: the cookie is Secure then, and the browser is told to stay on HTTPS.
    let https = state.secure_cookies
        || (state.trusted_proxy
            && request
                .headers()
                .get("x-forwarded-proto")
                .is_some_and(|v| v.as_bytes() == b"https"));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "same-origin");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// The most of a report that is logged.
const REPORT_LOG_CHARS: usize = 2000;

/// `POST /api/csp-report`: a browser tells what the policy blocked. Counted and logged, so an
/// operator sees a broken page or an injection attempt; nothing else is done with it.
pub async fn report(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    state.csp_violations.fetch_add(1, Ordering::Relaxed);
    let text = String::from_utf8_lossy(&body);
    let text: String = text.chars().take(REPORT_LOG_CHARS).collect();
    tracing::warn!(
        user_agent = ?headers.get(header::USER_AGENT),
        report = %text,
        "the browser blocked something under the Content-Security-Policy"
    );
    StatusCode::NO_CONTENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed_into_the_policy() {
        let html = r#"<head><script src="/app.js"></script><script type="module">init();</script>
            <script>x</script></head>"#;
        assert_eq!(inline_scripts(html), vec!["init();", "x"]);
        let policy = content_security_policy(&inline_scripts(html));
        // echo -n 'init();' | openssl sha256 -binary | base64
        let digest = Sha256::digest(b"init();");
        let expected = base64::engine::general_purpose::STANDARD.encode(digest);
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
