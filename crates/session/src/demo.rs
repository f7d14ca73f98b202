//! Switches that make the demo's bank misbehave, so the bank's people can show how the app
//! copes. They act on the in-process emulator only.

use std::time::Duration;

use humo_ident_emulator::{Controls, PollFault};
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

impl DemoFault {
    pub(crate) fn apply(self, controls: &Controls) {
        match self {
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
                controls.fail_polls(0, PollFault::ServerError);
            }
        }
    }
}
