//! Start-up settings and the well-known keys the emulator answers for.

use std::time::Duration;

/// The presign key that always works (the example key in the bank's instruction).
pub const DEMO_KEY: &str = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";

/// A second demo key whose presign carries `depart_id` = 42 and `staff_id` = 7, so the
/// client's handling of a branch-bound link is exercised too.
pub const DEMO_KEY_WITH_DEPART: &str = "5b0c3f5e-7a51-4a43-9d55-3f0f2b6e8c21";

/// A known key whose link has expired: presign answers 410 Gone.
pub const EXPIRED_KEY: &str = "9f1d7c2a-0000-4000-8000-00000000e410";

/// HS256 key of the `local` liveness provider, shared with the client for demos and tests.
pub const LOCAL_LIVENESS_KEY: &str = "humo-ident-emulator-local-liveness-v1";

/// The `iss` claim a `local` liveness token must carry; anything else is refused so a token
/// minted for another purpose cannot pass as a selfie.
pub const LIVENESS_ISSUER: &str = "humo-ident-local";

/// The `iss` claim of the LUNA PASS double's RS256 verdicts.
pub const LUNA_PASS_ISSUER: &str = "luna-pass-emulator";

/// The `kid` header of the LUNA PASS double's verdicts, naming the emulator's own key.
pub const LUNA_PASS_KEY_ID: &str = "humo-ident-emulator";

/// How the emulator behaves when it starts; every value can be changed later through
/// [`crate::Controls`] except the liveness key.
#[derive(Clone, Debug)]
pub struct EmulatorConfig {
    /// A task answers `SENT` for this long after it was created, then `SUCCESS` or `FAILURE`.
    pub task_delay: Duration,
    /// Extra delay before every response, to make a slow network visible.
    pub latency: Duration,
    /// The HS256 key that selfie JWTs must be signed with.
    pub local_liveness_key: Vec<u8>,
    /// How long an access token works after its presign. Past it, the token gets 401 and the
    /// session and its tasks are forgotten, so an emulator left running for days does not grow.
    pub session_ttl: Duration,
    /// How many requests, status requests and selfie tokens [`crate::Controls`] keeps (each,
    /// the latest): enough for any test, and a bound for a long-running emulator.
    pub record_limit: usize,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            task_delay: Duration::from_secs(3),
            latency: Duration::ZERO,
            local_liveness_key: LOCAL_LIVENESS_KEY.as_bytes().to_vec(),
            session_ttl: Duration::from_secs(60 * 60),
            record_limit: 1_000,
        }
    }
}
