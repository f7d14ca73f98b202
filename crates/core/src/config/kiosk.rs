//! The branch kiosk's settings.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;

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
    /// A client's identification is dropped this long after their link was opened, however
    /// busy the screen: no page (nor the LUNA PASS library in its webview, which may signal
    /// activity) can keep a departed client's session alive for ever.
    pub max_client_secs: u64,
    /// The bank's name for this machine (`dushanbe-rudaki-07`), which its events carry: set in
    /// the machine's file. Letters, digits, `.`, `_` and `-`, at most 64.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl Default for KioskConfig {
    fn default() -> Self {
        KioskConfig {
            enabled: false,
            idle_reset_secs: 90,
            done_reset_secs: 20,
            max_client_secs: 900,
            id: None,
        }
    }
}

impl KioskConfig {
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let Some(id) = &self.id else { return Ok(()) };
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        let starts_well = id.starts_with(|c: char| c.is_ascii_alphanumeric());
        if !starts_well || id.len() > 64 || !id.chars().all(allowed) {
            return Err(Error::Config(
                "kiosk.id: letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit"
                    .into(),
            ));
        }
        Ok(())
    }

    /// How long a client may leave the screen untouched.
    pub fn idle_reset(&self) -> Duration {
        Duration::from_secs(self.idle_reset_secs)
    }

    /// How long the final screen stays.
    pub fn done_reset(&self) -> Duration {
        Duration::from_secs(self.done_reset_secs)
    }

    /// The most time a client's identification may take at a kiosk.
    pub fn max_client(&self) -> Duration {
        Duration::from_secs(self.max_client_secs)
    }
}
