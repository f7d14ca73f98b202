//! The emulator's clock for session lifetimes and task delays.
//!
//! It follows the system's clock until a test stops it; from then on it moves only when the
//! test moves it. A test of a TTL or a task delay then asks "before" and "after" without
//! racing the machine: how long a request takes on a loaded machine no longer decides whether a
//! session has expired.

use std::time::{Duration, Instant};

/// What the emulator calls "now".
#[derive(Debug, Default)]
pub(crate) struct EmulatorClock {
    /// `Some` while stopped: the instant the clock shows.
    stopped_at: Option<Instant>,
}

impl EmulatorClock {
    pub(crate) fn now(&self) -> Instant {
        self.stopped_at.unwrap_or_else(Instant::now)
    }

    /// Stops the clock where it is; it moves only by [`Self::advance`] from now on.
    pub(crate) fn stop(&mut self) {
        self.stopped_at.get_or_insert_with(Instant::now);
    }

    /// Moves a stopped clock forward (stopping it first if it was running).
    pub(crate) fn advance(&mut self, by: Duration) {
        let now = self.now();
        self.stopped_at = Some(now + by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stopped_clock_moves_only_when_advanced() {
        let mut clock = EmulatorClock::default();
        clock.stop();
        let stopped = clock.now();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), stopped);
        clock.advance(Duration::from_secs(300));
        assert_eq!(clock.now(), stopped + Duration::from_secs(300));
        clock.stop();
        assert_eq!(clock.now(), stopped + Duration::from_secs(300));
    }

    #[test]
    fn a_running_clock_follows_the_system() {
        let clock = EmulatorClock::default();
        let before = Instant::now();
        assert!(clock.now() >= before);
    }
}
