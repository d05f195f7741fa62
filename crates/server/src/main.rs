use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use chrono::TimeDelta;
use clap::Parser;
use retour_server::config::PhotoBackend;
use retour_server::config::{CarrierArgs, Command, Config};
use retour_server::photos::PhotoStore;
use retour_server::{app, carrier, db, demo, offset_clock, sweeper, system_clock, AppState};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let config = Config::parse();
    let done = match config.command.clone() {
        Some(Command::Carrier(args)) => send_carrier_event(args).await,
        None => run(config).await,
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("retour-server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    // A policy file that cannot be used stops the server before it touches anything.
    let policies = config.policies()?;
    let url = config.database_url();
    let shown = db::redacted(&url);
    let pool = db::connect(&url)
        .await
        .map_err(|e| format!("cannot open the database {shown}: {e}"))?;
    let mut state = AppState::new(
        pool,
        match &config.clock_offset_file {
            Some(file) => offset_clock(file.clone()),
            None => system_clock(),
        },
        config.dist.clone(),
        config.data_dir.clone(),
    );
    state.policies = std::sync::Arc::new(policies);
    if config.photos == PhotoBackend::Database {
        state.photos = PhotoStore::Database(state.pool.clone());
    }
    state
        .share_live_updates()
        .await
        .map_err(|e| format!("cannot listen for live updates on {shown}: {e}"))?;
    if let Some(path) = &config.policy {
        tracing::info!("policy file {}", path.display());
    }
    let mailer = retour_server::mail::Mailer::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        &config.public_url,
        &config.data_dir,
    )?;
    tracing::info!("e-mails go to {}", mailer.describe());
    state.mailer = std::sync::Arc::new(mailer);
    state.session_ttl = TimeDelta::hours(config.session_hours);
    state.secure_cookies = config.secure_cookies;
    state.trusted_proxy = config.trusted_proxy;
    let mut secrets: std::collections::HashMap<String, Vec<u8>> = config
        .carrier_secrets
        .iter()
        .map(|(account, secret)| (account.clone(), secret.as_bytes().to_vec()))
        .collect();
    if secrets.is_empty() && !config.no_demo {
        secrets.insert(
            carrier::DEMO_ACCOUNT.0.into(),
            carrier::DEMO_ACCOUNT.1.as_bytes().to_vec(),
        );
    }
    state.carrier_secrets = std::sync::Arc::new(secrets);
    if !config.no_demo
        && demo::seed_if_empty(&state.pool, &state.photos, state.now(), &state.policies)
            .await
            .map_err(|e| format!("cannot seed the demo data: {e}"))?
    {
        tracing::info!("seeded the demo data");
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(
            "{} has no index.html: the API works, the app does not (run `cargo xtask serve`)",
            config.dist.display()
        );
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| {
            format!(
                "cannot listen on {}: {e} (choose another with --addr)",
                config.addr
            )
        })?;
    // Catches up at once on every deadline that passed while the server was down.
    sweeper::spawn(state.clone(), Duration::from_secs(config.sweep_seconds));
    tokio::spawn(retour_server::mail::run(
        state.clone(),
        Duration::from_secs(config.mail_seconds),
    ));
    println!("Retour is running at http://{}", config.addr);
    if !config.no_demo {
        println!("Demo accounts (email / password):");
        for a in demo::ACCOUNTS {
            println!(
                "  {:<9} {:<14} {:<22} {}",
                a.role, a.name, a.email, a.password
            );
        }
        if config.carrier_secrets.is_empty() {
            println!(
                "Carrier events: account `{}`, secret `{}`; move a parcel with\n  \
                 retour-server carrier TRACKING_NUMBER delivered --url http://{}",
                carrier::DEMO_ACCOUNT.0,
                carrier::DEMO_ACCOUNT.1,
                config.addr
            );
        }
    }
    let service = app(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_requested())
        .await
        .map_err(|e| format!("server stopped: {e}"))
}

/// Ctrl-C in a terminal, or SIGTERM from a service manager or container runtime: requests in
/// flight finish before the server stops.
async fn shutdown_requested() {
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
    tracing::info!("shutting down");
}

/// `retour-server carrier`: signs one event as a carrier account would and posts it.
async fn send_carrier_event(args: CarrierArgs) -> Result<(), String> {
    let now = chrono::Utc::now();
    let event = rules::api::CarrierEvent {
        id: args
            .event_id
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
        tracking_number: args.tracking_number,
        status: args.status,
        at: now,
        location: args.location,
    };
    let body = serde_json::to_vec(&rules::api::CarrierEvents {
        events: vec![event],
    })
    .map_err(|e| e.to_string())?;
    let timestamp = now.timestamp();
    let url = format!("{}/api/carrier-events", args.url.trim_end_matches('/'));
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .header(carrier::ACCOUNT_HEADER, &args.account)
        .header(carrier::TIMESTAMP_HEADER, timestamp.to_string())
        .header(
            carrier::SIGNATURE_HEADER,
            carrier::signature(args.secret.as_bytes(), timestamp, &body),
        )
        .body(body)
        .send()
        .await
        .map_err(|e| format!("cannot reach {url}: {e}"))?;
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    if status.is_success() {
        println!("{text}");
        Ok(())
    } else {
        Err(format!("{url} answered {status}: {text}"))
    }
}
