//! The branch kiosk's settings.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// A kiosk at a branch: one client after another, nothing of the last one kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct KioskConfig {
    /// Run as a kiosk (the desktop app's `--kiosk` does the same).
    pub enabled: bool,
    /// With nobody touching the screen this long, the client's session is dropped.
    pub idle_reset_secs: u64,
    /// The final screen stays this long before the next client's start screen.
    pub done_reset_secs: u64,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            enabled: false,
            idle_reset_secs: 90,
            done_reset_secs: 20,
        }
    }
}

impl KioskConfig {
    /// How long a client may leave the screen untouched.
    pub fn idle_reset(&self) -> Duration {
        Duration::from_secs(self.idle_reset_secs)
    }

    /// How long the final screen stays.
    pub fn done_reset(&self) -> Duration {
        Duration::from_secs(self.done_reset_secs)
    }
}
