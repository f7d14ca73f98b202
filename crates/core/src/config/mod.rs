//! Configuration: where the bank is, how to poll, how to prepare images, and which steps the flow
//! has. Read from TOML; every default matches the bank's contract, so an empty file is a valid
//! configuration for the real server.
//!
//! The steps are data, not code: the old passport's paths, the selfie's form and a future
//! "additional documents" step can change without a rebuild.

use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;

mod display;
mod flow;
mod kiosk;
mod links;
mod liveness;
mod logging;
mod machine_file;
mod managed;
mod telemetry;
mod updates;
pub use display::{Compositing, DisplayConfig};
pub use flow::{
    DocumentConfig, DocumentKind, FlowConfig, PageConfig, SelfieConfig, SelfiePart, SELFIE_STEP_ID,
};
pub use kiosk::KioskConfig;
pub use links::LinksConfig;
pub use liveness::{LivenessConfig, LivenessProviderKind, LunaPassConfig, LunaPassEndpoints};
pub use logging::{LogLevel, LoggingConfig, APP_ID};
pub use machine_file::{check_machine_file, machine_config_path};
pub use managed::{check_file, Layered, Locked};
pub use telemetry::{TelemetryConfig, TelemetryDestination};
pub use updates::{UpdateSource, UpdatesConfig};

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// The bank's server.
    pub api: ApiConfig,
    /// How a task's status is checked.
    pub polling: PollingConfig,
    /// How photos are prepared before upload.
    pub images: ImageConfig,
    /// The steps of the flow.
    pub flow: FlowConfig,
    /// The camera chosen last.
    pub camera: CameraConfig,
    /// The branch kiosk: full screen, and a clean start for every client.
    pub kiosk: KioskConfig,
    /// How the selfie's liveness check is done.
    pub liveness: LivenessConfig,
    /// Which web links may open an identification, and which pages the app may open at the end.
    pub links: LinksConfig,
    /// Where signed updates come from: the machine's configuration alone sets it.
    pub updates: UpdatesConfig,
    /// How the webview draws.
    pub display: DisplayConfig,
    /// The log files: how much, where, and for how long.
    pub logging: LoggingConfig,
    /// Where the event files are sent: the machine's configuration alone sets it.
    pub telemetry: TelemetryConfig,
}

/// Which camera to use, remembered between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct CameraConfig {
    /// A camera's index or part of its name, `synthetic`, or `file:PATH`; the first camera when
    /// unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device: Option<String>,
}

impl Config {
    /// Parses TOML text and checks it.
    pub fn from_toml(text: &str) -> Result<Self, Error> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config(e.to_string()))?;
        config.validate()?;
        Ok(config)
    }

    /// Reads and checks a TOML file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
        Self::from_toml(&text)
            .map_err(|e| Error::Config(format!("{}: {}", path.display(), strip_prefix(&e))))
    }

    /// Writes the chosen camera into the configuration file at `path` (made if missing), keeping
    /// every other setting in it.
    pub fn remember_camera(path: &Path, device: &str) -> Result<(), Error> {
        let cannot = |e: &dyn std::fmt::Display| {
            Error::Config(format!("cannot update {}: {e}", path.display()))
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(cannot(&e)),
        };
        let mut table: toml::Table = text.parse().map_err(|e| cannot(&e))?;
        let camera = table
            .entry("camera")
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let toml::Value::Table(camera) = camera else {
            return Err(cannot(&"[camera] is not a table"));
        };
        camera.insert("device".into(), toml::Value::String(device.to_owned()));
        let text = toml::to_string_pretty(&table).map_err(|e| cannot(&e))?;
        Self::from_toml(&text)?;
        std::fs::write(path, text).map_err(|e| cannot(&e))
    }

    /// The configuration as TOML, e.g. to show the defaults.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Checks what serde cannot: URLs, paths, limits and unique step ids.
    pub fn validate(&self) -> Result<(), Error> {
        self.api.validate()?;
        self.polling.validate()?;
        self.images.validate()?;
        self.flow.validate()?;
        positive("kiosk.idle-reset-secs", self.kiosk.idle_reset_secs)?;
        positive("kiosk.done-reset-secs", self.kiosk.done_reset_secs)?;
        positive("kiosk.max-client-secs", self.kiosk.max_client_secs)?;
        self.links.validate()?;
        self.updates.validate()?;
        self.logging.validate()?;
        self.telemetry.validate()?;
        self.kiosk.validate()?;
        self.liveness.luna_pass.validate()
    }

    /// Whether the `local` liveness provider may take the selfie: only against a server on this
    /// machine (the emulator), or one the configuration says accepts its tokens.
    pub fn local_selfie_allowed(&self) -> bool {
        self.api.is_loopback() || self.liveness.server_accepts_local
    }
}

