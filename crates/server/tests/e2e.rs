//! The buyer's journey in a real headless Chromium, against the real server serving the release
//! build of the app: a build that "succeeds" but does not start fails here.
//!
//! Needs `RETOUR_DIST` (the built app) and Chromium; `cargo xtask test` provides both.

mod common;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

fn env_path(name: &str, default: &str) -> PathBuf {
    std::env::var_os(name).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// ChromeDriver on a free port with the browser profiles it was given. Dropping it stops
/// ChromeDriver and every Chromium it started (a test that fails never closes its sessions), and
/// only then deletes the profiles, so nothing is left running or on disk.
struct Driver {
    child: Child,
    url: String,
    profiles: Mutex<Vec<tempfile::TempDir>>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // ChromeDriver leads its own process group, which its browsers inherit. Without `--`,
        // procps' kill reads the negative group id as an option and kills nothing.
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
            .status();
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
        .process_group(0)
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
        profiles: Mutex::default(),
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

/// A new Chromium with a profile of its own (its own cookies), kept until the driver is dropped.
async fn browser(driver: &Driver) -> Client {
    browser_with(driver, None).await
}

/// The same, showing pages as a phone whose screen is `width` CSS pixels wide does (a headless
/// window cannot be made narrower than 500 px).
async fn phone(driver: &Driver, width: u32) -> Client {
    browser_with(driver, Some(width)).await
}

async fn browser_with(driver: &Driver, phone_width: Option<u32>) -> Client {
    let profile = tempfile::tempdir().unwrap();
    let chromium = env_path("CHROMIUM", "/usr/bin/chromium");
    let mut options = json!({
        "binary": chromium,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            // A phone-sized window: the journey must work there.
            "--window-size=390,844",
            format!("--user-data-dir={}", profile.path().display()),
        ],
    });
    if let Some(width) = phone_width {
        options["mobileEmulation"] = json!({
            "deviceMetrics": { "width": width, "height": 800, "pixelRatio": 2.0 }
        });
    }
    // Two TLS providers are compiled in (lettre's and fantoccini's): name the one to use.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    driver.profiles.lock().unwrap().push(profile);
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
        // The page may redraw the element between finding it and reading it: read again.
        let found = wait_for(client, css).await;
        let text = found.text().await.unwrap_or_default();
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
    let found = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await;
    match found {
        Ok(found) => found,
        Err(e) => {
            let page = match client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            // Tests run side by side: each names its screenshot after itself (its thread).
            let test = std::thread::current()
                .name()
                .unwrap_or("e2e")
                .replace("::", "-");
            let shot = std::env::temp_dir().join(format!("{test}.png"));
            if let Ok(png) = client.screenshot().await {
                let _ = std::fs::write(&shot, png);
            }
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            panic!(
                "{css} never appeared at {url}: {e}; the page says: {page} (screenshot: {})",
                shot.display()
            )
        }
    }
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

/// Chooses the option `value` of the list `css`: a reason, a language, a kind of ruling.
async fn choose(client: &Client, css: &str, value: &str) {
    wait_for(client, css)
        .await
        .select_by_value(value)
        .await
        .unwrap();
}

/// What the field `css` holds now.
async fn value_in(client: &Client, css: &str) -> String {
    let field = wait_for(client, css).await;
    field.prop("value").await.unwrap().unwrap_or_default()
}

/// Writes and sends a message on the case page.
async fn send_message(client: &Client, text: &str) {
    type_into(client, "#message", text).await;
    click(client, "#message-form button[type=submit]").await;
}

/// axe-core's rules for WCAG 2.0, 2.1 and 2.2 at levels A and AA: the gate every page passes.
const WCAG_AA: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']";

/// Runs axe-core (installed by the set-up) on the page as it is now, `what` naming the page and
/// its state; fails with every violation, its rule, its help and the elements at fault.
async fn accessible(client: &Client, what: &str) {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let axe = AXE.get_or_init(|| {
        let path = env_path(
            "RETOUR_AXE",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../.tools/node_modules/axe-core/axe.min.js"
            ),
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e} (run `cargo xtask setup`)",
                path.display()
            )
        })
    });
    let loaded = client
        .execute("return typeof window.axe !== 'undefined'", vec![])
        .await
        .unwrap();
    if loaded != json!(true) {
        client
            .execute(&format!("{axe}\nreturn true;"), vec![])
            .await
            .expect("axe-core loads");
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];\
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {WCAG_AA} }} }})\
           .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '\
             + v.nodes.map(n => n.target.join(' ')).join(', '))))\
           .catch(e => done(['axe-core failed: ' + e]));"
    );
    let violations = client.execute_async(&script, vec![]).await.unwrap();
    assert_eq!(violations, json!([]), "WCAG 2.2 AA violations on {what}");
}

async fn click(client: &Client, css: &str) {
    wait_for(client, css).await.click().await.unwrap();
}

/// Answers yes to the question a consequential click asked, and returns the question: what the
/// action will do, which the viewer read before saying yes.
async fn say_yes(client: &Client) -> String {
    let question = text_of(client, "dialog.confirm-dialog[open] #confirm-question").await;
    click(client, "dialog[open] [data-act=confirm-yes]").await;
    question
}

/// The whole page's text must hold no catalogue key: every word was translated.
async fn assert_translated(client: &Client, families: &[String]) {
    let text = text_of(client, "body").await;
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
        // A key is `family.name`; a sentence's last word ("… in our photos.") is not.
        let Some((family, name)) = word.split_once('.') else {
            continue;
        };
        assert!(
            name.is_empty() || !families.iter().any(|f| f == family),
            "untranslated key {word:?} in {text}"
        );
    }
}

fn families() -> Vec<String> {
    let mut families = Vec::new();
    for part in ["en.json", "en.more.json"] {
        let path = format!("{}/../../locales/{part}", env!("CARGO_MANIFEST_DIR"));
        let json = std::fs::read_to_string(path).unwrap();
        let catalogue: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&json).unwrap();
        families.extend(
            catalogue
                .keys()
                .map(|k| k.split('.').next().unwrap().to_owned()),
        );
    }
    families.sort();
    families.dedup();
    families
}

/// A 12-megapixel-class photo, as a phone takes it: 4000 × 3000 JPEG.
fn phone_photo(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("cracked-lid.jpg");
    let image = image::RgbImage::from_fn(4000, 3000, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x ^ y) % 239) as u8])
    });
    image.save(&path).unwrap();
    path
}

async fn next_step(client: &Client) {
    click(client, ".wizard button[type=submit]").await;
}

/// Fails the test if the browser reported anything the Content-Security-Policy blocked: the app
/// must start and work under it. Reports travel on their own, so they get a moment to arrive.
async fn no_csp_violations(app: &common::TestApp) {
    tokio::time::sleep(Duration::from_millis(800)).await;
    let reported = app
        .state
        .csp_violations
        .load(std::sync::atomic::Ordering::Relaxed);
    assert_eq!(
        reported, 0,
        "the browser reported {reported} Content-Security-Policy violations (the server log has them)"
    );
}

struct Journey {
    app: common::TestApp,
    _driver: Driver,
    client: Client,
}

async fn journey() -> Journey {
    journey_with(|_| {}).await
}

/// A journey on a server whose settings `configure` changes.
async fn journey_with(configure: impl FnOnce(&mut retour_server::AppState)) -> Journey {
    let dist = env_path("RETOUR_DIST", "../../dist");
    assert!(
        dist.join("index.html").exists(),
        "{} has no built app: run `cargo xtask build` first",
        dist.display()
    );
    let app = common::spawn_app_serving_with(&dist, configure).await;
    let driver = start_driver();
    let client = browser(&driver).await;
    client.goto(&app.url("/")).await.unwrap();
    Journey {
        app,
        _driver: driver,
        client,
    }
}

