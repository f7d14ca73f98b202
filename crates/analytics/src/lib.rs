//! The app's events: what happened in each identification, with nothing of the person in it.
//!
//! Logs say what the app did, for whoever fixes it; events say what people went through, for
//! whoever runs the service: which screen they gave up at, why photos were taken again, which
//! refusals the bank gave, on which camera. They are one JSON line each, in a file beside the
//! logs, and `humo-ident report funnel` reads them back.
//!
//! - [`event`]: a line ([`EventLine`]) and what happened ([`Event`]).
//! - [`named`]: the few strings a line may carry, each held to a pattern when it is made.
//! - [`schema`]: the JSON Schema of a line, generated from these types.
//! - [`files`]: the event files' names.
//! - [`funnel`]: event files read back into figures per step.
//!
//! Everything in a line is an enum, a number, or one of the named strings: nothing the bank's
//! server or the person wrote can reach one. The schema's test walks every field to keep it so.

#![warn(missing_docs)]

pub mod event;
pub mod files;
pub mod funnel;
pub mod named;
pub mod schema;

pub use event::{CameraInfo, Event, EventLine, Outcome, Screen, ScreenKind};
