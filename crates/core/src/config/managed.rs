//! The machine's configuration, which an administrator owns, under the user's: the user's file
//! is laid over the machine's, except for the settings the machine's file locks. A fleet of
//! kiosks gets its server, kiosk mode and liveness provider from the machine's file, and no
//! user's file or command-line flag can change them.
//!
//! ```toml
//! # /etc/humo-ident/config.toml
//! [managed]
//! locked = ["api.base-url", "kiosk.enabled", "liveness.provider"]
//!
//! [api]
//! base-url = "https://ident.bank.tj"
//!
//! [kiosk]
//! enabled = true
//! ```

use std::path::{Path, PathBuf};

use super::machine_file::{check_machine_file, machine_config_path};
use super::Config;
use crate::error::Error;

/// The sections a configuration has; a lock must name one of them, or a setting in one.
const SECTIONS: &[&str] = &[
    "api",
    "polling",
    "images",
    "flow",
    "camera",
    "kiosk",
    "liveness",
    "links",
    "updates",
    "display",
    "logging",
    "telemetry",
];

/// Sections only the machine's file sets, locked or not: whoever names the update server and its
/// key decides what code the app runs next, and where the events go is the bank's to say.
const MACHINE_ONLY: &[&str] = &["updates", "telemetry"];

/// The settings the machine's file locks, as dotted keys (`api.base-url`); a section's name
/// locks every setting in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locked(Vec<String>);

impl Locked {
    /// Whether the setting `key` (dotted) is locked, itself or by its section.
    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|locked| {
            key == locked
                || key
                    .strip_prefix(locked.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }

    /// Whether nothing is locked.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the machine's and the user's files make together.
#[derive(Debug, Clone)]
pub struct Layered {
    /// The configuration in effect.
    pub config: Config,
    /// What the machine's file locks.
    pub locked: Locked,
    /// The machine's file, when it was read.
    pub machine_file: Option<PathBuf>,
    /// Whether either file names the bank's server itself (`[api] base-url`).
    pub names_server: bool,
    /// Settings of the user's file left out because the machine's file locks them.
    pub ignored: Vec<String>,
}

impl Layered {
    /// Reads the machine's file (when given and present) and lays the user's file (when given)
    /// over it. Each file must be a valid configuration on its own.
    ///
    /// This system's machine file ([`machine_config_path`]) is read only if nobody but the
    /// administrators could have written it ([`check_machine_file`]); a file elsewhere (a test's,
    /// a tool's) is taken as given.
    pub fn load(machine: Option<&Path>, user: Option<&Path>) -> Result<Layered, Error> {
        let machine = machine.filter(|path| path.is_file());
        let (mut table, locked) = match machine {
            Some(path) => {
                if machine_config_path().as_deref() == Some(path) {
                    check_machine_file(path)?;
                }
                let mut table = read_table(path)?;
                let locked = take_locked(&mut table).map_err(|e| in_file(path, e))?;
                check_table(&table).map_err(|e| in_file(path, e))?;
                (table, locked)
            }
            None => (toml::Table::new(), Locked::default()),
        };
        let mut ignored = Vec::new();
        if let Some(path) = user {
            let mut over = read_table(path)?;
            if over.contains_key("managed") {
                return Err(in_file(
                    path,
                    Error::Config("[managed] belongs in the machine's configuration only".into()),
                ));
            }
            check_table(&over).map_err(|e| in_file(path, e))?;
            for section in MACHINE_ONLY {
                if over.remove(*section).is_some() {
                    ignored.push((*section).to_owned());
                }
            }
            lay_over(&mut table, over, "", &locked, &mut ignored);
        }
        for key in &ignored {
            tracing::warn!(
                setting = %key,
                "a setting the administrator's configuration owns was ignored in the user's"
            );
        }
        let names_server = table
            .get("api")
            .and_then(|api| api.get("base-url"))
            .is_some();
        let config = check_table(&table)?;
        Ok(Layered {
            config,
            locked,
            machine_file: machine.map(Path::to_path_buf),
            names_server,
            ignored,
        })
    }

    /// Refuses a command-line flag that would change a locked setting.
    pub fn refuse_if_locked(&self, key: &str, flag: &str) -> Result<(), Error> {
        if !self.locked.contains(key) {
            return Ok(());
        }
        let file = self
            .machine_file
            .as_deref()
            .map(|path| format!(" ({})", path.display()))
            .unwrap_or_default();
        Err(Error::Config(format!(
            "{flag}: {key} is set by the administrator's configuration{file} and locked"
        )))
    }
}

/// Checks a configuration file as `humo-ident config --check` does: a user's file, or a
/// machine's with its `[managed]` section. The error names the line when it can.
pub fn check_file(path: &Path) -> Result<(), Error> {
    let text = read(path)?;
    let located = |error: Error| {
        let message = super::strip_prefix(&error);
        match line_of_setting(&text, &message) {
            Some(line) => Error::Config(format!("{}:{line}: {message}", path.display())),
            None => Error::Config(format!("{}: {message}", path.display())),
        }
    };
    let mut table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| located(Error::Config(e.to_string().trim().to_owned())))?;
    take_locked(&mut table).map_err(located)?;
    check_table(&table).map_err(located)?;
    Ok(())
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))
}

