//! Faults drawn at random for every request of the bank's API, from a seed: what a soak test
//! turns on to meet, over hundreds of flows, every way a network and a server fail.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

/// How often and how hard requests misbehave (see [`crate::Controls::set_chaos`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Chaos {
    /// The draws are made from this seed, in the order requests arrive.
    pub seed: u64,
    /// The share of requests, from 0 to 1, that draw a fault.
    pub fault_rate: f64,
    /// The longest delay a [`ChaosFault::Latency`] or [`ChaosFault::SlowBody`] adds.
    pub max_delay: Duration,
}

/// One fault a request can draw. Each kind is drawn only where it means something: a task
/// fault only by an upload, a 401 only by a request that carries a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChaosFault {
    /// The answer comes late.
    Latency,
    /// 503 Service Unavailable, before the request is handled.
    ServerError,
    /// The request is handled, then the connection breaks in the middle of the answer.
    DropConnection,
    /// The upload's task answers `SENT` for ever.
    NeverFinish,
    /// The token is revoked: this request and every later one of its session get 401.
    Unauthorized,
    /// The upload's task ends `FAILURE`.
    Failure,
    /// The answer's body arrives in pieces, slowly.
    SlowBody,
}

impl ChaosFault {
    pub const ALL: [ChaosFault; 7] = [
        ChaosFault::Latency,
        ChaosFault::ServerError,
        ChaosFault::DropConnection,
        ChaosFault::NeverFinish,
        ChaosFault::Unauthorized,
        ChaosFault::Failure,
        ChaosFault::SlowBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChaosFault::Latency => "latency",
            ChaosFault::ServerError => "503",
            ChaosFault::DropConnection => "dropped connection",
            ChaosFault::NeverFinish => "task never finishes",
            ChaosFault::Unauthorized => "401",
            ChaosFault::Failure => "FAILURE",
            ChaosFault::SlowBody => "slow body",
        }
    }
}

/// Which of the bank's routes a request is for: it decides which faults apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Route {
    Presign,
    Upload,
    Status,
}

impl Route {
    pub(crate) fn of(method: &str, path: &str) -> Option<Route> {
        if path.starts_with("/api/link/presign/") {
            Some(Route::Presign)
        } else if path.starts_with("/api/tasks/status/") {
            Some(Route::Status)
        } else if method == "POST" && path.starts_with("/api/tasks/") {
            Some(Route::Upload)
        } else {
            None
        }
    }

    fn allows(self, fault: ChaosFault) -> bool {
        match fault {
            ChaosFault::Latency
            | ChaosFault::ServerError
            | ChaosFault::DropConnection
            | ChaosFault::SlowBody => true,
            ChaosFault::Unauthorized => self != Route::Presign,
            ChaosFault::NeverFinish | ChaosFault::Failure => self == Route::Upload,
        }
    }
}

/// A fault drawn for one request, with its delay where it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Drawn {
    pub(crate) fault: ChaosFault,
    pub(crate) delay: Duration,
}

/// The switch's state: the settings and the generator the draws come from.
pub(crate) struct ChaosDraws {
    settings: Chaos,
    rng: StdRng,
}

impl ChaosDraws {
    pub(crate) fn new(settings: Chaos) -> Self {
        let rng = StdRng::seed_from_u64(settings.seed);
        Self { settings, rng }
    }

    /// Whether this request misbehaves, and how.
    pub(crate) fn draw(&mut self, route: Route) -> Option<Drawn> {
        if !self
            .rng
            .random_bool(self.settings.fault_rate.clamp(0.0, 1.0))
        {
            return None;
        }
        let allowed: Vec<ChaosFault> = ChaosFault::ALL
            .into_iter()
            .filter(|f| route.allows(*f))
            .collect();
        let fault = allowed[self.rng.random_range(0..allowed.len())];
        let max = u64::try_from(self.settings.max_delay.as_millis()).unwrap_or(u64::MAX);
        let delay = Duration::from_millis(self.rng.random_range(0..=max));
        Some(Drawn { fault, delay })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(seed: u64, route: Route) -> Vec<Option<Drawn>> {
        let mut draws = ChaosDraws::new(Chaos {
            seed,
            fault_rate: 0.5,
            max_delay: Duration::from_millis(100),
        });
        (0..200).map(|_| draws.draw(route)).collect()
    }

    #[test]
    fn a_seed_gives_the_same_draws() {
        assert_eq!(draws(7, Route::Upload), draws(7, Route::Upload));
        assert_ne!(draws(7, Route::Upload), draws(8, Route::Upload));
    }

    #[test]
    fn each_route_draws_only_its_faults() {
        let faults = |route| -> Vec<ChaosFault> {
            draws(1, route)
                .into_iter()
                .flatten()
                .map(|d| d.fault)
                .collect()
        };
        let upload = faults(Route::Upload);
        assert!(
            ChaosFault::ALL.iter().all(|f| upload.contains(f)),
            "{upload:?}"
        );
        let presign = faults(Route::Presign);
        assert!(!presign.contains(&ChaosFault::Unauthorized));
        assert!(!presign.contains(&ChaosFault::NeverFinish));
        let status = faults(Route::Status);
        assert!(status.contains(&ChaosFault::Unauthorized));
        assert!(!status.contains(&ChaosFault::Failure));
    }
}
