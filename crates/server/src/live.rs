//! Case changes fanned out to the live streams (server-sent events).
//!
//! On one instance the hub is a pair of broadcast channels. On PostgreSQL several instances
//! share the database, so a change is announced there (`NOTIFY`) and every instance, this one
//! included, hears it (`LISTEN`) and passes it to its own streams: a buyer on one instance sees
//! what the seller did on another.

use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgListener, PgPool};
use tokio::sync::broadcast;

/// One case changed: enough for a stream to decide who may hear of it, and for a screen to
/// decide whether to load the case again.
#[derive(Clone, Debug, Serialize, schemars::JsonSchema)]
pub struct Change {
    pub case_id: String,
    pub version: u32,
    pub state: rules::CaseState,
    #[serde(skip)]
    pub buyer_id: String,
    #[serde(skip)]
    pub store_id: String,
    /// The mediator may see it.
    #[serde(skip)]
    pub escalated: bool,
}

/// The broadcast channels every change and every sign-out go through. A slow listener that
/// falls behind is told to reload rather than holding the others up.
#[derive(Clone)]
pub struct Hub {
    changes: broadcast::Sender<Change>,
    /// The session (token hash) that signed out: its streams close.
    ended: broadcast::Sender<String>,
    /// With several instances: where changes are announced to all of them.
    shared: Option<PgPool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            changes: broadcast::channel(1024).0,
            ended: broadcast::channel(256).0,
            shared: None,
        }
    }
}

/// The channels of the announcements, and what they carry.
const CHANGES: &str = "retour_changes";
const ENDED: &str = "retour_sessions_ended";

/// A change as announced between instances: all of it, the fields streams filter on included
/// (which the streams' own JSON leaves out).
#[derive(Serialize, Deserialize)]
struct Announced {
    case_id: String,
    version: u32,
    state: rules::CaseState,
    buyer_id: String,
    store_id: String,
    escalated: bool,
}

impl From<Change> for Announced {
    fn from(c: Change) -> Self {
        Announced {
            case_id: c.case_id,
            version: c.version,
            state: c.state,
            buyer_id: c.buyer_id,
            store_id: c.store_id,
            escalated: c.escalated,
        }
    }
}

impl From<Announced> for Change {
    fn from(a: Announced) -> Self {
        Change {
            case_id: a.case_id,
            version: a.version,
            state: a.state,
            buyer_id: a.buyer_id,
            store_id: a.store_id,
            escalated: a.escalated,
        }
    }
}

impl Hub {
    /// A hub shared by every instance on `pool`: listening before it returns, so nothing
    /// announced after this is missed; the listener reconnects by itself if the connection drops.
    pub async fn shared(pool: PgPool) -> Result<Hub, sqlx::Error> {
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen_all([CHANGES, ENDED]).await?;
        let hub = Hub {
            shared: Some(pool),
            ..Hub::default()
        };
        let (changes, ended) = (hub.changes.clone(), hub.ended.clone());
        tokio::spawn(async move {
            loop {
                let notification = match listener.recv().await {
                    Ok(n) => n,
                    Err(e) => {
                        // `recv` reconnects on its own; an error here is worth a word and a pause.
                        tracing::warn!(error = %e, "live updates: the database listener failed");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                        continue;
                    }
                };
                match notification.channel() {
                    CHANGES => match serde_json::from_str::<Announced>(notification.payload()) {
                        Ok(announced) => {
                            let _ = changes.send(announced.into());
                        }
                        Err(e) => tracing::warn!(error = %e, "live updates: an unreadable change"),
                    },
                    _ => {
                        let _ = ended.send(notification.payload().to_owned());
                    }
                }
            }
        });
        Ok(hub)
    }

    /// Announces `payload` to every instance on the shared database.
    fn announce(pool: PgPool, channel: &'static str, payload: String) {
        tokio::spawn(async move {
            if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                .bind(channel)
                .bind(&payload)
                .execute(&pool)
                .await
            {
                tracing::warn!(error = %e, "live updates: could not announce a change");
            }
        });
    }

    pub fn publish(&self, change: Change) {
        match &self.shared {
            Some(pool) => {
                let payload = serde_json::to_string(&Announced::from(change)).unwrap_or_default();
                Self::announce(pool.clone(), CHANGES, payload);
            }
            // No listener is not an error.
            None => drop(self.changes.send(change)),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    pub fn end_session(&self, session: &str) {
        match &self.shared {
            Some(pool) => Self::announce(pool.clone(), ENDED, session.to_owned()),
            None => drop(self.ended.send(session.to_owned())),
        }
    }

    /// Resolves when `session` signs out, or when `lasts` has passed (its expiry).
    pub fn session_over(
        &self,
        session: String,
        lasts: std::time::Duration,
    ) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut ended = self.ended.subscribe();
        async move {
            let signed_out = async {
                loop {
                    match ended.recv().await {
                        Ok(gone) if gone == session => return,
                        Ok(_) => {}
                        // Missed sign-outs may include ours: close, the client reconnects.
                        Err(broadcast::error::RecvError::Lagged(_)) => return,
                        Err(broadcast::error::RecvError::Closed) => {
                            std::future::pending::<()>().await
                        }
                    }
                }
            };
            tokio::select! {
                () = signed_out => {}
                () = tokio::time::sleep(lasts) => {}
            }
        }
    }
}
