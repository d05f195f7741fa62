//! The buyer's journey in a real headless Chromium, against the real server serving the release
//! build of the app: a build that "succeeds" but does not start fails here.
//!
//! Needs `RETOUR_DIST` (the built app) and Chromium; `cargo xtask test` provides both.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// ChromeDriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let program = env_path("CHROMEDRIVER", "/usr/bin/chromedriver");
    let child = Command::new(&program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {}: {e} (run `cargo xtask setup`)",
                program.display()
            )
        });
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "ChromeDriver did not start listening"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

async fn browser(driver: &Driver, profile: &std::path::Path) -> Client {
    let chromium = env_path("CHROMIUM", "/usr/bin/chromium");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // A phone-sized window: the journey must work there.
                "--window-size=390,844",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::rustls()
        .expect("TLS set-up")
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

async fn text_of(client: &Client, css: &str) -> String {
    wait_for(client, css).await.text().await.unwrap()
}

/// The text of `css` once it contains `needle`: the page updates asynchronously.
async fn wait_for_text(client: &Client, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = text_of(client, css).await;
        if text.contains(needle) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{css} never said {needle:?}; it says {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
}

/// Signs the browser in as a demo account, the way the page would: a same-origin fetch.
async fn sign_in(client: &Client, email: &str) {
    let account = retour_server::demo::ACCOUNTS
        .iter()
        .find(|a| a.email == email)
        .expect("a demo account");
    let script = "const [email, password, done] = arguments; \
        fetch('/api/login', {method: 'POST', headers: {'content-type': 'application/json'}, \
        body: JSON.stringify({email, password})}).then(r => done(r.status), e => done(String(e)));";
    let status = client
        .execute_async(script, vec![json!(email), json!(account.password)])
        .await
        .unwrap();
    assert_eq!(status, json!(200), "signing in as {email}");
}

#[tokio::test]
async fn a_buyer_files_a_return_and_the_seller_sees_it() {
    let dist = env_path("RETOUR_DIST", "../../dist");
    assert!(
        dist.join("index.html").exists(),
        "{} has no built app: run `cargo xtask build` first",
        dist.display()
    );
    let app = common::spawn_app_serving(&dist).await;
    let driver = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let client = browser(&driver, profile.path()).await;

    // The release build starts; signed in, it renders the buyer's orders from the API.
    client.goto(&app.url("/")).await.unwrap();
    sign_in(&client, "lucia@demo.retour").await;
    client.goto(&app.url("/")).await.unwrap();
    let order = text_of(&client, "article[data-order='ord-1005']").await;
    assert!(order.contains("Wool sweater"), "{order}");

    // Start a return from the line, as a buyer would.
    wait_for(&client, "article[data-order='ord-1005'] a.button")
        .await
        .click()
        .await
        .unwrap();
    let prompt = text_of(&client, ".verdict").await;
    assert!(prompt.contains("Choose a reason"), "{prompt}");

    // The verdict answers as the reason changes, computed in the browser: no request is made
    // (the page's resource entries do not grow). Delivered 3 days ago, the window is open.
    let requests = "return performance.getEntriesByType('resource').length";
    let before = client.execute(requests, vec![]).await.unwrap();
    wait_for(&client, "#reason")
        .await
        .select_by_value("no_longer_wanted")
        .await
        .unwrap();
    let verdict = wait_for_text(
        &client,
        ".verdict",
        "You can return it for any reason until",
    )
    .await;
    assert!(verdict.contains("paid by you"), "{verdict}");
    wait_for(&client, "#reason")
        .await
        .select_by_value("defective")
        .await
        .unwrap();
    let covered = wait_for_text(&client, ".verdict", "Covered by buyer protection").await;
    assert!(covered.contains("paid by the seller"), "{covered}");
    wait_for(&client, "#reason")
        .await
        .select_by_value("no_longer_wanted")
        .await
        .unwrap();
    wait_for_text(
        &client,
        ".verdict",
        "You can return it for any reason until",
    )
    .await;
    assert_eq!(client.execute(requests, vec![]).await.unwrap(), before);

    wait_for(&client, "button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let case = wait_for(&client, ".case[data-case]").await;
    let case_id = case.attr("data-case").await.unwrap().expect("the case id");
    wait_for_text(&client, ".status-header", "Waiting for the seller").await;
    assert!(client
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with(&case_id));

    // What the form sent is what the buyer chose.
    let filed: rules::api::CaseDetail = app
        .lucia()
        .await
        .get_json(&format!("/api/cases/{case_id}"))
        .await;
    assert_eq!(filed.summary.reason, rules::Reason::NoLongerWanted);
    assert_eq!(filed.summary.lines[0].line_id, "ord-1005-1");

    // A full page load of a deep link: the store's seller sees the new return in the queue.
    sign_in(&client, "jordan@demo.retour").await;
    client.goto(&app.url("/seller/returns")).await.unwrap();
    let row = text_of(&client, &format!("tr[data-case='{case_id}']")).await;
    assert!(row.contains("Wool sweater"), "{row}");
    assert!(row.contains("Waiting for the seller"), "{row}");

    client.close().await.unwrap();
}
