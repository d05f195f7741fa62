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

/// The wasm features the Rust toolchain emits by default: wasm-opt may use these and no others.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Exports of code the app never calls, which no optimiser may remove on its own: Leptos always
/// compiles in `server_fn`'s browser client, whose `wasm-streams` dependency exports three
/// JavaScript classes (`IntoUnderlyingSource`, `…ByteSource`, `…Sink`) for streaming server
/// functions. A client-side app has no server functions; the exports keep about 5 KB of wasm
/// (and the futures machinery behind it) alive.
fn dead_export(name: &str) -> bool {
    name.contains("intounderlying")
}

/// Reads an unsigned LEB128 number at `*at`.
fn leb(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).ok_or("the wasm file ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a number in the wasm file is too long".into())
}

fn name(bytes: &[u8], at: &mut usize) -> Result<String, String> {
    let len = leb(bytes, at)? as usize;
    let text = bytes
        .get(*at..*at + len)
        .ok_or("the wasm file ends inside a name")?;
    *at += len;
    String::from_utf8(text.to_vec()).map_err(|_| "a name in the wasm file is not UTF-8".into())
}

/// A module's imports, as (module, field), and its exports.
type Interface = (Vec<(String, String)>, Vec<String>);

/// The module's imports (module, field) and exports, read from its import and export sections:
/// a small reader rather than a wasm parsing crate, for the two lists the graph below needs.
fn interface(wasm: &[u8]) -> Result<Interface, String> {
    if wasm.get(..4) != Some(b"\0asm".as_slice()) {
        return Err("not a wasm file".into());
    }
    let (mut imports, mut exports) = (Vec::new(), Vec::new());
    let mut at = 8;
    while at < wasm.len() {
        let id = wasm[at];
        at += 1;
        let size = leb(wasm, &mut at)? as usize;
        let end = at + size;
        let mut i = at;
        match id {
            2 => {
                for _ in 0..leb(wasm, &mut i)? {
                    imports.push((name(wasm, &mut i)?, name(wasm, &mut i)?));
                    let kind = wasm.get(i).copied().ok_or("truncated import")?;
                    i += 1;
                    match kind {
                        0 => {
                            leb(wasm, &mut i)?;
                        }
                        // A table: its element type, then limits; a memory: limits.
                        1 | 2 => {
                            if kind == 1 {
                                i += 1;
                            }
                            let flags = leb(wasm, &mut i)?;
                            leb(wasm, &mut i)?;
                            if flags & 1 == 1 {
                                leb(wasm, &mut i)?;
                            }
                        }
                        3 => i += 2,
                        4 => {
                            i += 1;
                            leb(wasm, &mut i)?;
                        }
                        other => return Err(format!("unknown import kind {other}")),
                    }
                }
            }
            7 => {
                for _ in 0..leb(wasm, &mut i)? {
                    exports.push(name(wasm, &mut i)?);
                    i += 1;
                    leb(wasm, &mut i)?;
                }
            }
            _ => {}
        }
        at = end;
    }
    Ok((imports, exports))
}

/// binaryen's reachability graph: every export but the dead ones is a root; imports are kept
/// only while live code calls them.
fn graph(imports: &[(String, String)], exports: &[String]) -> String {
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let mut nodes = vec![format!(
        "{{\"name\":\"root\",\"root\":true,\"reaches\":[{}]}}",
        exports
            .iter()
            .filter(|e| !dead_export(e))
            .map(|e| quote(&format!("export {e}")))
            .collect::<Vec<_>>()
            .join(",")
    )];
    for e in exports {
        nodes.push(format!(
            "{{\"name\":{},\"export\":{}}}",
            quote(&format!("export {e}")),
            quote(e)
        ));
    }
    for (module, field) in imports {
        nodes.push(format!(
            "{{\"name\":{},\"import\":[{},{}]}}",
            quote(&format!("import {module} {field}")),
            quote(module),
            quote(field)
        ));
    }
    format!("[{}]", nodes.join(","))
}

