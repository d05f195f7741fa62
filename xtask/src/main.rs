//! `cargo xtask`: everything a fresh machine needs to run and test Retour.

mod bundle;
mod minify;
mod pg;
mod proc;
mod setup;
mod test;

use setup::Purpose;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                 install what is missing (wasm target, Trunk, wasm-bindgen, wasm-opt, terser,
                        and Chromium for the tests)
  build                 set up, then build the app in release mode into dist/
  serve [--addr ADDR] [--postgres]
                        set up, build, and run Retour with demo data (default 127.0.0.1:8080);
                        --postgres: on a local PostgreSQL kept under data/postgres
  test                  set up, then run every check: fmt, clippy, native, browser and end-to-end
                        tests, and the bundle budget
  bundle                build, then report the first-load bytes against xtask/budget.toml
  bench rules           eligibility checks and advance calls per second (release build, native)
  bench queue           the seller's queue with 10,000 cases: milliseconds per page through the
                        real server and SQLite (release build)
  bench abuse           the server's memory under bursts of pixel bombs, of the largest photos and
                        of wrong passwords (release build)
  bench server          100,000 cases on SQLite and on PostgreSQL, driven by wrk: requests per
                        second, p50 and p99 of the queue, a search, a case read, a filing and an
                        action, beside a bare endpoint (release build)
  bench page            the orders page and the seller's queue in headless Chromium at 390 px,
                        cold and warm, unthrottled and throttled: bytes, FCP, LCP, CLS, time until
                        it answers a click; and how long the wizard's verdict takes to redraw";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run(Purpose::Test).map(|_| ()),
        Some("build") => setup::run(Purpose::Build).and_then(|_| proc::build_app()),
        Some("serve") => serve(&args[1..]),
        Some("test") => return test::run(),
        Some("bundle") => setup::run(Purpose::Build)
            .and_then(|_| proc::build_app())
            .and_then(|_| bundle::report().map(|_| ())),
        Some("bench") => bench(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn bench(args: &[String]) -> Result<(), String> {
    let (package, example) = match args {
        [what] if what == "rules" => ("retour-rules", "bench"),
        [what] if what == "queue" => ("retour-server", "queue_bench"),
        [what] if what == "abuse" => ("retour-server", "abuse_bench"),
        [what] if what == "server" => ("retour-server", "server_bench"),
        [what] if what == "page" => ("retour-server", "page_bench"),
        _ => {
            return Err(format!(
                "bench takes one target: rules, queue, abuse, server or page\n\n{USAGE}"
            ))
        }
    };
    let mut run = proc::cargo();
    run.args([
        "run",
        "--release",
        "--package",
        package,
        "--example",
        example,
    ])
    .current_dir(proc::root());
    // The server bench drives the server with wrk, on SQLite and on a PostgreSQL of its own.
    let postgres = if example == "server_bench" {
        setup::load_generator()?;
        if pg::server_bin().is_none() {
            setup::run(Purpose::Test)?;
        }
        let server = pg::TestPostgres::start(&proc::root().join("target/bench-pg"))?;
        run.env("RETOUR_BENCH_POSTGRES", server.url());
        Some(server)
    } else {
        None
    };
    // The page bench loads the release build in Chromium.
    if example == "page_bench" {
        setup::run(Purpose::Test)?;
        proc::build_app()?;
        run.env("RETOUR_DIST", proc::root().join("dist"));
    }
    let result = proc::run(&mut run);
    drop(postgres);
    result
}

fn serve(args: &[String]) -> Result<(), String> {
    let mut addr = "127.0.0.1:8080".to_owned();
    let mut postgres = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match (arg.as_str(), rest.clone().next()) {
            ("--addr", Some(value)) => {
                addr = value.clone();
                rest.next();
            }
            ("--postgres", _) => postgres = true,
            _ => return Err(format!("serve takes --addr ADDR and --postgres\n\n{USAGE}")),
        }
    }
    setup::run(Purpose::Build)?;
    proc::build_app()?;
    proc::run(
        proc::cargo()
            .args(["build", "--release", "--package", "retour-server"])
            .current_dir(proc::root()),
    )?;
    let root = proc::root();
    let mut server = proc::command(root.join("target/release/retour-server"));
    if postgres {
        if pg::server_bin().is_none() {
            setup::run(Purpose::Test)?;
        }
        let url = pg::demo_cluster(&root.join("data/postgres"), 54329)?;
        // Photos in the database too, as several instances would keep them.
        server.args(["--database-url", &url, "--photos", "database"]);
    }
    proc::run(
        server
            .args(["--addr", &addr, "--data-dir", "data", "--dist", "dist"])
            // The example policy: DOMAIN.md's numbers and a rate card that quotes the demo's returns.
            .args(["--policy", "policy.example.toml"])
            .current_dir(&root),
    )
}
