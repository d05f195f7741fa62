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
    /// For tests of several processes: a file holding seconds to add to the clock.
    #[arg(long, env = "RETOUR_CLOCK_OFFSET_FILE", hide = true)]
    pub clock_offset_file: Option<PathBuf>,
    /// Where evidence photos are kept: `directory` (files under the data directory, for one
    /// machine) or `database` (in the database, readable by every instance that shares it).
    #[arg(long, env = "RETOUR_PHOTOS", value_enum, default_value_t = PhotoBackend::Directory)]
    pub photos: PhotoBackend,
    /// The marketplace's policy file (TOML; see policy.example.toml): windows, deadlines and
    /// who pays return shipping, with overrides per seller and per category, and the rate card
    /// that quotes return parcels [default: DOMAIN.md's defaults, no quotes].
    #[arg(long, env = "RETOUR_POLICY")]
    pub policy: Option<PathBuf>,
    /// Do not seed demo data into an empty database.
    #[arg(long, env = "RETOUR_NO_DEMO")]
    pub no_demo: bool,
    /// Seconds between two passes of the deadline sweeper.
    #[arg(long, env = "RETOUR_SWEEP_SECONDS", default_value_t = 15, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub sweep_seconds: u64,
    /// The SMTP server that sends the e-mails: `smtp://host:587?tls=required` (STARTTLS),
    /// `smtps://host:465` (TLS), with `user:password@` before the host for credentials
    /// [default: each message written as an `.eml` file under the data directory's `mail/`].
    #[arg(long, env = "RETOUR_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Who the e-mails come from.
    #[arg(long, env = "RETOUR_MAIL_FROM", default_value = crate::DEFAULT_MAIL_FROM)]
    pub mail_from: String,
    /// The app's address as people reach it, for the links in e-mails.
    #[arg(long, env = "RETOUR_PUBLIC_URL", default_value = crate::DEFAULT_PUBLIC_URL)]
    pub public_url: String,
    /// Seconds between two passes of the mailer (the e-mails due, the reminders a day ahead).
    #[arg(long, env = "RETOUR_MAIL_SECONDS", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub mail_seconds: u64,
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
    /// A carrier account that may post parcel events, as ACCOUNT=SECRET (repeat it, or separate
    /// them with commas in the environment). With the demo and none given, the account `demo`
    /// signs with `demo-carrier-secret`.
    #[arg(long = "carrier-secret", env = "RETOUR_CARRIER_SECRETS", value_delimiter = ',',
          value_parser = carrier_secret)]
    pub carrier_secrets: Vec<(String, String)>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Where evidence photos are kept.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoBackend {
    Directory,
    Database,
}

/// What else the binary does besides serving.
#[derive(clap::Subcommand, Debug, Clone)]
pub enum Command {
    /// Act as a carrier: sign and send one parcel event to a running Retour, as a tracking
    /// service would (for the demo and the tests).
    Carrier(CarrierArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct CarrierArgs {
    /// The parcel's tracking number.
    pub tracking_number: String,
    /// accepted, in_transit, out_for_delivery, delivered, delivery_failed or returned_to_sender.
    #[arg(value_parser = parcel_status)]
    pub status: rules::api::ParcelStatus,
    /// Where Retour runs.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    pub url: String,
    #[arg(long, default_value = "demo")]
    pub account: String,
    #[arg(
        long,
        env = "RETOUR_CARRIER_SECRET",
        default_value = "demo-carrier-secret"
    )]
    pub secret: String,
    /// Where the carrier saw the parcel.
    #[arg(long, default_value = "")]
    pub location: String,
    /// The event's id [default: a new one each time].
    #[arg(long)]
    pub event_id: Option<String>,
}

fn carrier_secret(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((account, secret)) if !account.trim().is_empty() && secret.len() >= 16 => {
            Ok((account.trim().to_owned(), secret.to_owned()))
        }
        Some((_, secret)) if secret.len() < 16 => {
            Err("the secret must be at least 16 characters".into())
        }
        _ => Err("write it as ACCOUNT=SECRET".into()),
    }
}

fn parcel_status(text: &str) -> Result<rules::api::ParcelStatus, String> {
    rules::api::ParcelStatus::from_code(text).ok_or_else(|| {
        let codes: Vec<_> = rules::api::ParcelStatus::ALL
            .iter()
            .map(|s| s.code())
            .collect();
        format!("one of {}", codes.join(", "))
    })
}

impl Config {
    /// The policy file's rules, or the defaults without one; a file that cannot be used says
    /// what is wrong, with the field, the value and the allowed range.
    pub fn policies(&self) -> Result<rules::PolicySet, String> {
        let Some(path) = &self.policy else {
            return Ok(rules::PolicySet::default());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the policy file {}: {e}", path.display()))?;
        rules::PolicySet::from_toml(&text)
            .map_err(|e| format!("cannot use the policy file {}: {e}", path.display()))
    }

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
        let config = Config::try_parse_from([
            "retour-server",
            "--carrier-secret",
            "dhl=0123456789abcdef",
            "--carrier-secret",
            "ups=fedcba9876543210",
        ])
        .unwrap();
        assert_eq!(config.carrier_secrets.len(), 2);
        assert_eq!(config.carrier_secrets[1].0, "ups");
        for bad in [
            ["--carrier-secret", "dhl"],
            ["--carrier-secret", "dhl=short"],
            ["--sweep-seconds", "0"],
            ["--session-hours", "-1"],
            ["--addr", "localhost"],
        ] {
            let args = ["retour-server", bad[0], bad[1]];
            assert!(Config::try_parse_from(args).is_err(), "{bad:?}");
        }
    }
}
