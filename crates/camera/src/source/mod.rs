//! Where frames come from: a real camera, a synthetic one, or a photo file.
//!
//! The synthetic camera and the photo file stand in for a camera in the demo, the tests and the
//! benchmarks. They are compiled only with the `stand-ins` feature: the bank's build can film
//! nothing but a real camera.

#[cfg(any(test, feature = "stand-ins"))]
mod file;
#[cfg(feature = "native")]
mod native;
#[cfg(any(test, feature = "stand-ins"))]
mod synthetic;

use std::path::PathBuf;

use image::RgbImage;
use serde::Serialize;

use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};

#[cfg(any(test, feature = "stand-ins"))]
pub use file::ImageFileSource;
#[cfg(feature = "native")]
pub use native::NativeSource;
#[cfg(any(test, feature = "stand-ins"))]
pub use synthetic::{frame_portrait, StallEnd, StallGate, SyntheticConfig, SyntheticSource};

/// Something that delivers frames, one at a time.
///
/// A source is opened and used on the capture thread alone, so it need not be `Send` (nokhwa's
/// camera is not).
pub trait FrameSource {
    /// Blocks until the next frame. Should return within about a second even when the device is
    /// quiet, so that a capture can be stopped.
    fn next_frame(&mut self) -> Result<Frame, CameraError>;

    /// What this source is, for display.
    fn name(&self) -> String;
}

/// Opens a source; called again to reopen it after the device was unplugged.
pub type SourceOpener = Box<dyn Fn() -> Result<Box<dyn FrameSource>, CameraError> + Send>;

/// What a picture is for: it decides the resolution asked of the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export, rename = "CameraPurpose")]
pub enum Purpose {
    /// A page of a document: as much detail as the camera has, up to 4K.
    Document,
    /// A face: 720p or a little more is plenty, and a higher frame rate matters more.
    Selfie,
    /// A QR code shown to the camera (the kiosk's link from the CRM): as for the selfie.
    Code,
}

/// One format a camera offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FormatInfo {
    /// The pixel layout.
    pub format: PixelFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Frames a second.
    pub fps: u32,
}

/// A camera the system knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceInfo {
    /// Position in the system's list, from 0.
    pub index: u32,
    /// The name the system gives it.
    pub name: String,
    /// The formats it offers that this app reads.
    pub formats: Vec<FormatInfo>,
}

/// Which source to capture from, as a person names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceChoice {
    /// The first camera.
    Default,
    /// A camera by its index.
    Index(u32),
    /// A camera whose name contains this text (case-insensitive).
    Name(String),
    /// The synthetic camera.
    Synthetic,
    /// A photo file standing in for a camera.
    File(PathBuf),
}

impl DeviceChoice {
    /// Reads `N`, `synthetic`, `file:PATH` or a name.
    pub fn parse(text: &str) -> DeviceChoice {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("default") {
            DeviceChoice::Default
        } else if text.eq_ignore_ascii_case("synthetic") {
            DeviceChoice::Synthetic
        } else if let Some(path) = text.strip_prefix("file:") {
            DeviceChoice::File(PathBuf::from(path))
        } else if let Ok(index) = text.parse() {
            DeviceChoice::Index(index)
        } else {
            DeviceChoice::Name(text.to_owned())
        }
    }

    /// Finds the chosen camera in `devices`.
    pub fn pick<'a>(&self, devices: &'a [DeviceInfo]) -> Result<&'a DeviceInfo, CameraError> {
        if devices.is_empty() {
            return Err(CameraError::NoCamera);
        }
        let found = match self {
            DeviceChoice::Default => devices.first(),
            DeviceChoice::Index(index) => devices.iter().find(|d| d.index == *index),
            DeviceChoice::Name(name) => {
                let name = name.to_lowercase();
                devices
                    .iter()
                    .find(|d| d.name.to_lowercase().contains(&name))
            }
            DeviceChoice::Synthetic | DeviceChoice::File(_) => None,
        };
        found.ok_or_else(|| CameraError::UnknownDevice(self.to_string()))
    }
}

impl std::fmt::Display for DeviceChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeviceChoice::Default => f.write_str("default"),
            DeviceChoice::Index(index) => write!(f, "{index}"),
            DeviceChoice::Name(name) => f.write_str(name),
            DeviceChoice::Synthetic => f.write_str("synthetic"),
            DeviceChoice::File(path) => write!(f, "file:{}", path.display()),
        }
    }
}

/// What the synthetic camera films: a step names it whether or not this build has that camera.
#[derive(Debug, Clone, PartialEq)]
pub enum SyntheticScene {
    /// An ID card on a desk.
    Card(CardSide),
    /// The desk with nothing on it.
    EmptyDesk,
    /// A person: this portrait, or a drawn face when there is none.
    Face(Option<RgbImage>),
    /// A QR code holding this text, held up to the camera.
    QrCode(String),
}

/// A side of the demo ID card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSide {
    /// The photo side.
    Front,
    /// The side with the machine-readable zone.
    Back,
}

