//! The loop: look for new events, post them, move the cursor; wait, and again. After a failure
//! the wait doubles, up to [`TelemetryDestination::MAX_BACKOFF`], and the next look starts
//! from the same cursor, so nothing is left out.

use std::path::PathBuf;
use std::time::Duration;

use humo_ident_core::config::TelemetryDestination;
use tokio::sync::watch;

use crate::batch;
use crate::cursor::Cursor;
use crate::otlp::Collector;
use crate::Error;

/// The most events one post carries.
pub const MAX_LINES_A_POST: usize = 500;

/// What the sender has done since it started.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Events the collector took.
    pub sent: u64,
    /// Lines passed over, not being this version's events.
    pub skipped: u64,
    /// Failed looks since the last one that worked.
    pub failures_in_a_row: u32,
    /// Where sending stands.
    pub cursor: Option<Cursor>,
}

/// Sends a log folder's event files to a collector.
pub struct Sender {
    folder: PathBuf,
    collector: Collector,
    every: Duration,
    progress: watch::Sender<Progress>,
}

impl Sender {
    /// A sender of `folder`'s event files to `destination`, from the cursor kept there.
    pub fn new(folder: PathBuf, destination: &TelemetryDestination) -> Result<Sender, Error> {
        let collector = Collector::new(&destination.endpoint)?;
        let progress = Progress {
            cursor: Cursor::load(&folder),
            ..Progress::default()
        };
        Ok(Sender {
            folder,
            collector,
            every: destination.send_every,
            progress: watch::Sender::new(progress),
        })
    }

    /// What it has done, as it goes.
    pub fn progress(&self) -> watch::Receiver<Progress> {
        self.progress.subscribe()
    }

    /// Sends until the task running it is dropped.
    pub async fn run(self) {
        let endpoint_host = self.collector.host().to_owned();
        loop {
            let wait = match self.send_pending().await {
                Ok(()) => {
                    let failed = self.progress.borrow().failures_in_a_row;
                    if failed > 0 {
                        tracing::info!(
                            "events reach the collector at {endpoint_host} again, after {failed} failed tries"
                        );
                    }
                    self.progress
                        .send_modify(|progress| progress.failures_in_a_row = 0);
                    self.every
                }
                Err(error) => {
                    let mut failed = 0;
                    self.progress.send_modify(|progress| {
                        progress.failures_in_a_row += 1;
                        failed = progress.failures_in_a_row;
                    });
                    let wait = backoff(self.every, failed);
                    if failed == 1 {
                        tracing::warn!(
                            "events wait on the disk for the collector at {endpoint_host}; trying again in {} s: {error}",
                            wait.as_secs()
                        );
                    } else {
                        tracing::debug!("the collector is still unreachable: {error}");
                    }
                    wait
                }
            };
            tokio::time::sleep(wait).await;
        }
    }

    /// Posts every event after the cursor, a batch at a time, moving the cursor after each.
    async fn send_pending(&self) -> Result<(), Error> {
        loop {
            let folder = self.folder.clone();
            let cursor = self.progress.borrow().cursor.clone();
            let from = cursor.clone();
            let batch = tokio::task::spawn_blocking(move || {
                batch::read(&folder, from.as_ref(), MAX_LINES_A_POST)
            })
            .await
            .map_err(|error| Error::Files(std::io::Error::other(error)))??;
            if batch.lost_to_rotation {
                tracing::warn!(
                    "event files were removed by rotation before they were sent: raise [logging] keep-days, or check the collector"
                );
            }
            if !batch.lines.is_empty() {
                self.collector.send(&batch.lines).await?;
            }
            if batch.end != cursor {
                if let Some(end) = &batch.end {
                    end.save(&self.folder)?;
                }
                self.progress.send_modify(|progress| {
                    progress.sent += batch.lines.len() as u64;
                    progress.skipped += batch.skipped;
                    progress.cursor = batch.end.clone();
                });
            }
            if !batch.is_full(MAX_LINES_A_POST) {
                return Ok(());
            }
        }
    }
}

/// The wait after `failures` failed looks in a row: `every`, doubled for each failure after the
/// first, at most [`TelemetryDestination::MAX_BACKOFF`] (or `every`, if that is longer).
pub fn backoff(every: Duration, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    every
        .saturating_mul(1 << doublings)
        .min(TelemetryDestination::MAX_BACKOFF.max(every))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_with_each_failure_up_to_its_cap() {
        let every = Duration::from_secs(60);
        let waits: Vec<u64> = (0..7).map(|n| backoff(every, n).as_secs()).collect();
        assert_eq!(waits, [60, 60, 120, 240, 480, 900, 900]);
        assert_eq!(backoff(every, u32::MAX), TelemetryDestination::MAX_BACKOFF);
        let slow = Duration::from_secs(3600);
        assert_eq!(backoff(slow, 5), slow);
    }
}
