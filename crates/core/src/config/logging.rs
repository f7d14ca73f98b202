//! `[logging]`: how much the app writes to its log files, where, and how much it keeps.

use std::ffi::OsString;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// `[logging]` as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct LoggingConfig {
    /// How much the app's own modules log; other libraries log only warnings and errors.
    pub level: LogLevel,
    /// The folder of the log files; the system's usual place when unset (a kiosk's is set in
    /// the machine's file, which is the only one a kiosk reads).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory: Option<PathBuf>,
    /// How many daily files are kept: the oldest goes when a new day's begins.
    pub keep_days: usize,
    /// The most a day's file grows, in MB. Past it, that day's further lines are left out (a
    /// line says so), so a fault that logs in a loop cannot fill the disk.
    pub max_file_mb: u64,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        LoggingConfig {
            level: LogLevel::Info,
            directory: None,
            keep_days: 14,
            max_file_mb: 20,
        }
    }
}

impl LoggingConfig {
    pub(crate) fn validate(&self) -> Result<(), Error> {
        if self.keep_days == 0 || self.max_file_mb == 0 {
            return Err(Error::Config(
                "logging.keep-days and logging.max-file-mb must be at least 1".into(),
            ));
        }
        Ok(())
    }

    /// The folder of the log and event files: `directory`, or the system's usual place
    /// (`$XDG_STATE_HOME` or `~/.local/state` on Linux, `%LOCALAPPDATA%` on Windows,
    /// `~/Library/Logs` on macOS). None with neither set nor a home folder.
    pub fn directory_or_usual(&self) -> Option<PathBuf> {
        self.directory
            .clone()
            .or_else(|| usual_place(std::env::consts::OS, |name| std::env::var_os(name)))
    }

    /// The size cap in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_mb.saturating_mul(1024 * 1024)
    }
}

/// The app's identifier: its folders are named after it.
pub const APP_ID: &str = "tj.humo.ident";

/// The usual place of the logs on `system` (as `std::env::consts::OS` names it), reading `env`.
fn usual_place(system: &str, env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let env = |name: &str| {
        env(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    match system {
        "windows" => env("LOCALAPPDATA").map(|base| base.join(APP_ID).join("logs")),
        "macos" => env("HOME").map(|home| home.join("Library/Logs").join(APP_ID)),
        _ => env("XDG_STATE_HOME")
            .or_else(|| env("HOME").map(|home| home.join(".local/state")))
            .map(|state| state.join(APP_ID).join("logs")),
    }
}

/// A level of detail, as `tracing` names them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogLevel {
    /// Only what failed.
    Error,
    /// And what went wrong but was handled.
    Warn,
    /// And each step of an identification (the default).
    #[default]
    Info,
    /// And the app's decisions.
    Debug,
    /// Everything the app's modules say.
    Trace,
}

impl LogLevel {
    /// The name used in configuration and in `tracing`'s filters.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn an_empty_section_logs_at_info_for_two_weeks() {
        let config = Config::from_toml("").unwrap();
        assert_eq!(config.logging, LoggingConfig::default());
        assert_eq!(config.logging.level, LogLevel::Info);
    }

    #[test]
    fn a_level_folder_and_limits_are_read_and_checked() {
        let config = Config::from_toml(
            "[logging]\nlevel = \"trace\"\ndirectory = \"/var/log/humo-ident\"\nkeep-days = 3\nmax-file-mb = 1\n",
        )
        .unwrap();
        assert_eq!(config.logging.level, LogLevel::Trace);
        assert_eq!(config.logging.max_file_bytes(), 1024 * 1024);
        assert_eq!(
            config.logging.directory.as_deref(),
            Some(std::path::Path::new("/var/log/humo-ident"))
        );
        assert!(Config::from_toml("[logging]\nkeep-days = 0\n").is_err());
        assert!(Config::from_toml("[logging]\nlevel = \"loud\"\n").is_err());
    }

    #[test]
    fn each_system_has_its_usual_place() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                vars.iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| OsString::from(value))
            }
        };
        let linux = usual_place(
            "linux",
            env(&[("HOME", "/home/a"), ("XDG_STATE_HOME", "/s")]),
        );
        assert_eq!(linux, Some(PathBuf::from("/s/tj.humo.ident/logs")));
        let linux = usual_place("linux", env(&[("HOME", "/home/a"), ("XDG_STATE_HOME", "")]));
        assert_eq!(
            linux,
            Some(PathBuf::from("/home/a/.local/state/tj.humo.ident/logs"))
        );
        let windows = usual_place(
            "windows",
            env(&[("LOCALAPPDATA", "C:\\Users\\a\\AppData\\Local")]),
        );
        assert_eq!(
            windows,
            Some(
                PathBuf::from("C:\\Users\\a\\AppData\\Local")
                    .join("tj.humo.ident")
                    .join("logs")
            )
        );
        let macos = usual_place("macos", env(&[("HOME", "/Users/a")]));
        assert_eq!(
            macos,
            Some(PathBuf::from("/Users/a/Library/Logs/tj.humo.ident"))
        );
        assert_eq!(usual_place("linux", env(&[])), None);
    }
}
