//! When to take the picture: by itself once every check has passed for a moment, or when the
//! person presses the button; and when to let the person go on despite the checks.

use std::time::{Duration, Instant};

use serde::Serialize;

use crate::checks::{Issue, QualityReport};

/// How long every check must pass before the picture is taken by itself.
pub const HOLD_STEADY: Duration = Duration::from_millis(500);
/// After this many refused attempts the person may go on with a warning.
pub const ATTEMPTS_BEFORE_WARNING: u32 = 2;

/// What happens to a still that was taken.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "camelCase")]
pub enum StillVerdict {
    /// Good: use it.
    Accepted,
    /// Not good enough: take it again.
    Rejected {
        /// Why.
        issues: Vec<Issue>,
    },
    /// Not good enough, but the person has tried enough times: it may be used, with a warning.
    AcceptedWithWarning {
        /// What is still wrong.
        issues: Vec<Issue>,
    },
}

/// Decides when to capture, one step (one document page or the selfie) at a time.
#[derive(Debug, Default)]
pub struct AutoCapture {
    passing_since: Option<Instant>,
    refused: u32,
}

impl AutoCapture {
    /// A fresh decision for a new step.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the checks of a sampled frame taken at `at` (the camera's time). True when the
    /// still should be taken now: every check has passed on every sample for [`HOLD_STEADY`].
    pub fn observe(&mut self, report: &QualityReport, at: Instant) -> bool {
        if !report.passed() {
            self.passing_since = None;
            return false;
        }
        let since = *self.passing_since.get_or_insert(at);
        at.duration_since(since) >= HOLD_STEADY
    }

    /// Judges a still that was taken, by its own checks.
    pub fn judge(&mut self, report: &QualityReport) -> StillVerdict {
        self.passing_since = None;
        if report.passed() {
            return StillVerdict::Accepted;
        }
        self.refused += 1;
        if self.refused > ATTEMPTS_BEFORE_WARNING {
            StillVerdict::AcceptedWithWarning {
                issues: report.issues.clone(),
            }
        } else {
            StillVerdict::Rejected {
                issues: report.issues.clone(),
            }
        }
    }

    /// Refused attempts so far.
    pub fn refused(&self) -> u32 {
        self.refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(issues: Vec<Issue>) -> QualityReport {
        QualityReport {
            issues,
            brightness: 128.0,
            sharpness: 200.0,
            glare: 0.0,
            card: None,
            faces: 0,
        }
    }

    #[test]
    fn captures_after_half_a_second_of_passing_checks() {
        let mut auto = AutoCapture::new();
        let start = Instant::now();
        let good = report(vec![]);
        assert!(!auto.observe(&good, start));
        assert!(!auto.observe(&good, start + Duration::from_millis(300)));
        // One failing sample starts the wait again.
        assert!(!auto.observe(
            &report(vec![Issue::Blurry]),
            start + Duration::from_millis(400)
        ));
        assert!(!auto.observe(&good, start + Duration::from_millis(600)));
        assert!(auto.observe(&good, start + Duration::from_millis(1100)));
    }

    #[test]
    fn after_two_refusals_the_person_may_go_on_with_a_warning() {
        let mut auto = AutoCapture::new();
        let dark = report(vec![Issue::TooDark]);
        assert_eq!(
            auto.judge(&dark),
            StillVerdict::Rejected {
                issues: vec![Issue::TooDark]
            }
        );
        assert_eq!(
            auto.judge(&dark),
            StillVerdict::Rejected {
                issues: vec![Issue::TooDark]
            }
        );
        assert_eq!(
            auto.judge(&dark),
            StillVerdict::AcceptedWithWarning {
                issues: vec![Issue::TooDark]
            }
        );
        assert_eq!(auto.judge(&report(vec![])), StillVerdict::Accepted);
        assert_eq!(auto.refused(), 3);
    }
}
