//! The event files' names: one a day, `humo-ident-events.YYYY-MM-DD.jsonl` (the date in UTC),
//! beside the logs. The session writes them, `humo-ident report funnel` and the telemetry
//! sender read them, the support bundle takes the newest; all of them name them from here.

use std::path::{Path, PathBuf};

/// What every event file's name starts with, before its date.
pub const PREFIX: &str = "humo-ident-events";

/// What every event file's name ends with, after its date.
pub const SUFFIX: &str = "jsonl";

/// Where the telemetry sender stands in them (`humo-ident-telemetry`): a file's name and an
/// offset, kept beside them. Named here so the support bundle can take it too.
pub const SENDING_CURSOR: &str = "humo-ident-telemetry.json";

/// Whether `name` is an event file's: `PREFIX.` and `.SUFFIX` around its date.
pub fn is_event_file(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .and_then(|date| date.strip_suffix('.'))
        .is_some_and(|date| !date.is_empty())
}

/// The event files in `folder`, oldest first (their names sort by date).
pub fn in_folder(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(is_event_file)
                && path.is_file()
        })
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dated_event_files_are_listed_oldest_first() {
        let folder = tempfile::tempdir().unwrap();
        for name in [
            "humo-ident-events.2026-12-07.jsonl",
            "humo-ident-events.2026-12-06.jsonl",
            "humo-ident.2026-12-07.log",
            "humo-ident-events.jsonl",
            "humo-ident-events.sending.json",
        ] {
            std::fs::write(folder.path().join(name), "").unwrap();
        }
        let names: Vec<String> = in_folder(folder.path())
            .unwrap()
            .iter()
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "humo-ident-events.2026-12-06.jsonl",
                "humo-ident-events.2026-12-07.jsonl"
            ]
        );
    }
}
