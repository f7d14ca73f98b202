//! What the person gives, read into what the flow takes: a link, a typed taxpayer number, a
//! photo; and when the app tries again by itself.

use std::time::Duration;

use humo_ident_core::flow::{StepInput, StepKind};
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_core::input::{PresignKey, TaxNumber};
use humo_ident_core::links::LinkPolicy;
use humo_ident_core::liveness::{LivenessProvider, SelfieEvidence};

use crate::error::SessionError;

/// Turns a photo (a still or a file) into what the step sends: the JPEG for a document page,
/// or for the selfie the provider's token (the local provider's; LUNA PASS refuses photos).
pub(super) fn step_input(
    kind: StepKind,
    photo: UploadJpeg,
    liveness: &dyn LivenessProvider,
) -> Result<StepInput, SessionError> {
    Ok(match kind {
        StepKind::DocumentPage => StepInput::Photo(photo),
        StepKind::Selfie => {
            StepInput::Selfie(liveness.selfie(SelfieEvidence::Photo(photo.bytes()))?)
        }
    })
}

/// Reads a taxpayer number typed in the UI.
pub(super) fn tax_number(text: Option<String>) -> Result<Option<TaxNumber>, SessionError> {
    Ok(text.map(|t| TaxNumber::parse(&t)).transpose()?)
}

/// Reads a link typed, pasted, scanned or handed over: the app's own forms, or a web link on a
/// host the bank named.
pub(super) fn presign_key(links: &LinkPolicy, text: &str) -> Result<PresignKey, SessionError> {
    Ok(links.key_from_link(text)?)
}

/// How long to wait before the `attempt`th automatic retry: 2, 4, 8, 16, then 30 s.
pub(super) fn retry_delay(attempt: u32) -> Duration {
    Duration::from_secs((2u64 << attempt.saturating_sub(1).min(4)).min(30))
}
