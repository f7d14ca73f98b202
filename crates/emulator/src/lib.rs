//! An in-memory stand-in for the bank's remote-identification server.
//!
//! It serves the whole contract of `shared/spec/identification-api.md` on a loopback port:
//! presign links, the OCR and selfie uploads (validated as strictly as we can justify), and
//! task polling. Integration tests run it in-process; the app's demo mode and the
//! `humo-ident emulator` command run it on a fixed port. [`Controls`] let a test switch on the
//! failures a real server and network produce.

mod config;
mod controls;
mod error;
mod fixtures;
mod http;
mod jpeg;
mod liveness;
mod server;
mod state;

pub use config::{
    EmulatorConfig, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY, LIVENESS_ISSUER,
    LOCAL_LIVENESS_KEY,
};
pub use controls::{Controls, PollFault, PresignProfile, RecordedPoll, RecordedRequest};
pub use server::Emulator;
