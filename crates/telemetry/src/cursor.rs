//! Where sending stopped: an event file, and the byte after the last line the collector took.
//! It is kept in the log folder, written whole and renamed into place, so a power cut leaves
//! the old cursor or the new one, never half of one. It holds a file's name and a number.

use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

/// The cursor's file, in the log folder.
pub const FILE: &str = humo_ident_analytics::files::SENDING_CURSOR;

/// A place in the event files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Cursor {
    /// The event file's name (`humo-ident-events.YYYY-MM-DD.jsonl`).
    pub file: String,
    /// The byte after the last line sent.
    pub offset: u64,
}

impl Cursor {
    /// The cursor kept in `folder`. None when there is none yet; one that cannot be read is
    /// reported and taken as none, so the files are sent again from their start: twice rather
    /// than never.
    pub fn load(folder: &Path) -> Option<Cursor> {
        let text = match std::fs::read(folder.join(FILE)) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return None,
            Err(error) => {
                tracing::warn!("the telemetry cursor cannot be read, events are sent again from the oldest file: {error}");
                return None;
            }
        };
        match serde_json::from_slice(&text) {
            Ok(cursor) => Some(cursor),
            Err(error) => {
                tracing::warn!("the telemetry cursor is damaged, events are sent again from the oldest file: {error}");
                None
            }
        }
    }

    /// Keeps the cursor in `folder`.
    pub fn save(&self, folder: &Path) -> io::Result<()> {
        let text = serde_json::to_vec(self).map_err(io::Error::other)?;
        let partial = folder.join(format!("{FILE}.partial"));
        std::fs::write(&partial, text)?;
        std::fs::rename(partial, folder.join(FILE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_cursor_is_read_back_and_a_damaged_one_is_none() {
        let folder = tempfile::tempdir().unwrap();
        assert_eq!(Cursor::load(folder.path()), None);
        let cursor = Cursor {
            file: "humo-ident-events.2026-12-07.jsonl".into(),
            offset: 1234,
        };
        cursor.save(folder.path()).unwrap();
        assert_eq!(Cursor::load(folder.path()), Some(cursor));
        std::fs::write(folder.path().join(FILE), "{\"file\":").unwrap();
        assert_eq!(Cursor::load(folder.path()), None);
    }
}
