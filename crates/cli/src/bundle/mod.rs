//! `humo-ident support-bundle`: one archive a bank's support can ask a branch for, with what
//! they need to see why a machine misbehaves and nothing of its clients:
//!
//! - `versions.txt`: the app's version and the system;
//! - `config/`: the machine's configuration file and the user's, redacted ([`redact`]);
//! - `config-check.txt`: what `config --check` says of each, and whether the machine's file is
//!   trusted;
//! - `cameras.txt`: the cameras and their formats, as `cameras` lists them;
//! - `logs/`: the newest log and event files, which hold nothing personal at any level
//!   (`crates/session/tests/logs.rs` checks it).
//!
//! It prints what it will include before it writes anything; `--dry-run` stops there.

mod redact;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use humo_ident_core::config::{check_file, machine_config_path, Layered, APP_ID};

use crate::args::BundleArgs;
use crate::exit::Exit;

/// The folder every entry of the archive is in.
const ROOT: &str = "humo-ident-support";

/// What the log folder's files start with: the logs, and the events.
const LOG_FILE_PREFIXES: &[&str] = &["humo-ident.", "humo-ident-events."];

/// One entry of the archive.
struct Entry {
    /// Its path in the archive, under [`ROOT`].
    name: String,
    contents: Contents,
}

enum Contents {
    Text(String),
    File(PathBuf),
}

/// Runs the command.
pub fn support_bundle(args: &BundleArgs) -> Exit {
    let entries = gather(args);
    let out = args.out.clone().unwrap_or_else(default_name);
    println!("The support bundle holds:");
    for entry in &entries {
        let size = match &entry.contents {
            Contents::Text(text) => text.len() as u64,
            Contents::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
        };
        println!("  {ROOT}/{} ({})", entry.name, human_size(size));
    }
    println!("Never in it: presign keys, tokens, taxpayer numbers, photos, what the bank read, or secrets in the configuration.");
    if args.dry_run {
        println!("Nothing written (--dry-run).");
        return Exit::Success;
    }
    match write_archive(&out, &entries) {
        Ok(()) => {
            println!("Written: {}", out.display());
            Exit::Success
        }
        Err(error) => {
            eprintln!("{}: {error}", out.display());
            Exit::InvalidInput
        }
    }
}

fn gather(args: &BundleArgs) -> Vec<Entry> {
    let machine = machine_config_path().filter(|path| path.is_file());
    let user = args
        .config
        .clone()
        .or_else(usual_user_config)
        .filter(|path| path.is_file());
    let mut entries = vec![text("versions.txt", versions())];
    let mut checks = String::new();
    for (name, path) in [("machine.toml", &machine), ("user.toml", &user)] {
        let Some(path) = path else {
            let _ = writeln!(checks, "{name}: no such file");
            continue;
        };
        match redacted_config(path) {
            Some(redacted) => entries.push(text(&format!("config/{name}"), redacted)),
            None => {
                let _ = writeln!(checks, "{name}: not TOML, left out of the bundle");
            }
        }
        let verdict = match check_file(path) {
            Ok(()) => "a valid configuration".to_owned(),
            Err(error) => redact::redact_text(&error.to_string()),
        };
        let _ = writeln!(checks, "{name} ({}): {verdict}", path.display());
    }
    if let Some(path) = &machine {
        let trusted = match humo_ident_core::config::check_machine_file(path) {
            Ok(()) => "trusted (only administrators can write it)".to_owned(),
            Err(error) => redact::redact_text(&error.to_string()),
        };
        let _ = writeln!(checks, "machine.toml: {trusted}");
    }
    entries.push(text("config-check.txt", checks));
    entries.push(text("cameras.txt", cameras()));
    let logs = args
        .logs
        .clone()
        .or_else(|| log_directory(machine.as_deref(), user.as_deref()));
    entries.extend(log_files(logs.as_deref(), args.days));
    entries
}

fn text(name: &str, contents: String) -> Entry {
    Entry {
        name: name.to_owned(),
        contents: Contents::Text(contents),
    }
}

fn versions() -> String {
    format!(
        "humo-ident {}\nsystem: {} {} ({})\nbuild: {}\n",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH,
        std::env::consts::FAMILY,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
    )
}

