//! `cargo xtask test`: every check, in order, stopping at the first failure, then one summary line
//! `N passed, N failed` counting the tests run and the checks that are not tests.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};

use crate::pg::TestPostgres;
use crate::proc::{self, describe};
use crate::setup::{CHROMEDRIVER, CHROMIUM};
use crate::{bundle, setup};

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
}

impl Tally {
    fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

/// Counts from a libtest or wasm-bindgen-test-runner line such as
/// `test result: ok. 12 passed; 0 failed; 0 ignored; ...`.
fn parse_result_line(line: &str) -> Option<(u64, u64)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let count = |label: &str| {
        rest.split(';').find_map(|part| {
            let part = part.trim();
            let number = part.strip_suffix(label)?.trim();
            number.rsplit(' ').next()?.parse::<u64>().ok()
        })
    };
    Some((count("passed")?, count("failed")?))
}

/// A check that is not a test run: it counts as one.
fn check(tally: &mut Tally, name: &str, result: Result<(), String>) -> Result<(), ()> {
    match result {
        Ok(()) => {
            tally.passed += 1;
            println!("xtask test: {name}: ok");
            Ok(())
        }
        Err(e) => {
            tally.failed += 1;
            println!("xtask test: {name}: FAILED: {e}");
            Err(())
        }
    }
}

/// Runs a test command, echoing its output and adding up its test counts.
fn tests(tally: &mut Tally, name: &str, cmd: &mut Command) -> Result<(), ()> {
    println!("xtask test: {name}\n$ {}", describe(cmd));
    let mut child = match cmd.stdout(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => return check(tally, name, Err(format!("cannot start: {e}"))),
    };
    let (mut passed, mut failed) = (0, 0);
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            if let Some((p, f)) = parse_result_line(&line) {
                passed += p;
                failed += f;
            }
        }
    }
    let status = match child.wait() {
        Ok(status) => status,
        Err(e) => return check(tally, name, Err(format!("lost the test run: {e}"))),
    };
    tally.passed += passed;
    tally.failed += failed;
    if status.success() && failed == 0 {
        println!("xtask test: {name}: {passed} passed");
        Ok(())
    } else {
        if failed == 0 {
            // It failed before any test could report (a build error, a crash): count the step.
            tally.failed += 1;
        }
        println!("xtask test: {name}: FAILED ({status})");
        Err(())
    }
}

/// Where the tests' temporary files go: browser profiles, databases, photos. Chromium and
/// ChromeDriver leave profiles behind when they are stopped hard, and in `/tmp` those pile up
/// run after run until the disk is full; here each run starts by emptying the previous one's.
fn scratch_dir() -> std::path::PathBuf {
    proc::root().join("target/test-tmp")
}

/// An empty scratch directory.
fn empty_scratch_dir() -> Result<std::path::PathBuf, String> {
    let dir = scratch_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir)
            .map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// Free space where the build goes, from `df`, for a clear word when the disk is the problem.
fn free_gib(dir: &std::path::Path) -> Option<f64> {
    let output = proc::command("df").args(["-Pk"]).arg(dir).output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let kib: f64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib / (1024.0 * 1024.0))
}

/// A first full run writes about 5.5 GiB under `target/` (measured from a fresh clone), with
/// room to spare.
const BUILD_GIB: f64 = 7.0;

fn steps(tally: &mut Tally) -> Result<(), ()> {
    let root = proc::root();
    if let Some(free) = free_gib(&root) {
        println!(
            "xtask test: {free:.1} GiB free on the disk that holds {}",
            root.display()
        );
        if free < BUILD_GIB {
            println!(
                "xtask test: warning: a first full run writes about 5.5 GiB under target/; \
                 if a step fails with `No space left on device`, free some space and run again"
            );
        }
    }
    let scratch = match empty_scratch_dir() {
        Ok(dir) => dir,
        Err(e) => return check(tally, "scratch directory for the tests", Err(e)),
    };
    let cargo = || {
        let mut c = proc::cargo();
        c.current_dir(&root).env("TMPDIR", &scratch);
        c
    };
    check(tally, "setup", setup::run(setup::Purpose::Test).map(|_| ()))?;
    check(
        tally,
        "cargo fmt --check",
        proc::run(cargo().args(["fmt", "--all", "--check"])),
    )?;
    check(
        tally,
        "clippy (native)",
        proc::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ])),
    )?;
    check(
        tally,
        "clippy (wasm32)",
        proc::run(cargo().args([
            "clippy",
            "--package",
            "retour",
            "--package",
            "retour-rules",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])),
    )?;
    tests(tally, "native tests", cargo().args(["test", "--workspace"]))?;
    // The same API suite again, on a PostgreSQL server of its own (stopped when dropped).
    let postgres = match TestPostgres::start(&root.join("target/test-pg")) {
        Ok(server) => server,
        Err(e) => return check(tally, "a PostgreSQL server for the tests", Err(e)),
    };
    let on_postgres = tests(
        tally,
        "API tests on PostgreSQL",
        cargo()
            .args(["test", "--package", "retour-server"])
            .env("RETOUR_TEST_POSTGRES", postgres.url()),
    );
    drop(postgres);
    // A green run needs nothing of the cluster (over a gigabyte of test databases); a red one
    // keeps it, and its log, to look at.
    if on_postgres.is_ok() {
        let _ = std::fs::remove_dir_all(root.join("target/test-pg"));
    }
    on_postgres?;
    tests(
        tally,
        "browser tests (headless Chromium)",
        cargo()
            .args([
                "test",
                "--package",
                "retour",
                "--package",
                "retour-rules",
                "--tests",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER),
    )?;
    check(tally, "release build of the app", proc::build_app())?;
    tests(
        tally,
        "end-to-end tests (release build in Chromium)",
        cargo()
            .args([
                "test",
                "--package",
                "retour-server",
                "--features",
                "e2e",
                "--test",
                "e2e",
            ])
            .env("RETOUR_DIST", root.join("dist"))
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("CHROMIUM", CHROMIUM)
            .env(
                "RETOUR_AXE",
                crate::setup::axe_core_dir().join("axe.min.js"),
            ),
    )?;
    check(tally, "bundle budget", bundle::report())
}

pub fn run() -> ExitCode {
    let mut tally = Tally::default();
    let outcome = steps(&mut tally);
    let scratch = scratch_dir();
    let code = match outcome {
        Ok(()) => {
            // Nothing in it is needed once everything passed; a failure keeps it to look at.
            let _ = std::fs::remove_dir_all(scratch);
            ExitCode::SUCCESS
        }
        Err(()) => {
            let free =
                free_gib(&scratch).map_or_else(String::new, |f| format!(" ({f:.1} GiB free)"));
            println!(
                "xtask test: the tests' temporary files, screenshots of failures among them, are in {}{free}",
                scratch.display()
            );
            ExitCode::FAILURE
        }
    };
    // The summary is the last line, whatever happened.
    println!("{}", tally.summary());
    code
}

#[cfg(test)]
mod tests {
    use super::parse_result_line;

    #[test]
    fn reads_libtest_and_wasm_runner_summaries() {
        assert_eq!(
            parse_result_line("test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"),
            Some((12, 0))
        );
        assert_eq!(
            parse_result_line("test result: FAILED. 3 passed; 2 failed; 0 ignored"),
            Some((3, 2))
        );
        assert_eq!(parse_result_line("running 3 tests"), None);
    }
}
