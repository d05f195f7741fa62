//! Case changes fanned out to the live streams (server-sent events).

use serde::Serialize;
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
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            changes: broadcast::channel(1024).0,
            ended: broadcast::channel(256).0,
        }
    }
}

impl Hub {
    pub fn publish(&self, change: Change) {
        // No listener is not an error.
        let _ = self.changes.send(change);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.changes.subscribe()
    }

    pub fn end_session(&self, session: &str) {
        let _ = self.ended.send(session.to_owned());
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
