//! Serving the built app: files from Trunk's `dist/`, and `index.html` for the app's own paths so
//! deep links survive a reload.

use std::path::{Path, PathBuf};

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use tower_http::services::fs::ServeFileSystemResponseBody;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

type Files = ServeDir<MethodRouter>;
type FileResponse = Response<ServeFileSystemResponseBody>;

/// Trunk names every asset after its content hash, so a file found under its name never changes.
/// Anything else (a 404, the page telling that the app is not built) must not be kept.
fn cache_control(response: &FileResponse) -> Option<HeaderValue> {
    response
        .status()
        .is_success()
        .then_some(HeaderValue::from_static(
            "public, max-age=31536000, immutable",
        ))
}

pub fn service(dist: &Path) -> SetResponseHeader<Files, fn(&FileResponse) -> Option<HeaderValue>> {
    let index = dist.join("index.html");
    let fallback: MethodRouter = get(move |uri: Uri| app_page(uri, index.clone()));
    // `/` goes to the fallback too, so index.html is always served with `no-cache`: a browser
    // must never keep an old page that points at assets a new deployment removed.
    let files = ServeDir::new(dist)
        .append_index_html_on_directories(false)
        .fallback(fallback);
    SetResponseHeader::if_not_present(files, CACHE_CONTROL, cache_control as fn(&_) -> _)
}

async fn app_page(uri: Uri, index: PathBuf) -> Response {
    // A missing asset must stay a 404: index.html in place of a `.wasm` or `.js` file breaks the
    // page with a confusing parse error instead of an honest "not found".
    let last_segment = uri.path().rsplit('/').next().unwrap_or_default();
    if last_segment.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read(&index).await {
        Ok(html) => (
            [
                (CONTENT_TYPE, "text/html; charset=utf-8"),
                (CACHE_CONTROL, "no-cache"),
            ],
            html,
        )
            .into_response(),
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