#[tokio::test]
async fn a_buyer_files_a_return_with_a_photo_and_follows_the_countdown() {
    let journey = journey().await;
    let (app, client) = (&journey.app, journey.client.clone());
    let photo_dir = tempfile::tempdir().unwrap();
    let photo = phone_photo(photo_dir.path());

    // The sign-in address, as a bookmark would open it: the page asks who is signed in without
    // an error in the console, and has its icon.
    client.goto(&app.url("/sign-in")).await.unwrap();
    wait_for(&client, "#email").await;
    let failed = client
        .execute(
            "return fetch('/favicon.ico').then(r => { \
               const loads = performance.getEntriesByType('resource'); \
               return [r.status, loads.filter(l => l.responseStatus >= 400).map(l => l.name), \
                       loads.filter(l => l.name.endsWith('/api/session')).length, \
                       loads.filter(l => l.name.endsWith('/locales/en.json')).length]; })",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        failed,
        json!([200, [], 1, 1]),
        "the icon, no failed request, and the session and the words asked once each \
         (preloaded by the page, then reused by the app)"
    );
    // A wrong password is said plainly; the right one shows the orders.
    accessible(&client, "the sign-in page").await;
    type_into(&client, "#email", "lucia@demo.retour").await;
    type_into(&client, "#password", "not-her-password").await;
    click(&client, ".sign-in button[type=submit]").await;
    wait_for_text(
        &client,
        ".sign-in .form-error",
        "email or password is wrong",
    )
    .await;
    accessible(&client, "the sign-in page with its error").await;
    sign_in(&client, "lucia@demo.retour").await;
    wait_for(&client, "article[data-order]").await;
    accessible(&client, "the buyer's orders").await;
    // Signed in from the sign-in address: the address bar shows where the buyer now is.
    let at = client.current_url().await.unwrap();
    assert_eq!(at.path(), "/", "{at}");
    // Coming back signed in, the page has the orders on their way before the app asks: each of
    // the first screen's requests is made once, and started with the page.
    client.goto(&app.url("/")).await.unwrap();
    wait_for(&client, "article[data-order]").await;
    let loads = client
        .execute(
            "const loads = performance.getEntriesByType('resource'); \
             return ['/api/session', '/locales/en.json', '/api/orders'].map(p => \
               loads.filter(l => l.name.endsWith(p)).map(l => l.initiatorType));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        loads,
        json!([["link"], ["link"], ["link"]]),
        "each asked once, by the page's preload"
    );

    // Before any form, each line says what it allows, from the rules in the browser.
    let in_transit = text_of(&client, "article[data-order='ord-1003']").await;
    assert!(
        in_transit.contains("You can report it as not received from"),
        "{in_transit}"
    );
    let fresh = text_of(&client, "article[data-order='ord-1005']").await;
    assert!(
        fresh.contains("You can return it for any reason until"),
        "{fresh}"
    );

    click(&client, "article[data-order='ord-1005'] a.button").await;
    // Items: the clicked line is chosen.
    wait_for_text(&client, ".wizard-step", "Which items?").await;
    accessible(&client, "the wizard's items").await;
    next_step(&client).await;
    // Reason: the verdict follows each choice with no request to the server.
    let requests = "return performance.getEntriesByType('resource').length";
    let before = client.execute(requests, vec![]).await.unwrap();
    choose(&client, "#reason", "no_longer_wanted").await;
    let verdict = wait_for_text(
        &client,
        ".verdict",
        "You can return it for any reason until",
    )
    .await;
    assert!(verdict.contains("you pay the return shipping"), "{verdict}");
    choose(&client, "#reason", "defective").await;
    let covered = wait_for_text(&client, ".verdict", "Covered by buyer protection").await;
    assert!(
        covered.contains("seller pays the return shipping"),
        "{covered}"
    );
    assert_eq!(client.execute(requests, vec![]).await.unwrap(), before);
    accessible(&client, "the wizard's reason, with its verdict").await;
    next_step(&client).await;
    // Resolution: only what is allowed, with the amount in the order's currency.
    click(&client, "input[name=resolution][value=return_and_refund]").await;
    let offered = text_of(&client, ".wizard-step").await;
    assert!(offered.contains("€"), "{offered}");
    accessible(&client, "the wizard's resolution").await;
    next_step(&client).await;
    type_into(
        &client,
        "#description",
        "The lid cracked on the first wash.",
    )
    .await;
    accessible(&client, "the wizard's details").await;
    next_step(&client).await;
    // Photos: a defect needs one; a phone-sized photo is scaled down in the browser.
    next_step(&client).await;
    wait_for_text(&client, "#wizard-problem", "Add at least one photo").await;
    accessible(&client, "the wizard's photos, with none yet").await;
    // A file that is not an image is named with the reason, and nothing is added.
    let not_a_photo = photo_dir.path().join("receipt.jpg");
    std::fs::write(&not_a_photo, b"%PDF-1.4 not an image").unwrap();
    wait_for(&client, ".photo-picker input[type=file][multiple]")
        .await
        .send_keys(not_a_photo.to_str().unwrap())
        .await
        .unwrap();
    wait_for_text(
        &client,
        ".photo-picker .form-error",
        "receipt.jpg: This file is not a photo",
    )
    .await;
    wait_for(&client, ".photo-picker input[type=file][multiple]")
        .await
        .send_keys(photo.to_str().unwrap())
        .await
        .unwrap();
    wait_for(&client, ".photos img").await;
    accessible(&client, "the wizard's photos, with one").await;
    next_step(&client).await;
    wait_for_text(&client, ".wizard-step", "Check and send").await;
    accessible(&client, "the wizard's review").await;
    next_step(&client).await;

    // The case page: what happens next, and when, counting down.
    let case = wait_for(&client, ".case[data-case]").await;
    let case_id = case.attr("data-case").await.unwrap().expect("the case id");
    let next = wait_for_text(
        &client,
        ".status-header .next",
        "If the seller does not act by",
    )
    .await;
    assert!(
        next.contains("your proposal is carried out automatically"),
        "{next}"
    );
    wait_for(&client, ".messages").await;
    accessible(&client, "the case page, for the buyer who filed it").await;

    // What the wizard sent: the buyer's choices and one photo, no larger than 2048 px.
    let filed: rules::api::CaseDetail = app
        .lucia()
        .await
        .get_json(&format!("/api/cases/{case_id}"))
        .await;
    assert_eq!(filed.summary.reason, rules::Reason::Defective);
    // The countdown is the rules' next deadline, counted from now.
    let deadline = filed.next_deadline.expect("a deadline").at;
    let left = deadline - chrono::Utc::now();
    let shown = format!("(in {} d {} h)", left.num_days(), left.num_hours() % 24);
    assert!(next.contains(&shown), "{next} should say {shown}");
    assert_eq!(filed.summary.lines[0].line_id, "ord-1005-1");
    assert_eq!(filed.evidence.len(), 1);
    let sent = &filed.evidence[0];
    assert_eq!((sent.width, sent.height), (2048, 1536));
    assert_eq!(sent.content_type, "image/jpeg");
    assert!(sent.size_bytes < 1_500_000, "{} bytes", sent.size_bytes);

    // The seller counters elsewhere: the buyer's page shows it without a reload, and the buyer
    // accepts it from the proposals board.
    let jordan = app.jordan().await;
    jordan
        .act(
            &filed,
            "propose",
            json!({"resolution": "partial_refund", "partial_amount_minor": 2000, "note": "Keep it, with 20 EUR back"}),
        )
        .await;
    let seller_side = wait_for_text(
        &client,
        ".proposal[data-party='seller']",
        "Keep it, with 20 EUR back",
    )
    .await;
    assert!(seller_side.contains("20.00"), "{seller_side}");
    wait_for_text(&client, ".status-header .next", "If you do not act by").await;
    accessible(&client, "the case page, with the seller's counter-offer").await;
    click(&client, ".proposal[data-party='seller'] button.primary").await;
    say_yes(&client).await;
    wait_for_text(&client, ".status-header", "Resolved").await;
    wait_for_text(&client, ".case", "Refunded").await;
    accessible(&client, "the case page, settled, asking for a rating").await;

    // Settled, the case asks for a rating; once given, it shows.
    click(&client, "#rate input[name=stars][value='4']").await;
    type_into(&client, "#rating-comment", "Quick and fair").await;
    click(&client, "#rate button[type=submit]").await;
    wait_for_text(&client, ".case", "You gave 4 of 5 stars.").await;

    // The store's seller, signed in elsewhere, sees it in the queue.
    click(&client, "button.link").await;
    sign_in(&client, "jordan@demo.retour").await;
    let row = text_of(&client, &format!("tr[data-case='{case_id}']")).await;
    assert!(row.contains("Wool sweater"), "{row}");
    accessible(&client, "the seller's queue").await;
    client.close().await.unwrap();
    no_csp_violations(&journey.app).await;
}

