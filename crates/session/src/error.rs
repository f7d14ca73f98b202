//! The crate's one error type, serialised for the UI as `{code, message}`.

use humo_ident_camera::{CameraError, CameraErrorCode};
use humo_ident_core::ErrorCode;
use serde::{Serialize, Serializer};

/// What a UI call can be refused with. The messages are written for the person, in the person's
/// words: the liveness check is "the face check" there.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SessionError {
    /// From the identification flow (a wrong link, an action not possible now, …).
    #[error(transparent)]
    Flow(#[from] humo_ident_core::Error),
    /// From the camera.
    #[error(transparent)]
    Camera(#[from] CameraError),
    /// There is no photo waiting to be used or taken again.
    #[error("There is no photo to review now.")]
    NothingToReview,
    /// The selfie cannot be taken with the `local` liveness provider against this server.
    #[error("The app's own face check may be used only with the demo server.")]
    LocalSelfieNotAllowed,
    /// LUNA PASS was chosen but its addresses are not configured.
    #[error("The bank's face check (LUNA PASS) is not set up in this app's configuration.")]
    LunaPassNotConfigured,
    /// A LUNA PASS result arrived when no LUNA PASS liveness check is open.
    #[error("The face check is not open now.")]
    NoLivenessCheck,
    /// A call the calling webview may not make: the vendor's script runs in the LUNA PASS
    /// webview, which may make only the few calls the liveness check needs.
    #[error("This cannot be done from the face check's page.")]
    NotFromLunaPass,
    /// The LUNA PASS webview could not be opened.
    #[error("The face check's window could not be opened.")]
    WindowNotOpened,
    /// A photo file was offered at a kiosk, where only the camera takes pictures.
    #[error("At this kiosk photos are taken with the camera only.")]
    NotAtKiosk,
    /// The bank gave no page to go back to, or the system could not open it.
    #[error("There is no page to go back to.")]
    NoHomePage,
    /// A demonstration switch was used outside demo mode.
    #[error("This is available in demo mode only.")]
    DemoOnly,
    /// The session has ended (the app is closing).
    #[error("The app is closing.")]
    Closed,
}

humo_ident_core::code_enum! {
    /// The codes of the session's own errors.
    #[allow(missing_docs)]
    pub enum SessionErrorCode {
        NothingToReview => "nothing-to-review",
        LocalSelfieNotAllowed => "local-selfie-not-allowed",
        LunaPassNotConfigured => "luna-pass-not-configured",
        NoLivenessCheck => "no-liveness-check",
        NotFromLunaPass => "not-from-luna-pass",
        WindowNotOpened => "window-not-opened",
        NotAtKiosk => "not-at-kiosk",
        NoHomePage => "no-home-page",
        DemoOnly => "demo-only",
        Closed => "closed",
    }
}

/// The stable code of any error the UI can receive: the core's and the camera's pass through
/// unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(untagged)]
#[ts(export)]
pub enum AppErrorCode {
    /// From the identification flow.
    Flow(ErrorCode),
    /// From the camera.
    Camera(CameraErrorCode),
    /// From the session itself.
    Session(SessionErrorCode),
}

impl AppErrorCode {
    /// The code's text.
    pub fn as_str(self) -> &'static str {
        match self {
            AppErrorCode::Flow(code) => code.as_str(),
            AppErrorCode::Camera(code) => code.as_str(),
            AppErrorCode::Session(code) => code.as_str(),
        }
    }
}

impl SessionError {
    /// The stable code the UI translates by.
    pub fn code(&self) -> AppErrorCode {
        let own = match self {
            SessionError::Flow(error) => return AppErrorCode::Flow(error.code()),
            SessionError::Camera(error) => return AppErrorCode::Camera(error.code()),
            SessionError::NothingToReview => SessionErrorCode::NothingToReview,
            SessionError::LocalSelfieNotAllowed => SessionErrorCode::LocalSelfieNotAllowed,
            SessionError::LunaPassNotConfigured => SessionErrorCode::LunaPassNotConfigured,
            SessionError::NoLivenessCheck => SessionErrorCode::NoLivenessCheck,
            SessionError::NotFromLunaPass => SessionErrorCode::NotFromLunaPass,
            SessionError::WindowNotOpened => SessionErrorCode::WindowNotOpened,
            SessionError::NotAtKiosk => SessionErrorCode::NotAtKiosk,
            SessionError::NoHomePage => SessionErrorCode::NoHomePage,
            SessionError::DemoOnly => SessionErrorCode::DemoOnly,
            SessionError::Closed => SessionErrorCode::Closed,
        };
        AppErrorCode::Session(own)
    }
}

impl Serialize for SessionError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("SessionError", 2)?;
        state.serialize_field("code", &self.code())?;
        state.serialize_field("message", &self.to_string())?;
        state.end()
    }
}

#[cfg(test)]
mod tests {
    use humo_ident_camera::checks::Issue;

    use super::*;

    /// Writes every code the UI can receive to `ui/src/lib/bindings/errorCodes.ts`, next to the
    /// types ts-rs exports, so the UI's tests can check each one has a text in every language.
    /// CI fails when the committed file is stale.
    #[test]
    fn export_code_lists() {
        fn list<T: Copy>(name: &str, all: &[T], text: fn(T) -> &'static str) -> String {
            let items: Vec<String> = all
                .iter()
                .map(|code| format!("  \"{}\",", text(*code)))
                .collect();
            format!(
                "export const {name} = [\n{}\n] as const;\n",
                items.join("\n")
            )
        }
        let text = [
            "// Generated by `cargo test -p humo-ident-session`: every code the app can send.\n"
                .to_owned(),
            list("CORE_ERROR_CODES", ErrorCode::ALL, ErrorCode::as_str),
            list(
                "CAMERA_ERROR_CODES",
                CameraErrorCode::ALL,
                CameraErrorCode::as_str,
            ),
            list(
                "SESSION_ERROR_CODES",
                SessionErrorCode::ALL,
                SessionErrorCode::as_str,
            ),
            list("ISSUES", Issue::ALL, Issue::as_str),
        ]
        .join("\n");
        humo_ident_test_support::write_ui_binding("errorCodes.ts", &text);
    }

    #[test]
    fn codes_pass_through_from_the_core_and_the_camera() {
        let flow = SessionError::from(humo_ident_core::Error::LinkNotFound);
        assert_eq!(flow.code(), AppErrorCode::Flow(ErrorCode::LinkNotFound));
        let camera = SessionError::from(CameraError::Busy);
        assert_eq!(camera.code().as_str(), "camera-busy");
        let json = serde_json::to_value(&camera).unwrap();
        assert_eq!(json["code"], "camera-busy");
        assert!(json["message"].as_str().unwrap().contains("in use"));
        let own = serde_json::to_value(SessionError::NotFromLunaPass).unwrap();
        assert_eq!(own["code"], "not-from-luna-pass");
    }
}
