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

/// What binaryen renamed when it minified the module's interface: each import `(old, new)` and
/// each export `(old, new)`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Renames {
    imports: Vec<(String, String)>,
    exports: Vec<(String, String)>,
}

/// Reads the map `wasm-opt --minify-imports-and-exports-and-modules` prints:
/// `{"imports": [[module, old, new], …], "exports": [[old, new], …]}`, one entry a line. The names
/// are wasm-bindgen's (letters, digits, `_` and `$`), so a line's quoted strings are its fields.
fn renames(map: &str) -> Result<Renames, String> {
    let mut found = Renames::default();
    let mut exports = false;
    for line in map.lines() {
        exports |= line.contains("\"exports\"");
        let fields: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        match (exports, fields.as_slice()) {
            (false, [_module, old, new]) => found.imports.push((old.to_string(), new.to_string())),
            (true, [old, new]) => found.exports.push((old.to_string(), new.to_string())),
            (_, [] | ["imports"] | ["exports"]) => {}
            _ => return Err(format!("unexpected line in wasm-opt's map: {line}")),
        }
    }
    Ok(found)
}

/// The glue with the module's new names: each import's key in the object the glue gives the
/// module (`name: function(…)`), the module's own key (`"./…_bg.js": import0`), and every call
/// of an export (`wasm.name`). Every import must be found once: a glue written otherwise
/// fails the build rather than an app that cannot start.
fn rename_in_glue(glue: &str, renames: &Renames, modules: (&str, &str)) -> Result<String, String> {
    let mut out = String::with_capacity(glue.len());
    let identifier = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let imports: std::collections::HashMap<&str, &str> = renames
        .imports
        .iter()
        .map(|(o, n)| (o.as_str(), n.as_str()))
        .collect();
    let exports: std::collections::HashMap<&str, &str> = renames
        .exports
        .iter()
        .map(|(o, n)| (o.as_str(), n.as_str()))
        .collect();
    let mut renamed_imports = 0;
    let mut rest = glue;
    while let Some(start) = rest.find(|c: char| identifier(c)) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !identifier(c)).unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        let export = out.ends_with("wasm.").then(|| exports.get(word)).flatten();
        let import = (after.starts_with(": ") && out.ends_with("\n        "))
            .then(|| imports.get(word))
            .flatten();
        match (export, import) {
            (Some(new), _) => out.push_str(new),
            (None, Some(new)) => {
                renamed_imports += 1;
                out.push_str(new);
            }
            (None, None) => out.push_str(word),
        }
        rest = after;
    }
    out.push_str(rest);
    if renamed_imports != renames.imports.len() {
        return Err(format!(
            "the glue names {renamed_imports} of the module's {} imports",
            renames.imports.len()
        ));
    }
    let (old, new) = modules;
    let key = format!("\"{old}\": import0");
    if out.matches(&key).count() != 1 {
        return Err(format!("the glue does not give the module {old:?} once"));
    }
    Ok(out.replace(&key, &format!("\"{new}\": import0")))
}