fn strip_prefix(error: &Error) -> String {
    match error {
        Error::Config(message) => message.clone(),
        other => other.to_string(),
    }
}

/// Where the bank's server is and how long to wait for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ApiConfig {
    /// Base URL; may carry a path prefix (`https://host/gw/v1` gives `https://host/gw/v1/api/…`).
    pub base_url: String,
    /// Time allowed to open a connection.
    pub connect_timeout_secs: u64,
    /// Time allowed for one whole request (an upload of a large photo on a slow line included).
    pub request_timeout_secs: u64,
    /// Keys the bank's certificate must carry: base64 SHA-256 pins of a SubjectPublicKeyInfo,
    /// the server's or an intermediate's it sends (`api::pinning`). Empty, the default: no pin.
    /// Only for an https server.
    pub pin_sha256: Vec<String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            base_url: "https://crm-test.humo.tj".into(),
            connect_timeout_secs: 10,
            request_timeout_secs: 60,
            pin_sha256: Vec::new(),
        }
    }
}

impl ApiConfig {
    /// Whether the server is on this machine (the emulator), by its URL's host.
    pub fn is_loopback(&self) -> bool {
        reqwest::Url::parse(&self.base_url).is_ok_and(|url| liveness::is_loopback_host(&url))
    }

    fn validate(&self) -> Result<(), Error> {
        let url = reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::Config(format!("api.base-url {:?}: {e}", self.base_url)))?;
        // The scheme as the parser read it (lower case), never the text as typed.
        let secure = url.scheme() == "https";
        let loopback = liveness::is_loopback_host(&url);
        if !(secure || (url.scheme() == "http" && loopback)) || url.host_str().is_none() {
            return Err(Error::Config(format!(
                "api.base-url {:?} must be an https URL (http is allowed on this machine only: \
                 the token, the key and the photos would cross the network in clear text)",
                self.base_url
            )));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "api.base-url must not carry a user name or password".into(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::Config(
                "api.base-url must not have a query or fragment".into(),
            ));
        }
        positive("api.connect-timeout-secs", self.connect_timeout_secs)?;
        positive("api.request-timeout-secs", self.request_timeout_secs)?;
        self.pins().map(drop)
    }

    /// The pins of `pin_sha256`, decoded: each must be the base64 of 32 bytes, and pins need an
    /// https server (a pin on a plain connection would pin nothing).
    pub fn pins(&self) -> Result<Vec<[u8; 32]>, Error> {
        use base64::Engine;
        if self.pin_sha256.is_empty() {
            return Ok(Vec::new());
        }
        if !reqwest::Url::parse(&self.base_url).is_ok_and(|url| url.scheme() == "https") {
            return Err(Error::Config(
                "api.pin-sha256 pins the certificate of an https server: api.base-url is not one"
                    .into(),
            ));
        }
        self.pin_sha256
            .iter()
            .enumerate()
            .map(|(index, pin)| {
                base64::engine::general_purpose::STANDARD
                    .decode(pin.trim())
                    .ok()
                    .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
                    .ok_or_else(|| {
                        Error::Config(format!(
                            "api.pin-sha256[{index}] {pin:?} is not a SHA-256 pin: the base64 of \
                             32 bytes, as `openssl dgst -sha256 -binary | base64` prints it"
                        ))
                    })
            })
            .collect()
    }
}

