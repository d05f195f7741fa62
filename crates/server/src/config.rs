use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

/// Retour's server: the JSON API under /api and the built app for every other path.
#[derive(Parser, Debug, Clone)]
#[command(name = "retour-server", version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "RETOUR_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory for the database and the evidence files; created when missing.
    #[arg(long, env = "RETOUR_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Database URL [default: a SQLite file `retour.db` in the data directory].
    #[arg(long, env = "RETOUR_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The built app (Trunk's output directory).
    #[arg(long, env = "RETOUR_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Do not seed demo data into an empty database.
    #[arg(long, env = "RETOUR_NO_DEMO")]
    pub no_demo: bool,
    /// Seconds between two passes of the deadline sweeper.
    #[arg(long, env = "RETOUR_SWEEP_SECONDS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub sweep_seconds: u64,
    /// Hours a sign-in lasts.
    #[arg(long, env = "RETOUR_SESSION_HOURS", default_value_t = 168, value_parser = clap::value_parser!(i64).range(1..=8760))]
    pub session_hours: i64,
    /// Mark the session cookie Secure (set it when the server is reached over HTTPS, for
    /// example behind a TLS proxy that does not send X-Forwarded-Proto).
    #[arg(long, env = "RETOUR_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Believe X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto. Set it only behind a
    /// reverse proxy that sets them (replacing what clients send): otherwise anyone could claim
    /// any address and escape the per-address sign-in limit.
    #[arg(long, env = "RETOUR_TRUSTED_PROXY")]
    pub trusted_proxy: bool,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("retour.db").display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_defaults_and_nonsense_is_refused() {
        let config = Config::try_parse_from([
            "retour-server",
            "--addr",
            "0.0.0.0:9000",
            "--data-dir",
            "/srv/retour",
            "--sweep-seconds",
            "5",
            "--no-demo",
        ])
        .unwrap();
        assert_eq!(config.addr.port(), 9000);
        assert!(config.no_demo);
        assert_eq!(config.sweep_seconds, 5);
        assert_eq!(config.database_url(), "sqlite:///srv/retour/retour.db");
        for bad in [
            ["--sweep-seconds", "0"],
            ["--session-hours", "-1"],
            ["--addr", "localhost"],
        ] {
            let args = ["retour-server", bad[0], bad[1]];
            assert!(Config::try_parse_from(args).is_err(), "{bad:?}");
        }
    }
}
