//! `[links]`: which web links may open an identification, and which pages the app may hand to
//! the system at the end. Allow-lists: anything not named is refused.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Hosts and schemes the app trusts for links.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LinksConfig {
    /// Web hosts whose `https` links may open an identification (pasted, scanned as a QR code,
    /// or passed on the command line), and whose pages the app may open as the bank's
    /// `home_page`. `*.bank.example` names every subdomain. The bank's API host is always
    /// trusted.
    pub hosts: Vec<String>,
    /// Schemes of other apps the bank's `home_page` may open (e.g. `humoonline`, the bank's
    /// own app). Web pages need a host in `hosts` instead.
    pub app_schemes: Vec<String>,
}

impl LinksConfig {
    pub(super) fn validate(&self) -> Result<(), Error> {
        for host in &self.hosts {
            let name = host.strip_prefix("*.").unwrap_or(host);
            let valid = !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && !name.starts_with('.')
                && !name.ends_with('.');
            if !valid {
                return Err(Error::Config(format!(
                    "links.hosts {host:?} must be a host name such as crm.bank.example or \
                     *.bank.example (no scheme, port or path)"
                )));
            }
        }
        for scheme in &self.app_schemes {
            let lower = scheme.to_ascii_lowercase();
            let valid = lower
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
                && lower
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            let forbidden = matches!(
                lower.as_str(),
                "http"
                    | "https"
                    | "file"
                    | "javascript"
                    | "data"
                    | "blob"
                    | "about"
                    | "ftp"
                    | "smb"
                    | "sftp"
                    | "ssh"
                    | "apt"
                    | "tauri"
                    | "ipc"
                    | "vbscript"
            );
            if !valid || forbidden {
                return Err(Error::Config(format!(
                    "links.app-schemes {scheme:?} must be another app's own scheme \
                     (web pages go by host, in links.hosts)"
                )));
            }
        }
        Ok(())
    }
}
