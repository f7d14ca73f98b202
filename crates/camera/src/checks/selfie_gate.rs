//! The local liveness provider's gate: the quality checks of a face, run on the selfie itself.
//!
//! The app and the CLI both sign `local` selfie tokens (for the emulator and demos); both refuse
//! the same photos through this one gate, whether the selfie came from a camera or a file. Both
//! give it the photo as prepared for sending: upright, so a phone's portrait stored sideways
//! is judged as it is seen.

use std::sync::Arc;

use humo_ident_core::liveness::FaceGate;

use super::{check_photo, FaceDetector, Issue};
use crate::source::Purpose;

/// The issues the local provider refuses a selfie for: a face's. A reflection matters on a
/// laminated card, not on a face, and a document's issues never come from a face's checks. The
/// UI reads this list (`LOCAL_LIVENESS_ISSUES`) to know which of a refusal's reasons are hints.
pub const LOCAL_REFUSALS: [Issue; 7] = [
    Issue::TooDark,
    Issue::TooBright,
    Issue::Blurry,
    Issue::NoFace,
    Issue::SeveralFaces,
    Issue::FaceNotCentred,
    Issue::FaceTooSmall,
];

/// Refuses a selfie for any of [`LOCAL_REFUSALS`]; a photo that cannot be decoded has no face.
pub struct LocalFaceGate {
    faces: Arc<FaceDetector>,
}

impl LocalFaceGate {
    /// A gate that finds faces with `faces` (shared: its model is large).
    pub fn new(faces: Arc<FaceDetector>) -> LocalFaceGate {
        LocalFaceGate { faces }
    }
}

impl FaceGate for LocalFaceGate {
    fn problems(&self, photo: &[u8]) -> Vec<String> {
        let Ok(report) = check_photo(photo, Purpose::Selfie, &self.faces) else {
            return vec![Issue::NoFace.as_str().to_owned()];
        };
        report
            .issues
            .into_iter()
            .filter(|issue| LOCAL_REFUSALS.contains(issue))
            .map(|issue| issue.as_str().to_owned())
            .collect()
    }
}