/// The configuration file at `path`, redacted; None when it is not TOML, since what cannot be
/// read cannot be redacted either.
fn redacted_config(path: &Path) -> Option<String> {
    let mut table: toml::Table = std::fs::read_to_string(path).ok()?.parse().ok()?;
    redact::redact_table(&mut table);
    Some(format!(
        "# {}, redacted: secrets and addresses' credentials and queries are {}\n{}",
        path.display(),
        redact::REDACTED,
        toml::to_string(&table).ok()?
    ))
}

/// Where the desktop app reads a user's configuration: Tauri's app configuration folder.
fn usual_user_config() -> Option<PathBuf> {
    let env = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let folder = match std::env::consts::OS {
        "windows" => env("APPDATA"),
        "macos" => env("HOME").map(|home| home.join("Library/Application Support")),
        _ => env("XDG_CONFIG_HOME").or_else(|| env("HOME").map(|home| home.join(".config"))),
    };
    folder.map(|folder| folder.join(APP_ID).join("config.toml"))
}

/// The log folder the configuration names, or the usual one.
fn log_directory(machine: Option<&Path>, user: Option<&Path>) -> Option<PathBuf> {
    let logging = Layered::load(machine, user)
        .map(|layered| layered.config.logging)
        .unwrap_or_default();
    logging.directory_or_usual()
}

fn cameras() -> String {
    match humo_ident_camera::source::list_devices() {
        Ok(devices) if devices.is_empty() => "No camera found.\n".to_owned(),
        Ok(devices) => {
            let mut out = String::new();
            for device in devices {
                let _ = writeln!(out, "{}: {}", device.index, device.name);
                for f in &device.formats {
                    let _ = writeln!(
                        out,
                        "    {:?} {}x{} @ {} fps",
                        f.format, f.width, f.height, f.fps
                    );
                }
            }
            out
        }
        Err(error) => format!("The cameras could not be listed: {error}\n"),
    }
}

/// The newest `days` files of each kind (logs, events) in `folder`.
fn log_files(folder: Option<&Path>, days: usize) -> Vec<Entry> {
    let Some(folder) = folder else {
        return vec![text(
            "logs/README.txt",
            "No log folder: set [logging] directory.\n".into(),
        )];
    };
    let Ok(listing) = std::fs::read_dir(folder) else {
        return vec![text(
            "logs/README.txt",
            format!("The log folder {} could not be read.\n", folder.display()),
        )];
    };
    let names: Vec<String> = listing
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    let mut entries = Vec::new();
    for prefix in LOG_FILE_PREFIXES {
        let mut files: Vec<&String> = names
            .iter()
            .filter(|name| name.starts_with(prefix))
            .collect();
        // The date is in the name: the newest sort last.
        files.sort();
        for name in files.iter().rev().take(days).rev() {
            entries.push(Entry {
                name: format!("logs/{name}"),
                contents: Contents::File(folder.join(name)),
            });
        }
    }
    // Where sending the events to the bank's collector stands, if it is set up.
    let cursor = humo_ident_analytics::files::SENDING_CURSOR;
    if names.iter().any(|name| name == cursor) {
        entries.push(Entry {
            name: format!("logs/{cursor}"),
            contents: Contents::File(folder.join(cursor)),
        });
    }
    entries
}

fn write_archive(out: &Path, entries: &[Entry]) -> std::io::Result<()> {
    let file = std::fs::File::create(out)?;
    let gzip = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut archive = tar::Builder::new(gzip);
    for entry in entries {
        let name = format!("{ROOT}/{}", entry.name);
        match &entry.contents {
            Contents::Text(text) => {
                let mut header = tar::Header::new_gnu();
                header.set_size(text.len() as u64);
                header.set_mode(0o644);
                header.set_mtime(now_secs());
                header.set_cksum();
                archive.append_data(&mut header, &name, text.as_bytes())?;
            }
            Contents::File(path) => archive.append_path_with_name(path, &name)?,
        }
    }
    archive.into_inner()?.finish()?.sync_all()
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// `humo-ident-support-YYYYMMDD-HHMMSS.tar.gz`, in UTC, in the current folder.
fn default_name() -> PathBuf {
    let now = time::OffsetDateTime::now_utc();
    PathBuf::from(format!(
        "humo-ident-support-{:04}{:02}{:02}-{:02}{:02}{:02}.tar.gz",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    ))
}

fn human_size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} B"),
        1024..1_048_576 => format!("{:.1} KB", bytes as f64 / 1024.0),
        _ => format!("{:.1} MB", bytes as f64 / 1_048_576.0),
    }
}
