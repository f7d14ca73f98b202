//! The next lines after a cursor, across the day's files in order.
//!
//! A line counts once it ends with a newline: the session's writer may be halfway through the
//! last one. A day's file is finished once a later one exists (the writer moves to a new file
//! at midnight and never goes back), so a tail without a newline there is left out for good.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use humo_ident_analytics::event::SCHEMA_VERSION;
use humo_ident_analytics::{files, EventLine};

use crate::cursor::Cursor;

/// The longest line read as an event; a longer one is no event of this app's and is skipped.
const MAX_LINE_BYTES: u64 = 64 * 1024;

/// Lines read after a cursor.
#[derive(Debug, Default)]
pub struct Batch {
    /// The events, in the files' order.
    pub lines: Vec<EventLine>,
    /// Lines passed over: not this version's events (or no events at all).
    pub skipped: u64,
    /// Whether the cursor's file was gone (removed by rotation before it was all sent), so
    /// reading went on at the next one.
    pub lost_to_rotation: bool,
    /// The cursor after the last line read; none while there are no event files.
    pub end: Option<Cursor>,
}

impl Batch {
    /// Whether reading stopped at `max_lines`, so more may follow at once.
    pub fn is_full(&self, max_lines: usize) -> bool {
        self.lines.len() >= max_lines
    }
}

/// Reads up to `max_lines` events from `folder`'s event files after `cursor` (from the oldest
/// file without one).
pub fn read(folder: &Path, cursor: Option<&Cursor>, max_lines: usize) -> io::Result<Batch> {
    let names: Vec<String> = files::in_folder(folder)?
        .iter()
        .filter_map(|path| Some(path.file_name()?.to_str()?.to_owned()))
        .collect();
    let mut batch = Batch {
        end: cursor.cloned(),
        ..Batch::default()
    };
    let (mut index, mut offset) = match cursor {
        None if names.is_empty() => return Ok(batch),
        None => (0, 0),
        Some(cursor) => match names.iter().position(|name| *name == cursor.file) {
            Some(index) => (index, cursor.offset),
            None => match names.iter().position(|name| *name > cursor.file) {
                Some(index) => {
                    batch.lost_to_rotation = true;
                    (index, 0)
                }
                // Every file is older than the cursor's (the clock went back): wait for it.
                None => return Ok(batch),
            },
        },
    };
    loop {
        let finished = index + 1 < names.len();
        offset = read_file(
            &folder.join(&names[index]),
            offset,
            finished,
            max_lines,
            &mut batch,
        )?;
        batch.end = Some(Cursor {
            file: names[index].clone(),
            offset,
        });
        if batch.is_full(max_lines) || !finished {
            return Ok(batch);
        }
        index += 1;
        offset = 0;
    }
}