fn read_table(path: &Path) -> Result<toml::Table, Error> {
    read(path)?
        .parse()
        .map_err(|e: toml::de::Error| in_file(path, Error::Config(e.to_string())))
}

fn in_file(path: &Path, error: Error) -> Error {
    Error::Config(format!(
        "{}: {}",
        path.display(),
        super::strip_prefix(&error)
    ))
}

/// The configuration a table makes, checked.
fn check_table(table: &toml::Table) -> Result<Config, Error> {
    let config: Config = toml::Value::Table(table.clone())
        .try_into()
        .map_err(|e: toml::de::Error| Error::Config(e.to_string()))?;
    config.validate()?;
    Ok(config)
}

/// Takes `[managed] locked` out of the machine's table, each lock checked.
fn take_locked(table: &mut toml::Table) -> Result<Locked, Error> {
    let Some(managed) = table.remove("managed") else {
        return Ok(Locked::default());
    };
    let bad =
        || Error::Config("[managed] takes one setting: locked = [\"api.base-url\", …]".into());
    let toml::Value::Table(mut managed) = managed else {
        return Err(bad());
    };
    let locked = match managed.remove("locked") {
        Some(toml::Value::Array(keys)) => keys,
        None => Vec::new(),
        Some(_) => return Err(bad()),
    };
    if !managed.is_empty() {
        return Err(bad());
    }
    let mut keys = Vec::new();
    for key in locked {
        let toml::Value::String(key) = key else {
            return Err(bad());
        };
        let section = key.split('.').next().unwrap_or_default();
        if !SECTIONS.contains(&section) || key.split('.').any(str::is_empty) {
            return Err(Error::Config(format!(
                "[managed] locked: {key:?} is not a setting (a section such as \"api\", or a \
                 setting such as \"api.base-url\")"
            )));
        }
        keys.push(key);
    }
    Ok(Locked(keys))
}

/// Lays `over` onto `base`, table by table; a locked setting of `over` is left out and listed.
fn lay_over(
    base: &mut toml::Table,
    over: toml::Table,
    prefix: &str,
    locked: &Locked,
    ignored: &mut Vec<String>,
) {
    for (name, value) in over {
        let key = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        if locked.contains(&key) {
            ignored.push(key);
            continue;
        }
        match (base.get_mut(&name), value) {
            (Some(toml::Value::Table(under)), toml::Value::Table(over)) => {
                lay_over(under, over, &key, locked, ignored)
            }
            (None, toml::Value::Table(over)) => {
                // A section the machine's file leaves out may still hold locked settings (a lock
                // on a default): taken whole, the user's section would set them. It is laid over
                // an empty one instead, setting by setting.
                let mut under = toml::Table::new();
                lay_over(&mut under, over, &key, locked, ignored);
                base.insert(name, toml::Value::Table(under));
            }
            (_, value) => {
                base.insert(name, value);
            }
        }
    }
}

