//! Which liveness provider the session uses, and the local provider's gate on faces.

use std::sync::Arc;

use humo_ident_camera::checks::{self, FaceDetector, Issue};
use humo_ident_camera::source::Purpose;
use humo_ident_core::config::Config;
use humo_ident_core::liveness::{
    FaceGate, LivenessProvider, LocalLiveness, LunaPassLiveness, LOCAL_SIGNING_KEY,
};

use crate::events::SelfieSetup;

/// The session's selfie: how it is taken, and the provider that makes its token.
pub(crate) struct Liveness {
    pub setup: SelfieSetup,
    pub provider: Arc<dyn LivenessProvider>,
}

impl Liveness {
    /// The provider the configuration chooses, refused (as [`SelfieSetup::Unavailable`]) when it
    /// cannot be used with this server.
    pub fn from_config(config: &Config, faces: Arc<FaceDetector>) -> Liveness {
        let luna_pass_configured = matches!(config.liveness.luna_pass.endpoints(), Ok(Some(_)));
        let setup = SelfieSetup::of(
            config.liveness.provider,
            config.local_selfie_allowed(),
            !config.api.is_loopback(),
            luna_pass_configured,
        );
        let provider: Arc<dyn LivenessProvider> = match setup {
            SelfieSetup::Local { .. } => Arc::new(LocalLiveness::new(
                LOCAL_SIGNING_KEY.as_bytes(),
                config.images.clone(),
                Arc::new(LocalFaceGate { faces }),
            )),
            SelfieSetup::LunaPass | SelfieSetup::Unavailable { .. } => Arc::new(LunaPassLiveness),
        };
        Liveness { setup, provider }
    }
}

/// The local provider's gate: the camera crate's quality checks of a face, on the photo itself.
struct LocalFaceGate {
    faces: Arc<FaceDetector>,
}

impl FaceGate for LocalFaceGate {
    fn problems(&self, photo: &[u8]) -> Vec<String> {
        let Ok(decoded) = image::load_from_memory(photo) else {
            return vec![Issue::NoFace.as_str().to_owned()];
        };
        let grey = checks::downscale(&decoded.to_luma8(), checks::CHECK_WIDTH);
        checks::check(&grey, Purpose::Selfie, &self.faces)
            .issues
            .into_iter()
            // A reflection matters on a laminated card, not on a face.
            .filter(|issue| *issue != Issue::Glare)
            .map(|issue| issue.as_str().to_owned())
            .collect()
    }
}

/// The camera's issues among a provider's errors (the local provider's are all issues).
pub(crate) fn issues_of(errors: &[String]) -> Vec<Issue> {
    errors
        .iter()
        .filter_map(|error| Issue::from_code(error))
        .collect()
}

#[cfg(test)]
mod tests {
    use humo_ident_camera::scene;
    use humo_ident_camera::source::frame_portrait;
    use humo_ident_core::config::LivenessProviderKind;

    use super::*;

    fn gate() -> LocalFaceGate {
        LocalFaceGate {
            faces: Arc::new(FaceDetector::new().unwrap()),
        }
    }

    #[cfg(feature = "demo")]
    #[test]
    fn the_local_provider_signs_with_the_key_the_emulator_verifies() {
        assert_eq!(LOCAL_SIGNING_KEY, humo_ident_emulator::LOCAL_LIVENESS_KEY);
    }

    #[test]
    fn the_face_fixture_passes_and_an_empty_desk_does_not() {
        let portrait = humo_ident_test_support::face();
        // As a webcam sees the person: the face in the middle, a third of the frame wide.
        let face = frame_portrait(&portrait, 1280, 720).unwrap();
        assert_eq!(
            gate().problems(&humo_ident_test_support::jpeg(face)),
            Vec::<String>::new()
        );
        // The portrait as it is, face high and to one side, is refused.
        let problems = gate().problems(&humo_ident_test_support::jpeg(portrait));
        assert!(!problems.is_empty());
        let problems = gate().problems(&humo_ident_test_support::jpeg(scene::desk()));
        assert!(problems.contains(&"no-face".to_owned()), "{problems:?}");
        assert!(issues_of(&problems).contains(&Issue::NoFace));
    }

    #[test]
    fn local_is_refused_against_a_remote_server_unless_it_accepts_it() {
        let faces = Arc::new(FaceDetector::new().unwrap());
        let mut config = Config::default();
        config.liveness.provider = LivenessProviderKind::Local;
        assert!(matches!(
            Liveness::from_config(&config, faces.clone()).setup,
            SelfieSetup::Unavailable { .. }
        ));
        config.liveness.server_accepts_local = true;
        let liveness = Liveness::from_config(&config, faces.clone());
        assert_eq!(
            liveness.setup,
            SelfieSetup::Local {
                remote_server: true
            }
        );
        assert_eq!(liveness.provider.kind(), LivenessProviderKind::Local);
        config.api.base_url = "http://127.0.0.1:9".into();
        config.liveness.server_accepts_local = false;
        assert_eq!(
            Liveness::from_config(&config, faces).setup,
            SelfieSetup::Local {
                remote_server: false
            }
        );
    }
}
