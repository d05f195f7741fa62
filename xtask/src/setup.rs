//! `cargo xtask setup`: installs each tool only when it is missing or at the wrong version.

use std::path::Path;

use crate::proc::{self, command, version_of};

pub const TRUNK_VERSION: &str = "0.21.14";
pub const WASM_OPT_VERSION: &str = "132";
pub const TERSER_VERSION: &str = "5.51.2";
/// The accessibility engine of the end-to-end tests' WCAG 2.2 AA gate.
pub const AXE_CORE_VERSION: &str = "4.14.1";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Whether a step had anything to do.
enum Outcome {
    Present(String),
    Installed(String),
}

/// A named step: checks what is there and installs what is not.
type Step = (&'static str, fn() -> Result<Outcome, String>);

/// What the set-up is for: building and running needs no browser, testing does.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Build,
    Test,
}

/// Runs every step the purpose needs; returns how many installed something.
pub fn run(purpose: Purpose) -> Result<usize, String> {
    let build: [Step; 5] = [
        ("wasm target", wasm_target),
        ("Trunk", trunk),
        ("wasm-bindgen CLI", wasm_bindgen),
        ("wasm-opt (binaryen)", wasm_opt),
        ("terser (JS minifier)", terser),
    ];
    let test: [Step; 4] = [
        ("Chromium and ChromeDriver", chromium),
        ("axe-core (accessibility engine)", axe_core),
        ("PostgreSQL server", postgres),
        ("aiosmtpd (SMTP server)", smtp_server),
    ];
    let steps = build
        .into_iter()
        .chain(test.into_iter().filter(|_| purpose == Purpose::Test));
    let mut installed = 0;
    for (name, step) in steps {
        match step().map_err(|e| format!("setup of {name} failed: {e}"))? {
            Outcome::Present(what) => println!("setup: {name}: {what}, already installed"),
            Outcome::Installed(what) => {
                installed += 1;
                println!("setup: {name}: installed {what}");
            }
        }
    }
    if installed == 0 {
        println!("setup: everything is already installed; nothing to do");
    }
    Ok(installed)
}

fn wasm_target() -> Result<Outcome, String> {
    let has_target = || {
        command("rustup")
            .args(["target", "list", "--installed"])
            .output()
            .is_ok_and(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .any(|l| l.trim() == WASM_TARGET)
            })
    };
    if has_target() {
        return Ok(Outcome::Present(WASM_TARGET.into()));
    }
    proc::run(command("rustup").args(["target", "add", WASM_TARGET]))?;
    Ok(Outcome::Installed(WASM_TARGET.into()))
}

fn trunk() -> Result<Outcome, String> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if version_of("trunk").as_deref() == Some(wanted.as_str()) {
        return Ok(Outcome::Present(wanted));
    }
    println!("setup: building Trunk {TRUNK_VERSION} (about 10 minutes on 2 cores)");
    // `--locked` is required: without it 0.21.14 resolves dependencies that do not compile.
    proc::run(proc::cargo().args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))?;
    Ok(Outcome::Installed(wanted))
}

/// The `wasm-bindgen` version pinned in Cargo.lock, which the CLI must equal.
pub fn locked_wasm_bindgen() -> Result<String, String> {
    let lock = std::fs::read_to_string(proc::root().join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".into())
}

fn wasm_bindgen() -> Result<Outcome, String> {
    let version = locked_wasm_bindgen()?;
    let cli = format!("wasm-bindgen {version}");
    let runner = format!("wasm-bindgen-test-runner {version}");
    if version_of("wasm-bindgen").as_deref() == Some(cli.as_str())
        && version_of("wasm-bindgen-test-runner").as_deref() == Some(runner.as_str())
    {
        return Ok(Outcome::Present(cli));
    }
    println!("setup: building the wasm-bindgen CLI {version} (about 3 minutes)");
    // Not `--locked`: the CLI's own lockfile names a crate version the registry no longer has.
    proc::run(proc::cargo().args(["install", "--force", &format!("wasm-bindgen-cli@{version}")]))?;
    Ok(Outcome::Installed(cli))
}

/// Installs `package@version` from the npm registry into `.tools/`.
fn npm_install(package: &str, version: &str) -> Result<(), String> {
    if version_of("npm").is_none() {
        apt_install(&["npm"])?;
    }
    let tools = proc::root().join(".tools");
    std::fs::create_dir_all(&tools)
        .map_err(|e| format!("cannot create {}: {e}", tools.display()))?;
    proc::run(
        command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&tools)
            .arg(format!("{package}@{version}")),
    )
}

/// Installs an npm package into `.tools/` unless `bin` there already reports `wanted`.
fn npm_tool(package: &str, version: &str, bin: &str, wanted: &str) -> Result<Outcome, String> {
    let path = proc::tools_bin().join(bin);
    if let Some(v) = version_of(&path).filter(|v| v.contains(wanted)) {
        return Ok(Outcome::Present(v));
    }
    npm_install(package, version)?;
    match version_of(&path) {
        Some(v) if v.contains(wanted) => Ok(Outcome::Installed(v)),
        other => Err(format!(
            "npm installed {bin}, but it reports {other:?}, not {wanted}"
        )),
    }
}