/// The glue without the JavaScript classes of the exports [`dead_export`] removed from the
/// wasm: wasm-bindgen writes each as `export class Name {` … `}` (the `}` alone on its line),
/// then a line giving it `Symbol.dispose`, and elsewhere its finalization registry
/// (`const NameFinalization = …;`, which terser keeps for its `new`); terser keeps an exported
/// class however unused. About 0.5 KB of the glue as sent.
fn without_dead_classes(glue: &str) -> Result<String, String> {
    let mut out = String::with_capacity(glue.len());
    let mut lines = glue.split_inclusive('\n');
    let mut removed = Vec::new();
    while let Some(line) = lines.next() {
        let class = line
            .strip_prefix("export class ")
            .and_then(|rest| rest.split_whitespace().next());
        match class {
            Some(name) if dead_export(&name.to_ascii_lowercase()) => {
                if !lines.by_ref().any(|l| l.trim_end() == "}") {
                    return Err(format!("the glue's class {name} never ends"));
                }
                let dispose = lines.next().unwrap_or_default();
                if !dispose.starts_with(&format!("if (Symbol.dispose) {name}.prototype")) {
                    out.push_str(dispose);
                }
                removed.push(format!("const {name}Finalization "));
            }
            _ => out.push_str(line),
        }
    }
    if removed.is_empty() {
        return Err("the glue has none of the classes of the exports removed".into());
    }
    let mut kept = String::with_capacity(out.len());
    let mut lines = out.split_inclusive('\n');
    while let Some(line) = lines.next() {
        if removed.iter().any(|r| line.starts_with(r.as_str())) {
            // The statement ends with the first line that ends it.
            if !line.trim_end().ends_with(';')
                && !lines.by_ref().any(|l| l.trim_end().ends_with(';'))
            {
                return Err(format!(
                    "the glue's statement {} never ends",
                    line.trim_end()
                ));
            }
        } else {
            kept.push_str(line);
        }
    }
    Ok(kept)
}

/// The glue without `initSync`, which instantiates the module from bytes already in hand: the
/// page starts the app with the default export, which streams the module. The function, its
/// export, and the warnings only it gives, about 0.2 KB as sent.
fn without_init_sync(glue: &str) -> Result<String, String> {
    const EXPORTS: (&str, &str) = (
        "export { initSync, __wbg_init as default };",
        "export { __wbg_init as default };",
    );
    let start = glue
        .find("\nfunction initSync(")
        .ok_or("the glue has no initSync to remove")?;
    let end = glue[start..]
        .find("\n}\n")
        .map(|at| start + at + 3)
        .ok_or("the glue's initSync never ends")?;
    if !glue.contains(EXPORTS.0) {
        return Err("the glue does not export initSync as expected".into());
    }
    Ok(format!("{}{}", &glue[..start + 1], &glue[end..]).replace(EXPORTS.0, EXPORTS.1))
}

