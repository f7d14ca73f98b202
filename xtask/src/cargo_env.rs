//! The environment every cargo command of the project's steps runs with, so that no step
//! compiles what an earlier one built: cargo compiles a crate again when any of these differ.
//!
//! - `CARGO_INCREMENTAL=0`, in CI or not: a fresh clone builds everything once, where
//!   incremental compilation would only add to `target/`; and a setting that depended on CI
//!   would make a step run by hand after `CI=true bash .ci/run` compile the workspace again.
//! - The workspace's crates are compiled by clippy's driver (`RUSTC_WORKSPACE_WRAPPER`, with
//!   the `CLIPPY_ARGS` `cargo clippy -- -D warnings` sets), so every build and test also lints.
//!   `cargo clippy` would check every dependency a second time, as metadata only, before a
//!   build compiled them for real: on two cores, three minutes of the test run. Dependencies
//!   are still compiled by rustc (the wrapper wraps the workspace's crates alone).

use std::ffi::{OsStr, OsString};
use std::path::Path;
use std::process::Command;

use crate::root;

/// `program` with `args`, run from the repository's root with the build's environment, and
/// the variables of `.cargo/config.toml`'s `[env]` table, which cargo gives only the processes
/// it starts itself (a test runner starts the test binaries).
pub fn command(program: impl AsRef<OsStr>, args: &[String]) -> Result<Command, String> {
    let mut command = plain(program);
    for (name, value) in config_env()? {
        if std::env::var_os(&name).is_none() {
            command.env(name, value);
        }
    }
    command
        .args(args)
        .env("CARGO_INCREMENTAL", "0")
        .env("RUSTC_WORKSPACE_WRAPPER", clippy_driver())
        .env(
            "CLIPPY_ARGS",
            "-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__",
        );
    Ok(command)
}

/// `.cargo/config.toml`'s `[env]` table, as cargo reads it: a value is a string, or a table
/// with `value` and `relative` (a path from the repository's root).
fn config_env() -> Result<Vec<(String, OsString)>, String> {
    let path = root().join(".cargo/config.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let config: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let Some(table) = config.get("env").and_then(toml::Value::as_table) else {
        return Ok(Vec::new());
    };
    table
        .iter()
        .map(|(name, entry)| {
            let (value, relative) = match entry {
                toml::Value::String(value) => (value.as_str(), false),
                toml::Value::Table(entry) => (
                    entry
                        .get("value")
                        .and_then(toml::Value::as_str)
                        .unwrap_or_default(),
                    entry
                        .get("relative")
                        .and_then(toml::Value::as_bool)
                        .unwrap_or(false),
                ),
                _ => {
                    return Err(format!(
                        "{}: [env] {name} is neither a string nor a table",
                        path.display()
                    ))
                }
            };
            let value = if relative {
                root().join(value).into_os_string()
            } else {
                OsString::from(value)
            };
            Ok((name.clone(), value))
        })
        .collect()
}

/// `program`, run from the repository's root, without what `cargo run` set for this binary
/// (its package's variables, its own library path): a build script that watched one of them
/// would otherwise run again.
pub fn plain(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_by_cargo_run = ["CARGO_PKG_", "CARGO_BIN_", "CARGO_CRATE_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            || [
                "CARGO",
                "CARGO_MANIFEST_DIR",
                "CARGO_MANIFEST_PATH",
                "CARGO_PRIMARY_PACKAGE",
            ]
            .contains(&name.as_ref());
        if set_by_cargo_run {
            command.env_remove(name.as_ref());
        }
    }
    if let Some(paths) = std::env::var_os("LD_LIBRARY_PATH") {
        let own = root().join("xtask/target");
        let kept: Vec<_> = std::env::split_paths(&paths)
            .filter(|path| !path.starts_with(&own))
            .collect();
        command.env(
            "LD_LIBRARY_PATH",
            std::env::join_paths(kept).unwrap_or_default(),
        );
    }
    command
}

/// Clippy's driver of the toolchain cargo runs (rustup's, or the one on the `PATH`).
fn clippy_driver() -> OsString {
    let rustup = Command::new("rustup")
        .args(["which", "clippy-driver"])
        .output();
    match rustup {
        Ok(output) if output.status.success() => {
            let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
            Path::new(&path).as_os_str().to_owned()
        }
        _ => OsString::from("clippy-driver"),
    }
}
