//! `cargo xtask bundle`: the bytes a first visit downloads, against the budget in
//! `xtask/budget.toml`.

use std::io::Write;

use crate::proc::{files_with_extension, root};

const FIRST_LOAD: [&str; 4] = ["html", "js", "wasm", "css"];

fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory").len()
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out.len()
}

/// A `key = number` line of the budget file.
fn budget_value(text: &str, key: &str) -> Result<usize, String> {
    text.lines()
        .filter_map(|l| l.split('#').next())
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or_else(|| format!("xtask/budget.toml has no number for {key}"))
}

fn kb(bytes: usize) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

pub fn report() -> Result<(), String> {
    let root = root();
    let budget_text = std::fs::read_to_string(root.join("xtask/budget.toml"))
        .map_err(|e| format!("cannot read xtask/budget.toml: {e}"))?;
    let budget = budget_value(&budget_text, "gzip_budget_bytes")?;
    let target = budget_value(&budget_text, "gzip_target_bytes")?;
    let dist = root.join("dist");
    let mut files = files_with_extension(&dist, &FIRST_LOAD)
        .map_err(|e| format!("{e} (build the app first)"))?;
    // The app downloads one language's catalogue before it shows anything: count the largest.
    let catalogues = files_with_extension(&dist.join("locales"), &["json"])
        .map_err(|e| format!("{e}: the language catalogues are missing"))?;
    let largest = catalogues
        .into_iter()
        .filter_map(|p| Some((gzip(&std::fs::read(&p).ok()?), p)))
        .max()
        .ok_or("dist/locales holds no catalogue")?;
    files.push(largest.1);
    if !files
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "wasm"))
    {
        return Err(format!(
            "{} holds no .wasm file: the build is incomplete",
            dist.display()
        ));
    }
    println!(
        "{:<40} {:>12} {:>12} {:>12}",
        "first-load asset", "raw", "gzip", "brotli"
    );
    let (mut raw_total, mut gz_total, mut br_total) = (0, 0, 0);
    for path in &files {
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (raw, gz, br) = (bytes.len(), gzip(&bytes), brotli(&bytes));
        raw_total += raw;
        gz_total += gz;
        br_total += br;
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        println!("{name:<40} {:>12} {:>12} {:>12}", kb(raw), kb(gz), kb(br));
    }
    println!(
        "{:<40} {:>12} {:>12} {:>12}",
        "total",
        kb(raw_total),
        kb(gz_total),
        kb(br_total)
    );
    println!(
        "gzip total {} ({gz_total} bytes): budget {}, target {}{}",
        kb(gz_total),
        kb(budget),
        kb(target),
        if gz_total <= target {
            " (within target)"
        } else {
            " (above target)"
        }
    );
    if gz_total > budget {
        return Err(format!(
            "the first load is {} gzip, over the {} budget",
            kb(gz_total),
            kb(budget)
        ));
    }
    Ok(())
}
