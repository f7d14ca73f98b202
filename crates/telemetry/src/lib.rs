//! Sends the app's event files to the bank's OpenTelemetry collector, if the machine's
//! configuration names one (`[telemetry] endpoint`).
//!
//! The event files are the buffer. The session writes each event to the day's file whether
//! or not anything is sent; the [`Sender`] reads them from where it last stopped (its
//! [`Cursor`], kept beside them), sends what is new as OTLP log records over HTTP, and moves
//! the cursor only once the collector has taken them. So:
//! - sending never makes a person wait: nothing in an identification waits for it;
//! - while the collector cannot be reached, events wait on the disk, within the files' own
//!   bound (`[logging] keep-days` and `max-file-mb`), and go once it can;
//! - after a restart, sending goes on from the cursor; a batch the collector took just before
//!   a power cut may be sent twice, never left out.
//!
//! Only lines that read as this version's [`EventLine`](humo_ident_analytics::EventLine) are
//! sent, written anew from their types: whatever else a file might hold stays on the machine.
//!
//! - [`cursor`]: where sending stopped.
//! - [`batch`]: the next lines after a cursor.
//! - [`otlp`]: event lines as OTLP log records, and the exporter that posts them.
//! - [`sender`]: the loop, and its waits after failures.

#![warn(missing_docs)]

pub mod batch;
pub mod cursor;
mod error;
pub mod otlp;
pub mod sender;

pub use cursor::Cursor;
pub use error::Error;
pub use sender::{Progress, Sender};
