//! `cargo xtask bench abuse`: the server's memory under the bursts an attacker would send,
//! through the real router on 127.0.0.1 (release build). Prints the resident memory before each
//! burst and its peak during it, with what the requests were answered. Figures, not a pass or
//! fail: the README gives them.
//!
//! The bursts: forty 16384 × 10922 pixel bombs at once; twelve photos of the largest size
//! accepted (a 39-megapixel PNG, 10 MB or less on the wire) at once; a hundred wrong passwords
//! for one account at once.

use std::collections::BTreeMap;
use std::time::Instant;

use image::{ImageFormat, RgbImage};
use retour_server::photos;

mod support;
use serde_json::{json, Value};

/// Kibibytes of one line of /proc/self/status.
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// Starts a new peak: Linux resets VmHWM to the current RSS when 5 is written here.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The largest photo accepted: just under 40 megapixels, a real picture that compresses well.
fn largest_photo() -> Vec<u8> {
    let image = RgbImage::from_fn(6_000, 6_600, |x, y| {
        image::Rgb([(x / 600) as u8 * 20, (y / 660) as u8 * 20, 90])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).expect("encodes");
    out.into_inner()
}

struct Burst {
    name: &'static str,
    before_kib: u64,
    peak_kib: u64,
    after_kib: u64,
    seconds: f64,
    answers: BTreeMap<String, usize>,
}

async fn burst<F, Fut>(name: &'static str, requests: usize, send: F) -> Burst
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = (u16, String)>,
{
    let before_kib = status_kib("VmRSS:");
    reset_peak();
    let started = Instant::now();
    let answers = futures_util::future::join_all((0..requests).map(send)).await;
    let seconds = started.elapsed().as_secs_f64();
    let peak_kib = status_kib("VmHWM:");
    let mut counted = BTreeMap::new();
    for (status, code) in answers {
        *counted.entry(format!("{status} {code}")).or_insert(0) += 1;
    }
    Burst {
        name,
        before_kib,
        peak_kib,
        after_kib: status_kib("VmRSS:"),
        seconds,
        answers: counted,
    }
}

#[tokio::main]
async fn main() {
    let data = tempfile::tempdir().expect("a temporary directory");
    let base = support::serve(support::demo_state(data.path()).await).await;
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());

    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let me: Value = client
        .post(format!("{base}/api/login"))
        .json(&json!({"email": "lucia@demo.retour", "password": "lucia-demo-1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let csrf = me["csrf_token"].as_str().expect("signed in").to_owned();
    let upload = |bytes: Vec<u8>| {
        let (client, csrf, url) = (client.clone(), csrf.clone(), format!("{base}/api/evidence"));
        async move {
            let part = reqwest::multipart::Part::bytes(bytes).file_name("photo.png");
            let response = client
                .post(url)
                .header("x-csrf-token", csrf)
                .multipart(reqwest::multipart::Form::new().part("file", part))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or_default();
            let code = body["code"].as_str().unwrap_or("created").to_owned();
            (status, code)
        }
    };

    let bomb = photos::pixel_bomb(16_384, 10_922);
    let largest = largest_photo();
    println!(
        "abuse bench: release build, {cores} cores, the real router on 127.0.0.1 over a SQLite \
         file; a pixel bomb is {} bytes, the largest accepted photo {:.1} MB",
        bomb.len(),
        largest.len() as f64 / 1e6
    );
    let mut bursts = Vec::new();
    bursts.push(burst("40 pixel bombs at once", 40, |_| upload(bomb.clone())).await);
    bursts.push(burst("12 largest photos at once", 12, |_| upload(largest.clone())).await);
    let login = |_| {
        let (client, url) = (reqwest::Client::new(), format!("{base}/api/login"));
        async move {
            let response = client
                .post(url)
                .json(&json!({"email": "mei@demo.retour", "password": "guess"}))
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or_default();
            (status, body["code"].as_str().unwrap_or("").to_owned())
        }
    };
    bursts.push(burst("100 wrong passwords, one account", 100, login).await);

    println!(
        "{:<36} {:>10} {:>10} {:>10} {:>8}  answers",
        "burst", "before MB", "peak MB", "after MB", "seconds"
    );
    for b in &bursts {
        let answers: Vec<String> = b
            .answers
            .iter()
            .map(|(k, n)| format!("{n} × {k}"))
            .collect();
        println!(
            "{:<36} {:>10.0} {:>10.0} {:>10.0} {:>8.2}  {}",
            b.name,
            mib(b.before_kib),
            mib(b.peak_kib),
            mib(b.after_kib),
            b.seconds,
            answers.join(", ")
        );
    }
}