/// Reads `path`'s complete lines from `offset` into `batch` until `max_lines`; returns the
/// offset after the last line taken. `finished`: no line will be added to the file.
fn read_file(
    path: &Path,
    mut offset: u64,
    finished: bool,
    max_lines: usize,
    batch: &mut Batch,
) -> io::Result<u64> {
    let mut file = File::open(path)?;
    if offset > file.metadata()?.len() {
        // Not the file the cursor was kept for (replaced by hand): read it whole.
        offset = 0;
    }
    file.seek(SeekFrom::Start(offset))?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    while !batch.is_full(max_lines) {
        line.clear();
        let read = (&mut reader)
            .take(MAX_LINE_BYTES + 1)
            .read_until(b'\n', &mut line)?;
        if read == 0 {
            break;
        }
        if line.last() != Some(&b'\n') {
            if read as u64 > MAX_LINE_BYTES {
                let rest = reader.skip_until(b'\n')?;
                offset += (read + rest) as u64;
                batch.skipped += 1;
                continue;
            }
            if finished {
                offset += read as u64;
                batch.skipped += 1;
            }
            break;
        }
        offset += read as u64;
        match serde_json::from_slice::<EventLine>(&line) {
            Ok(event) if event.schema == SCHEMA_VERSION => batch.lines.push(event),
            _ => batch.skipped += 1,
        }
    }
    Ok(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use humo_ident_analytics::named::AppVersion;
    use humo_ident_analytics::Event;

    fn line(identification: u64) -> String {
        let line = EventLine {
            schema: SCHEMA_VERSION,
            at_ms: 1_765_000_000_000 + identification,
            app: AppVersion::parse("0.1.0").unwrap(),
            kiosk: None,
            identification,
            camera: None,
            event: Event::IdentificationStarted,
        };
        serde_json::to_string(&line).unwrap() + "\n"
    }

    fn day(folder: &Path, date: &str, text: &str) {
        std::fs::write(folder.join(format!("humo-ident-events.{date}.jsonl")), text).unwrap();
    }

    fn ids(batch: &Batch) -> Vec<u64> {
        batch.lines.iter().map(|line| line.identification).collect()
    }

    #[test]
    fn lines_are_read_across_days_in_order_up_to_the_limit() {
        let folder = tempfile::tempdir().unwrap();
        day(folder.path(), "2026-12-06", &(line(1) + &line(2)));
        day(
            folder.path(),
            "2026-12-07",
            &(line(3) + &line(4) + &line(5)),
        );

        let first = read(folder.path(), None, 3).unwrap();
        assert_eq!(ids(&first), [1, 2, 3]);
        assert!(first.is_full(3));
        let rest = read(folder.path(), first.end.as_ref(), 3).unwrap();
        assert_eq!(ids(&rest), [4, 5]);
        let end = rest.end.clone().unwrap();
        assert_eq!(end.file, "humo-ident-events.2026-12-07.jsonl");
        assert_eq!(end.offset, (line(3) + &line(4) + &line(5)).len() as u64);
        assert!(read(folder.path(), Some(&end), 3).unwrap().lines.is_empty());
    }

    #[test]
    fn a_line_being_written_waits_and_a_dead_tail_is_passed_over() {
        let folder = tempfile::tempdir().unwrap();
        let half = &line(2)[..20];
        day(folder.path(), "2026-12-06", &(line(1) + half));
        let today = read(folder.path(), None, 10).unwrap();
        assert_eq!(ids(&today), [1]);
        assert_eq!(today.skipped, 0);
        assert_eq!(today.end.as_ref().unwrap().offset, line(1).len() as u64);

        // Once the next day's file exists, the half line will never be finished.
        day(folder.path(), "2026-12-07", &line(3));
        let next = read(folder.path(), today.end.as_ref(), 10).unwrap();
        assert_eq!(ids(&next), [3]);
        assert_eq!(next.skipped, 1);
    }

    #[test]
    fn what_is_not_an_event_is_never_read_as_one() {
        let folder = tempfile::tempdir().unwrap();
        let long = "x".repeat(MAX_LINE_BYTES as usize * 2) + "\n";
        let text = line(1)
            + "{\"name\":\"Firuz\",\"tin\":\"123456789\"}\n"
            + "free text\n"
            + &long
            + &line(1).replace("\"schema\":1", "\"schema\":99")
            + &line(2);
        day(folder.path(), "2026-12-07", &text);
        let batch = read(folder.path(), None, 10).unwrap();
        assert_eq!(ids(&batch), [1, 2]);
        assert_eq!(batch.skipped, 4);
        assert_eq!(batch.end.unwrap().offset, text.len() as u64);
    }

    #[test]
    fn a_file_removed_before_it_was_sent_is_reported_and_reading_goes_on() {
        let folder = tempfile::tempdir().unwrap();
        day(folder.path(), "2026-12-07", &line(7));
        let gone = Cursor {
            file: "humo-ident-events.2026-11-01.jsonl".into(),
            offset: 99,
        };
        let batch = read(folder.path(), Some(&gone), 10).unwrap();
        assert!(batch.lost_to_rotation);
        assert_eq!(ids(&batch), [7]);

        let ahead = Cursor {
            file: "humo-ident-events.2027-01-01.jsonl".into(),
            offset: 0,
        };
        let batch = read(folder.path(), Some(&ahead), 10).unwrap();
        assert!(batch.lines.is_empty() && !batch.lost_to_rotation);
        assert_eq!(batch.end, Some(ahead));
    }
}
