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

/// The broadcast channel every change goes through. A slow listener that falls behind is told
/// to reload rather than holding the others up.
#[derive(Clone)]
pub struct Hub(broadcast::Sender<Change>);

impl Default for Hub {
    fn default() -> Self {
        Hub(broadcast::channel(1024).0)
    }
}

impl Hub {
    pub fn publish(&self, change: Change) {
        // No listener is not an error.
        let _ = self.0.send(change);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.0.subscribe()
    }
}
