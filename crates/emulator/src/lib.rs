//! An in-memory stand-in for the bank's remote-identification server.
//!
//! It serves the whole contract of `shared/spec/identification-api.md` on a loopback port:
//! presign links, the OCR and selfie uploads (validated as strictly as we can justify), and
//! task polling. Integration tests run it in-process; the app's demo mode and the
//! `humo-ident emulator` command run it on a fixed port. [`Controls`] let a test switch on the
//! failures a real server and network produce.
//!
//! It also stands in for VisionLabs' LUNA PASS liveness service, so the app's `luna-pass`
//! selfie provider runs end to end in a real webview: a double of the vendor's browser library
//! at [`Emulator::luna_pass_script_url`] (same `LunaPass` class, camera or a synthetic face),
//! a WebSocket at [`Emulator::luna_pass_ws_url`] that answers `{isOk, jwt}` with a verdict
//! signed RS256 by a key the emulator makes for itself, and a selfie upload that accepts those
//! tokens beside the `local` provider's HS256 ones.

mod chaos;
mod clock;
mod config;
mod controls;
mod error;
mod fixtures;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
mod http;
mod jpeg;
mod liveness;
mod luna_pass;
mod recent;
mod server;
mod state;

pub use chaos::{Chaos, ChaosFault};
pub use config::{
    EmulatorConfig, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY, LIVENESS_ISSUER,
    LOCAL_LIVENESS_KEY, LUNA_PASS_ISSUER, LUNA_PASS_KEY_ID,
};
pub use controls::{
    Controls, PollFault, PresignProfile, RecordedPoll, RecordedRequest, SelfieTokenRecord,
};
pub use fixtures::personal_values;
pub use server::Emulator;
