//! `cargo xtask bundle`: the bytes a first visit downloads, against the budget in
//! `xtask/budget.toml`; and the compression of `dist/` done once at build time.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::proc::{files_with_extension, root};

const FIRST_LOAD: [&str; 4] = ["html", "js", "wasm", "css"];

/// What the server sends compressed: everything text-like or wasm in `dist/`.
const COMPRESSIBLE: [&str; 6] = ["html", "js", "wasm", "css", "json", "svg"];

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("writing to memory");
    out
}

fn beside(path: &Path, extension: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Writes `FILE.br` (Brotli, quality 11) and `FILE.gz` (gzip, level 9) beside every compressible
/// file of `dist`, so the server sends them as they are instead of compressing per request.
pub fn precompress(dist: &Path) -> Result<(), String> {
    let mut files = files_with_extension(dist, &COMPRESSIBLE)?;
    // The catalogues, and the later pages' stylesheet.
    for folder in ["locales", "style"] {
        if let Ok(more) = files_with_extension(&dist.join(folder), &COMPRESSIBLE) {
            files.extend(more);
        }
    }
    for path in files {
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for (extension, packed) in [("br", brotli(&bytes)), ("gz", gzip(&bytes))] {
            let to = beside(&path, extension);
            std::fs::write(&to, packed)
                .map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        }
    }
    Ok(())
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
    let budget = budget_value(&budget_text, "brotli_budget_bytes")?;
    let target = budget_value(&budget_text, "brotli_target_bytes")?;
    let dist = root.join("dist");
    let mut files = files_with_extension(&dist, &FIRST_LOAD)
        .map_err(|e| format!("{e} (build the app first)"))?;
    // The app downloads one language's catalogue before it shows anything: count the largest.
    // Its `.more.json` half (the case page's, the analytics' and the policy's words) is loaded
    // only when one of those pages opens, not on the first screens.
    let catalogues = files_with_extension(&dist.join("locales"), &["json"])
        .map_err(|e| format!("{e}: the language catalogues are missing"))?;
    let largest = catalogues
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with(".more.json"))
        .filter_map(|p| Some((std::fs::metadata(beside(&p, "br")).ok()?.len(), p)))
        .max()
        .ok_or("dist/locales holds no compressed catalogue (build the app first)")?;
    let more = PathBuf::from(largest.1.to_string_lossy().replace(".json", ".more.json"));
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
        // The files the server sends: what was compressed at build time.
        let size = |p: &Path| {
            std::fs::metadata(p)
                .map(|m| m.len() as usize)
                .map_err(|e| format!("cannot read {}: {e} (build the app first)", p.display()))
        };
        let (raw, gz, br) = (
            size(path)?,
            size(&beside(path, "gz"))?,
            size(&beside(path, "br"))?,
        );
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
        "sent to a browser that accepts Brotli: {} ({br_total} bytes): budget {}, target {}{}",
        kb(br_total),
        kb(budget),
        kb(target),
        if br_total <= target {
            " (within target)"
        } else {
            " (above target)"
        }
    );
    // Said, not counted: what opening a case (or the analytics, or the policy) adds later: the
    // rest of the words and the later pages' stylesheet.
    let later_style = files_with_extension(&dist.join("style"), &["css"]).unwrap_or_default();
    if let (Ok(words), [style]) = (std::fs::metadata(beside(&more, "br")), &later_style[..]) {
        println!(
            "opening a case, the analytics or the policy later adds {} ({}) and {} ({})",
            kb(words.len() as usize),
            more.file_name().unwrap_or_default().to_string_lossy(),
            kb(std::fs::metadata(beside(style, "br")).map_or(0, |m| m.len() as usize)),
            style.file_name().unwrap_or_default().to_string_lossy()
        );
    }
    if br_total > budget {
        return Err(format!(
            "the first load is {} as sent (Brotli), over the {} budget",
            kb(br_total),
            kb(budget)
        ));
    }
    Ok(())
}