fn wasm_opt() -> Result<Outcome, String> {
    let wanted = format!("version {WASM_OPT_VERSION}");
    npm_tool("binaryen", WASM_OPT_VERSION, "wasm-opt", &wanted)
}

/// Trunk's own minifier cannot parse wasm-bindgen's current glue and ships it unminified.
fn terser() -> Result<Outcome, String> {
    let wanted = format!("terser {TERSER_VERSION}");
    npm_tool("terser", TERSER_VERSION, "terser", &wanted)
}

/// The accessibility engine the end-to-end tests run on every page they visit: a script for
/// the browser, with no command to ask its version, so its manifest says it.
fn axe_core() -> Result<Outcome, String> {
    let wanted = format!("axe-core {AXE_CORE_VERSION}");
    let installed = || {
        std::fs::read_to_string(axe_core_dir().join("package.json"))
            .is_ok_and(|m| m.contains(&format!("\"version\": \"{AXE_CORE_VERSION}\"")))
    };
    if installed() {
        return Ok(Outcome::Present(wanted));
    }
    npm_install("axe-core", AXE_CORE_VERSION)?;
    if installed() {
        Ok(Outcome::Installed(wanted))
    } else {
        Err(format!("npm did not install {wanted}"))
    }
}

/// Where `axe.min.js` is, for the end-to-end tests.
pub fn axe_core_dir() -> std::path::PathBuf {
    proc::root().join(".tools/node_modules/axe-core")
}

fn chromium() -> Result<Outcome, String> {
    let present = || Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if present() {
        let version = version_of(CHROMEDRIVER).unwrap_or_else(|| "chromedriver".into());
        return Ok(Outcome::Present(version));
    }
    apt_install(&["chromium", "chromium-driver"])?;
    if !present() {
        return Err(format!(
            "{CHROMIUM} or {CHROMEDRIVER} is still missing after apt-get"
        ));
    }
    Ok(Outcome::Installed(
        version_of(CHROMEDRIVER).unwrap_or_else(|| "chromium".into()),
    ))
}

/// `wrk`, the load generator of `cargo xtask bench server` (Debian's package).
pub fn load_generator() -> Result<(), String> {
    if version_of("wrk").is_some() || std::path::Path::new("/usr/bin/wrk").exists() {
        return Ok(());
    }
    apt_install(&["wrk"])
}

/// The SMTP server the mail tests send to: PyPI's `aiosmtpd`, in a virtual environment under
/// `.tools/py` (Debian's `python3-venv` where `venv` is missing).
const AIOSMTPD_VERSION: &str = "1.4.6";

/// The Python that runs `aiosmtpd`, for the mail tests.
pub fn smtp_python() -> std::path::PathBuf {
    proc::root().join(".tools/py/bin/python")
}

fn smtp_server() -> Result<Outcome, String> {
    let python = smtp_python();
    let installed = || {
        std::process::Command::new(&python)
            .args(["-c", "import aiosmtpd; print(aiosmtpd.__version__)"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let wanted = format!("aiosmtpd {AIOSMTPD_VERSION}");
    if installed().as_deref() == Some(AIOSMTPD_VERSION) {
        return Ok(Outcome::Present(wanted));
    }
    let venv = proc::root().join(".tools/py");
    if !python.exists() {
        let made = proc::run(command("python3").args(["-m", "venv"]).arg(&venv));
        if made.is_err() {
            apt_install(&["python3-venv"])?;
            proc::run(command("python3").args(["-m", "venv"]).arg(&venv))?;
        }
    }
    proc::run(
        command(venv.join("bin/pip"))
            .args(["install", "--quiet"])
            .arg(format!("aiosmtpd=={AIOSMTPD_VERSION}")),
    )?;
    match installed() {
        Some(v) if v == AIOSMTPD_VERSION => Ok(Outcome::Installed(wanted)),
        other => Err(format!("pip installed aiosmtpd, but it reports {other:?}")),
    }
}

/// PostgreSQL's server programs (`initdb`, `pg_ctl`): Debian's `postgresql` package.
fn postgres() -> Result<Outcome, String> {
    if let Some(bin) = crate::pg::server_bin() {
        return Ok(Outcome::Present(bin.display().to_string()));
    }
    apt_install(&["postgresql"])?;
    crate::pg::server_bin()
        .map(|bin| Outcome::Installed(bin.display().to_string()))
        .ok_or_else(|| "initdb and pg_ctl are still missing after apt-get".to_owned())
}

pub fn is_root() -> bool {
    command("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs Debian packages as root; otherwise stops with the exact command to run.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    if !is_root() {
        return Err(format!(
            "this needs root; run: sudo apt-get update && sudo apt-get install -y {}",
            packages.join(" ")
        ));
    }
    proc::run(command("apt-get").arg("update"))?;
    proc::run(
        command("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .args(["install", "-y"])
            .args(packages),
    )
}