/// Optimises the app's wasm: first removes the exports of code it never calls (see
/// [`dead_export`]), then runs wasm-opt at -O2, and keeps the page's integrity hash for it true.
/// Trunk leaves the wasm unoptimised (`data-wasm-opt="0"`) so that the optimiser sees the code
/// without them: optimised first and cut after, the file came out larger.
pub fn wasm(dist: &Path) -> Result<(), String> {
    let files = proc::files_with_extension(dist, &["wasm"])?;
    let [file] = files.as_slice() else {
        return Err(format!("expected one .wasm file in {}", dist.display()));
    };
    let before = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let (imports, exports) = interface(&before)?;
    let dead = exports.iter().filter(|e| dead_export(e)).count();
    let graph_file = file.with_extension("graph.json");
    std::fs::write(&graph_file, graph(&imports, &exports))
        .map_err(|e| format!("cannot write {}: {e}", graph_file.display()))?;
    let cut = file.with_extension("cut.wasm");
    let tools = proc::tools_bin();
    proc::run(
        command(tools.join("wasm-metadce"))
            .arg(file)
            .arg("--graph-file")
            .arg(&graph_file)
            .args(WASM_FEATURES)
            .arg("-o")
            .arg(&cut)
            // It lists every function it removes: the count below says enough.
            .stdout(std::process::Stdio::null()),
    )?;
    proc::run(
        command(tools.join("wasm-opt"))
            .arg(&cut)
            .arg("-O2")
            .args(WASM_FEATURES)
            .arg("-o")
            .arg(file),
    )?;
    let _ = std::fs::remove_file(&graph_file);
    let _ = std::fs::remove_file(&cut);
    let after = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    replace_integrity(dist, file, &before, &after)?;
    println!(
        "optimised {} without {dead} unused exports: {} -> {} bytes",
        file.file_name().unwrap_or_default().to_string_lossy(),
        before.len(),
        after.len()
    );
    Ok(())
}

/// Puts `after`'s integrity hash in the page where `before`'s was.
fn replace_integrity(dist: &Path, file: &Path, before: &[u8], after: &[u8]) -> Result<(), String> {
    let index_path = dist.join("index.html");
    let index = std::fs::read_to_string(&index_path)
        .map_err(|e| format!("cannot read {}: {e}", index_path.display()))?;
    let (old, new) = (integrity(before), integrity(after));
    if index.contains("integrity=") && !index.contains(&old) {
        return Err(format!(
            "index.html has no integrity hash for {}: cannot update it safely",
            file.display()
        ));
    }
    std::fs::write(&index_path, index.replace(&old, &new))
        .map_err(|e| format!("cannot write {}: {e}", index_path.display()))
}

pub fn javascript(dist: &Path) -> Result<(), String> {
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
        replace_integrity(dist, &script, &before, &after)?;
        std::fs::rename(&minified, &script)
            .map_err(|e| format!("cannot replace {}: {e}", script.display()))?;
        println!(
            "minified {}: {} -> {} bytes",
            script.file_name().unwrap_or_default().to_string_lossy(),
            before.len(),
            after.len()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{dead_export, graph, integrity, interface};

    /// A module importing `env.f` and a memory, exporting `keep` and `intounderlyingsink_write`.
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        // Type section: one type, () -> ().
        wasm.extend([1, 4, 1, 0x60, 0, 0]);
        let imports: Vec<u8> = [
            &[2u8][..],
            &[3, b'e', b'n', b'v', 1, b'f', 0, 0],
            &[3, b'e', b'n', b'v', 3, b'm', b'e', b'm', 2, 1, 1, 2],
        ]
        .concat();
        wasm.extend([2, imports.len() as u8]);
        wasm.extend(imports);
        let mut exports = vec![2u8, 4];
        exports.extend(b"keep");
        let dead = b"intounderlyingsink_write";
        exports.extend([0, 0, dead.len() as u8]);
        exports.extend(dead);
        exports.extend([0, 0]);
        wasm.extend([7, exports.len() as u8]);
        wasm.extend(exports);
        wasm
    }

    #[test]
    fn the_modules_imports_and_exports_are_read_and_only_the_dead_ones_are_left_unrooted() {
        let (imports, exports) = interface(&module()).unwrap();
        assert_eq!(
            imports,
            [("env".into(), "f".into()), ("env".into(), "mem".into())]
        );
        assert_eq!(exports, ["keep", "intounderlyingsink_write"]);
        assert!(dead_export("__wbg_intounderlyingsource_free"));
        assert!(!dead_export("__wbindgen_start"));
        let graph = graph(&imports, &exports);
        assert!(
            graph.starts_with("[{\"name\":\"root\",\"root\":true,\"reaches\":[\"export keep\"]}")
        );
        assert!(graph.contains("{\"name\":\"import env f\",\"import\":[\"env\",\"f\"]}"));
        assert!(interface(b"not wasm").is_err());
    }

    #[test]
    fn integrity_is_the_sri_form_of_sha384() {
        // `printf abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}
