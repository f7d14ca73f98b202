//! What the UI is told. Every type here is exported to TypeScript (`ui/src/lib/bindings/`), so
//! the UI and the app cannot disagree on a field.

use humo_ident_camera::checks::Issue;
use humo_ident_camera::source::Purpose;
use humo_ident_camera::{CameraError, CameraErrorCode};
use humo_ident_core::config::LivenessProviderKind;
use humo_ident_core::flow::{FlowEvent, FlowState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::settings::Mode;

/// Where the session's events go: the shell forwards them to the webview.
pub type EventSink = std::sync::Arc<dyn Fn(AppEvent) + Send + Sync>;

/// One message on the UI's channel.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", content = "data", rename_all = "camelCase")]
#[ts(export)]
pub enum AppEvent {
    /// The flow changed state, or a task's status was checked.
    Flow(FlowEvent),
    /// The camera of the current step; `None` when no camera runs.
    Camera(Option<CameraView>),
    /// A retry is scheduled after a network failure; `None` when none is.
    AutoRetry(Option<AutoRetryView>),
    /// The kiosk will start over for the next client; `None` when it will not.
    KioskReset(Option<KioskResetView>),
    /// Something to tell the person once (a QR code that is not a link, …).
    Notice(Notice),
    /// The LUNA PASS screen, once the app has let go of the camera; `None` when it is not
    /// shown.
    LunaPass(Option<LunaPassView>),
}

/// The languages the UI speaks. The wizard names its own when it opens the LUNA PASS webview,
/// which starts in the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Language {
    /// Tajik.
    Tg,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Language {
    /// The language's tag, as the UI's locales are named.
    pub fn tag(self) -> &'static str {
        match self {
            Language::Tg => "tg",
            Language::Ru => "ru",
            Language::En => "en",
        }
    }
}

/// The LUNA PASS screen, which the LUNA PASS webview shows: where the vendor's library is, and
/// how the last liveness check went.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LunaPassView {
    /// The selfie step's position in the flow.
    pub step_index: usize,
    /// The vendor's library, loaded into the LUNA PASS webview.
    pub script_url: String,
    /// The LUNA PASS server, handed to the library.
    pub ws_url: String,
    /// The library's Subresource Integrity hash, when configured: the page loads the script
    /// only if it matches.
    pub script_integrity: Option<String>,
    /// How long the library may take to start before the screen says so.
    #[ts(type = "number")]
    pub ready_timeout_ms: u64,
    /// How long one check may take before the screen offers to try again.
    #[ts(type = "number")]
    pub check_timeout_ms: u64,
    /// How many checks did not pass.
    pub failed_checks: u32,
    /// Why the last check did not pass, in LUNA PASS's words; empty before the first.
    pub errors: Vec<String>,
}

/// How the selfie is taken in this session: which liveness provider checks it, or why none can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum SelfieSetup {
    /// LUNA PASS's library, in the LUNA PASS webview.
    LunaPass,
    /// The app's own camera and liveness check.
    #[serde(rename_all = "camelCase")]
    Local {
        /// The bank's server is not on this machine: the configuration says it accepts these
        /// tokens, and the screen says so.
        remote_server: bool,
    },
    /// No selfie can be taken in this set-up.
    Unavailable {
        /// Why.
        reason: SelfieUnavailableReason,
    },
}

/// Why no selfie can be taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SelfieUnavailableReason {
    /// The `local` provider was chosen for a server that is not on this machine and not said
    /// to accept it.
    LocalNotAllowed,
    /// LUNA PASS was chosen but its addresses are not configured.
    LunaPassNotConfigured,
}

impl SelfieSetup {
    /// The set-up a configuration gives: `luna_pass_configured` says whether both LUNA PASS
    /// addresses are there.
    pub fn of(
        provider: LivenessProviderKind,
        local_allowed: bool,
        remote_server: bool,
        luna_pass_configured: bool,
    ) -> SelfieSetup {
        match provider {
            LivenessProviderKind::LunaPass if luna_pass_configured => SelfieSetup::LunaPass,
            LivenessProviderKind::LunaPass => SelfieSetup::Unavailable {
                reason: SelfieUnavailableReason::LunaPassNotConfigured,
            },
            LivenessProviderKind::Local if local_allowed => SelfieSetup::Local { remote_server },
            LivenessProviderKind::Local => SelfieSetup::Unavailable {
                reason: SelfieUnavailableReason::LocalNotAllowed,
            },
        }
    }
}

/// The camera's state, as the person sees it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "camelCase")]
#[ts(export)]
pub enum CameraStatus {
    /// Opening the camera.
    Starting,
    /// Frames are arriving.
    Streaming,
    /// The camera is missing, busy, unplugged or silent.
    #[serde(rename_all = "camelCase")]
    Interrupted {
        /// Why, with a code to translate by.
        error: CameraErrorView,
        /// Whether the picture may come back by itself (unplugged, silent, busy).
        may_recover: bool,
    },
}

