//! `cargo xtask bench page`: the first screen as a person on a phone gets it. Loads the buyer's
//! orders and the seller's queue from the release build in headless Chromium at 390 px, cold
//! (empty cache) and warm, unthrottled and throttled (150 ms latency, 1.6 Mbit/s down, the CPU
//! slowed 4×), and prints the bytes transferred, First Contentful Paint, Largest Contentful
//! Paint, Cumulative Layout Shift and the time until the page answers a click (its content drawn
//! and its handlers attached). Then the wizard's verdict: how long it takes to be drawn again
//! after a reason is chosen. Figures, not a pass or fail: each is printed beside its target.

use std::process::{Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use retour_server::demo;
use serde_json::{json, Value};

mod support;

/// Each measurement is the median of this many loads.
const ROUNDS: usize = 5;

/// One way of loading a page.
struct Condition {
    name: &'static str,
    throttled: bool,
    cold: bool,
}

const CONDITIONS: [Condition; 4] = [
    Condition {
        name: "cold, unthrottled",
        throttled: false,
        cold: true,
    },
    Condition {
        name: "warm, unthrottled",
        throttled: false,
        cold: false,
    },
    Condition {
        name: "cold, throttled",
        throttled: true,
        cold: true,
    },
    Condition {
        name: "warm, throttled",
        throttled: true,
        cold: false,
    },
];

/// Runs in the page before anything else: records when the page's content (`css`) is first
/// drawn, which is when the app has mounted it with its handlers, and collects the paint and
/// layout-shift entries as they come.
const PROBE: &str = r#"
window.__bench = { ready: null, lcp: 0, cls: 0 };
new PerformanceObserver(l => { for (const e of l.getEntries()) window.__bench.lcp = e.startTime; })
  .observe({ type: 'largest-contentful-paint', buffered: true });
new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__bench.cls += e.value; })
  .observe({ type: 'layout-shift', buffered: true });
new MutationObserver((_, o) => {
  const css = sessionStorage.getItem('bench.ready');
  if (css && document.querySelector(css)) { window.__bench.ready = performance.now(); o.disconnect(); }
}).observe(document, { childList: true, subtree: true });
"#;

/// What one load measured.
#[derive(Default, Clone, Copy)]
struct Load {
    bytes: f64,
    fcp: f64,
    lcp: f64,
    cls: f64,
    ready: f64,
}

/// Chromium's DevTools, through ChromeDriver's own endpoint for one session.
struct DevTools {
    http: reqwest::Client,
    /// `{driver}/session/{id}/goog/cdp/execute`.
    endpoint: String,
}

impl DevTools {
    async fn send(&self, cmd: &str, params: Value) {
        let answer = self
            .http
            .post(&self.endpoint)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .unwrap();
        assert!(
            answer.status().is_success(),
            "{cmd}: {}",
            answer.text().await.unwrap()
        );
    }
}

async fn sign_in(client: &Client, base: &str, email: &str) {
    let account = demo::ACCOUNTS.iter().find(|a| a.email == email).unwrap();
    // Whoever was signed in is forgotten.
    client.goto(base).await.unwrap();
    client.delete_all_cookies().await.unwrap();
    client.goto(base).await.unwrap();
    wait_for(client, "#email").await;
    let script = format!(
        "return fetch('/api/login', {{ method: 'POST', headers: {{ 'content-type': 'application/json' }}, \
         body: JSON.stringify({}) }}).then(r => r.status)",
        json!({ "email": account.email, "password": account.password })
    );
    let status = client.execute(&script, vec![]).await.unwrap();
    assert_eq!(status, json!(200), "signing in as {email}");
}

async fn wait_for(client: &Client, css: &str) {
    client
        .wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} never appeared: {e}"));
}

