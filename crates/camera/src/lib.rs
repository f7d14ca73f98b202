//! The camera side of Humo Ident: capture, the live preview's frames, stills and their quality
//! checks. No GUI: the CLI and the desktop shell use the same pieces.
//!
//! - [`source`]: where frames come from (a real camera through nokhwa, a synthetic camera, a
//!   photo file), the device list and the choice of format.
//! - [`capture`]: a capture thread that keeps only the newest frame, watches for a camera that
//!   goes quiet, and reopens one that was unplugged.
//! - [`preview`]: the JPEG the UI draws for each frame, without decoding it.
//! - [`checks`]: sharpness, exposure, glare, the card's outline, and the face.
//! - [`autocapture`]: when to take the still by itself, and when to let the person go on.
//! - [`still`]: the full-resolution still, as the JPEG that is uploaded.
//! - [`step`]: one step's live camera, from frames to a still: what the CLI and the app run.
//! - `scene`: the drawn scenes the synthetic camera films (with the `stand-ins` feature).

#![warn(missing_docs)]

pub mod autocapture;
pub mod capture;
pub mod checks;
mod error;
mod frame;
pub mod preview;
#[cfg(any(test, feature = "stand-ins"))]
pub mod scene;
pub mod source;
pub mod step;
pub mod still;
pub mod yuyv;

pub use error::{CameraError, CameraErrorCode};
pub use frame::{Frame, PixelFormat};
