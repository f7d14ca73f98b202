//! Which liveness provider takes the selfie, and where LUNA PASS lives.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The providers of the selfie token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum LivenessProviderKind {
    /// VisionLabs' LUNA PASS: the vendor's library in the LUNA PASS webview, its server signs.
    #[default]
    LunaPass,
    /// The app's own camera and liveness check, signed with the emulator's key: demos only.
    Local,
}

impl LivenessProviderKind {
    /// The name used in configuration and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            LivenessProviderKind::LunaPass => "luna-pass",
            LivenessProviderKind::Local => "local",
        }
    }
}

/// `[liveness]`: how the selfie is checked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LivenessConfig {
    /// Which provider takes the selfie.
    pub provider: LivenessProviderKind,
    /// The bank's server accepts `local` tokens (a test server set up for them). Without it, the
    /// `local` provider is refused against any server that is not on this machine.
    pub server_accepts_local: bool,
    /// Where LUNA PASS's library and server are.
    pub luna_pass: LunaPassConfig,
}

/// `[liveness.luna-pass]`: the addresses the bank's deployment gives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LunaPassConfig {
    /// The vendor's browser library (`https://…/luna-pass.js`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script_url: Option<String>,
    /// The LUNA PASS server's WebSocket (`wss://…`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ws_url: Option<String>,
    /// The library's Subresource Integrity hash (`sha384-…`): when given, the page runs the
    /// script only if it is exactly that file. Its server must then answer with CORS headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub script_integrity: Option<String>,
    /// How long the library may take to load and open the camera before the LUNA PASS webview
    /// says so.
    pub ready_timeout_secs: u64,
    /// How long one liveness check may take before the LUNA PASS webview offers to try again.
    pub check_timeout_secs: u64,
}

impl Default for LunaPassConfig {
    fn default() -> Self {
        LunaPassConfig {
            script_url: None,
            ws_url: None,
            script_integrity: None,
            ready_timeout_secs: 20,
            check_timeout_secs: 60,
        }
    }
}

/// LUNA PASS's two addresses, checked, with the origins the app's policy opens to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LunaPassEndpoints {
    /// The library's address, exactly as `script-src` admits it (no fragment).
    pub script_url: String,
    /// The library's origin (`https://host:port`), for `connect-src`.
    pub script_origin: String,
    /// The library's Subresource Integrity hash, when the configuration gives one.
    pub script_integrity: Option<String>,
    /// The WebSocket's address.
    pub ws_url: String,
    /// The WebSocket's origin (`wss://host:port`), for `connect-src`.
    pub ws_origin: String,
}

impl LunaPassConfig {
    /// Both addresses, when both are set; `None` means LUNA PASS is not set up.
    pub fn endpoints(&self) -> Result<Option<LunaPassEndpoints>, Error> {
        let (Some(script_url), Some(ws_url)) = (&self.script_url, &self.ws_url) else {
            return Ok(None);
        };
        let script = checked("liveness.luna-pass.script-url", script_url, "https", "http")?;
        let ws_origin = checked("liveness.luna-pass.ws-url", ws_url, "wss", "ws")?
            .origin()
            .ascii_serialization();
        if let Some(integrity) = &self.script_integrity {
            check_integrity(integrity)?;
        }
        let mut exact = script.clone();
        exact.set_fragment(None);
        Ok(Some(LunaPassEndpoints {
            script_url: exact.to_string(),
            script_origin: script.origin().ascii_serialization(),
            script_integrity: self.script_integrity.clone(),
            ws_url: ws_url.clone(),
            ws_origin,
        }))
    }

    pub(super) fn validate(&self) -> Result<(), Error> {
        if self.script_url.is_some() != self.ws_url.is_some() {
            return Err(Error::Config(
                "liveness.luna-pass needs both script-url and ws-url".into(),
            ));
        }
        super::positive(
            "liveness.luna-pass.ready-timeout-secs",
            self.ready_timeout_secs,
        )?;
        super::positive(
            "liveness.luna-pass.check-timeout-secs",
            self.check_timeout_secs,
        )?;
        self.endpoints().map(drop)
    }
}

