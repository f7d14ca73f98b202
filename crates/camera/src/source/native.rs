//! Real cameras through nokhwa (V4L2 on Linux, Media Foundation on Windows, AVFoundation on
//! macOS).
//!
//! The capture thread calls [`nokhwa::Camera::frame`] itself; nokhwa's `CallbackCamera` is not
//! used because it deadlocks on stop with Media Foundation and can hang once streaming.

use bytes::Bytes;
use nokhwa::pixel_format::RgbFormat;
use nokhwa::utils::{
    ApiBackend, CameraFormat, CameraIndex, FrameFormat, RequestedFormat, RequestedFormatType,
    Resolution,
};
use nokhwa::{Camera, NokhwaError};

use crate::error::CameraError;
use crate::frame::{Frame, PixelFormat};
use crate::source::{choose_format, DeviceInfo, FormatInfo, FrameSource, Purpose};

/// A streaming camera.
pub struct NativeSource {
    camera: Camera,
    name: String,
}

impl NativeSource {
    /// Opens camera `index` in the format that suits `purpose`, and starts its stream.
    pub fn open(device: &DeviceInfo, purpose: Purpose) -> Result<Self, CameraError> {
        ensure_access()?;
        let wanted = choose_format(&device.formats, purpose)
            .ok_or_else(|| CameraError::UnsupportedFormat("neither MJPEG nor YUYV".into()))?;
        let format = CameraFormat::new(
            Resolution::new(wanted.width, wanted.height),
            match wanted.format {
                PixelFormat::Mjpeg => FrameFormat::MJPEG,
                PixelFormat::Yuyv => FrameFormat::YUYV,
            },
            wanted.fps,
        );
        let requested = RequestedFormat::new::<RgbFormat>(RequestedFormatType::Exact(format));
        let mut camera =
            Camera::new(CameraIndex::Index(device.index), requested).map_err(map_error)?;
        camera.open_stream().map_err(map_error)?;
        tracing::info!(camera = %device.name, ?wanted, "camera streaming");
        Ok(NativeSource {
            camera,
            name: device.name.clone(),
        })
    }
}

/// How long the person may take to answer the system's question about the camera.
const ACCESS_ANSWER_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// macOS asks the person once before any app may film, and answers on a callback later: ask
/// (or find the answer given) before the first capture. Elsewhere nokhwa answers yes at once,
/// and the system's own refusal shows as an error of the capture.
fn ensure_access() -> Result<(), CameraError> {
    if nokhwa::nokhwa_check() {
        return Ok(());
    }
    let (answer, answered) = std::sync::mpsc::channel();
    nokhwa::nokhwa_initialize(move |granted| {
        let _ = answer.send(granted);
    });
    match answered.recv_timeout(ACCESS_ANSWER_WAIT) {
        Ok(true) => Ok(()),
        Ok(false) | Err(_) => {
            tracing::warn!("the system refused access to the camera");
            Err(CameraError::PermissionDenied)
        }
    }
}

impl FrameSource for NativeSource {
    fn next_frame(&mut self) -> Result<Frame, CameraError> {
        let buffer = self.camera.frame().map_err(map_error)?;
        // What arrived, not what was asked for.
        let resolution = buffer.resolution();
        let claimed = match buffer.source_frame_format() {
            FrameFormat::MJPEG => PixelFormat::Mjpeg,
            FrameFormat::YUYV => PixelFormat::Yuyv,
            other => return Err(CameraError::UnsupportedFormat(format!("{other:?}"))),
        };
        Frame::from_buffer(
            claimed,
            resolution.width(),
            resolution.height(),
            Bytes::copy_from_slice(buffer.buffer()),
        )
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}

impl Drop for NativeSource {
    fn drop(&mut self) {
        if let Err(error) = self.camera.stop_stream() {
            tracing::debug!(%error, "stopping the camera stream");
        }
    }
}

/// The cameras the system has, with the formats each offers.
pub(crate) fn list_devices() -> Result<Vec<DeviceInfo>, CameraError> {
    let cameras = nokhwa::query(ApiBackend::Auto).map_err(map_error)?;
    Ok(cameras
        .into_iter()
        .enumerate()
        .map(|(position, info)| {
            let index = info.index().as_index().unwrap_or(position as u32);
            DeviceInfo {
                index,
                name: info.human_name(),
                formats: formats_of(index),
            }
        })
        .collect())
}

/// The formats a camera offers; none when it cannot be opened to ask (it may be busy).
fn formats_of(index: u32) -> Vec<FormatInfo> {
    let requested = RequestedFormat::new::<RgbFormat>(RequestedFormatType::None);
    let Ok(mut camera) = Camera::new(CameraIndex::Index(index), requested) else {
        return Vec::new();
    };
    let formats = camera.compatible_camera_formats().unwrap_or_default();
    formats
        .into_iter()
        .filter_map(|f| {
            let format = match f.format() {
                FrameFormat::MJPEG => PixelFormat::Mjpeg,
                FrameFormat::YUYV => PixelFormat::Yuyv,
                _ => return None,
            };
            Some(FormatInfo {
                format,
                width: f.width(),
                height: f.height(),
                fps: f.frame_rate(),
            })
        })
        .collect()
}

/// nokhwa reports most failures as text from the OS; the OS's words tell busy from gone.
fn map_error(error: NokhwaError) -> CameraError {
    // The framework itself would not start (Media Foundation's `MFStartup`, COM): no camera of
    // this system can be used, whichever is chosen.
    if let NokhwaError::InitializeError { backend, error } = &error {
        return CameraError::CameraSystemUnavailable(format!("{backend}: {error}"));
    }
    let text = error.to_string();
    let lower = text.to_lowercase();
    if lower.contains("busy") {
        CameraError::Busy
    } else if lower.contains("permission")
        || lower.contains("denied")
        || lower.contains("not authorized")
    {
        CameraError::PermissionDenied
    } else if lower.contains("no such device")
        || lower.contains("disconnected")
        || lower.contains("enodev")
    {
        CameraError::Unplugged
    } else {
        CameraError::Device(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_camera_framework_that_does_not_start_is_told_apart_from_a_camera_that_fails() {
        // What nokhwa says when Media Foundation's MFStartup refuses (as under Wine).
        let refused = NokhwaError::InitializeError {
            backend: ApiBackend::MediaFoundation,
            error: "0xC00D36E3".into(),
        };
        let error = map_error(refused);
        assert!(
            matches!(&error, CameraError::CameraSystemUnavailable(why) if why.contains("0xC00D36E3")),
            "{error:?}"
        );
        assert_eq!(error.code().as_str(), "camera-system-unavailable");
        assert!(!error.may_recover());
        let busy = NokhwaError::OpenDeviceError("0".into(), "Device or resource busy".into());
        assert_eq!(map_error(busy), CameraError::Busy);
    }
}
