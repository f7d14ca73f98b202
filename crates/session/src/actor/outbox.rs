//! Where the actor's events go: the subscribed page's sink, shared by the actor's two sides.

use std::sync::{Arc, Mutex};

use crate::events::AppEvent;
use crate::events::EventSink;

/// The sink of the page subscribed now, if any. A page that subscribes replaces the last one.
#[derive(Clone, Default)]
pub(super) struct Outbox(Arc<Mutex<Option<EventSink>>>);

impl Outbox {
    pub fn subscribe(&self, sink: EventSink) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(sink);
    }

    pub fn emit(&self, event: AppEvent) {
        let sink = self.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(sink) = sink {
            sink(event);
        }
    }
}