/// Optimises the app's wasm: first removes the exports of code it never calls (see
/// [`dead_export`]), then runs wasm-opt at -O2 and shortens the names of the module's imports
/// and exports (wasm-bindgen's carry a 16-digit hash each, written in the wasm and again in the
/// glue: about 1.5 KB of the wasm as sent, and the glue's share), renaming them in the glue too,
/// and keeps the page's integrity hashes true. Trunk leaves the wasm unoptimised
/// (`data-wasm-opt="0"`) so that the optimiser sees the code without the dead exports:
/// optimised first and cut after, the file came out larger.
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
    let map = proc::output(
        command(tools.join("wasm-opt"))
            .arg(&cut)
            .arg("-O2")
            .arg("--minify-imports-and-exports-and-modules")
            .args(WASM_FEATURES)
            .arg("-o")
            .arg(file),
    )?;
    let _ = std::fs::remove_file(&graph_file);
    let _ = std::fs::remove_file(&cut);
    let after = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    replace_integrity(dist, file, &before, &after)?;
    let new_module = match interface(&after)?.0.as_slice() {
        [(module, _), more @ ..] if more.iter().all(|(m, _)| m == module) => module.clone(),
        _ => return Err("the minified module should import from one module".into()),
    };
    let old_module = match imports.as_slice() {
        [(module, _), ..] => module.clone(),
        [] => return Err("the module imports nothing: no glue to rename".into()),
    };
    let glue = file.with_file_name(
        file.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .replace("_bg.wasm", ".js"),
    );
    let glue_before = std::fs::read_to_string(&glue)
        .map_err(|e| format!("cannot read {}: {e}", glue.display()))?;
    let glue_after = rename_in_glue(
        &without_init_sync(&without_dead_classes(&glue_before)?)?,
        &renames(&map)?,
        (&old_module, &new_module),
    )?;
    std::fs::write(&glue, &glue_after)
        .map_err(|e| format!("cannot write {}: {e}", glue.display()))?;
    replace_integrity(dist, &glue, glue_before.as_bytes(), glue_after.as_bytes())?;
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
    use super::{
        dead_export, graph, integrity, interface, rename_in_glue, renames, without_dead_classes,
        without_init_sync, Renames,
    };

    #[test]
    fn the_classes_of_removed_exports_leave_the_glue() {
        let glue =
            "export class IntoUnderlyingSink {\n    close() {\n        wasm.x();\n    }\n}\n\
                    if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = 1;\n\n\
                    export class Kept {\n}\nexport function run() {}\n\
                    const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')\n    \
                    ? { register: () => {} }\n    : new FinalizationRegistry(ptr => wasm.free(ptr, 1));\n\
                    const KeptFinalization = 1;\n";
        assert_eq!(
            without_dead_classes(glue).unwrap(),
            "\nexport class Kept {\n}\nexport function run() {}\nconst KeptFinalization = 1;\n"
        );
        assert!(without_dead_classes("export function run() {}\n").is_err());
        assert!(without_dead_classes("export class IntoUnderlyingSink {\n").is_err());
    }

    #[test]
    fn init_sync_leaves_the_glue_and_its_exports() {
        let glue = "let wasm;\nfunction initSync(module) {\n    if (module) {\n        warn();\n    }\n}\n\
                    \nasync function __wbg_init(m) {\n}\n\
                    export { initSync, __wbg_init as default };\n";
        assert_eq!(
            without_init_sync(glue).unwrap(),
            "let wasm;\n\nasync function __wbg_init(m) {\n}\nexport { __wbg_init as default };\n"
        );
        assert!(without_init_sync("export { __wbg_init as default };\n").is_err());
    }

    #[test]
    fn the_glue_calls_the_module_by_its_minified_names() {
        let map = "{\n \"imports\": [\n  [\"./app_bg.js\", \"__wbg_get_0123abcd\", \"a\"],\n  \
                   [\"./app_bg.js\", \"__wbg_set_4567ef01\", \"$b\"]\n ],\n\"exports\": [\n  \
                   [\"__wbindgen_malloc\", \"c\"],\n  [\"memory\", \"d\"]\n ]\n}\n";
        let names = renames(map).unwrap();
        assert_eq!(
            names,
            Renames {
                imports: vec![
                    ("__wbg_get_0123abcd".into(), "a".into()),
                    ("__wbg_set_4567ef01".into(), "$b".into())
                ],
                exports: vec![
                    ("__wbindgen_malloc".into(), "c".into()),
                    ("memory".into(), "d".into())
                ],
            }
        );
        let glue = "function __wbg_get_imports() {\n    const import0 = {\n        __proto__: null,\n        \
                    __wbg_get_0123abcd: function(a) { return wasm.__wbindgen_malloc(a); },\n        \
                    __wbg_set_4567ef01: function() { wasm.memory; wasm.__wbindgen_mallocx; },\n    };\n    \
                    return {\n        __proto__: null,\n        \"./app_bg.js\": import0,\n    };\n}\n\
                    const __wbg_get_0123abcd = 1;";
        let renamed = rename_in_glue(glue, &names, ("./app_bg.js", "a")).unwrap();
        assert!(renamed.contains("\n        a: function(a) { return wasm.c(a); },"));
        assert!(renamed.contains("\n        $b: function() { wasm.d; wasm.__wbindgen_mallocx; },"));
        assert!(renamed.contains("\n        \"a\": import0,"));
        // Only the keys of the imports' object are imports: another use of the text stays.
        assert!(renamed.ends_with("const __wbg_get_0123abcd = 1;"));
        // A glue that lacks an import, or gives the module under another name, is refused.
        let missing = glue.replace("__wbg_set_4567ef01: ", "other: ");
        assert!(rename_in_glue(&missing, &names, ("./app_bg.js", "a")).is_err());
        assert!(rename_in_glue(glue, &names, ("./other_bg.js", "a")).is_err());
        assert!(renames("[\"x\"]\n[\"a\", \"b\", \"c\", \"d\"]").is_err());
    }

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
