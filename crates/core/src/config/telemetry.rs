//! `[telemetry]`: where the event files are sent, if the bank wants them. Only the machine's
//! configuration sets it (see [`super::managed`]): the events say nothing of a person, but where
//! they go is the bank's decision, not a user's.
//!
//! ```toml
//! [telemetry]
//! endpoint = "https://otel.bank.tj/v1/logs"   # OTLP over HTTP, its logs path
//! send-every-secs = 60
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// `[telemetry]` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TelemetryConfig {
    /// The OTLP/HTTP logs endpoint, whole (`https://…/v1/logs`). Unset: nothing is sent, and
    /// the event files stay on the machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Seconds between two looks for new events; after a failure the wait doubles, up to
    /// [`TelemetryDestination::MAX_BACKOFF`].
    pub send_every_secs: u64,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        TelemetryConfig {
            endpoint: None,
            send_every_secs: 60,
        }
    }
}

/// Where events are sent and how often: `[telemetry]` once validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TelemetryDestination {
    /// The OTLP/HTTP logs endpoint.
    pub endpoint: url::Url,
    /// The wait between two looks for new events.
    pub send_every: Duration,
}

impl TelemetryDestination {
    /// The longest wait after failures: a collector that is down for a day is tried every 15
    /// minutes, not hammered, and not forgotten.
    pub const MAX_BACKOFF: Duration = Duration::from_secs(15 * 60);
}

impl TelemetryConfig {
    /// The destination, when `[telemetry]` names one: an https address, or plain http to this
    /// machine only (a collector running beside the app, which forwards over its own TLS).
    pub fn destination(&self) -> Result<Option<TelemetryDestination>, Error> {
        let Some(endpoint) = &self.endpoint else {
            return Ok(None);
        };
        let endpoint = super::liveness::checked("telemetry.endpoint", endpoint, "https", "http")?;
        super::positive("telemetry.send-every-secs", self.send_every_secs)?;
        Ok(Some(TelemetryDestination {
            endpoint,
            send_every: Duration::from_secs(self.send_every_secs),
        }))
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        self.destination().map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn nothing_is_sent_unless_an_endpoint_is_named() {
        let config = Config::from_toml("").unwrap();
        assert_eq!(config.telemetry.destination().unwrap(), None);
    }

    #[test]
    fn an_endpoint_is_https_or_this_machines() {
        let remote = Config::from_toml(
            "[telemetry]\nendpoint = \"https://otel.bank.example/v1/logs\"\nsend-every-secs = 5\n",
        )
        .unwrap();
        let destination = remote.telemetry.destination().unwrap().unwrap();
        assert_eq!(
            destination.endpoint.as_str(),
            "https://otel.bank.example/v1/logs"
        );
        assert_eq!(destination.send_every, Duration::from_secs(5));
        assert!(
            Config::from_toml("[telemetry]\nendpoint = \"http://127.0.0.1:4318/v1/logs\"\n")
                .is_ok()
        );
        for refused in [
            "http://otel.bank.example/v1/logs",
            "https://user:secret@otel.bank.example/v1/logs",
            "ftp://otel.bank.example/",
            "not an address",
        ] {
            let text = format!("[telemetry]\nendpoint = \"{refused}\"\n");
            assert!(Config::from_toml(&text).is_err(), "{refused} was accepted");
        }
        assert!(Config::from_toml(
            "[telemetry]\nendpoint = \"https://otel.bank.example/v1/logs\"\nsend-every-secs = 0\n"
        )
        .is_err());
    }
}
