//! Running the tools: where they are, and commands that say what they run.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;

/// The workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where `npm install` puts binaryen's `wasm-opt`.
pub fn tools_bin() -> PathBuf {
    root().join(".tools/node_modules/.bin")
}

pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_default()
        .join("bin")
}

/// PATH with our tools first: binaryen 132 must shadow any system `wasm-opt` (Debian's 108
/// builds an app that dies at start-up).
pub fn path() -> std::ffi::OsString {
    let mut dirs = vec![tools_bin(), cargo_bin()];
    if let Some(existing) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&existing));
    }
    std::env::join_paths(dirs).expect("PATH entries are valid")
}

pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut cmd = Command::new(program);
    cmd.env("PATH", path());
    cmd
}

pub fn cargo() -> Command {
    let mut cmd = command(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    if std::env::var_os("CI").is_some() {
        // CI builds once from a fresh clone: incremental caches would only take disk space.
        cmd.env("CARGO_INCREMENTAL", "0");
    }
    cmd
}

pub fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The files directly in `dir` whose extension is one of `extensions`, sorted.
pub fn files_with_extension(
    dir: &std::path::Path,
    extensions: &[&str],
) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Runs `cmd`, showing it first; an error names the command that failed.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    println!("$ {}", describe(cmd));
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` like [`run`] and answers what it printed on standard output.
pub fn output(cmd: &mut Command) -> Result<String, String> {
    println!("$ {}", describe(cmd));
    let out = cmd
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start `{}`: {e}", describe(cmd)))?;
    if !out.status.success() {
        return Err(format!("`{}` failed ({})", describe(cmd), out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{}` printed no text", describe(cmd)))
}

/// The first line a tool prints for `--version`, or `None` when it is not there.
pub fn version_of(program: impl AsRef<OsStr>) -> Option<String> {
    let output = command(program).arg("--version").output().ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .next()
        .map(|l| l.trim().to_owned())
}

/// The release build of the app into `dist/`, with the pinned tools and no downloads, and its
/// wasm optimised, its JavaScript minified, and every file compressed once beside itself.
pub fn build_app() -> Result<(), String> {
    run(command("trunk")
        .args(["build", "--release", "--offline"])
        .current_dir(root()))?;
    let dist = root().join("dist");
    crate::minify::wasm(&dist)?;
    crate::minify::javascript(&dist)?;
    crate::bundle::precompress(&dist)
}
