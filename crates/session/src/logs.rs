//! The app's log files: one a day, a fixed number kept, each capped in size, in the system's
//! usual place or the folder `[logging] directory` names.
//!
//! The subscriber is installed at the very start, before the configuration is read, writing to
//! standard error; [`LogSink::open_files`] then adds the files at the configured level. Lines go
//! to the disk from a thread of their own (`tracing_appender::non_blocking`), so logging never
//! makes a person wait on the disk. What the app logs carries no personal data at any level:
//! `tests/logs.rs` runs a whole identification at `trace` and scans every file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use humo_ident_core::config::{LogLevel, LoggingConfig};
use tracing_appender::non_blocking::{NonBlocking, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::writer::OptionalWriter;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Layer};

pub use humo_ident_core::config::APP_ID;

/// A kind of file kept a day at a time: `PREFIX.YYYY-MM-DD.SUFFIX` (the date in UTC).
#[derive(Debug, Clone, Copy)]
pub(crate) struct DailyFiles {
    prefix: &'static str,
    suffix: &'static str,
    /// Whether a day's file that reaches its cap says so in a last line (a log can; an events
    /// file holds only events).
    says_when_full: bool,
}

/// The log files: `humo-ident.YYYY-MM-DD.log`.
const LOG_FILES: DailyFiles = DailyFiles {
    prefix: "humo-ident",
    suffix: "log",
    says_when_full: true,
};

/// The event files beside them: `humo-ident-events.YYYY-MM-DD.jsonl`.
pub(crate) const EVENT_FILES: DailyFiles = DailyFiles {
    prefix: humo_ident_analytics::files::PREFIX,
    suffix: humo_ident_analytics::files::SUFFIX,
    says_when_full: false,
};

/// The app's own crates, whose detail `[logging] level` sets. Every other library logs only
/// warnings and errors: an HTTP library's trace would carry headers.
const APP_CRATES: &[&str] = &[
    "humo_ident_core",
    "humo_ident_session",
    "humo_ident_camera",
    "humo_ident_desktop",
    "humo_ident_emulator",
    "humo_ident_telemetry",
];

/// The folder the log files of `config` go to: `[logging] directory`, or the system's usual
/// place ([`LoggingConfig::directory_or_usual`]).
pub fn directory(config: &LoggingConfig) -> Option<PathBuf> {
    config.directory_or_usual()
}

/// The filter of the files at `level`.
pub fn file_filter(level: LogLevel) -> EnvFilter {
    let mut directives = String::from("warn");
    for app_crate in APP_CRATES {
        directives.push_str(&format!(",{app_crate}={}", level.as_str()));
    }
    EnvFilter::new(directives)
}

type FileWriter = Arc<OnceLock<NonBlocking>>;
type SetFilter = Box<dyn Fn(EnvFilter) -> Result<(), reload::Error> + Send + Sync>;

/// The installed subscriber's file half, waiting for its configuration.
pub struct LogSink {
    writer: FileWriter,
    set_filter: SetFilter,
}

/// Installs the process's subscriber: standard error with `stderr_filter` now, and the files
/// once [`LogSink::open_files`] is called. None if a subscriber was installed already.
pub fn install(stderr_filter: EnvFilter) -> Option<LogSink> {
    let writer = FileWriter::default();
    let (filter, handle) = reload::Layer::new(EnvFilter::new("off"));
    let files = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(LateWriter(Arc::clone(&writer)))
        .with_filter(filter);
    let stderr = tracing_subscriber::fmt::layer()
        .with_writer(io::stderr)
        .with_filter(stderr_filter);
    tracing_subscriber::registry()
        .with(files)
        .with(stderr)
        .try_init()
        .ok()?;
    Some(LogSink {
        writer,
        set_filter: Box::new(move |filter| handle.reload(filter)),
    })
}

impl LogSink {
    /// Starts writing the files `config` describes. Keep the [`LogFiles`] for as long as the app
    /// runs: dropping it writes out what is buffered and stops the files.
    pub fn open_files(&self, config: &LoggingConfig) -> Result<LogFiles, LogFilesError> {
        let directory = directory(config).ok_or(LogFilesError::NoFolder)?;
        let (writer, guard) =
            tracing_appender::non_blocking(open_daily(LOG_FILES, config, &directory)?);
        if self.writer.set(writer).is_err() {
            return Err(LogFilesError::AlreadyOpen);
        }
        (self.set_filter)(file_filter(config.level)).map_err(|_| LogFilesError::AlreadyOpen)?;
        Ok(LogFiles {
            directory,
            _guard: guard,
        })
    }
}

