//! Whether a client is at the app. The shell installs an update only when none is: never during
//! an identification, nor while someone is at the start screen typing a link.

use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

/// Who is at the app, as the session sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A client's identification is under way (a link is open, or being opened).
    Client,
    /// The start screen, last touched at this instant.
    NoClientSince(Instant),
}

/// Waits until the start screen has been left alone for `quiet`. Returns at once if it already
/// has; a client who arrives meanwhile starts the wait again. Returns `false` if the session
/// has ended.
pub async fn wait_between_clients(
    presence: &mut watch::Receiver<Presence>,
    quiet: Duration,
) -> bool {
    loop {
        let current = *presence.borrow_and_update();
        match current {
            Presence::NoClientSince(since) if since.elapsed() >= quiet => return true,
            Presence::NoClientSince(since) => {
                tokio::select! {
                    changed = presence.changed() => if changed.is_err() { return false },
                    _ = tokio::time::sleep_until(since + quiet) => {}
                }
            }
            Presence::Client => {
                if presence.changed().await.is_err() {
                    return false;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIET: Duration = Duration::from_secs(60);

    #[tokio::test(start_paused = true)]
    async fn an_untouched_start_screen_is_between_clients_after_the_quiet_time() {
        let (_tx, mut rx) = watch::channel(Presence::NoClientSince(Instant::now()));
        let started = Instant::now();
        assert!(wait_between_clients(&mut rx, QUIET).await);
        assert_eq!(started.elapsed(), QUIET);
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_holds_the_wait_and_a_touch_restarts_it() {
        let (tx, mut rx) = watch::channel(Presence::Client);
        let started = Instant::now();
        let wait = tokio::spawn(async move { wait_between_clients(&mut rx, QUIET).await });
        // Ten minutes of identification: no install.
        tokio::time::sleep(Duration::from_secs(600)).await;
        assert!(!wait.is_finished());
        tx.send(Presence::NoClientSince(Instant::now())).unwrap();
        // Someone types a link 30 s later, then leaves it.
        tokio::time::sleep(Duration::from_secs(30)).await;
        tx.send(Presence::NoClientSince(Instant::now())).unwrap();
        tokio::time::sleep(Duration::from_secs(59)).await;
        assert!(!wait.is_finished());
        assert!(wait.await.unwrap());
        assert_eq!(started.elapsed(), Duration::from_secs(600 + 30 + 60));
    }

    #[tokio::test(start_paused = true)]
    async fn an_ended_session_ends_the_wait() {
        let (tx, mut rx) = watch::channel(Presence::Client);
        drop(tx);
        assert!(!wait_between_clients(&mut rx, QUIET).await);
    }
}
