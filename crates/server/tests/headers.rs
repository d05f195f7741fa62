//! What every answer tells the browser: the security headers, the page's Content-Security-Policy
//! with its start-up script's hash, and caching that never keeps a file that can change.

mod common;

use std::time::Duration;

use common::{spawn_app, spawn_app_with, TestApp};
use reqwest::header::{HeaderMap, CACHE_CONTROL, IF_MODIFIED_SINCE, LAST_MODIFIED};
use reqwest::StatusCode;
use serde_json::json;

const PAGE: &str = r#"<!DOCTYPE html><html><head><title>Retour</title>
<script type="module">import init from '/retour-4f2a1b1c9d3e8f70.js'; init();</script>
</head><body></body></html>"#;

fn dist_of(app: &TestApp) -> std::path::PathBuf {
    app.state.dist.clone()
}

fn assert_protected(headers: &HeaderMap, what: &str) {
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(headers["x-frame-options"], "DENY", "{what}");
    assert_eq!(headers["referrer-policy"], "same-origin", "{what}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    std::fs::write(dist_of(&app).join("index.html"), PAGE).unwrap();
    let client = reqwest::Client::new();
    for path in [
        "/",
        "/orders",
        "/api/health",
        "/api/nothing-here",
        "/missing.wasm",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_protected(response.headers(), path);
        // Plain HTTP: no HSTS.
        assert!(response
            .headers()
            .get("strict-transport-security")
            .is_none());
    }
    // The page allows its own start-up script by hash, our files and wasm, nothing else.
    let page = client.get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let script = "import init from '/retour-4f2a1b1c9d3e8f70.js'; init();";
    let expected = retour_server::security::content_security_policy(&[script]);
    assert_eq!(csp, expected);
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("report-uri /api/csp-report"), "{csp}");

    // Served over HTTPS (Secure cookies), the browser is told to stay on HTTPS.
    let app = spawn_app_with(|state| state.secure_cookies = true).await;
    let response = client.get(app.url("/api/health")).send().await.unwrap();
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=31536000; includeSubDomains"
    );
    // Behind a trusted proxy that says the request came over HTTPS, too; from anyone else the
    // header proves nothing.
    let https = |app: &TestApp| {
        client
            .get(app.url("/api/health"))
            .header("x-forwarded-proto", "https")
            .send()
    };
    let untrusted = spawn_app().await;
    let response = https(&untrusted).await.unwrap();
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());
    let proxied = spawn_app_with(|state| state.trusted_proxy = true).await;
    let response = https(&proxied).await.unwrap();
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_some());
}

