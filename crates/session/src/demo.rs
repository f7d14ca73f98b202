//! The demo's bank: the emulator, in-process, and the switches that make it misbehave so the
//! bank's people can show how the app copes.
//!
//! It exists only in builds with the `demo` feature. The bank's build has none: there
//! [`DemoBank`] is a type with no values, so no code path can reach an emulator, and the
//! emulator (with its HTTP server and RSA keys) is not compiled in at all.

use std::time::Duration;

use humo_ident_core::config::Config;
use serde::Deserialize;
use ts_rs::TS;

/// A misbehaviour of the demo's bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DemoFault {
    /// The next document photo is refused as unreadable.
    FailNextDocument,
    /// The next selfie is refused.
    FailNextSelfie,
    /// LUNA PASS's next liveness check does not pass: the face is not in the middle.
    FailNextLivenessCheck,
    /// The next eight status checks lose the connection: more than the poller forgives, so
    /// the step is interrupted and retried by itself.
    DropConnection,
    /// The server answers errors to the next three status checks.
    ServerErrors,
    /// The link expires now (every request gets 401).
    ExpireLink,
    /// Every answer takes two seconds longer.
    SlowNetwork,
    /// Back to normal.
    Heal,
}

/// The emulator standing in for the bank (and for LUNA PASS) in demo mode.
#[cfg(feature = "demo")]
pub(crate) struct DemoBank(humo_ident_emulator::Emulator);

/// No demo bank in this build.
#[cfg(not(feature = "demo"))]
pub(crate) enum DemoBank {}

#[cfg(feature = "demo")]
impl DemoBank {
    /// The link the demo fills in.
    pub const KEY: Option<&'static str> = Some(humo_ident_emulator::DEMO_KEY);

    /// Starts the emulator on a free loopback port; its tasks take `task_delay` (or its own
    /// default) to finish.
    pub async fn start(task_delay: Option<Duration>) -> Result<DemoBank, humo_ident_core::Error> {
        use humo_ident_emulator::{Emulator, EmulatorConfig};
        let defaults = EmulatorConfig::default();
        let emulator = Emulator::start(EmulatorConfig {
            task_delay: task_delay.unwrap_or(defaults.task_delay),
            ..defaults
        })
        .await
        .map_err(|e| humo_ident_core::Error::Network(e.to_string()))?;
        Ok(DemoBank(emulator))
    }

    /// Points the configuration at the emulator.
    pub fn configure(&self, config: &mut Config) {
        config.api.base_url = self.0.base_url();
        // The demo bank's home page is its app's link, as the real bank's is.
        config.links.app_schemes.push("humoonline".into());
        // The emulator stands in for LUNA PASS too, with a double of its library.
        config.liveness.luna_pass.script_url = Some(self.0.luna_pass_script_url());
        config.liveness.luna_pass.ws_url = Some(self.0.luna_pass_ws_url());
    }

    /// Makes the demo's bank misbehave.
    pub fn apply(&self, fault: DemoFault) {
        use humo_ident_emulator::PollFault;
        let controls = self.0.controls();
        match fault {
            DemoFault::FailNextDocument => {
                controls.fail_next_ocr("The document could not be read: the photo is blurred.")
            }
            DemoFault::FailNextSelfie => {
                controls.fail_next_selfie("The face check failed: the face is not visible.")
            }
            DemoFault::FailNextLivenessCheck => {
                controls.fail_next_liveness(vec!["FACE_NOT_CENTERED".to_owned()])
            }
            DemoFault::DropConnection => controls.fail_polls(8, PollFault::DropConnection),
            DemoFault::ServerErrors => controls.fail_polls(3, PollFault::ServerError),
            DemoFault::ExpireLink => controls.set_unauthorized(true),
            DemoFault::SlowNetwork => controls.set_latency(Duration::from_secs(2)),
            DemoFault::Heal => {
                controls.clear_armed_failures();
                controls.set_unauthorized(false);
                controls.set_latency(Duration::ZERO);
                controls.clear_poll_faults();
            }
        }
    }

    pub async fn shutdown(self) {
        self.0.shutdown().await;
    }
}

#[cfg(not(feature = "demo"))]
impl DemoBank {
    /// The link the demo fills in: none.
    pub const KEY: Option<&'static str> = None;

    /// Never called: settings refuse demo mode in this build.
    pub async fn start(_task_delay: Option<Duration>) -> Result<DemoBank, humo_ident_core::Error> {
        Err(humo_ident_core::Error::Config(
            "this build has no demo mode".into(),
        ))
    }

    pub fn configure(&self, _config: &mut Config) {
        match *self {}
    }

    pub fn apply(&self, _fault: DemoFault) {
        match *self {}
    }

    pub async fn shutdown(self) {
        match self {}
    }
}