/// Loads `url` once and reads what the page measured.
async fn load(client: &Client, url: &str, ready: &str) -> Load {
    client
        .execute(
            "sessionStorage.setItem('bench.ready', arguments[0])",
            vec![json!(ready)],
        )
        .await
        .unwrap();
    client.goto(url).await.unwrap();
    wait_for(client, ready).await;
    // The largest paint settles once the page is still.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let read = client
        .execute(
            "const nav = performance.getEntriesByType('navigation')[0];\
             const bytes = performance.getEntriesByType('resource')\
               .reduce((sum, r) => sum + r.transferSize, nav.transferSize);\
             const fcp = performance.getEntriesByName('first-contentful-paint')[0];\
             return { bytes, fcp: fcp ? fcp.startTime : 0, lcp: window.__bench.lcp,\
                      cls: window.__bench.cls, ready: window.__bench.ready || 0 };",
            vec![],
        )
        .await
        .unwrap();
    let number = |name: &str| read[name].as_f64().unwrap_or(0.0);
    Load {
        bytes: number("bytes"),
        fcp: number("fcp"),
        lcp: number("lcp"),
        cls: number("cls"),
        ready: number("ready"),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

#[tokio::main]
async fn main() {
    let dist = std::env::var_os("RETOUR_DIST").expect("RETOUR_DIST: the release build");
    let data = tempfile::tempdir().unwrap();
    let state = support::demo_state_serving(data.path(), dist.into()).await;
    let base = support::serve(state).await;

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or("/usr/bin/chromedriver".into());
    let mut driver_process = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ChromeDriver (run `cargo xtask setup`)");
    let driver = format!("http://127.0.0.1:{port}");
    let profile = tempfile::tempdir().unwrap();
    let chromium = std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=390,844",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }),
    );
    // Two TLS providers are compiled in (lettre's and fantoccini's): name the one to use.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut client = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(capabilities.clone())
            .connect(&driver)
            .await
        {
            Ok(c) => {
                client = Some(c);
                break;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let client = client.expect("a Chromium session");
    let session = client.session_id().await.unwrap().unwrap();
    let devtools = DevTools {
        http: reqwest::Client::new(),
        endpoint: format!("{driver}/session/{session}/goog/cdp/execute"),
    };
    devtools
        .send(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": PROBE }),
        )
        .await;

    println!(
        "page bench: release build from 127.0.0.1, headless Chromium at 390 px, median of {ROUNDS} \
         loads; throttled = 150 ms latency, 1.6 Mbit/s down, CPU 4x slower"
    );
    println!("targets: throttled cold LCP at most 1600 ms, CLS 0, the verdict within 16 ms");
    println!(
        "{:<18} {:<18} {:>9} {:>8} {:>8} {:>7} {:>10}",
        "page", "load", "bytes", "FCP ms", "LCP ms", "CLS", "ready ms"
    );
    let pages = [
        ("orders", "lucia@demo.retour", "/", "article[data-order]"),
        ("seller's queue", "jordan@demo.retour", "/", "tr[data-case]"),
    ];
    for (page, email, path, ready) in pages {
        sign_in(&client, &base, email).await;
        for condition in &CONDITIONS {
            let (latency, throughput, cpu) = if condition.throttled {
                (150, 200_000, 4)
            } else {
                (0, -1, 1)
            };
            devtools.send("Network.enable", json!({})).await;
            devtools
                .send(
                    "Network.emulateNetworkConditions",
                    json!({ "offline": false, "latency": latency,
                        "downloadThroughput": throughput, "uploadThroughput": throughput }),
                )
                .await;
            devtools
                .send("Emulation.setCPUThrottlingRate", json!({ "rate": cpu }))
                .await;
            let mut loads = Vec::with_capacity(ROUNDS);
            for _ in 0..ROUNDS {
                if condition.cold {
                    devtools.send("Network.clearBrowserCache", json!({})).await;
                } else {
                    // Warm: the page was just loaded once, so the cache holds it.
                    load(&client, &format!("{base}{path}"), ready).await;
                }
                loads.push(load(&client, &format!("{base}{path}"), ready).await);
            }
            let of = |read: fn(&Load) -> f64| median(loads.iter().map(read).collect());
            println!(
                "{:<18} {:<18} {:>9.0} {:>8.0} {:>8.0} {:>7.3} {:>10.0}",
                page,
                condition.name,
                of(|l| l.bytes),
                of(|l| l.fcp),
                of(|l| l.lcp),
                of(|l| l.cls),
                of(|l| l.ready),
            );
        }
    }

    // The verdict: a reason chosen in the wizard, and the time until the verdict is drawn again.
    sign_in(&client, &base, "lucia@demo.retour").await;
    for (name, cpu) in [("unthrottled", 1), ("CPU 4x slower", 4)] {
        devtools
            .send("Emulation.setCPUThrottlingRate", json!({ "rate": cpu }))
            .await;
        client
            .goto(&format!("{base}/orders/ord-1005/return?line=ord-1005-1"))
            .await
            .unwrap();
        wait_for(&client, "#reason").await;
        let mut times = Vec::new();
        for reason in [
            "no_longer_wanted",
            "defective",
            "not_as_described",
            "damaged",
        ]
        .iter()
        .cycle()
        .take(12)
        {
            let took = client
                .execute_async(
                    "const [reason, done] = arguments;\
                     const panel = document.querySelector('.verdict-panel');\
                     const select = document.getElementById('reason');\
                     const started = performance.now();\
                     setTimeout(() => done(null), 1000);\
                     new MutationObserver((_, o) => { o.disconnect(); done(performance.now() - started); })\
                       .observe(panel, { childList: true, subtree: true, characterData: true });\
                     select.value = reason;\
                     select.dispatchEvent(new Event('change', { bubbles: true }));",
                    vec![json!(reason)],
                )
                .await
                .unwrap();
            // `null`: nothing was drawn again within a second.
            times.extend(took.as_f64());
        }
        assert!(!times.is_empty(), "the verdict never changed");
        println!(
            "the verdict drawn again after a reason is chosen, {name}: median {:.1} ms, slowest {:.1} ms ({} of 12 choices redrew it)",
            median(times.clone()),
            times.iter().copied().fold(0.0, f64::max),
            times.len()
        );
    }
    client.close().await.unwrap();
    let _ = driver_process.kill();
    let _ = driver_process.wait();
}