/// A camera error for the UI.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CameraErrorView {
    /// Stable code (`no-camera`, `camera-busy`, …).
    pub code: CameraErrorCode,
    /// English message, used when the UI has no translation.
    pub message: String,
}

impl From<&CameraError> for CameraErrorView {
    fn from(error: &CameraError) -> Self {
        CameraErrorView {
            code: error.code(),
            message: error.to_string(),
        }
    }
}

/// The live camera of a step, or the still under review.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CameraView {
    /// What the camera is for.
    pub purpose: Purpose,
    /// The flow's step this camera belongs to, when it belongs to one.
    #[ts(type = "number | null")]
    pub step_index: Option<usize>,
    /// Whether frames arrive.
    pub status: CameraStatus,
    /// The camera's name.
    pub source: Option<String>,
    /// The hints: what the quality checks find wrong with the current picture.
    pub hints: Vec<Issue>,
    /// Every check passes: the photo is about to be taken by itself.
    pub ready: bool,
    /// The photo is taken by itself once every check passes.
    pub auto_capture: bool,
    /// The last press of the shutter was refused for these reasons.
    pub refused: Vec<Issue>,
    /// The still taken, waiting for "use this photo" or "take again".
    pub review: Option<ReviewView>,
}

/// A still waiting for the person's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReviewView {
    /// Names the still in the preview protocol (`still/<id>`).
    #[ts(type = "number")]
    pub id: u64,
    /// Its size in pixels.
    pub width: u32,
    /// Its size in pixels.
    pub height: u32,
    /// What the checks still find wrong: the person may use it anyway.
    pub warnings: Vec<Issue>,
    /// It came from a photo file, not the camera.
    pub from_file: bool,
}

/// A retry the app will make by itself.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AutoRetryView {
    /// Which retry this is, from 1.
    pub attempt: u32,
    /// Milliseconds until it starts.
    #[ts(type = "number")]
    pub in_ms: u64,
}

/// The kiosk's coming reset.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KioskResetView {
    /// Milliseconds until the start screen.
    #[ts(type = "number")]
    pub in_ms: u64,
    /// Why: the client finished, or left.
    pub reason: KioskResetReason,
}

/// Why a kiosk starts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KioskResetReason {
    /// The identification ended.
    Finished,
    /// Nobody has touched the screen for a while.
    Idle,
}

/// A message shown once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Notice {
    /// The QR code shown is not a link of the bank.
    CodeNotALink,
    /// The kiosk started over for the next client.
    KioskWasReset,
}

/// What the UI needs to know once, at start.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// Demo, laptop or kiosk.
    pub mode: Mode,
    /// The bank is the in-process emulator.
    pub demo: bool,
    /// Full screen, one client after another.
    pub kiosk: bool,
    /// The link to fill in (the demo key, or one the app was started with).
    pub link: Option<String>,
    /// The system's language tag (`tg-TJ`, `ru-RU`, …), for the UI's default language.
    pub system_locale: Option<String>,
    /// The bank's host, shown small on the start screen.
    pub bank_host: String,
    /// How the selfie is taken.
    pub selfie: SelfieSetup,
    /// The kiosk's idle time-out.
    #[ts(type = "number")]
    pub idle_reset_ms: u64,
}

/// A camera the UI may name: only one from the list it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CameraId {
    /// A camera the system knows, by its position in the system's list.
    Device {
        /// Position in the system's list, from 0.
        index: u32,
    },
    /// The synthetic camera of demo mode.
    Synthetic,
}

/// A camera the person may choose.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CameraOption {
    /// What to pass to `choose_camera`.
    pub id: CameraId,
    /// Its name.
    pub label: String,
    /// The one in use.
    pub selected: bool,
    /// The synthetic camera of demo mode.
    pub synthetic: bool,
}

/// Everything going on now, sent first to a UI that (re)subscribes: a reloaded wizard (a kiosk's
/// reset reloads it) carries on where it was.
pub(crate) struct Snapshot {
    pub state: FlowState,
    pub camera: Option<CameraView>,
    pub luna_pass: Option<LunaPassView>,
    pub retry: Option<AutoRetryView>,
    pub kiosk_reset: Option<KioskResetView>,
    /// A notice the page that was replaced may not have shown (the kiosk's "started over",
    /// when the shell reloads the page after the reset).
    pub notice: Option<Notice>,
}

impl Snapshot {
    pub(crate) fn events(self) -> Vec<AppEvent> {
        vec![
            AppEvent::Flow(FlowEvent::StateChanged { state: self.state }),
            AppEvent::Camera(self.camera),
            AppEvent::LunaPass(self.luna_pass),
            AppEvent::AutoRetry(self.retry),
            AppEvent::KioskReset(self.kiosk_reset),
        ]
        .into_iter()
        .chain(self.notice.map(AppEvent::Notice))
        .collect()
    }
}
