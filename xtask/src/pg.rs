//! A throwaway PostgreSQL server for the tests: its own cluster under `target/`, on a free port
//! of 127.0.0.1, with trust authentication, stopped when dropped. As root it runs as the
//! `postgres` user (PostgreSQL refuses to run as root).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::proc::{self, command};

/// The directory of `initdb` and `pg_ctl`: Debian's newest installed version.
pub fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// A running server; stopped (and its files left for a look) when dropped.
pub struct TestPostgres {
    bin: PathBuf,
    data: PathBuf,
    as_postgres: bool,
    pub port: u16,
}

/// `program` run as the `postgres` user when we are root.
fn as_owner(as_postgres: bool, program: &Path) -> Command {
    if as_postgres {
        let mut c = command("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        command(program)
    }
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// The demo's cluster for `cargo xtask serve --postgres`: kept in `dir` between runs (made on
/// first use) on `port`, and left running afterwards; the URL of its `retour` database.
pub fn demo_cluster(dir: &Path, port: u16) -> Result<String, String> {
    let bin = server_bin().ok_or("PostgreSQL is not installed (cargo xtask setup)")?;
    let as_postgres = crate::setup::is_root();
    let data = dir.join("data");
    if !data.join("PG_VERSION").exists() {
        initdb(&bin, dir, as_postgres)?;
    }
    let running = as_owner(as_postgres, &bin.join("pg_ctl"))
        .arg("-D")
        .arg(&data)
        .arg("status")
        .output()
        .is_ok_and(|o| o.status.success());
    if !running {
        pg_start(&bin, dir, port, as_postgres, "")?;
    }
    let url = format!("postgres://postgres@127.0.0.1:{port}");
    // The demo's own database, made once; "already exists" is fine.
    let _ = command("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
            "-U",
            "postgres",
            "-q",
            "-c",
        ])
        .arg("CREATE DATABASE retour")
        .output();
    println!(
        "PostgreSQL for the demo: {url}/retour (its files in {}); it keeps running after the \
         server stops: stop it with\n  {}{} -D {} stop",
        dir.display(),
        if as_postgres {
            "runuser -u postgres -- "
        } else {
            ""
        },
        bin.join("pg_ctl").display(),
        data.display()
    );
    Ok(format!("{url}/retour"))
}

/// A new cluster in `dir`, owned by the user the server runs as.
fn initdb(bin: &Path, dir: &Path, as_postgres: bool) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    if as_postgres {
        proc::run(command("chown").args(["-R", "postgres:postgres"]).arg(dir))?;
        // The postgres user must reach the directory through its parents.
        let mut up = dir.parent();
        while let Some(parent) = up {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(meta) = std::fs::metadata(parent) {
                let mode = meta.permissions().mode();
                if mode & 0o001 == 0 {
                    let _ = std::fs::set_permissions(
                        parent,
                        std::fs::Permissions::from_mode(mode | 0o001),
                    );
                }
            }
            up = parent.parent();
        }
    }
    proc::run(
        as_owner(as_postgres, &bin.join("initdb"))
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-A", "trust", "-U", "postgres", "--no-sync"]),
    )
}

fn pg_start(
    bin: &Path,
    dir: &Path,
    port: u16,
    as_postgres: bool,
    extra: &str,
) -> Result<(), String> {
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 {extra}",
        dir.display()
    );
    proc::run(
        as_owner(as_postgres, &bin.join("pg_ctl"))
            .arg("-D")
            .arg(dir.join("data"))
            .args(["-o", &options, "-l"])
            .arg(dir.join("log"))
            .args(["-w", "start"]),
    )
}

impl TestPostgres {
    /// A fresh cluster in `dir` (emptied first), started and ready.
    pub fn start(dir: &Path) -> Result<TestPostgres, String> {
        let bin = server_bin().ok_or("PostgreSQL is not installed (cargo xtask setup)")?;
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let as_postgres = crate::setup::is_root();
        initdb(&bin, dir, as_postgres)?;
        let port = free_port()?;
        // Durability is not what the tests measure: fsync off makes a cluster of hundreds of
        // test databases quick.
        pg_start(
            &bin,
            dir,
            port,
            as_postgres,
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400",
        )?;
        let data = dir.join("data");
        Ok(TestPostgres {
            bin,
            data,
            as_postgres,
            port,
        })
    }

    /// The server's maintenance database, from which the tests create their own.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = as_owner(self.as_postgres, &self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "fast", "-w", "stop"])
            .status();
    }
}
