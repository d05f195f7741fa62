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

/// Signs in through the app's own form, as a person would.
async fn sign_in(client: &Client, email: &str) {
    let account = retour_server::demo::ACCOUNTS
        .iter()
        .find(|a| a.email == email)
        .expect("a demo account");
    type_into(client, "#email", email).await;
    type_into(client, "#password", account.password).await;
    click(client, ".sign-in button[type=submit]").await;
    wait_for(client, "button.link").await;
}

async fn type_into(client: &Client, css: &str, text: &str) {
    let field = wait_for(client, css).await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

async fn click(client: &Client, css: &str) {
    wait_for(client, css).await.click().await.unwrap();
}

/// The whole page's text must hold no catalogue key: every word was translated.
async fn assert_translated(client: &Client, families: &[String]) {
    let text = text_of(client, "body").await;
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
        let family = word.split('.').next().unwrap_or_default();
        assert!(
            !(word.contains('.') && families.iter().any(|f| f == family)),
            "untranslated key {word:?} in {text}"
        );
    }
}

fn families() -> Vec<String> {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../locales/en.json"
    ))
    .unwrap();
    let catalogue: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&json).unwrap();
    let mut families: Vec<String> = catalogue
        .keys()
        .map(|k| k.split('.').next().unwrap().to_owned())
        .collect();
    families.dedup();
    families
}

struct Journey {
    app: common::TestApp,
    _driver: Driver,
    client: Client,
    _profile: tempfile::TempDir,
}

async fn journey() -> Journey {
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
    client.goto(&app.url("/")).await.unwrap();
    Journey {
        app,
        _driver: driver,
        client,
        _profile: profile,
    }
}

#[tokio::test]
async fn a_buyer_files_a_return_and_the_seller_sees_it() {
    let journey = journey().await;
    let (app, client) = (&journey.app, journey.client.clone());

    // The release build starts and asks who is there; a wrong password is said plainly, the
    // right one shows the buyer's orders from the API.
    type_into(&client, "#email", "lucia@demo.retour").await;
    type_into(&client, "#password", "not-her-password").await;
    click(&client, ".sign-in button[type=submit]").await;
    wait_for_text(
        &client,
        ".sign-in .form-error",
        "email or password is wrong",
    )
    .await;
    sign_in(&client, "lucia@demo.retour").await;
    let order = text_of(&client, "article[data-order='ord-1005']").await;
    assert!(order.contains("Wool sweater"), "{order}");
    // Before any form, each line says what it allows, from the rules in the browser.
    assert!(
        order.contains("You can return it for any reason until"),
        "{order}"
    );
    let in_transit = text_of(&client, "article[data-order='ord-1003']").await;
    assert!(
        in_transit.contains("You can report it as not received from"),
        "{in_transit}"
    );

    // Start a return from the line, as a buyer would.
    wait_for(&client, "article[data-order='ord-1005'] a.button")
        .await
        .click()
        .await
        .unwrap();
    let prompt = text_of(&client, ".verdict").await;
    assert!(prompt.contains("Choose the items and a reason"), "{prompt}");

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
    assert!(verdict.contains("you pay the return shipping"), "{verdict}");
    wait_for(&client, "#reason")
        .await
        .select_by_value("defective")
        .await
        .unwrap();
    let covered = wait_for_text(&client, ".verdict", "Covered by buyer protection").await;
    assert!(
        covered.contains("the seller pays the return shipping"),
        "{covered}"
    );
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

    // Signed out, the store's seller signs in: the new return is in the queue, also on a full
    // page load of a deep link.
    click(&client, "button.link").await;
    sign_in(&client, "jordan@demo.retour").await;
    wait_for(&client, &format!("tr[data-case='{case_id}']")).await;
    client.goto(&app.url("/seller/returns")).await.unwrap();
    let row = text_of(&client, &format!("tr[data-case='{case_id}']")).await;
    assert!(row.contains("Wool sweater"), "{row}");
    assert!(row.contains("Waiting for the seller"), "{row}");

    client.close().await.unwrap();
}

#[tokio::test]
async fn the_same_journey_in_chinese_and_spanish_shows_no_untranslated_key() {
    let journey = journey().await;
    let client = journey.client.clone();
    let families = families();
    sign_in(&client, "wei@demo.retour").await;
    wait_for(&client, ".language select")
        .await
        .select_by_value("zh-CN")
        .await
        .unwrap();
    wait_for_text(&client, "main", "我的订单").await;
    assert_translated(&client, &families).await;

    // Wei's case page in Chinese.
    client
        .goto(&journey.app.url("/returns/case-3006"))
        .await
        .unwrap();
    wait_for_text(&client, ".status-header", "等待寄回商品").await;
    assert_translated(&client, &families).await;

    // Lucía in Spanish: the orders and the wizard's steps.
    click(&client, "button.link").await;
    sign_in(&client, "lucia@demo.retour").await;
    wait_for(&client, ".language select")
        .await
        .select_by_value("es")
        .await
        .unwrap();
    wait_for_text(&client, "main", "Mis pedidos").await;
    assert_translated(&client, &families).await;
    click(&client, "article[data-order='ord-1005'] a.button").await;
    wait_for(&client, "#reason")
        .await
        .select_by_value("defective")
        .await
        .unwrap();
    wait_for_text(
        &client,
        ".verdict",
        "Cubierto por la protección al comprador",
    )
    .await;
    assert_translated(&client, &families).await;
    client.close().await.unwrap();
}