/// The page, and a person's data, are never kept by the browser (a page come back to with Back
/// takes what it may from the cache); the orders are kept and revalidated by their ETag.
#[tokio::test]
async fn the_page_and_a_persons_data_are_never_kept() {
    let app = spawn_app().await;
    std::fs::write(dist_of(&app).join("index.html"), PAGE).unwrap();
    let anonymous = reqwest::Client::new();
    for path in ["/", "/seller/returns", "/api/session"] {
        let answer = anonymous.get(app.url(path)).send().await.unwrap();
        assert_eq!(answer.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
    let lucia = app.lucia().await;
    for path in [
        "/api/session",
        "/api/cases?limit=25",
        "/api/notifications",
        "/api/credits",
    ] {
        let answer = lucia.get(path).await;
        assert_eq!(answer.status(), StatusCode::OK, "{path}");
        assert_eq!(answer.headers()[CACHE_CONTROL], "no-store", "{path}");
    }
    let orders = lucia.get("/api/orders").await;
    assert_eq!(orders.headers()[CACHE_CONTROL], "private, no-cache");
}

#[tokio::test]
async fn a_browsers_csp_report_is_counted() {
    let app = spawn_app().await;
    let report =
        json!({"csp-report": {"blocked-uri": "inline", "violated-directive": "script-src"}});
    let response = reqwest::Client::new()
        .post(app.url("/api/csp-report"))
        .header("content-type", "application/csp-report")
        .body(report.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.state
            .csp_violations
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
}

#[tokio::test]
async fn only_content_hashed_files_are_kept_for_good_and_a_changed_catalogue_is_served_anew() {
    let app = spawn_app().await;
    let dist = dist_of(&app);
    std::fs::write(dist.join("index.html"), PAGE).unwrap();
    std::fs::write(dist.join("retour-4f2a1b1c9d3e8f70.js"), "init()").unwrap();
    std::fs::create_dir_all(dist.join("locales")).unwrap();
    let catalogue = dist.join("locales").join("en.json");
    std::fs::write(&catalogue, r#"{"hello": "Hello"}"#).unwrap();
    let client = reqwest::Client::new();

    let js = client
        .get(app.url("/retour-4f2a1b1c9d3e8f70.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        js.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );

    let first = client
        .get(app.url("/locales/en.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.headers()[CACHE_CONTROL], "no-cache");
    let modified = first.headers()[LAST_MODIFIED].clone();
    assert_eq!(first.text().await.unwrap(), r#"{"hello": "Hello"}"#);
    // Unchanged: the browser's copy is confirmed without the bytes.
    let again = client
        .get(app.url("/locales/en.json"))
        .header(IF_MODIFIED_SINCE, modified.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[CACHE_CONTROL], "no-cache");

    // A deploy changes the catalogue under the same name: the browser gets the new one.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    std::fs::write(&catalogue, r#"{"hello": "Hello again"}"#).unwrap();
    let changed = client
        .get(app.url("/locales/en.json"))
        .header(IF_MODIFIED_SINCE, modified)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.text().await.unwrap(), r#"{"hello": "Hello again"}"#);
}

/// The app's files go out as they were compressed at build time: the `.br` or `.gz` beside each,
/// by what the browser accepts, the file itself to one that accepts neither.
#[tokio::test]
async fn files_compressed_at_build_time_are_sent_as_they_are() {
    let app = spawn_app().await;
    let dist = dist_of(&app);
    std::fs::write(dist.join("index.html"), PAGE).unwrap();
    std::fs::write(dist.join("index.html.br"), b"page in brotli").unwrap();
    let wasm = "retour-4f2a1b1c9d3e8f70_bg.wasm";
    std::fs::write(dist.join(wasm), b"\0asm plain").unwrap();
    std::fs::write(dist.join(format!("{wasm}.br")), b"wasm in brotli").unwrap();
    std::fs::write(dist.join(format!("{wasm}.gz")), b"wasm in gzip").unwrap();
    let client = reqwest::Client::new();
    for (accepts, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), "wasm in brotli"),
        ("gzip", Some("gzip"), "wasm in gzip"),
        ("identity", None, "\0asm plain"),
    ] {
        let response = client
            .get(app.url(&format!("/{wasm}")))
            .header("accept-encoding", accepts)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{accepts}");
        let headers = response.headers().clone();
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accepts}"
        );
        assert_eq!(headers["vary"], "accept-encoding", "{accepts}");
        assert_eq!(response.text().await.unwrap(), body, "{accepts}");
    }
    // The page itself: compressed at build time too, with its CSP computed from the plain file.
    let page = client
        .get(app.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(page.headers()["content-encoding"], "br");
    assert_eq!(page.headers()["vary"], "accept-encoding");
    assert_protected(page.headers(), "/ in brotli");
    assert_eq!(page.text().await.unwrap(), "page in brotli");
    let plain = client.get(app.url("/")).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), PAGE);
}

/// The page names what its first screen will ask for, so it downloads while the app does: the
/// words in the language the app will speak (chosen in the app, else the browser's) and the
/// signed-in person's first data.
#[tokio::test]
async fn the_page_preloads_its_first_screens_words_and_data() {
    let app = spawn_app().await;
    // The later pages' stylesheet as the build links it: disabled, under its hashed name.
    let page = PAGE.replace(
        "</head>",
        "<link disabled href=/style/later-0123456789abcdef.css id=later-style rel=stylesheet></head>",
    );
    std::fs::write(dist_of(&app).join("index.html"), page).unwrap();
    let link =
        |response: &reqwest::Response| response.headers()["link"].to_str().unwrap().to_owned();
    let stranger = reqwest::Client::new()
        .get(app.url("/"))
        .header("accept-language", "es-MX,es;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(
        link(&stranger),
        "</locales/es.json>; rel=preload; as=fetch; crossorigin"
    );
    // The language chosen in the app wins over the browser's.
    let chosen = reqwest::Client::new()
        .get(app.url("/"))
        .header("accept-language", "es")
        .header("cookie", "retour.locale=zh-CN")
        .send()
        .await
        .unwrap();
    assert!(link(&chosen).starts_with("</locales/zh-CN.json>"));
    let lucia = app.lucia().await;
    let orders = lucia.client.get(app.url("/")).send().await.unwrap();
    let orders = link(&orders);
    assert!(orders.starts_with("</locales/en.json>"), "{orders}");
    assert!(orders.contains("</api/orders>"), "{orders}");
    let case = lucia
        .client
        .get(app.url("/returns/case-3001"))
        .send()
        .await
        .unwrap();
    let case = link(&case);
    assert!(case.contains("</locales/en.more.json>"), "{case}");
    assert!(
        case.contains("</style/later-0123456789abcdef.css>; rel=preload; as=style"),
        "{case}"
    );
    assert!(case.contains("</api/cases/case-3001>"), "{case}");
    // A first screen does not download the later pages' styles.
    assert!(!orders.contains("later"), "{orders}");
}
