//! Signed updates, from the server and with the key that the machine's configuration names
//! (`[updates]`; a user's file cannot). A package is installed only if its minisign signature
//! verifies with that key and was made for the version the server offers, and only between
//! clients: never during an identification, nor while someone is at the start screen.
//!
//! Tauri's updater plugin does the checking, the download, the verification and the install.
//! Its commands are granted to no webview: the pages can neither trigger nor see an update.

use std::time::Duration;

use humo_ident_core::config::UpdateSource;
use humo_ident_session::presence::{wait_between_clients, Presence};
use humo_ident_session::Session;
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};
use tokio::sync::watch;

/// The time allowed for one look at the endpoint, and for one download.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(300);

/// The updater plugin's configuration. The endpoint and the key are set in code, from
/// `[updates]`. The plugin's own `https` rule is off because `[updates]` has the same rule
/// already, with one exception the plugin lacks: plain `http` to this machine, for a local test
/// server. The manifest's package address is held to the same rule (`fetch_verified`). The signed version is required, so an old signed package cannot be offered under a
/// new version number.
pub(crate) fn plugin_config() -> serde_json::Value {
    serde_json::json!({
        "pubkey": "",
        "dangerousInsecureTransportProtocol": true,
        "requireSignedVersion": true,
    })
}

/// Registers the updater with the configured key and keeps the app up to date for as long as
/// it runs.
pub(crate) fn start(app: &AppHandle, source: UpdateSource, session: &Session) -> tauri::Result<()> {
    app.plugin(
        tauri_plugin_updater::Builder::new()
            .pubkey(source.public_key.clone())
            .build(),
    )?;
    tracing::info!(
        host = source.endpoint.host_str().unwrap_or_default(),
        every_minutes = source.check_every.as_secs() / 60,
        "updates are looked for"
    );
    tauri::async_runtime::spawn(keep_up_to_date(app.clone(), source, session.presence()));
    Ok(())
}

/// Looks for an update every `check_every`; installs a verified one between clients, then
/// starts the new version.
async fn keep_up_to_date(
    app: AppHandle,
    source: UpdateSource,
    mut presence: watch::Receiver<Presence>,
) {
    loop {
        match fetch_verified(&app, &source).await {
            Ok(Some(verified)) => {
                tracing::info!(
                    version = %verified.update.version,
                    "an update was downloaded and its signature verified; it is installed between clients"
                );
                if !wait_between_clients(&mut presence, source.quiet).await {
                    return;
                }
                match verified.update.install(&verified.bytes) {
                    Ok(()) => {
                        tracing::info!(version = %verified.update.version, "update installed; restarting");
                        app.restart();
                    }
                    Err(error) => tracing::error!(
                        version = %verified.update.version,
                        "the update could not be installed: {error}"
                    ),
                }
            }
            Ok(None) => tracing::debug!("no update"),
            Err(error) => tracing::warn!("{error}"),
        }
        tokio::time::sleep(source.check_every).await;
    }
}

/// An update whose package has been downloaded and verified.
pub(crate) struct Verified {
    pub update: Update,
    pub bytes: Vec<u8>,
}

/// Why no update was taken.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UpdateError {
    /// The endpoint could not be asked, or its answer was not a release.
    #[error("no update could be looked for at {host}: {source}")]
    Check {
        host: String,
        source: tauri_plugin_updater::Error,
    },
    /// The package could not be downloaded.
    #[error("the update to {version} could not be downloaded: {source}")]
    Download {
        version: String,
        source: tauri_plugin_updater::Error,
    },
    /// The manifest names a package that would come over a plain connection.
    #[error(
        "the update to {version} was refused: its package is offered over {scheme}:// from \
         {host}, and packages are taken over https only"
    )]
    InsecureDownload {
        version: String,
        scheme: String,
        host: String,
    },
    /// The package's signature is not the configured key's, or was made for another version.
    #[error(
        "the update to {version} was refused: its signature does not verify with the \
         configured public key ({source})"
    )]
    Refused {
        version: String,
        source: tauri_plugin_updater::Error,
    },
}

/// Asks the endpoint for a newer version and downloads it; the package is returned only if
/// its signature verifies.
pub(crate) async fn fetch_verified<R: Runtime>(
    app: &AppHandle<R>,
    source: &UpdateSource,
) -> Result<Option<Verified>, UpdateError> {
    let check = |source_error| UpdateError::Check {
        host: source.endpoint.host_str().unwrap_or_default().to_owned(),
        source: source_error,
    };
    let updater = app
        .updater_builder()
        .endpoints(vec![source.endpoint.clone()])
        .map_err(check)?
        .timeout(REQUEST_TIMEOUT)
        .build()
        .map_err(check)?;
    let Some(update) = updater.check().await.map_err(check)? else {
        return Ok(None);
    };
    tracing::info!(version = %update.version, "an update is offered");
    if !source.may_download_from(&update.download_url) {
        return Err(UpdateError::InsecureDownload {
            version: update.version.clone(),
            scheme: update.download_url.scheme().to_owned(),
            host: update
                .download_url
                .host_str()
                .unwrap_or_default()
                .to_owned(),
        });
    }
    match update.download(|_, _| {}, || {}).await {
        Ok(bytes) => Ok(Some(Verified { update, bytes })),
        Err(error) => {
            let version = update.version.clone();
            Err(if is_signature_error(&error) {
                UpdateError::Refused {
                    version,
                    source: error,
                }
            } else {
                UpdateError::Download {
                    version,
                    source: error,
                }
            })
        }
    }
}

/// Whether the plugin refused a package for its signature (rather than for the network).
fn is_signature_error(error: &tauri_plugin_updater::Error) -> bool {
    use tauri_plugin_updater::Error;
    matches!(
        error,
        Error::Minisign(_)
            | Error::Base64(_)
            | Error::SignatureUtf8(_)
            | Error::SignedVersionMismatch { .. }
            | Error::MissingSignedVersion
    )
}

#[cfg(test)]
mod tests;
