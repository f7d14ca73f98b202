//! The LUNA PASS webview may open the camera, for video only, while the session lends it.
//! The handler is connected to that webview alone; the wizard's refuses every request.

use humo_ident_session::Session;
use tauri::{Runtime, WebviewWindow};

#[cfg(target_os = "linux")]
use super::policy::{may_use_camera, Caller};

/// Lets the LUNA PASS webview open the camera while the session lends it.
#[cfg(target_os = "linux")]
pub fn allow<R: Runtime>(
    window: &WebviewWindow<R>,
    session: Session,
    mock_camera: bool,
) -> tauri::Result<()> {
    use webkit2gtk::{SettingsExt, WebViewExt};

    let caller = Caller::of(window.label());
    window.with_webview(move |webview| {
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
            // WebKit's own test camera, for the end-to-end tests on machines without one.
            settings.set_enable_mock_capture_devices(mock_camera);
        }
        view.connect_permission_request(move |_, request| {
            decide(request, |asked| {
                may_use_camera(caller, session.camera_lent_to_webview(), asked)
            })
        });
    })
}

/// The wizard's webview: no camera, no microphone, no other permission, ever.
#[cfg(target_os = "linux")]
pub fn refuse_all<R: Runtime>(window: &WebviewWindow<R>) -> tauri::Result<()> {
    use webkit2gtk::WebViewExt;
    window.with_webview(|webview| {
        webview
            .inner()
            .connect_permission_request(|_, request| decide(request, |_| false));
    })
}

/// Answers one permission request: `allowed` is given `(video, audio)` for a device request,
/// `None` for any other permission.
#[cfg(target_os = "linux")]
fn decide(
    request: &webkit2gtk::PermissionRequest,
    allowed: impl Fn(Option<(bool, bool)>) -> bool,
) -> bool {
    use webkit2gtk::glib::prelude::{Cast, ObjectExt};
    use webkit2gtk::{
        DeviceInfoPermissionRequest, PermissionRequestExt, UserMediaPermissionRequest,
        UserMediaPermissionRequestExt,
    };
    let asked = match request.downcast_ref::<UserMediaPermissionRequest>() {
        Some(media) => Some((media.is_for_video_device(), media.is_for_audio_device())),
        // The list of cameras, which the library may read before choosing one.
        None if request.is::<DeviceInfoPermissionRequest>() => Some((true, false)),
        None => None,
    };
    if allowed(asked) {
        request.allow();
    } else {
        tracing::warn!(?asked, "a webview permission was refused");
        request.deny();
    }
    true
}

/// Other systems' webviews ask the person themselves.
#[cfg(not(target_os = "linux"))]
pub fn allow<R: Runtime>(
    _window: &WebviewWindow<R>,
    _session: Session,
    _mock_camera: bool,
) -> tauri::Result<()> {
    Ok(())
}

/// Other systems' webviews ask the person themselves.
#[cfg(not(target_os = "linux"))]
pub fn refuse_all<R: Runtime>(_window: &WebviewWindow<R>) -> tauri::Result<()> {
    Ok(())
}
