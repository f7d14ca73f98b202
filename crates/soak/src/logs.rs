//! Every log line of the run, kept in memory so the soak can look for tokens in them.

use std::io;
use std::sync::{Arc, Mutex, PoisonError};

use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// The log lines written since the last [`LogCapture::take`].
#[derive(Clone, Default)]
pub struct LogCapture {
    lines: Arc<Mutex<Vec<u8>>>,
}

impl LogCapture {
    /// Sends every event of the process to the capture: the app's crates at every level, `trace`
    /// included, and the rest at `debug` but the HTTP stack's internals (`info`). More than a
    /// support engineer would ever turn on: no level may show a secret.
    pub fn install() -> LogCapture {
        let capture = LogCapture::default();
        let filter = EnvFilter::new(
            "debug,humo_ident_core=trace,humo_ident_session=trace,humo_ident_camera=trace,\
             humo_ident_soak=trace,hyper=info,hyper_util=info,h2=info,rustls=info",
        );
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(false)
            .with_writer(capture.clone())
            .init();
        capture
    }

    /// The lines written since the last call, and forgets them.
    pub fn take(&self) -> String {
        let mut lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&std::mem::take(&mut *lines)).into_owned()
    }
}

impl io::Write for LogCapture {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner);
        lines.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for LogCapture {
    type Writer = LogCapture;

    fn make_writer(&'a self) -> LogCapture {
        self.clone()
    }
}