/// How a task is watched until it ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PollingConfig {
    /// Wait before the first status check after an upload.
    pub first_delay_ms: u64,
    /// Wait between the end of one check and the start of the next.
    pub interval_ms: u64,
    /// Time allowed for one status check.
    pub request_timeout_secs: u64,
    /// How long a task may take in all before the flow gives up on it.
    pub deadline_secs: u64,
    /// How many checks in a row may fail (time-out, 5xx, unreadable body) before giving up.
    pub max_consecutive_failures: u32,
}

impl Default for PollingConfig {
    fn default() -> Self {
        PollingConfig {
            first_delay_ms: 1000,
            interval_ms: 1000,
            request_timeout_secs: 10,
            deadline_secs: 120,
            max_consecutive_failures: 5,
        }
    }
}

impl PollingConfig {
    /// The wait before the first check.
    pub fn first_delay(&self) -> Duration {
        Duration::from_millis(self.first_delay_ms)
    }
    /// The wait between checks.
    pub fn interval(&self) -> Duration {
        Duration::from_millis(self.interval_ms)
    }
    /// The time allowed for one check.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(self.request_timeout_secs)
    }
    /// The time allowed for a whole task.
    pub fn deadline(&self) -> Duration {
        Duration::from_secs(self.deadline_secs)
    }

    fn validate(&self) -> Result<(), Error> {
        positive("polling.request-timeout-secs", self.request_timeout_secs)?;
        positive("polling.deadline-secs", self.deadline_secs)?;
        positive(
            "polling.max-consecutive-failures",
            self.max_consecutive_failures.into(),
        )
    }
}

/// How a photo is turned into the JPEG that is uploaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ImageConfig {
    /// Larger photos are scaled down so that their long side is at most this.
    pub max_long_side: u32,
    /// Photos whose short side is smaller than this are refused: the bank cannot read them.
    pub min_short_side: u32,
    /// JPEG quality (1–100) of a re-encoded photo.
    pub jpeg_quality: u8,
    /// Photo files larger than this many bytes are refused before they are decoded: a phone's
    /// largest photo is well under it, and decoding a bigger one costs memory a kiosk may not
    /// have.
    pub max_file_bytes: u64,
}

impl Default for ImageConfig {
    fn default() -> Self {
        ImageConfig {
            max_long_side: 2400,
            min_short_side: 240,
            jpeg_quality: 92,
            max_file_bytes: 25 * 1024 * 1024,
        }
    }
}

impl ImageConfig {
    fn validate(&self) -> Result<(), Error> {
        if self.max_long_side < 320 || self.max_long_side > 16_384 {
            return Err(Error::Config(
                "images.max-long-side must be between 320 and 16384".into(),
            ));
        }
        if self.min_short_side > self.max_long_side {
            return Err(Error::Config(
                "images.min-short-side exceeds images.max-long-side".into(),
            ));
        }
        if !(1024..=256 * 1024 * 1024).contains(&self.max_file_bytes) {
            return Err(Error::Config(
                "images.max-file-bytes must be between 1024 and 268435456".into(),
            ));
        }
        if !(1..=100).contains(&self.jpeg_quality) {
            return Err(Error::Config(
                "images.jpeg-quality must be between 1 and 100".into(),
            ));
        }
        Ok(())
    }
}