#[tokio::test]
async fn not_shipped_is_refunded_at_once_and_fresh_food_refuses_a_change_of_mind() {
    let journey = journey().await;
    let client = journey.client.clone();
    sign_in(&client, "lucia@demo.retour").await;
    // The policy holds and is reported: an image from another origin is refused (scripts run
    // through WebDriver are exempt from the page's policy, the loads they cause are not), and
    // the browser tells the server.
    client
        .execute(
            "const img = document.createElement('img'); \
             img.src = 'http://127.0.0.1:9/elsewhere.png'; document.body.append(img);",
            vec![],
        )
        .await
        .unwrap();
    let reports = &journey.app.state.csp_violations;
    let deadline = Instant::now() + Duration::from_secs(10);
    while reports.load(std::sync::atomic::Ordering::Relaxed) == 0 {
        assert!(
            Instant::now() < deadline,
            "no CSP report reached the server"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    reports.store(0, std::sync::atomic::Ordering::Relaxed);

    click(&client, "article[data-order='ord-1008'] a.button").await;
    next_step(&client).await;
    choose(&client, "#reason", "no_longer_wanted").await;
    let refused = wait_for_text(&client, ".verdict", "Not possible").await;
    assert!(
        refused.contains("Fresh or perishable food cannot be returned for a change of mind"),
        "{refused}"
    );

    // An order not shipped yet is cancelled in one step, for the amount its button says.
    client.goto(&journey.app.url("/")).await.unwrap();
    let cancel = "article[data-order='ord-1001'] [data-act=cancel-order]";
    let offer = text_of(&client, cancel).await;
    assert!(offer.starts_with("Cancel and refund"), "{offer}");
    let amount = offer.trim_start_matches("Cancel and refund ").to_owned();
    click(&client, cancel).await;
    wait_for_text(&client, ".case .status-header", "Resolved").await;
    let decision = wait_for_text(&client, ".decision", "Refunded").await;
    assert!(decision.contains(&amount), "{decision} pays {amount}");
    let lucia = journey.app.lucia().await;
    let orders: Vec<rules::api::OrderView> = lucia.get_json("/api/orders").await;
    let order = orders.iter().find(|o| o.order.id == "ord-1001").unwrap();
    assert_eq!(
        order.cases.len(),
        order.order.lines.len(),
        "every line cancelled"
    );
    // Back on the orders, the card says so and offers nothing more.
    client.goto(&journey.app.url("/")).await.unwrap();
    wait_for_text(&client, "article[data-order='ord-1001']", "In case").await;
    assert!(client.find(Locator::Css(cancel)).await.is_err());
    client.close().await.unwrap();
    no_csp_violations(&journey.app).await;
}

/// The operator's stricter file: 3 days to change one's mind, 30 at Northwind, and a rate card
/// from Madrid back to China. The browser judges by it exactly as the server does.
#[tokio::test]
async fn the_operators_policy_file_is_what_the_browser_judges_by() {
    let policies = rules::PolicySet::from_toml(
        r#"
[marketplace]
change_of_mind_days = 3
[sellers.s-north]
change_of_mind_days = 30
[shipping]
currency = "EUR"
[[shipping.routes]]
from = "ES"
to = "CN"
bands = [{ up_to_grams = 500, price = "14.90" }]
"#,
    )
    .unwrap();
    let journey = journey_with(|state| state.policies = std::sync::Arc::new(policies)).await;
    let client = journey.client.clone();
    sign_in(&client, "lucia@demo.retour").await;
    // The order cards already judge by it: the tea house's speaker, delivered 10 days ago, is
    // out of its 3 days; Northwind's lamp, 20 days ago, within its 30.
    let speaker = wait_for_text(&client, "article[data-order='ord-1006']", "Bluetooth").await;
    assert!(!speaker.contains("Can be returned."), "{speaker}");
    let lamp = text_of(&client, "article[data-order='ord-1007']").await;
    assert!(lamp.contains("Can be returned."), "{lamp}");
    click(&client, "article[data-order='ord-1006'] a.button").await;
    next_step(&client).await;
    choose(&client, "#reason", "no_longer_wanted").await;
    wait_for_text(&client, ".verdict", "Not possible").await;

    client.goto(&journey.app.url("/")).await.unwrap();
    click(&client, "article[data-order='ord-1007'] a.button").await;
    next_step(&client).await;
    choose(&client, "#reason", "no_longer_wanted").await;
    wait_for_text(&client, ".verdict", "You can ask for this").await;

    // The cable: the quote, and a refund without sending it back.
    client.goto(&journey.app.url("/")).await.unwrap();
    click(&client, "article[data-order='ord-1012'] a.button").await;
    next_step(&client).await;
    choose(&client, "#reason", "defective").await;
    let verdict = wait_for_text(&client, ".verdict", "Sending it back costs").await;
    assert!(verdict.contains("14.90"), "{verdict}");
    assert!(verdict.contains("more than it is worth"), "{verdict}");

    // Northwind's seller reads the 30 days on a page of their own.
    client.goto(&journey.app.url("/")).await.unwrap();
    click(&client, "button.link").await;
    sign_in(&client, "jordan@demo.retour").await;
    client
        .goto(&journey.app.url("/seller/policy"))
        .await
        .unwrap();
    let page = wait_for_text(&client, "main", "Northwind Outfitters").await;
    assert!(page.contains("Change of mind, from delivery"), "{page}");
    assert!(page.contains("30 days"), "{page}");
    accessible(&client, "the seller's policy page").await;
    client.close().await.unwrap();
    no_csp_violations(&journey.app).await;
}

#[tokio::test]
async fn the_same_journey_in_chinese_and_spanish_shows_no_untranslated_key() {
    let journey = journey().await;
    let client = journey.client.clone();
    let families = families();
    sign_in(&client, "wei@demo.retour").await;
    choose(&client, ".language select", "zh-CN").await;
    wait_for_text(&client, "main", "我的订单").await;
    assert_translated(&client, &families).await;
    // The choice is remembered on this browser, and the page preloads its words: the Chinese
    // ones are fetched once, by the page's preload, and no others.
    client.refresh().await.unwrap();
    wait_for_text(&client, "main", "我的订单").await;
    let loads = client
        .execute(
            "return performance.getEntriesByType('resource') \
               .filter(l => l.name.includes('/locales/')) \
               .map(l => [new URL(l.name).pathname, l.initiatorType]);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(loads, json!([["/locales/zh-CN.json", "link"]]), "{loads}");

    // Wei sends back case-3006: a wrong check digit is caught once typed (the field left), in
    // Chinese.
    client
        .goto(&journey.app.url("/returns/case-3006"))
        .await
        .unwrap();
    wait_for_text(&client, ".status-header", "等待寄回商品").await;
    assert_translated(&client, &families).await;
    type_into(&client, "#return-tracking", "1Z999AA10123456785").await;
    press(&client, Key::Tab).await;
    wait_for_text(&client, ".tracking-feedback", "校验位不正确").await;
    type_into(&client, "#return-tracking", "1Z999AA10123456784").await;
    wait_for_text(&client, ".tracking-feedback", "UPS").await;

    // Lucía in Spanish: the orders and the wizard's steps.
    click(&client, "button.link").await;
    sign_in(&client, "lucia@demo.retour").await;
    choose(&client, ".language select", "es").await;
    wait_for_text(&client, "main", "Mis pedidos").await;
    assert_translated(&client, &families).await;
    click(&client, "article[data-order='ord-1005'] a.button").await;
    next_step(&client).await;
    choose(&client, "#reason", "defective").await;
    wait_for_text(
        &client,
        ".verdict",
        "Cubierto por la protección al comprador",
    )
    .await;
    assert_translated(&client, &families).await;
    client.close().await.unwrap();
    no_csp_violations(&journey.app).await;
}

#[tokio::test]
async fn the_sellers_and_the_mediators_screens_in_chinese_and_spanish_show_no_untranslated_key() {
    let journey = journey().await;
    let (app, client) = (&journey.app, journey.client.clone());
    let families = families();

    // Mei in Chinese: her queue, a case with each form open and a refusal, her analytics.
    sign_in(&client, "mei@demo.retour").await;
    choose(&client, ".language select", "zh-CN").await;
    wait_for_text(&client, "h1", "退货案件").await;
    wait_for(&client, "tr[data-case]").await;
    assert_translated(&client, &families).await;
    accessible(&client, "the seller's queue, in Chinese").await;
    client.goto(&app.url("/returns/case-3001")).await.unwrap();
    wait_for_text(&client, ".board", "方案").await;
    // The case file's summary will be in her language too.
    let file = wait_for(&client, "a[download]").await;
    let href = file.attr("href").await.unwrap().unwrap_or_default();
    assert!(href.ends_with("/bundle?lang=zh-CN"), "{href}");
    click(&client, "[data-act=counter-open]").await;
    click(&client, "[data-act=reject-open]").await;
    click(&client, "#reject button[type=submit]").await;
    assert!(
        !text_of(&client, "#reject-error").await.is_empty(),
        "a rejection needs a reason"
    );
    assert_translated(&client, &families).await;
    accessible(
        &client,
        "the seller's case page, its forms open, in Chinese",
    )
    .await;
    client.goto(&app.url("/returns/case-3004")).await.unwrap();
    wait_for(&client, ".proposal[data-party=platform]").await;
    assert_translated(&client, &families).await;
    accessible(&client, "an escalated case, for the seller").await;
    client.goto(&app.url("/seller/analytics")).await.unwrap();
    wait_for_text(&client, "h1", "退货数据").await;
    wait_for(&client, ".charts svg").await;
    assert_translated(&client, &families).await;
    accessible(&client, "the seller's analytics, in Chinese").await;

    // Amara in Spanish: the escalated cases, then one with the risk signals and the ruling form.
    click(&client, "button.link").await;
    sign_in(&client, "amara@demo.retour").await;
    choose(&client, ".language select", "es").await;
    wait_for_text(&client, "h1", "Casos escalados").await;
    wait_for(&client, "tr[data-case='case-3004']").await;
    accessible(&client, "the mediator's escalated cases, in Spanish").await;
    click(&client, "tr[data-case='case-3004'] a").await;
    wait_for_text(&client, ".risk", "Señales de riesgo").await;
    // Rates are written the Spanish way (WebDriver reads the no-break space as a space).
    wait_for_text(&client, "#risk", ",0 %").await;
    wait_for(&client, "#rule-kind").await;
    assert_translated(&client, &families).await;
    accessible(&client, "the mediator's console, in Spanish").await;
    client.close().await.unwrap();
    no_csp_violations(&journey.app).await;
}

#[tokio::test]
async fn a_rejected_buyer_counters_writes_and_escalates() {
    let journey = journey().await;
    let (app, client) = (&journey.app, journey.client.clone());
    // Filed and rejected elsewhere: the buyer opens the case.
    let filed = app
        .lucia()
        .await
        .file_line("ord-1006", "not_as_described", "return_and_refund")
        .await;
    sign_in(&client, "lucia@demo.retour").await;
    client
        .goto(&app.url(&format!("/returns/{}", filed.summary.id)))
        .await
        .unwrap();
    wait_for_text(&client, ".status-header", "Waiting for the seller").await;

    // A message, sent and shown.
    send_message(&client, "The colour is nothing like the photos.").await;
    wait_for_text(
        &client,
        ".message-list",
        "The colour is nothing like the photos.",
    )
    .await;

    // A counter-offer with an amount above what was paid is refused in the form; a fair one is
    // sent and stands on the board as the buyer's.
    click(&client, "button[data-act='counter-open']").await;
    type_into(&client, "#counter-amount", "100000").await;
    click(&client, "#counter button[type=submit]").await;
    wait_for_text(&client, "#counter-error", "no more than the maximum shown").await;
    type_into(&client, "#counter-amount", "150").await;
    type_into(&client, "#counter-note", "Keep it for a partial refund").await;
    click(&client, "#counter button[type=submit]").await;
    wait_for_text(
        &client,
        ".proposal[data-party='buyer']",
        "Keep it for a partial refund",
    )
    .await;

    // The seller rejects: the buyer's page shows it live, and the buyer asks the platform.
    let mei = app.mei().await;
    let current: rules::api::CaseDetail = mei
        .get_json(&format!("/api/cases/{}", filed.summary.id))
        .await;
    mei.act(&current, "reject", json!({"reason": "Colour is as listed"}))
        .await;
    wait_for_text(&client, ".status-header", "Colour is as listed").await;
    click(&client, "button[data-act='escalate']").await;
    say_yes(&client).await;
    wait_for_text(&client, ".status-header", "With the platform's mediator").await;
    client.close().await.unwrap();
    no_csp_violations(&journey.app).await;
}
/// A second person at the same server, in their own browser.
async fn second_browser(app: &common::TestApp, driver: &Driver) -> Client {
    let client = browser(driver).await;
    client.goto(&app.url("/")).await.unwrap();
    client
}

#[tokio::test]
async fn buyer_and_seller_negotiate_live_in_two_browsers_and_the_clock_acts_for_the_silent() {
    let Journey {
        app,
        _driver,
        client: buyer,
    } = journey().await;
    let seller = second_browser(&app, &_driver).await;
    sign_in(&buyer, "lucia@demo.retour").await;
    sign_in(&seller, "jordan@demo.retour").await;
    wait_for(&seller, "#queue-filters").await;
    let before = text_of(&seller, "main").await;

    // (a) The buyer files; the seller's queue shows it without a reload.
    let lucia = app.lucia().await;
    let case = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let id = case.summary.id.clone();
    wait_for(&seller, &format!("tr[data-case='{id}']")).await;
    assert!(!before.contains(&id));
    buyer
        .goto(&app.url(&format!("/returns/{id}")))
        .await
        .unwrap();
    wait_for_text(&buyer, ".status-header", "Waiting for the seller").await;

    // The seller opens it from the queue, sees the buyer's side, and counters.
    click(&seller, &format!("tr[data-case='{id}'] a")).await;
    wait_for_text(&seller, ".board", "The buyer's proposal").await;
    wait_for(&seller, "[data-act=reject-open]").await;
    accessible(&seller, "the case page, for the seller asked to answer").await;
    click(&seller, "[data-act=counter-open]").await;
    choose(&seller, "#counter-kind", "partial_refund").await;
    type_into(&seller, "#counter-amount", "999").await;
    click(&seller, "#counter button[type=submit]").await;
    let refused = text_of(&seller, "#counter-error").await;
    assert!(
        !refused.is_empty(),
        "a refund above what was paid is refused in the form"
    );
    type_into(&seller, "#counter-amount", "20").await;
    type_into(&seller, "#counter-note", "Keep it, with 20 back").await;
    // The seller attaches a photo of the item as it left the warehouse.
    let photos = tempfile::tempdir().unwrap();
    let packed = photos.path().join("packed.png");
    std::fs::write(
        &packed,
        retour_server::photos::sample(120, 90, [40, 120, 200], image::ImageFormat::Png),
    )
    .unwrap();
    wait_for(&seller, "#counter-photos")
        .await
        .send_keys(packed.to_str().unwrap())
        .await
        .unwrap();
    // The buyer writes twice, and adds a photo from her phone, meanwhile: all of it arrives on
    // the seller's screen, the photo beside her proposal, and the half-made counter-offer is
    // still there, open, as the seller typed it, with the photo chosen.
    send_message(&buyer, "Can you tell me soon?").await;
    wait_for_text(&seller, ".messages", "Can you tell me soon?").await;
    send_message(&buyer, "It is for a gift").await;
    wait_for_text(&seller, ".messages", "It is for a gift").await;
    let photo = retour_server::photos::sample(160, 120, [200, 40, 40], image::ImageFormat::Png);
    let added = lucia.upload(&id, "close-up.png", photo).await;
    assert!(
        added.status().is_success(),
        "{}",
        added.text().await.unwrap()
    );
    // Her second photo: the first came with the filing.
    wait_for(
        &seller,
        ".proposal[data-party=buyer] .thumb-ref[data-index='1']",
    )
    .await;
    let form = wait_for(&seller, "#counter").await;
    assert_eq!(
        form.attr("hidden").await.unwrap(),
        None,
        "the form stays open"
    );
    for (field, typed) in [
        ("#counter-amount", "20"),
        ("#counter-note", "Keep it, with 20 back"),
    ] {
        assert_eq!(value_in(&seller, field).await, typed, "{field} kept");
    }
    let chosen = seller
        .execute(
            "return document.getElementById('counter-photos').files.length",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chosen, serde_json::json!(1), "the chosen photo is kept");
    // The buyer's box empties once sent.
    assert_eq!(value_in(&buyer, "#message").await, "");
    click(&seller, "#counter button[type=submit]").await;
    wait_for_text(
        &seller,
        ".proposal[data-party=seller]",
        "Keep it, with 20 back",
    )
    .await;
    // The counter-offer went with its photo, and the form emptied.
    wait_for(&seller, ".proposal[data-party=seller] .thumb-ref").await;
    assert_eq!(value_in(&seller, "#counter-note").await, "");

    // The buyer sees the counter-offer arrive, and accepts it.
    wait_for_text(
        &buyer,
        ".proposal[data-party=seller]",
        "Keep it, with 20 back",
    )
    .await;
    click(&buyer, "[data-act=accept][data-party=seller]").await;
    // Accepting asks first, saying what is accepted: nothing is sent until the buyer says yes.
    let question = text_of(&buyer, "dialog.confirm-dialog[open] #confirm-question").await;
    assert!(
        question.contains("Accept the seller's proposal") && question.contains("20.00"),
        "{question}"
    );
    accessible(&buyer, "the question before accepting a counter-offer").await;
    click(&buyer, "dialog[open] [data-act=confirm-keep]").await;
    assert!(buyer
        .find(Locator::Css("dialog.confirm-dialog[open]"))
        .await
        .is_err());
    assert!(
        lucia.case(&id).await.case.agreement.is_none(),
        "kept as it was"
    );
    click(&buyer, "[data-act=accept][data-party=seller]").await;
    say_yes(&buyer).await;
    wait_for_text(&buyer, ".status-header", "Resolved").await;
    // The seller's screen follows without a reload.
    wait_for_text(&seller, ".status-header", "Resolved").await;
    // Both read what was decided, by whom; the clock's refund is paid as agreed, not for want
    // of anyone acting.
    for screen in [&buyer, &seller] {
        let decision = wait_for_text(screen, ".decision", "Refunded").await;
        assert!(decision.contains("20.00"), "{decision}");
        assert!(decision.contains("A proposal was accepted"), "{decision}");
        let timeline = wait_for_text(screen, ".timeline", "The refund agreed on was issued").await;
        assert!(!timeline.contains("did not"), "{timeline}");
    }
    accessible(&seller, "a settled case, for the seller").await;
    let settled = app.lucia().await.case(&id).await;
    assert!(
        matches!(settled.case.outcome, Some(rules::Outcome::Refunded { amount }) if amount.minor == 2000),
        "{:?}",
        settled.case.outcome
    );

    // (c) A second case the seller leaves alone: the clock moves past the deadline and both
    // screens show the buyer's proposal carried out by the system.
    let case = lucia
        .file_line("ord-1009", "defective", "return_and_refund")
        .await;
    let id = case.summary.id.clone();
    buyer
        .goto(&app.url(&format!("/returns/{id}")))
        .await
        .unwrap();
    seller
        .goto(&app.url(&format!("/returns/{id}")))
        .await
        .unwrap();
    wait_for_text(&seller, ".status-header", "Waiting for the seller").await;
    wait_for_text(&buyer, ".status-header", "Waiting for the seller").await;
    app.clock.advance(chrono::TimeDelta::days(6));
    retour_server::sweeper::sweep(&app.state).await.unwrap();
    for screen in [&buyer, &seller] {
        wait_for_text(screen, "main", "Retour (automatic)").await;
        wait_for_text(screen, "main", "proposal is carried out automatically").await;
    }
    let swept = app.lucia().await.case(&id).await;
    assert!(
        swept
            .timeline
            .iter()
            .any(|e| e.who.is_none() && matches!(e.event.what, rules::EventKind::Automatic(_))),
        "the system carried out the buyer's proposal"
    );
    assert_eq!(swept.summary.state, rules::CaseState::AwaitingReturnAddress);
    no_csp_violations(&app).await;
}

/// Opens case `id` in each of `screens`.
async fn open_case(app: &common::TestApp, id: &str, screens: &[&Client]) {
    for screen in screens {
        screen
            .goto(&app.url(&format!("/returns/{id}")))
            .await
            .unwrap();
        wait_for(screen, ".status-header").await;
    }
}

#[tokio::test]
async fn a_return_goes_back_with_tracking_and_a_rejection_is_ruled_by_the_mediator() {
    let Journey {
        app,
        _driver,
        client: buyer,
    } = journey().await;
    let seller = second_browser(&app, &_driver).await;
    let mediator = second_browser(&app, &_driver).await;
    sign_in(&buyer, "lucia@demo.retour").await;
    sign_in(&seller, "jordan@demo.retour").await;
    sign_in(&mediator, "amara@demo.retour").await;
    let lucia = app.lucia().await;

    // (d) Return and refund: the seller accepts and gives a saved address, the buyer sends the
    // goods with a tracking number, the seller confirms they arrived: refunded.
    let id = lucia
        .file_line("ord-1010", "defective", "return_and_refund")
        .await
        .summary
        .id;
    open_case(&app, &id, &[&buyer, &seller]).await;
    click(&seller, ".proposal[data-party=buyer] [data-act=accept]").await;
    say_yes(&seller).await;
    wait_for(&seller, "#address-saved option[value='']").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let address = loop {
        let typed = value_in(&seller, "#address-text").await;
        if !typed.is_empty() {
            break typed;
        }
        assert!(Instant::now() < deadline, "no saved address was offered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(address.contains("Northwind"), "{address}");
    click(&seller, "#address button[type=submit]").await;
    wait_for_text(&buyer, ".status-header", &address).await;
    type_into(&buyer, "#return-tracking", "RB776655444CN").await;
    click(&buyer, "#ship-return button[type=submit]").await;
    wait_for_text(&seller, ".return-step", "RB776655444CN").await;
    // The carrier reports the delivery, as `retour-server carrier` does for the demo: the
    // seller's screen shows it at once, with the time left to inspect.
    // On a blocking thread: the server answering it runs on this test's own thread.
    let url = app.url("");
    let delivered = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_retour-server"))
            .args([
                "carrier",
                "RB776655444CN",
                "delivered",
                "--location",
                "Leeds",
            ])
            .args(["--url", &url])
            .output()
    })
    .await
    .unwrap()
    .expect("the carrier command runs");
    assert!(
        delivered.status.success(),
        "{}",
        String::from_utf8_lossy(&delivered.stderr)
    );
    wait_for_text(&seller, ".parcel", "Delivered").await;
    let header = wait_for_text(&seller, ".status-header", "The goods are back").await;
    assert!(header.contains("7 d") || header.contains("6 d"), "{header}");
    wait_for_text(&buyer, ".parcel", "Leeds").await;
    click(&seller, "[data-act=confirm-receipt]").await;
    let question = say_yes(&seller).await;
    assert!(question.contains("refunded to the buyer"), "{question}");
    for screen in [&seller, &buyer] {
        wait_for_text(screen, ".status-header", "Resolved").await;
    }
    let done = lucia.case(&id).await;
    assert!(matches!(
        done.case.outcome,
        Some(rules::Outcome::Refunded { .. })
    ));

    // (b) The seller rejects with a reason, the buyer escalates, the mediator rules a refund.
    let id = lucia
        .file_line("ord-1005", "defective", "return_and_refund")
        .await
        .summary
        .id;
    open_case(&app, &id, &[&buyer, &seller]).await;
    click(&seller, "[data-act=reject-open]").await;
    click(&seller, "#reject button[type=submit]").await;
    assert!(
        !text_of(&seller, "#reject-error").await.is_empty(),
        "a reason is required"
    );
    type_into(
        &seller,
        "#reject-reason",
        "It works: the photos show no fault",
    )
    .await;
    click(&seller, "#reject button[type=submit]").await;
    wait_for_text(
        &buyer,
        ".status-header",
        "It works: the photos show no fault",
    )
    .await;
    // A rejection reads as what it is: no proposal waits for the seller.
    let header = wait_for_text(&buyer, ".status-header", "Rejected by the seller").await;
    assert!(!header.contains("waiting for an answer"), "{header}");
    click(&buyer, "[data-act=escalate]").await;
    // Escape keeps things as they are, as in every dialog.
    wait_for(&buyer, "dialog.confirm-dialog[open]").await;
    press(&buyer, Key::Escape).await;
    assert!(buyer
        .find(Locator::Css("dialog.confirm-dialog[open]"))
        .await
        .is_err());
    click(&buyer, "[data-act=escalate]").await;
    let question = say_yes(&buyer).await;
    assert!(question.contains("mediator"), "{question}");
    wait_for_text(&seller, ".status-header", "mediator").await;
    // The mediator's list, from the header, shows the escalated case; the console shows both
    // sides' records.
    mediator.goto(&app.url("/")).await.unwrap();
    click(&mediator, "nav a[href='/mediator/cases']").await;
    wait_for_text(&mediator, "h1", "Escalated cases").await;
    click(&mediator, &format!("tr[data-case='{id}'] a")).await;
    wait_for_text(&mediator, "#risk", "Refund rate").await;
    wait_for(&mediator, ".proposal[data-party=platform]").await;
    choose(&mediator, "#rule-kind", "refund_only").await;
    click(&mediator, "#rule button[type=submit]").await;
    assert!(
        !text_of(&mediator, "#rule-error").await.is_empty(),
        "a ruling needs its reasons"
    );
    accessible(&mediator, "the mediator's console, its ruling refused").await;
    type_into(
        &mediator,
        "#rule-reason",
        "The lamp arrived cracked in the buyer's photos",
    )
    .await;
    click(&mediator, "#rule button[type=submit]").await;
    let question = say_yes(&mediator).await;
    assert!(question.contains("Refund only"), "{question}");
    for screen in [&mediator, &seller, &buyer] {
        wait_for_text(screen, ".status-header", "Resolved").await;
    }
    // Every party reads the ruling: the amount, the mediator as who decided, and the reasons;
    // the rejection is no longer quoted as if it stood.
    for screen in [&seller, &buyer] {
        let decision = wait_for_text(
            screen,
            ".decision",
            "The lamp arrived cracked in the buyer's photos",
        )
        .await;
        assert!(
            decision.contains("The platform's mediator ruled"),
            "{decision}"
        );
        let header = text_of(screen, ".status-header").await;
        assert!(!header.contains("It works"), "{header}");
    }
    let ruled = lucia.case(&id).await;
    assert!(matches!(
        ruled.case.outcome,
        Some(rules::Outcome::Refunded { .. })
    ));
    no_csp_violations(&app).await;
}

/// Types `text` into whatever has the keyboard focus (a file field takes a file's path).
async fn type_here(client: &Client, text: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Presses and releases `key` on the keyboard, wherever the focus is.
async fn press(client: &Client, key: Key) {
    let key: char = key.into();
    let stroke = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(stroke).await.unwrap();
}

/// Presses Tab until the focus is on `css`, as a keyboard user moves through a page; fails if
/// it never gets there (the element cannot be reached by keyboard).
async fn tab_to(client: &Client, css: &str) {
    wait_for(client, css).await;
    let focused = format!(
        "return document.activeElement !== null && document.activeElement.matches({})",
        json!(css)
    );
    for _ in 0..80 {
        if client.execute(&focused, vec![]).await.unwrap() == json!(true) {
            return;
        }
        press(client, Key::Tab).await;
    }
    let at = client
        .execute(
            "return document.activeElement.outerHTML.slice(0, 200)",
            vec![],
        )
        .await
        .unwrap();
    panic!("{css} cannot be reached with Tab; the focus stays on {at}");
}

/// The buyer's whole journey and the seller's answer, with the keyboard alone: Tab to move,
/// Enter and Space to act, arrows to choose, typing to write.
#[tokio::test]
async fn a_return_is_filed_and_answered_with_the_keyboard_alone() {
    let journey = journey().await;
    let (app, client) = (&journey.app, journey.client.clone());
    let photo_dir = tempfile::tempdir().unwrap();
    let photo = phone_photo(photo_dir.path());

    tab_to(&client, "#email").await;
    type_here(&client, "lucia@demo.retour").await;
    tab_to(&client, "#password").await;
    let password = retour_server::demo::ACCOUNTS
        .iter()
        .find(|a| a.email == "lucia@demo.retour")
        .unwrap()
        .password;
    type_here(&client, password).await;
    press(&client, Key::Enter).await;
    tab_to(&client, "article[data-order='ord-1005'] a.button").await;
    press(&client, Key::Enter).await;
    // Items: the line is chosen; on to the reason.
    wait_for_text(&client, ".wizard-step", "Which items?").await;
    tab_to(&client, ".wizard button[type=submit]").await;
    press(&client, Key::Enter).await;
    tab_to(&client, "#reason").await;
    // The first reason of the list: a defect.
    press(&client, Key::Down).await;
    wait_for_text(&client, ".verdict", "Covered by buyer protection").await;
    tab_to(&client, ".wizard button[type=submit]").await;
    press(&client, Key::Enter).await;
    tab_to(
        &client,
        "input[name=resolution][value=refund_only], input[name=resolution]",
    )
    .await;
    press(&client, Key::Space).await;
    tab_to(&client, ".wizard button[type=submit]").await;
    press(&client, Key::Enter).await;
    tab_to(&client, "#description").await;
    type_here(&client, "It arrived broken.").await;
    tab_to(&client, ".wizard button[type=submit]").await;
    press(&client, Key::Enter).await;
    // Photos: the file field is reached with Tab; the path stands for the system's file dialog.
    tab_to(&client, ".photo-picker input[type=file][multiple]").await;
    type_here(&client, photo.to_str().unwrap()).await;
    wait_for(&client, ".photos img").await;
    tab_to(&client, ".wizard button[type=submit]").await;
    press(&client, Key::Enter).await;
    wait_for_text(&client, ".wizard-step", "Check and send").await;
    tab_to(&client, ".wizard button[type=submit]").await;
    press(&client, Key::Enter).await;
    let case = wait_for(&client, ".case[data-case]").await;
    let id = case.attr("data-case").await.unwrap().expect("the case id");

    // The seller answers with a counter-offer, from the queue, by keyboard too.
    client.goto(&app.url("/")).await.unwrap();
    tab_to(&client, "button.link").await;
    press(&client, Key::Enter).await;
    tab_to(&client, "#email").await;
    let seller = retour_server::demo::ACCOUNTS
        .iter()
        .find(|a| a.email == "jordan@demo.retour")
        .unwrap();
    type_here(&client, seller.email).await;
    tab_to(&client, "#password").await;
    type_here(&client, seller.password).await;
    press(&client, Key::Enter).await;
    tab_to(&client, &format!("tr[data-case='{id}'] a")).await;
    press(&client, Key::Enter).await;
    tab_to(&client, "[data-act=counter-open]").await;
    press(&client, Key::Enter).await;
    // Opening the form moves the focus into it, on the kind of proposal.
    wait_for(&client, "#counter:not([hidden])").await;
    tab_to(&client, "#counter-amount").await;
    type_here(&client, "5").await;
    tab_to(&client, "#counter-note").await;
    type_here(&client, "Five back, keep it").await;
    tab_to(&client, "#counter button[type=submit]").await;
    press(&client, Key::Enter).await;
    wait_for_text(
        &client,
        ".proposal[data-party=seller]",
        "Five back, keep it",
    )
    .await;
    let answered = app.lucia().await.case(&id).await;
    let offer = answered
        .case
        .proposals
        .seller
        .expect("the seller's counter-offer");
    assert_eq!(offer.terms.resolution, rules::Resolution::PartialRefund);
    assert_eq!(offer.terms.refund.minor, 500);
    client.close().await.unwrap();
}

/// The buyer finds her cases: from her menu, a list of them, the most urgent first; on her
/// orders, a line in a case says where it stands and links to it instead of offering a return;
/// and the wizard never lets that line be chosen again.
#[tokio::test]
async fn a_buyer_finds_her_returns_from_her_menu_and_her_orders() {
    let journey = journey().await;
    let (app, client) = (&journey.app, journey.client.clone());
    let case = app
        .lucia()
        .await
        .file_line("ord-1006", "defective", "replacement")
        .await;
    let id = case.summary.id.clone();
    sign_in(&client, "lucia@demo.retour").await;

    // The case is known by its short number wherever a person reads it.
    let number = case.summary.number;
    let card = wait_for_text(
        &client,
        "article[data-order='ord-1006']",
        &format!("In case {number}: Waiting for the seller"),
    )
    .await;
    assert!(!card.contains("Return or refund"), "{card}");
    click(
        &client,
        &format!("article[data-order='ord-1006'] a[href='/returns/{id}']"),
    )
    .await;
    wait_for(&client, &format!(".case[data-case='{id}']")).await;
    wait_for_text(
        &client,
        "h1",
        &format!("Case {number}: return for order ord-1006"),
    )
    .await;

    click(&client, "nav a[href='/returns']").await;
    wait_for_text(&client, "h1", "My returns").await;
    let row = text_of(&client, &format!("tr[data-case='{id}']")).await;
    assert!(row.contains("Waiting for the seller"), "{row}");
    assert!(row.contains(&format!("Case {number}")), "{row}");
    assert!(!row.contains(&id), "the opaque id stays internal: {row}");
    accessible(&client, "the buyer's returns").await;
    // Her own name is not a column of her own list.
    let head = text_of(&client, "table.cases thead").await;
    assert!(!head.contains("Buyer"), "{head}");
    // She finds it by its number; a search that finds nothing says so, the filters still there.
    type_into(&client, "#f-q", &format!("{number}\n")).await;
    wait_for_text(&client, "#queue-rows", &format!("Case {number}")).await;
    type_into(&client, "#f-q", "no such thing\n").await;
    wait_for_text(&client, ".empty", "No cases match.").await;
    assert!(wait_for(&client, "#f-q")
        .await
        .is_displayed()
        .await
        .unwrap());
    type_into(&client, "#f-q", "\n").await;
    wait_for(&client, &format!("tr[data-case='{id}']")).await;

    // The line's wizard, reached by its address: the line cannot be chosen.
    client
        .goto(&app.url("/orders/ord-1006/return?line=ord-1006-1"))
        .await
        .unwrap();
    let line = wait_for(&client, "#line-ord-1006-1").await;
    assert_eq!(
        line.attr("disabled").await.unwrap().as_deref(),
        Some("true")
    );
    assert_eq!(
        line.prop("checked").await.unwrap().as_deref(),
        Some("false")
    );
    wait_for(&client, &format!(".line-choice a[href='/returns/{id}']")).await;
    accessible(&client, "the wizard with a line already in a case").await;
    client.close().await.unwrap();
}

/// Fails if the page as it is now scrolls sideways in a window `what` names: every line wraps
/// and every list stacks within the width of a phone. Names what sticks out.
async fn fits(client: &Client, what: &str) {
    let measured = client
        .execute(
            "const width = document.documentElement.clientWidth;\
             const out = [...document.querySelectorAll('body *')]\
               .filter(e => e.getBoundingClientRect().right > width + 1 && e.getClientRects().length)\
               .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));\
             return [document.documentElement.scrollWidth, width, out];",
            vec![],
        )
        .await
        .unwrap();
    let (scroll, width) = (measured[0].as_i64().unwrap(), measured[1].as_i64().unwrap());
    assert!(
        scroll <= width,
        "{what} is {scroll} px wide in a {width} px window: {}",
        measured[2]
    );
}

/// Nothing scrolls sideways on a 360 px phone, in any language, on any page: the buyer's
/// orders, wizard, returns and case (with a long link in a message), the seller's queue, case
/// with its forms open, analytics and policy, and the mediator's queue and console.
#[tokio::test]
async fn every_page_fits_a_360_px_phone_in_each_language() {
    let journey = journey().await;
    let driver = start_driver();
    let client = phone(&driver, 360).await;
    let app = &journey.app;
    let lucia = app.lucia().await;
    let case = lucia
        .file_line("ord-1006", "defective", "replacement")
        .await;
    let link = format!("https://example.com/{}", "averylongpathsegment".repeat(20));
    let sent = lucia
        .post(
            &format!("/api/cases/{}/messages", case.summary.id),
            &json!({ "body": format!("See {link} for the manual") }),
        )
        .await;
    assert!(sent.status().is_success());
    for language in ["en", "es", "zh-CN"] {
        let pages: [(&str, &[(&str, &str)]); 3] = [
            (
                "lucia@demo.retour",
                &[
                    ("/", "article[data-order]"),
                    ("/orders/ord-1005/return?line=ord-1005-1", ".wizard"),
                    ("/returns", "tr[data-case]"),
                    (&format!("/returns/{}", case.summary.id), ".messages li"),
                    ("/account", ".mail input"),
                ],
            ),
            (
                "mei@demo.retour",
                &[
                    ("/seller/returns", "tr[data-case]"),
                    ("/returns/case-3001", ".board"),
                    ("/returns/case-3004", ".proposal[data-party=platform]"),
                    ("/seller/analytics", ".charts svg"),
                    ("/seller/policy", ".facts"),
                    ("/account", ".mail input"),
                ],
            ),
            (
                "amara@demo.retour",
                &[
                    ("/mediator/cases", "tr[data-case]"),
                    ("/returns/case-3004", "#risk .facts"),
                ],
            ),
        ];
        for (email, visits) in pages {
            client.goto(&app.url("/")).await.unwrap();
            client.delete_all_cookies().await.unwrap();
            client.goto(&app.url("/")).await.unwrap();
            fits(&client, &format!("the sign-in page in {language}")).await;
            sign_in(&client, email).await;
            choose(&client, ".language select", language).await;
            for (path, ready) in visits {
                client.goto(&app.url(path)).await.unwrap();
                wait_for(&client, ready).await;
                fits(&client, &format!("{path} for {email} in {language}")).await;
                if path.ends_with("case-3001") {
                    // Every form open, as the seller fills them.
                    click(&client, "[data-act=counter-open]").await;
                    click(&client, "[data-act=reject-open]").await;
                    fits(
                        &client,
                        &format!("{path} with its forms open in {language}"),
                    )
                    .await;
                }
            }
        }
    }
    client.close().await.unwrap();
}

/// Ships the parcel the page asks for: the tracking form `form` with its field `field`.
async fn ship(client: &Client, form: &str, field: &str, number: &str) {
    type_into(client, &format!("#{field}"), number).await;
    click(client, &format!("#{form} button[type=submit]")).await;
}

/// The goods go back: the seller gives `address`, the buyer sees it and ships the parcel, the
/// seller confirms it arrived. Answers what the seller was asked before confirming.
async fn send_back(buyer: &Client, seller: &Client, address: &str) -> String {
    type_into(seller, "#address-text", address).await;
    click(seller, "#address button[type=submit]").await;
    wait_for_text(buyer, ".case", address).await;
    ship(buyer, "ship-return", "return-tracking", "RB202611076CN").await;
    click(seller, "button[data-act='confirm-receipt']").await;
    say_yes(seller).await
}

#[tokio::test]
async fn a_repair_goes_back_comes_back_and_the_buyer_confirms_it_in_two_browsers() {
    let Journey {
        app,
        _driver,
        client: buyer,
    } = journey().await;
    let seller = second_browser(&app, &_driver).await;
    // A defective speaker, filed with its photo, asking for the money back.
    let lucia = app.lucia().await;
    let photo = lucia.unfiled_photo().await;
    let mut body = common::filing(
        "ord-1006",
        "ord-1006-1",
        1,
        "defective",
        "return_and_refund",
    );
    body["evidence"] = json!([photo]);
    let filed = lucia.file_ok(&body).await;
    let page = app.url(&format!("/returns/{}", filed.summary.id));
    sign_in(&buyer, "lucia@demo.retour").await;
    sign_in(&seller, "mei@demo.retour").await;
    buyer.goto(&page).await.unwrap();
    seller.goto(&page).await.unwrap();

    // The seller offers to repair it instead, sending it both ways at the seller's cost.
    click(&seller, "button[data-act='counter-open']").await;
    choose(&seller, "#counter-kind", "repair").await;
    choose(&seller, "#counter-payer", "seller").await;
    type_into(&seller, "#counter-note", "We repair it free of charge").await;
    click(&seller, "#counter button[type=submit]").await;
    // The buyer sees it live, and accepts it knowing what it is.
    wait_for_text(&buyer, ".proposal[data-party='seller']", "Repair").await;
    accessible(&buyer, "the case page, with a repair offered").await;
    click(&buyer, ".proposal[data-party='seller'] button.primary").await;
    let question = say_yes(&buyer).await;
    assert!(question.contains("Repair"), "{question}");

    // The speaker goes back to the seller's address.
    let question = send_back(&buyer, &seller, "Repairs desk, 12 Tea Street, Hangzhou").await;
    assert!(
        question.contains("repair it and ship it back"),
        "{question}"
    );
    wait_for_text(&seller, ".status-header", "Being repaired").await;
    accessible(&seller, "the case page, with a repair due").await;

    // Repaired and sent back: the buyer checks it and says it works.
    ship(
        &seller,
        "ship-repaired",
        "repaired-tracking",
        "1Z999AA10123456784",
    )
    .await;
    wait_for(&buyer, "button[data-act='confirm-item']").await;
    wait_for(&buyer, "button[data-act='repair-failed-open']").await;
    accessible(&buyer, "the case page, the repaired item to check").await;
    click(&buyer, "button[data-act='confirm-item']").await;
    let question = say_yes(&buyer).await;
    assert!(question.contains("settled"), "{question}");
    wait_for_text(&buyer, ".decision", "Repaired").await;
    wait_for_text(&seller, ".decision", "Repaired").await;
    accessible(&buyer, "the case page, repaired").await;
    buyer.close().await.unwrap();
    seller.close().await.unwrap();
    no_csp_violations(&app).await;
}

#[tokio::test]
async fn an_exchange_for_another_size_in_two_browsers_and_the_buyers_store_credit() {
    let Journey {
        app,
        _driver,
        client: buyer,
    } = journey().await;
    let seller = second_browser(&app, &_driver).await;
    sign_in(&buyer, "lucia@demo.retour").await;
    sign_in(&seller, "jordan@demo.retour").await;

    // A sweater in M, wanted in L: the wizard offers the exchange and the sizes the listing has.
    click(&buyer, "article[data-order='ord-1005'] a.button").await;
    wait_for_text(&buyer, ".wizard-step", "Which items?").await;
    next_step(&buyer).await;
    choose(&buyer, "#reason", "no_longer_wanted").await;
    next_step(&buyer).await;
    click(&buyer, "input[name=resolution][value=exchange]").await;
    // Without a size, the wizard says what is missing.
    next_step(&buyer).await;
    wait_for_text(&buyer, "#wizard-problem", "Choose the size or colour").await;
    choose(&buyer, "#exchange-variant", "L").await;
    accessible(&buyer, "the wizard's resolutions, with an exchange").await;
    next_step(&buyer).await;
    next_step(&buyer).await;
    next_step(&buyer).await;
    wait_for_text(&buyer, ".wizard-step", "Check and send").await;
    next_step(&buyer).await;
    let case = wait_for(&buyer, ".case[data-case]").await;
    let id = case.attr("data-case").await.unwrap().expect("the case id");

    // The seller accepts the exchange, and gives the address.
    seller
        .goto(&app.url(&format!("/returns/{id}")))
        .await
        .unwrap();
    wait_for_text(&seller, ".proposal[data-party='buyer']", "Exchange, L").await;
    click(&seller, ".proposal[data-party='buyer'] button.primary").await;
    let question = say_yes(&seller).await;
    assert!(question.contains("Exchange, L"), "{question}");
    // The M goes back; the L comes to the buyer.
    send_back(&buyer, &seller, "Northwind returns, 4 Dock Road, Leeds").await;
    ship(
        &seller,
        "ship-replacement",
        "replacement-tracking",
        "1Z999AA10123456784",
    )
    .await;
    wait_for(&buyer, "button[data-act='confirm-item']").await;
    // A change of mind has no repair to fail.
    let offered = text_of(&buyer, ".receipt").await;
    assert!(!offered.contains("The repair did not work"), "{offered}");
    click(&buyer, "button[data-act='confirm-item']").await;
    say_yes(&buyer).await;
    wait_for_text(&buyer, ".decision", "Exchanged").await;
    wait_for_text(&seller, ".decision", "Exchanged").await;

    // The buyer's store credit (the demo's kettle, settled with credit) and its code.
    click(&buyer, "nav a[href='/credits']").await;
    let credits = wait_for_text(&buyer, ".credits", "RC-").await;
    assert!(credits.contains("Case 3014"), "{credits}");
    accessible(&buyer, "the buyer's store credit").await;
    buyer.close().await.unwrap();
    seller.close().await.unwrap();
    no_csp_violations(&app).await;
}

/// The unread count in the header, as the page has it (an empty place when nothing is unread),
/// once the notices are in.
async fn unread(client: &Client) -> i64 {
    wait_for(client, ".notice-list ul, .notice-list .empty").await;
    let count = client
        .execute(
            "const c = document.querySelector('.notices .count');\
             return parseInt(c.textContent, 10) || 0;",
            vec![],
        )
        .await
        .unwrap();
    count.as_i64().expect("the count is a number")
}

/// The header's count, once it is `expected`: it changes as the server's answer arrives.
async fn wait_for_unread(client: &Client, expected: i64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = unread(client).await;
        if now == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the unread count stayed {now}, not {expected}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A fresh app with Jordan, a seller, signed in and her queue on screen.
async fn jordan_at_her_queue() -> Journey {
    let journey = journey().await;
    sign_in(&journey.client, "jordan@demo.retour").await;
    wait_for(&journey.client, "#queue-filters").await;
    journey
}

/// A seller is told of a new return in the header without reloading: the count goes up live,
/// the notice says which case in her language, and opening it goes to the case and marks it
/// read.
#[tokio::test]
async fn the_header_counts_notices_live_and_opening_one_shows_its_case() {
    let Journey {
        app,
        _driver,
        client: seller,
    } = jordan_at_her_queue().await;
    let before = unread(&seller).await;

    let case = app
        .lucia()
        .await
        .file_line("ord-1005", "defective", "return_and_refund")
        .await;
    let id = case.summary.id.clone();
    wait_for_unread(&seller, before + 1).await;

    click(&seller, ".notices summary").await;
    let newest = format!(".notice-list li.unread a[href='/returns/{id}']");
    let said = text_of(&seller, &newest).await;
    assert!(
        said.contains(&format!("Case {}", case.summary.number)),
        "{said}"
    );
    accessible(&seller, "the notifications menu, open").await;
    click(&seller, &newest).await;
    wait_for_text(&seller, ".board", "The buyer's proposal").await;
    assert!(seller.current_url().await.unwrap().path().ends_with(&id));
    wait_for_unread(&seller, before).await;
    let open = seller
        .execute("return document.querySelector('.notices').open", vec![])
        .await
        .unwrap();
    assert_eq!(open, json!(false), "the menu closes as the case opens");

    // In Spanish, the notices are the server's words in Spanish.
    choose(&seller, ".language select", "es").await;
    // The case page draws again once the rest of the Spanish words are in, its header too.
    wait_for_text(&seller, "main h1", "Caso").await;
    click(&seller, ".notices summary").await;
    wait_for_text(
        &seller,
        ".notice-list",
        &format!("Caso {}", case.summary.number),
    )
    .await;
    assert_translated(&seller, &families()).await;
    choose(&seller, ".language select", "en").await;

    seller.close().await.unwrap();
    no_csp_violations(&app).await;
}

/// Whether the page has the later pages' stylesheet: downloaded, and applied.
async fn later_style(client: &Client) -> (bool, bool) {
    let said = client
        .execute(
            "const later = url => url && url.includes('/style/later-');\
             return [performance.getEntriesByType('resource').some(e => later(e.name)),\
                     [...document.styleSheets].some(s => later(s.href) && !s.disabled)];",
            vec![],
        )
        .await
        .unwrap();
    serde_json::from_value(said).unwrap()
}

/// Each person chooses their e-mails on their account page, reached from their name in the
/// header: a seller is asked about new returns but not refunds, and what she saves is what the
/// server keeps and what the page shows again. The first screens never download the later
/// pages' stylesheet; the account page has it before it is drawn.
#[tokio::test]
async fn a_seller_chooses_her_emails_on_her_account_page() {
    let Journey {
        app,
        _driver,
        client: seller,
    } = jordan_at_her_queue().await;
    assert_eq!(later_style(&seller).await, (false, false));

    click(&seller, "a.who").await;
    wait_for(&seller, ".mail input[value=new_cases]").await;
    assert!(seller
        .current_url()
        .await
        .unwrap()
        .path()
        .ends_with("/account"));
    assert_eq!(later_style(&seller).await, (true, true));
    let boxes = "return [...document.querySelectorAll('.mail input')]\
                 .map(b => b.value + (b.checked ? ' on' : ' off'));";
    let shown = seller.execute(boxes, vec![]).await.unwrap();
    assert_eq!(
        shown,
        json!(["new_cases on", "talks on", "messages on", "steps on"])
    );
    accessible(&seller, "the account page").await;

    // With the keyboard: the first box unticked with the space bar, then saved.
    tab_to(&seller, ".mail input[value=new_cases]").await;
    press(&seller, Key::Space).await;
    tab_to(&seller, ".mail button[type=submit]").await;
    press(&seller, Key::Enter).await;
    wait_for_text(&seller, "#mail-said", "Saved").await;
    let again = "return !document.querySelector('.mail button').disabled";
    assert_eq!(seller.execute(again, vec![]).await.unwrap(), json!(true));
    let kept: serde_json::Value = app.jordan().await.get_json("/api/account/mail").await;
    assert_eq!(kept, json!({ "off": ["new_cases"] }));

    seller.refresh().await.unwrap();
    wait_for(&seller, ".mail input[value=new_cases]").await;
    let shown = seller.execute(boxes, vec![]).await.unwrap();
    assert_eq!(
        shown,
        json!(["new_cases off", "talks on", "messages on", "steps on"])
    );

    choose(&seller, ".language select", "es").await;
    wait_for_text(&seller, "main h1", "Tus correos").await;
    assert_translated(&seller, &families()).await;
    choose(&seller, ".language select", "en").await;

    seller.close().await.unwrap();
    no_csp_violations(&app).await;
}

/// A page left for another site and come back to with the browser's Back button is drawn anew
/// (its data current, its live streams open), never restored as it was left: the streams closed
/// when it was left. And drawn for whoever is signed in: the preloads of a page come back to are
/// taken from the cache where the answers allow it.
#[tokio::test]
async fn coming_back_from_another_site_draws_the_page_anew() {
    let Journey {
        app,
        _driver,
        client: seller,
    } = jordan_at_her_queue().await;
    seller
        .execute("window.leftAt = 'the queue'", vec![])
        .await
        .unwrap();
    // Another site: a page of the test server's own that is not the app.
    seller.goto(&app.url("/api/openapi.json")).await.unwrap();
    seller.back().await.unwrap();
    wait_for(&seller, "#queue-filters").await;
    let kept = seller
        .execute("return window.leftAt === undefined", vec![])
        .await
        .unwrap();
    assert_eq!(kept, json!(true), "the page came back as it was left");
    seller.close().await.unwrap();
    no_csp_violations(&app).await;
}

/// A signed-in seller opening the app: the queue's first page that the page preloads is the one
/// the app reads, asked for once.
#[tokio::test]
async fn the_queues_first_page_is_asked_for_once() {
    let Journey {
        app,
        _driver,
        client: seller,
    } = jordan_at_her_queue().await;
    seller.goto(&app.url("/")).await.unwrap();
    wait_for(&seller, "tr[data-case]").await;
    let asked = seller
        .execute(
            "return performance.getEntriesByType('resource')\
             .filter(e => e.name.includes('/api/cases?')).map(e => e.initiatorType)",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        asked,
        json!(["link"]),
        "preloaded, then read from the preload"
    );
    seller.close().await.unwrap();
}
