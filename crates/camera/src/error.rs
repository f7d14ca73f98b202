//! The crate's one error type. Every variant has a stable code that a UI translates.

use serde::{Serialize, Serializer};

/// What can go wrong with a camera or a frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CameraError {
    /// No camera is connected (or none that this system can use).
    #[error("No camera was found. Connect one, or choose a photo file instead.")]
    NoCamera,
    /// The system's camera framework would not start (Windows' Media Foundation, missing from
    /// Windows N editions until their Media Feature Pack is installed, or refusing to start).
    #[error("This computer's camera system did not start ({0}). Choose a photo file instead.")]
    CameraSystemUnavailable(String),
    /// The chosen camera does not exist (any more).
    #[error("The camera “{0}” was not found. Choose another one.")]
    UnknownDevice(String),
    /// Another program holds the camera.
    #[error("The camera is in use by another program. Close it and try again.")]
    Busy,
    /// The operating system refused access to the camera.
    #[error("Access to the camera was refused. Allow it in the system's privacy settings.")]
    PermissionDenied,
    /// The camera was unplugged while it was streaming.
    #[error("The camera was disconnected. Plug it in again; the picture comes back by itself.")]
    Unplugged,
    /// The camera stopped sending frames.
    #[error("The camera stopped sending pictures.")]
    Stalled,
    /// The camera offers no format this app can read.
    #[error("The camera offers no picture format this app can read ({0}).")]
    UnsupportedFormat(String),
    /// A frame or a file could not be read as a picture.
    #[error("The picture cannot be read: {0}")]
    BadImage(String),
    /// Anything else the camera driver said.
    #[error("The camera failed: {0}")]
    Device(String),
}

humo_ident_core::code_enum! {
    /// The stable code of a [`CameraError`], for UIs to translate by.
    #[allow(missing_docs)]
    pub enum CameraErrorCode {
        NoCamera => "no-camera",
        CameraSystemUnavailable => "camera-system-unavailable",
        UnknownDevice => "unknown-camera",
        Busy => "camera-busy",
        PermissionDenied => "camera-permission-denied",
        Unplugged => "camera-unplugged",
        Stalled => "camera-stalled",
        UnsupportedFormat => "camera-unsupported-format",
        BadImage => "bad-image",
        Device => "camera-failed",
    }
}

impl CameraError {
    /// The stable code of this error.
    pub fn code(&self) -> CameraErrorCode {
        match self {
            CameraError::NoCamera => CameraErrorCode::NoCamera,
            CameraError::CameraSystemUnavailable(_) => CameraErrorCode::CameraSystemUnavailable,
            CameraError::UnknownDevice(_) => CameraErrorCode::UnknownDevice,
            CameraError::Busy => CameraErrorCode::Busy,
            CameraError::PermissionDenied => CameraErrorCode::PermissionDenied,
            CameraError::Unplugged => CameraErrorCode::Unplugged,
            CameraError::Stalled => CameraErrorCode::Stalled,
            CameraError::UnsupportedFormat(_) => CameraErrorCode::UnsupportedFormat,
            CameraError::BadImage(_) => CameraErrorCode::BadImage,
            CameraError::Device(_) => CameraErrorCode::Device,
        }
    }

    /// Whether waiting may bring the camera back by itself (it was unplugged or went quiet).
    pub fn may_recover(&self) -> bool {
        matches!(
            self,
            CameraError::Unplugged | CameraError::Stalled | CameraError::Busy
        )
    }
}

impl Serialize for CameraError {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut state = serializer.serialize_struct("CameraError", 2)?;
        state.serialize_field("code", &self.code())?;
        state.serialize_field("message", &self.to_string())?;
        state.end()
    }
}
