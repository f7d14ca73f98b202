//! `[updates]`: where the app looks for a newer version of itself, and the key every package must
//! be signed with. Only the machine's configuration sets it (see [`super::managed`]): whoever
//! names the update server and its key decides what code runs next, so a user's file cannot.

use std::time::Duration;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// `[updates]` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct UpdatesConfig {
    /// The update manifest's address (`https://…`, in the updater's JSON format); `{{target}}`,
    /// `{{arch}}` and `{{current_version}}` in it are filled in. Unset: no updates are looked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The minisign public key the packages are signed with, as `tauri signer generate` prints
    /// it (base64).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// Minutes between two looks at the endpoint.
    pub check_every_minutes: u64,
    /// How long the start screen must have been left alone before a downloaded update is
    /// installed: never during a client's identification, nor while someone types a link.
    pub quiet_secs: u64,
}

impl Default for UpdatesConfig {
    fn default() -> Self {
        UpdatesConfig {
            endpoint: None,
            public_key: None,
            check_every_minutes: 60,
            quiet_secs: 60,
        }
    }
}

/// Where updates come from and how they are checked: `[updates]` once validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSource {
    /// The manifest's address.
    pub endpoint: url::Url,
    /// The public key, as configured (base64 of minisign's public key file).
    pub public_key: String,
    /// The wait between two looks.
    pub check_every: Duration,
    /// The quiet time before an install.
    pub quiet: Duration,
}

impl UpdateSource {
    /// Whether a package may be downloaded from `url`, which the manifest names: over https, or
    /// plain http to this machine only (a local test server), as for the endpoint. The package
    /// is verified either way; this keeps what the manifest points at as private as the manifest.
    pub fn may_download_from(&self, url: &url::Url) -> bool {
        url.scheme() == "https"
            || (url.scheme() == "http" && super::liveness::is_loopback_host(url))
    }
}

impl UpdatesConfig {
    /// The update source, when `[updates]` names one; both the endpoint and the key, or neither.
    pub fn source(&self) -> Result<Option<UpdateSource>, Error> {
        let (endpoint, public_key) = match (&self.endpoint, &self.public_key) {
            (Some(endpoint), Some(key)) => (endpoint, key),
            (None, None) => return Ok(None),
            _ => {
                return Err(Error::Config(
                    "updates.endpoint and updates.public-key go together: an update is \
                     installed only if its signature verifies with the key"
                        .into(),
                ))
            }
        };
        let endpoint = super::liveness::checked("updates.endpoint", endpoint, "https", "http")?;
        check_public_key(public_key)?;
        super::positive("updates.check-every-minutes", self.check_every_minutes)?;
        Ok(Some(UpdateSource {
            endpoint,
            public_key: public_key.trim().to_owned(),
            check_every: Duration::from_secs(self.check_every_minutes * 60),
            quiet: Duration::from_secs(self.quiet_secs),
        }))
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        self.source().map(drop)
    }
}

/// Checks that `text` is a minisign public key as the Tauri CLI prints it: base64 of the key
/// file, whose second line is base64 of `Ed`, an 8-byte key id and a 32-byte Ed25519 key.
fn check_public_key(text: &str) -> Result<(), Error> {
    let base64 = base64::engine::general_purpose::STANDARD;
    let key_line = base64
        .decode(text.trim())
        .ok()
        .and_then(|file| String::from_utf8(file).ok())
        .and_then(|file| {
            let mut lines = file.lines();
            let comment = lines.next()?;
            let key = lines.next()?;
            comment
                .starts_with("untrusted comment:")
                .then(|| key.trim().to_owned())
        });
    let valid = key_line
        .and_then(|key| base64.decode(key).ok())
        .is_some_and(|key| key.len() == 42 && key.starts_with(b"Ed"));
    if valid {
        Ok(())
    } else {
        Err(Error::Config(
            "updates.public-key is not a minisign public key (the base64 text `tauri signer \
             generate` prints as the public key)"
                .into(),
        ))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A public key file of minisign's shape, as `tauri signer generate` prints it: base64.
    pub(in crate::config) fn public_key() -> String {
        let key = [b"Ed".as_slice(), &[7; 8], &[42; 32]].concat();
        let file = format!(
            "untrusted comment: minisign public key: 0707070707070707\n{}\n",
            base64::engine::general_purpose::STANDARD.encode(key)
        );
        base64::engine::general_purpose::STANDARD.encode(file)
    }

    fn updates(endpoint: Option<&str>, key: Option<String>) -> UpdatesConfig {
        UpdatesConfig {
            endpoint: endpoint.map(str::to_owned),
            public_key: key,
            ..UpdatesConfig::default()
        }
    }

    #[test]
    fn no_endpoint_means_no_updates() {
        assert_eq!(UpdatesConfig::default().source().unwrap(), None);
    }

    #[test]
    fn packages_come_over_https_or_from_this_machine() {
        let source = updates(
            Some("https://updates.bank.tj/latest.json"),
            Some(public_key()),
        )
        .source()
        .unwrap()
        .unwrap();
        let may = |url: &str| source.may_download_from(&url::Url::parse(url).unwrap());
        assert!(may("https://cdn.bank.tj/humo-ident_0.2.0.msi"));
        assert!(may("http://127.0.0.1:8080/humo-ident.deb"));
        assert!(may("http://localhost/humo-ident.deb"));
        assert!(!may("http://cdn.bank.tj/humo-ident_0.2.0.msi"));
        assert!(!may("ftp://cdn.bank.tj/humo-ident_0.2.0.msi"));
        assert!(!may("file:///tmp/humo-ident.deb"));
    }

    #[test]
    fn an_https_endpoint_with_a_key_is_a_source() {
        let source = updates(
            Some("https://updates.bank.tj/humo-ident/{{target}}/{{arch}}/{{current_version}}"),
            Some(public_key()),
        )
        .source()
        .unwrap()
        .unwrap();
        assert_eq!(source.endpoint.host_str(), Some("updates.bank.tj"));
        assert_eq!(source.check_every, Duration::from_secs(3600));
        assert_eq!(source.quiet, Duration::from_secs(60));
    }

    #[test]
    fn endpoint_and_key_go_together() {
        let error = updates(Some("https://updates.bank.tj/latest.json"), None)
            .source()
            .unwrap_err();
        assert!(error.to_string().contains("go together"), "{error}");
        assert!(updates(None, Some(public_key())).source().is_err());
    }

    #[test]
    fn plain_http_is_for_this_machine_only() {
        let key = Some(public_key());
        assert!(
            updates(Some("http://127.0.0.1:8080/latest.json"), key.clone())
                .source()
                .is_ok()
        );
        let error = updates(Some("http://updates.bank.tj/latest.json"), key)
            .source()
            .unwrap_err();
        assert!(error.to_string().contains("updates.endpoint"), "{error}");
    }

    #[test]
    fn a_key_that_is_not_minisigns_is_refused() {
        let endpoint = Some("https://updates.bank.tj/latest.json");
        for key in [
            "not base64!".to_owned(),
            base64::engine::general_purpose::STANDARD.encode("just text"),
            // A key line of the wrong length.
            base64::engine::general_purpose::STANDARD
                .encode("untrusted comment: minisign public key\nRWQ=\n"),
        ] {
            let error = updates(endpoint, Some(key)).source().unwrap_err();
            assert!(error.to_string().contains("updates.public-key"), "{error}");
        }
    }
}
