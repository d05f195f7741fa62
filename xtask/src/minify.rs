//! Minifies the wasm-bindgen glue of a release build with terser, and keeps the page's
//! Subresource Integrity hash for it true.

use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha384};

use crate::proc::{self, command};

/// The `integrity` value a browser checks a file against.
fn integrity(bytes: &[u8]) -> String {
    let digest = Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

pub fn javascript(dist: &Path) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let mut index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let scripts = proc::files_with_extension(dist, &["js"])?;
    for script in scripts {
        let before =
            std::fs::read(&script).map_err(|e| format!("cannot read {}: {e}", script.display()))?;
        let minified = script.with_extension("min.js");
        proc::run(
            command(proc::tools_bin().join("terser"))
                .arg(&script)
                .args(["--module", "--compress", "--mangle", "--output"])
                .arg(&minified),
        )?;
        let after = std::fs::read(&minified)
            .map_err(|e| format!("cannot read {}: {e}", minified.display()))?;
        let (old, new) = (integrity(&before), integrity(&after));
        if index.contains("integrity=") && !index.contains(&old) {
            return Err(format!(
                "index.html has no integrity hash for {}: cannot update it safely",
                script.display()
            ));
        }
        index = index.replace(&old, &new);
        std::fs::rename(&minified, &script)
            .map_err(|e| format!("cannot replace {}: {e}", script.display()))?;
        println!(
            "minified {}: {} -> {} bytes",
            script.file_name().unwrap_or_default().to_string_lossy(),
            before.len(),
            after.len()
        );
    }
    std::fs::write(&index_path, index)
        .map_err(|e| format!("cannot write {}: {e}", index_path.display()))
}

#[cfg(test)]
mod tests {
    use super::integrity;

    #[test]
    fn integrity_is_the_sri_form_of_sha384() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}