/// The address `text`, which must use `secure`, or `loopback_only` on this machine only: the
/// page hands the camera to what it loads, so nothing may come over a plain remote connection.
pub(super) fn checked(
    setting: &str,
    text: &str,
    secure: &str,
    loopback_only: &str,
) -> Result<url::Url, Error> {
    let url =
        url::Url::parse(text).map_err(|e| Error::Config(format!("{setting} {text:?}: {e}")))?;
    let scheme = url.scheme();
    let allowed = scheme == secure || (scheme == loopback_only && is_loopback_host(&url));
    if !allowed || url.host_str().is_none() {
        return Err(Error::Config(format!(
            "{setting} {text:?} must be a {secure}:// address \
             ({loopback_only}:// is allowed on this machine only)"
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(format!(
            "{setting} must not carry a user name or password"
        )));
    }
    Ok(url)
}

/// An SRI hash: `sha256-`, `sha384-` or `sha512-` and the digest in base64 of its length.
fn check_integrity(text: &str) -> Result<(), Error> {
    let digest_len = |algorithm: &str| match algorithm {
        "sha256" => Some(32),
        "sha384" => Some(48),
        "sha512" => Some(64),
        _ => None,
    };
    let valid = text.split_once('-').is_some_and(|(algorithm, digest)| {
        use base64::Engine as _;
        let decoded = base64::engine::general_purpose::STANDARD.decode(digest);
        matches!((digest_len(algorithm), decoded), (Some(len), Ok(bytes)) if bytes.len() == len)
    });
    if valid {
        Ok(())
    } else {
        Err(Error::Config(format!(
            "liveness.luna-pass.script-integrity {text:?} must be an SRI hash such as \
             sha384-<base64 digest>"
        )))
    }
}

/// Whether a URL's host is this machine.
pub(super) fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luna(script: &str, ws: &str) -> LunaPassConfig {
        LunaPassConfig {
            script_url: Some(script.into()),
            ws_url: Some(ws.into()),
            ..LunaPassConfig::default()
        }
    }

    #[test]
    fn endpoints_carry_the_origins_the_policy_opens() {
        let endpoints = luna(
            "https://lp.bank.example:8443/sdk/luna-pass.js?v=3",
            "wss://lp.bank.example/ws",
        )
        .endpoints()
        .unwrap()
        .unwrap();
        assert_eq!(endpoints.script_origin, "https://lp.bank.example:8443");
        assert_eq!(
            endpoints.script_url,
            "https://lp.bank.example:8443/sdk/luna-pass.js?v=3"
        );
        assert_eq!(endpoints.ws_origin, "wss://lp.bank.example");
        assert_eq!(endpoints.script_integrity, None);
        assert_eq!(LunaPassConfig::default().endpoints().unwrap(), None);
    }

    #[test]
    fn plain_connections_are_allowed_on_this_machine_only() {
        assert!(luna("http://127.0.0.1:9/x.js", "ws://localhost:9/ws")
            .validate()
            .is_ok());
        for (script, ws) in [
            ("http://lp.bank.example/x.js", "wss://lp.bank.example/ws"),
            ("https://lp.bank.example/x.js", "ws://lp.bank.example/ws"),
            ("https://lp.bank.example/x.js", "https://lp.bank.example/ws"),
            ("ftp://lp.bank.example/x.js", "wss://lp.bank.example/ws"),
            (
                "https://u:p@lp.bank.example/x.js",
                "wss://lp.bank.example/ws",
            ),
            ("not a url", "wss://lp.bank.example/ws"),
        ] {
            assert!(luna(script, ws).validate().is_err(), "{script} {ws}");
        }
    }

    #[test]
    fn the_scripts_integrity_is_an_sri_hash() {
        let with = |integrity: &str| LunaPassConfig {
            script_integrity: Some(integrity.into()),
            ..luna("https://lp.bank.example/x.js", "wss://lp.bank.example/ws")
        };
        // sha384 of the empty string, as `openssl dgst -sha384 -binary | base64` prints it.
        let good = "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb";
        let endpoints = with(good).endpoints().unwrap().unwrap();
        assert_eq!(endpoints.script_integrity.as_deref(), Some(good));
        for bad in [
            "OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb",
            "md5-1B2M2Y8AsgTpgAmY7PhCfg==",
            "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFI",
            "sha256-not base64!",
            "sha384-",
        ] {
            let error = with(bad).validate().unwrap_err().to_string();
            assert!(error.contains("script-integrity"), "{bad}: {error}");
        }
    }

    #[test]
    fn one_address_without_the_other_is_refused() {
        let half = LunaPassConfig {
            script_url: Some("https://lp.bank.example/x.js".into()),
            ..LunaPassConfig::default()
        };
        assert!(half.validate().is_err());
    }
}