fn positive(name: &str, value: u64) -> Result<(), Error> {
    if value == 0 {
        Err(Error::Config(format!("{name} must be greater than 0")))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_the_contract_defaults() {
        let config = Config::from_toml("").unwrap();
        assert_eq!(config, Config::default());
        let new = config.flow.document(DocumentKind::New);
        assert_eq!(new.doc_type, "ID_NEW");
        assert_eq!(new.pages[0].path, "/api/tasks/ocr/id_new/front");
        assert!(new.pages[1].sends_tax_number);
        assert_eq!(config.flow.selfie.path, "/api/tasks/selfie");
        assert_eq!(config.polling.deadline(), Duration::from_secs(120));
    }

    #[test]
    fn defaults_round_trip_through_toml() {
        let text = Config::default().to_toml();
        assert_eq!(Config::from_toml(&text).unwrap(), Config::default());
    }

    #[test]
    fn old_passport_paths_and_extra_steps_are_configuration() {
        let config = Config::from_toml(
            r#"
            [api]
            base-url = "https://bank.example/gw/v1"
            [flow.old-passport]
            doc-type = "PASSPORT_1996"
            pages = [{ id = "photo", label = "photo page", path = "/api/tasks/ocr/passport/photo" }]
            [[flow.additional]]
            id = "address"
            label = "proof of address"
            path = "/api/tasks/ocr/address"
            doc-type = "ADDRESS"
            fields = { purpose = "residence" }
            "#,
        )
        .unwrap();
        assert_eq!(config.flow.old_passport.pages[0].id, "photo");
        assert_eq!(config.flow.additional[0].fields["purpose"], "residence");
    }

    #[test]
    fn the_chosen_camera_is_remembered_with_the_rest_kept() {
        let dir = std::env::temp_dir().join(format!("humo-ident-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, "[api]\nbase-url = \"https://bank.example\"\n").unwrap();
        Config::remember_camera(&path, "CZUR").unwrap();
        let config = Config::load(&path).unwrap();
        assert_eq!(config.camera.device.as_deref(), Some("CZUR"));
        assert_eq!(config.api.base_url, "https://bank.example");
        let fresh = dir.join("new.toml");
        Config::remember_camera(&fresh, "0").unwrap();
        assert_eq!(
            Config::load(&fresh).unwrap().camera.device.as_deref(),
            Some("0")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn loopback_servers_are_recognised() {
        let api = |url: &str| ApiConfig {
            base_url: url.into(),
            ..ApiConfig::default()
        };
        assert!(api("http://127.0.0.1:8080").is_loopback());
        assert!(api("http://[::1]:8080/gw").is_loopback());
        assert!(api("http://LOCALHOST").is_loopback());
        assert!(!api("https://crm-test.humo.tj").is_loopback());
        assert!(!api("http://127.0.0.1.evil.example").is_loopback());
    }

    #[test]
    fn plain_http_is_for_this_machine_only() {
        let api = |url: &str| ApiConfig {
            base_url: url.into(),
            ..ApiConfig::default()
        };
        assert!(api("https://crm.bank.example").validate().is_ok());
        // The scheme is read from the parsed address, whatever its case.
        assert!(api("HTTPS://crm.bank.example/gw").validate().is_ok());
        assert!(api("http://127.0.0.1:8080").validate().is_ok());
        assert!(api("http://localhost:8080/gw").validate().is_ok());
        for refused in [
            "http://crm.bank.example",
            "HTTP://crm.bank.example",
            "http://127.0.0.1.evil.example",
            "http://10.0.0.5",
            "https://user:secret@crm.bank.example",
            "ws://crm.bank.example",
        ] {
            let error = api(refused).validate().unwrap_err().to_string();
            assert!(error.contains("base-url"), "{refused}: {error}");
        }
        let clear = api("http://crm.bank.example").validate().unwrap_err();
        assert!(clear.to_string().contains("clear text"));
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            ("[api]\nbase-url = \"ftp://x\"", "base-url"),
            ("[api]\nbase-urll = \"https://x\"", "unknown field"),
            ("[polling]\ndeadline-secs = 0", "deadline-secs"),
            ("[images]\njpeg-quality = 0", "jpeg-quality"),
            ("[flow.selfie]\npath = \"api/selfie\"", "flow.selfie.path"),
            (
                "[[flow.additional]]\nid = \"front\"\nlabel = \"x\"\npath = \"/x\"",
                "used twice",
            ),
            (
                "[[flow.additional]]\nid = \"x\"\nlabel = \"x\"\npath = \"/x\"\nfields = { key = \"1\" }",
                "set by the flow",
            ),
        ];
        for (text, expected) in cases {
            let error = Config::from_toml(text).unwrap_err().to_string();
            assert!(error.contains(expected), "{text}: {error}");
        }
    }
}
