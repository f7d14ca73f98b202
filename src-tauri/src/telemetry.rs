//! Sending the event files to the bank's collector, when the machine's configuration names one
//! (`[telemetry] endpoint`): a task of its own on the app's runtime, which nothing waits for.

use humo_ident_core::config::Config;
use humo_ident_telemetry::Sender;

/// Starts the sender, if `config` names a collector and has a log folder.
pub(crate) fn start(config: &Config) {
    // Checked with the rest of the configuration: it is valid here.
    let Ok(Some(destination)) = config.telemetry.destination() else {
        return;
    };
    let Some(folder) = config.logging.directory_or_usual() else {
        tracing::warn!("events are not sent: no log folder to read them from");
        return;
    };
    match Sender::new(folder, &destination) {
        Ok(sender) => {
            tracing::info!(
                collector = destination.endpoint.host_str().unwrap_or_default(),
                every_secs = destination.send_every.as_secs(),
                "events are sent to the collector"
            );
            tauri::async_runtime::spawn(sender.run());
        }
        Err(error) => tracing::warn!("events are not sent: {error}"),
    }
}
