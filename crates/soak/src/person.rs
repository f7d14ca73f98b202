//! The person at the screen, played at random from a seed: which passport, and the odd
//! cancel, reset or stray "try again" at any moment.

use humo_ident_core::config::DocumentKind;
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};

/// How often, at each change of screen, the person does something unplanned.
const CANCEL: f64 = 0.015;
const RESET: f64 = 0.015;
const STRAY_RETRY: f64 = 0.03;

/// How many times the person tries a failed step or link again before giving up.
pub const PATIENCE: u32 = 3;

/// Something unplanned the person does on a screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mischief {
    /// Abandons the identification.
    Cancel,
    /// The kiosk's "next client": drops everything.
    Reset,
    /// Presses "try again" whether or not the screen offers it.
    StrayRetry,
}

pub struct Person {
    rng: StdRng,
}

impl Person {
    pub fn new(seed: u64) -> Person {
        Person {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// What the person does unplanned on this screen, if anything.
    pub fn mischief(&mut self) -> Option<Mischief> {
        let roll: f64 = self.rng.random();
        if roll < CANCEL {
            Some(Mischief::Cancel)
        } else if roll < CANCEL + RESET {
            Some(Mischief::Reset)
        } else if roll < CANCEL + RESET + STRAY_RETRY {
            Some(Mischief::StrayRetry)
        } else {
            None
        }
    }

    /// The passport, and the taxpayer number typed for the new one when its box is ticked.
    pub fn document(&mut self, offers_tax_number: bool) -> (DocumentKind, Option<String>) {
        if self.rng.random_bool(0.5) {
            (DocumentKind::Old, None)
        } else {
            let typed = offers_tax_number && self.rng.random_bool(0.5);
            (DocumentKind::New, typed.then(|| "020025789".to_owned()))
        }
    }
}