/// The format to ask of a camera for `purpose`: MJPEG over YUYV (a camera compresses in
/// hardware, and YUYV at high resolutions crawls over USB 2), then the resolution that fits.
///
/// Documents: the largest up to 4K (a 1080p or better camera thus gives at least 1080p).
/// Selfie: the smallest that is at least 1280×720, or else the largest there is.
pub fn choose_format(formats: &[FormatInfo], purpose: Purpose) -> Option<FormatInfo> {
    const MAX_PIXELS: u64 = 3840 * 2160;
    let pixels = |f: &FormatInfo| f.width as u64 * f.height as u64;
    let usable = |f: &&FormatInfo| f.fps >= 5 && pixels(f) <= MAX_PIXELS;
    let best_of = |format: PixelFormat| -> Option<FormatInfo> {
        let candidates: Vec<&FormatInfo> = formats
            .iter()
            .filter(usable)
            .filter(|f| f.format == format)
            .collect();
        let by_size_then_fps = |f: &&&FormatInfo| (pixels(f), f.fps);
        match purpose {
            Purpose::Document => candidates
                .iter()
                .max_by_key(by_size_then_fps)
                .copied()
                .copied(),
            Purpose::Selfie | Purpose::Code => candidates
                .iter()
                .filter(|f| f.width >= 1280 && f.height >= 720 && f.fps >= 15)
                .min_by_key(|f| (pixels(f), std::cmp::Reverse(f.fps)))
                .or_else(|| candidates.iter().max_by_key(by_size_then_fps))
                .copied()
                .copied(),
        }
    };
    best_of(PixelFormat::Mjpeg).or_else(|| best_of(PixelFormat::Yuyv))
}

/// Makes the opener of the chosen source for `purpose`, checking first that it exists.
/// `synthetic` is what the synthetic camera films, if it is the one chosen.
pub fn opener(
    choice: &DeviceChoice,
    purpose: Purpose,
    synthetic: SyntheticScene,
) -> Result<SourceOpener, CameraError> {
    match choice {
        #[cfg(any(test, feature = "stand-ins"))]
        DeviceChoice::Synthetic => {
            let (width, height) = match purpose {
                Purpose::Document => (1920, 1080),
                Purpose::Selfie | Purpose::Code => (1280, 720),
            };
            let config = SyntheticConfig::new(synthetic, width, height);
            Ok(Box::new(move || {
                Ok(Box::new(SyntheticSource::open(config.clone())?) as Box<dyn FrameSource>)
            }))
        }
        #[cfg(any(test, feature = "stand-ins"))]
        DeviceChoice::File(path) => {
            ImageFileSource::open(path)?;
            let path = path.clone();
            Ok(Box::new(move || {
                Ok(Box::new(ImageFileSource::open(&path)?) as Box<dyn FrameSource>)
            }))
        }
        // Not in this build: to the person, there is no such camera.
        #[cfg(not(any(test, feature = "stand-ins")))]
        DeviceChoice::Synthetic | DeviceChoice::File(_) => {
            let _ = (purpose, synthetic);
            Err(CameraError::UnknownDevice(choice.to_string()))
        }
        #[cfg(feature = "native")]
        other => {
            let devices = list_devices()?;
            let device = other.pick(&devices)?.clone();
            Ok(Box::new(move || {
                Ok(Box::new(NativeSource::open(&device, purpose)?) as Box<dyn FrameSource>)
            }))
        }
        #[cfg(not(feature = "native"))]
        _ => Err(CameraError::NoCamera),
    }
}

/// Lists the cameras this system has, with their formats. An empty list is not an error.
pub fn list_devices() -> Result<Vec<DeviceInfo>, CameraError> {
    #[cfg(feature = "native")]
    {
        native::list_devices()
    }
    #[cfg(not(feature = "native"))]
    {
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(format: PixelFormat, width: u32, height: u32, fps: u32) -> FormatInfo {
        FormatInfo {
            format,
            width,
            height,
            fps,
        }
    }

    #[test]
    fn documents_take_the_largest_mjpeg_up_to_4k() {
        let formats = [
            format(PixelFormat::Yuyv, 3840, 2160, 5),
            format(PixelFormat::Mjpeg, 1280, 720, 30),
            format(PixelFormat::Mjpeg, 1920, 1080, 30),
            format(PixelFormat::Mjpeg, 1920, 1080, 15),
            format(PixelFormat::Mjpeg, 4656, 3496, 10),
        ];
        assert_eq!(choose_format(&formats, Purpose::Document), Some(formats[2]));
    }

    #[test]
    fn selfies_take_720p_or_the_next_size_up() {
        let formats = [
            format(PixelFormat::Mjpeg, 640, 480, 30),
            format(PixelFormat::Mjpeg, 1920, 1080, 30),
            format(PixelFormat::Mjpeg, 1280, 720, 30),
        ];
        assert_eq!(choose_format(&formats, Purpose::Selfie), Some(formats[2]));
        let small_only = [
            format(PixelFormat::Yuyv, 640, 480, 30),
            format(PixelFormat::Yuyv, 320, 240, 30),
        ];
        assert_eq!(
            choose_format(&small_only, Purpose::Selfie),
            Some(small_only[0])
        );
        assert_eq!(choose_format(&[], Purpose::Selfie), None);
    }

    #[test]
    fn choices_are_read_and_found() {
        let devices = vec![
            DeviceInfo {
                index: 0,
                name: "Integrated Webcam".into(),
                formats: vec![],
            },
            DeviceInfo {
                index: 2,
                name: "CZUR Document Camera".into(),
                formats: vec![],
            },
        ];
        assert_eq!(DeviceChoice::parse("2").pick(&devices).unwrap().index, 2);
        assert_eq!(DeviceChoice::parse("czur").pick(&devices).unwrap().index, 2);
        assert_eq!(DeviceChoice::parse("").pick(&devices).unwrap().index, 0);
        assert_eq!(
            DeviceChoice::parse("file:/tmp/a.jpg"),
            DeviceChoice::File("/tmp/a.jpg".into())
        );
        assert_eq!(DeviceChoice::parse("Synthetic"), DeviceChoice::Synthetic);
        assert!(matches!(
            DeviceChoice::parse("7").pick(&devices),
            Err(CameraError::UnknownDevice(_))
        ));
        assert_eq!(DeviceChoice::Default.pick(&[]), Err(CameraError::NoCamera));
    }
}