/// The open log files. Dropping this writes out what is buffered.
pub struct LogFiles {
    directory: PathBuf,
    _guard: WorkerGuard,
}

impl LogFiles {
    /// Their folder.
    pub fn directory(&self) -> &Path {
        &self.directory
    }
}

/// Why the log files could not be opened. The app goes on without them, logging to standard
/// error, and says so there.
#[derive(Debug, thiserror::Error)]
pub enum LogFilesError {
    /// No folder set, and no home folder to put them in.
    #[error("no folder for the log files: set [logging] directory")]
    NoFolder,
    /// The folder could not be made or written.
    #[error("the log folder cannot be written: {0}")]
    Folder(#[from] tracing_appender::rolling::InitError),
    /// They were opened before.
    #[error("the log files are open already")]
    AlreadyOpen,
}

/// Opens today's file of `files` in `directory`, rotated and capped as `config` says.
pub(crate) fn open_daily(
    files: DailyFiles,
    config: &LoggingConfig,
    directory: &Path,
) -> Result<CappedFile, LogFilesError> {
    let rolling = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(files.prefix)
        .filename_suffix(files.suffix)
        .max_log_files(config.keep_days)
        .build(directory)?;
    let today = today();
    // A kiosk starts several times a day: today's file counts towards the cap from its size.
    let written = std::fs::metadata(directory.join(files.name(today))).map_or(0, |file| file.len());
    Ok(CappedFile {
        rolling,
        files,
        cap: config.max_file_bytes(),
        day: today,
        written,
        said_full: false,
    })
}

impl DailyFiles {
    /// The day's file's name, as the rolling appender names it.
    pub(crate) fn name(self, day: time::Date) -> String {
        format!("{}.{day}.{}", self.prefix, self.suffix)
    }
}

pub(crate) fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The rolling file, with a cap on what one day's file takes.
pub(crate) struct CappedFile {
    rolling: RollingFileAppender,
    files: DailyFiles,
    cap: u64,
    day: time::Date,
    written: u64,
    said_full: bool,
}

impl Write for CappedFile {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let today = today();
        if today != self.day {
            (self.day, self.written, self.said_full) = (today, 0, false);
        }
        if self.written + line.len() as u64 > self.cap {
            if !self.said_full && self.files.says_when_full {
                self.said_full = true;
                let note = format!(
                    "the log file reached its cap of {} MB: the rest of the day's lines are left out\n",
                    self.cap / (1024 * 1024)
                );
                self.rolling.write_all(note.as_bytes())?;
            }
            return Ok(line.len());
        }
        self.rolling.write_all(line)?;
        self.written += line.len() as u64;
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.rolling.flush()
    }
}

/// The files' writer before and after they are opened: nothing, then the files.
struct LateWriter(FileWriter);

impl<'a> MakeWriter<'a> for LateWriter {
    type Writer = OptionalWriter<NonBlocking>;

    fn make_writer(&'a self) -> Self::Writer {
        match self.0.get() {
            Some(writer) => OptionalWriter::some(writer.clone()),
            None => OptionalWriter::none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_filter_sets_the_apps_crates_only() {
        let filter = file_filter(LogLevel::Trace).to_string();
        assert!(filter.split(',').any(|directive| directive == "warn"));
        assert!(filter.contains("humo_ident_session=trace"));
        assert!(filter.contains("humo_ident_desktop=trace"));
    }

    #[test]
    fn a_days_file_stops_at_its_cap_and_says_so_once() {
        let folder = tempfile::tempdir().unwrap();
        let config = LoggingConfig {
            max_file_mb: 1,
            ..LoggingConfig::default()
        };
        let mut file = open_daily(LOG_FILES, &config, folder.path()).unwrap();
        let line = [b'x'; 1023]
            .iter()
            .chain(b"\n")
            .copied()
            .collect::<Vec<u8>>();
        for _ in 0..2048 {
            assert_eq!(file.write(&line).unwrap(), line.len());
        }
        file.flush().unwrap();
        let text = std::fs::read_to_string(folder.path().join(LOG_FILES.name(today()))).unwrap();
        assert_eq!(text.matches("reached its cap of 1 MB").count(), 1);
        assert!(text.len() as u64 <= config.max_file_bytes() + 200);
        // Started again the same day, it goes on from the file's size: still full.
        let mut again = open_daily(LOG_FILES, &config, folder.path()).unwrap();
        again.write_all(&line).unwrap();
        again.flush().unwrap();
        let after = std::fs::read_to_string(folder.path().join(LOG_FILES.name(today()))).unwrap();
        assert_eq!(after.matches('x').count(), text.matches('x').count());
    }
}
