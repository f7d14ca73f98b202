//! What one flow did, as the invariants need it.

use std::time::Duration;

use humo_ident_core::flow::FlowState;

/// Which way a flow was run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Through {
    /// `humo_ident_core::flow`'s driver, as the CLI runs it.
    Core,
    /// The app's session, with its synthetic camera, as the desktop app runs it.
    Session,
}

/// How a flow ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ending {
    Done,
    Cancelled,
    Expired,
    /// Reset to the start screen (the kiosk's next client).
    Reset,
    /// No final state before the deadline.
    Stuck,
}

impl FlowReport {
    /// A flow about to start, with the link `key`: stuck until it says otherwise.
    pub fn new(through: Through, key: String) -> FlowReport {
        FlowReport {
            through,
            key,
            ending: Ending::Stuck,
            upload_actions: 0,
            uploads_started: 0,
            refused: 0,
            events: String::new(),
            elapsed: Duration::ZERO,
        }
    }

    /// Takes in a state the flow entered: notes an upload started, and returns `true` when
    /// the state is final, with the ending noted.
    pub fn note_state(&mut self, state: &FlowState) -> bool {
        match state {
            FlowState::Done { .. } => self.ending = Ending::Done,
            FlowState::Expired { .. } => self.ending = Ending::Expired,
            FlowState::Cancelled => self.ending = Ending::Cancelled,
            FlowState::Uploading { .. } => self.uploads_started += 1,
            _ => {}
        }
        state.is_final()
    }
}

#[derive(Debug)]
pub struct FlowReport {
    pub through: Through,
    /// The link's key: the emulator's records are told apart by it.
    pub key: String,
    pub ending: Ending,
    /// Each time the person (or the app, retrying by itself) asked for a photo to be sent:
    /// a submit, or a retry of a step whose upload had not gone through.
    pub upload_actions: usize,
    /// How many times the flow entered its uploading state.
    pub uploads_started: usize,
    /// Planned actions refused because the screen had changed in the meantime.
    pub refused: usize,
    /// Every event the flow emitted, as JSON: what a UI would have received.
    pub events: String,
    pub elapsed: Duration,
}