/// The line (1-based) of the first setting a message names (`api.base-url`, `kiosk.enabled`),
/// or of the position a TOML parse error gives (`at line 3, column 5`).
fn line_of_setting(text: &str, message: &str) -> Option<usize> {
    if let Some(rest) = message.split("line ").nth(1) {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(line) = digits.parse() {
            return Some(line);
        }
    }
    let key = message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_'))
        .find(|word| {
            word.contains('.') && SECTIONS.contains(&word.split('.').next().unwrap_or_default())
        })?;
    let (section, setting) = key.rsplit_once('.')?;
    let mut current = String::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = header.trim().to_owned();
        } else if current == section
            && line
                .split_once('=')
                .is_some_and(|(name, _)| name.trim() == setting)
        {
            return Some(index + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    const MACHINE: &str = r#"
[managed]
locked = ["api.base-url", "kiosk.enabled", "liveness"]

[api]
base-url = "https://ident.bank.example"
request-timeout-secs = 20

[kiosk]
enabled = true
"#;

    #[test]
    fn the_users_file_is_laid_over_the_machines_except_what_is_locked() {
        let dir = tempfile::tempdir().unwrap();
        let machine = write(&dir, "machine.toml", MACHINE);
        let user = write(
            &dir,
            "user.toml",
            r#"
[api]
base-url = "https://elsewhere.example"
request-timeout-secs = 45

[kiosk]
enabled = false
idle-reset-secs = 120

[liveness]
provider = "local"

[camera]
device = "USB document camera"
"#,
        );
        let layered = Layered::load(Some(&machine), Some(&user)).unwrap();
        let config = &layered.config;
        assert_eq!(config.api.base_url, "https://ident.bank.example");
        assert!(config.kiosk.enabled);
        assert_eq!(
            config.liveness.provider,
            crate::config::LivenessProviderKind::LunaPass
        );
        // What is not locked is the user's.
        assert_eq!(config.api.request_timeout_secs, 45);
        assert_eq!(config.kiosk.idle_reset_secs, 120);
        assert_eq!(config.camera.device.as_deref(), Some("USB document camera"));
        assert_eq!(
            layered.ignored,
            ["api.base-url", "kiosk.enabled", "liveness"]
        );
        assert!(layered.names_server);
        assert!(layered
            .refuse_if_locked("api.base-url", "--api")
            .unwrap_err()
            .to_string()
            .contains("locked"));
        assert!(layered
            .refuse_if_locked("liveness.provider", "--liveness")
            .is_err());
        assert!(layered
            .refuse_if_locked("camera.device", "--camera")
            .is_ok());
    }

    #[test]
    fn a_lock_holds_where_the_machines_file_leaves_the_default() {
        // Found by the fuzz target `config_toml`: the machine's file locks `api.base-url` and
        // `liveness` but names neither, so their defaults are what it enforces. The user's
        // `[api]` and `[liveness]` sections, which the machine's file does not have, were taken
        // whole, locked settings and all.
        let dir = tempfile::tempdir().unwrap();
        let machine = write(
            &dir,
            "machine.toml",
            "[managed]\nlocked = [\"api.base-url\", \"kiosk.enabled\", \"liveness\"]\n\n\n\
             [kiosk]\nenabled = true",
        );
        let user = write(
            &dir,
            "user.toml",
            "[api]\nbase-url = \"https://elsewhere.example\"\nrequest-timeout-secs = 45\n\n\
             [kiosk]\nenabled = false\n\n[liveness]\nprovider = \"local\"\n",
        );
        let layered = Layered::load(Some(&machine), Some(&user)).unwrap();
        let config = &layered.config;
        assert_eq!(config.api.base_url, Config::default().api.base_url);
        assert_eq!(
            config.liveness.provider,
            crate::config::LivenessProviderKind::LunaPass
        );
        assert!(config.kiosk.enabled);
        // The section's other settings are still the user's.
        assert_eq!(config.api.request_timeout_secs, 45);
        assert_eq!(
            layered.ignored,
            ["api.base-url", "kiosk.enabled", "liveness"]
        );
    }

    #[test]
    fn updates_come_from_the_machines_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::config::updates::tests::public_key();
        let updates = |endpoint: &str| {
            format!("[updates]\nendpoint = \"{endpoint}\"\npublic-key = \"{key}\"\n")
        };
        let machine = write(
            &dir,
            "machine.toml",
            &updates("https://updates.bank.example/latest.json"),
        );
        let user = write(
            &dir,
            "user.toml",
            &updates("https://elsewhere.example/latest.json"),
        );
        let layered = Layered::load(Some(&machine), Some(&user)).unwrap();
        let source = layered.config.updates.source().unwrap().unwrap();
        assert_eq!(source.endpoint.host_str(), Some("updates.bank.example"));
        assert_eq!(layered.ignored, ["updates"]);

        // Without a machine's file, the user's [updates] is not taken either.
        let layered = Layered::load(None, Some(&user)).unwrap();
        assert_eq!(layered.config.updates.source().unwrap(), None);
    }

    #[test]
    fn where_events_are_sent_comes_from_the_machines_file_alone() {
        let dir = tempfile::tempdir().unwrap();
        let telemetry =
            |host: &str| format!("[telemetry]\nendpoint = \"https://{host}/v1/logs\"\n");
        let machine = write(&dir, "machine.toml", &telemetry("otel.bank.example"));
        let user = write(&dir, "user.toml", &telemetry("elsewhere.example"));
        let layered = Layered::load(Some(&machine), Some(&user)).unwrap();
        let destination = layered.config.telemetry.destination().unwrap().unwrap();
        assert_eq!(destination.endpoint.host_str(), Some("otel.bank.example"));
        assert_eq!(layered.ignored, ["telemetry"]);

        let layered = Layered::load(None, Some(&user)).unwrap();
        assert_eq!(layered.config.telemetry.destination().unwrap(), None);
    }

    #[test]
    fn without_a_machines_file_the_users_is_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        let user = write(&dir, "user.toml", "[kiosk]\nenabled = true\n");
        let missing = dir.path().join("missing.toml");
        let layered = Layered::load(Some(&missing), Some(&user)).unwrap();
        assert!(layered.config.kiosk.enabled);
        assert!(layered.locked.is_empty());
        assert!(!layered.names_server);
        assert_eq!(layered.machine_file, None);
    }

    #[test]
    fn a_lock_must_name_a_setting_and_managed_belongs_to_the_machine() {
        let dir = tempfile::tempdir().unwrap();
        let machine = write(&dir, "m.toml", "[managed]\nlocked = [\"server\"]\n");
        let error = Layered::load(Some(&machine), None).unwrap_err().to_string();
        assert!(error.contains("\"server\" is not a setting"), "{error}");
        let user = write(&dir, "u.toml", "[managed]\nlocked = [\"api\"]\n");
        let error = Layered::load(None, Some(&user)).unwrap_err().to_string();
        assert!(error.contains("machine's configuration only"), "{error}");
    }

    #[test]
    fn a_section_locks_every_setting_in_it() {
        let locked = Locked(vec!["liveness".into(), "api.base-url".into()]);
        assert!(locked.contains("liveness"));
        assert!(locked.contains("liveness.luna-pass.script-url"));
        assert!(locked.contains("api.base-url"));
        assert!(!locked.contains("api.request-timeout-secs"));
        assert!(!locked.contains("api.base-url-extra"));
        assert!(!locked.contains("livenessx"));
    }

    #[test]
    fn the_check_names_the_line_and_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let good = write(&dir, "good.toml", MACHINE);
        check_file(&good).unwrap();
        let syntax = write(
            &dir,
            "syntax.toml",
            "[api]\nbase-url = \"https://a.example\"\nrequest-timeout-secs = \n",
        );
        let error = check_file(&syntax).unwrap_err().to_string();
        assert!(error.contains("syntax.toml:3:"), "{error}");
        let http = write(
            &dir,
            "http.toml",
            "[kiosk]\nenabled = true\n\n[api]\nbase-url = \"http://crm.bank.example\"\n",
        );
        let error = check_file(&http).unwrap_err().to_string();
        assert!(error.contains("http.toml:5:"), "{error}");
        let unknown = write(
            &dir,
            "unknown.toml",
            "[api]\nbase-ur = \"https://a.example\"\n",
        );
        let error = check_file(&unknown).unwrap_err().to_string();
        assert!(error.contains("base-ur"), "{error}");
        assert!(error.contains("unknown.toml:"), "{error}");
    }
}
