//! The LUNA PASS screen's page: the one place the app's policy opens to remote origins, and the
//! one place the webview may use the camera.
//!
//! The vendor's library runs in `luna-pass.html`, a page of the app's own. That page alone gets
//! a content security policy that admits the configured script and WebSocket origins; every
//! other page keeps the strict one from `tauri.conf.json`. The webview is granted the camera
//! only for that page, only for video, and only while the session has lent it the camera. And
//! since the vendor's script shares that page, the page may call only the few commands the face
//! check needs.

use humo_ident_core::config::LunaPassEndpoints;
use tauri::http::{HeaderValue, Request, Response};

/// The page's path among the app's assets.
pub const PAGE: &str = "/luna-pass.html";

const CSP: &str = "Content-Security-Policy";

/// Widens the policy of the LUNA PASS page; leaves every other response alone.
pub fn on_resource(
    endpoints: Option<&LunaPassEndpoints>,
    request: &Request<Vec<u8>>,
    response: &mut Response<std::borrow::Cow<'static, [u8]>>,
) {
    if request.uri().path() != PAGE {
        return;
    }
    let Some(policy) = response.headers().get(CSP).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let widened = match endpoints {
        Some(endpoints) => widen(policy, endpoints),
        None => policy.to_owned(),
    };
    if let Ok(value) = HeaderValue::from_str(&widened) {
        response.headers_mut().insert(CSP, value);
    }
}

/// `policy` with the library's own address (not its whole origin) added to `script-src`, both
/// origins to `connect-src`, and the camera's stream allowed as media.
pub fn widen(policy: &str, endpoints: &LunaPassEndpoints) -> String {
    let mut directives: Vec<(String, Vec<String>)> = policy
        .split(';')
        .filter_map(|directive| {
            let mut words = directive.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_owned).collect()))
        })
        .collect();
    let defaults = directives
        .iter()
        .find(|(name, _)| name == "default-src")
        .map(|(_, values)| values.clone())
        .unwrap_or_else(|| vec!["'self'".to_owned()]);
    let mut add = |name: &str, extra: &[&str]| {
        let index = match directives.iter().position(|(n, _)| n == name) {
            Some(index) => index,
            None => {
                directives.push((name.to_owned(), defaults.clone()));
                directives.len() - 1
            }
        };
        let values = &mut directives[index].1;
        values.retain(|v| v != "'none'");
        for value in extra {
            if !values.iter().any(|v| v == value) {
                values.push((*value).to_owned());
            }
        }
    };
    add("script-src", &[&endpoints.script_url]);
    add(
        "connect-src",
        &[&endpoints.ws_origin, &endpoints.script_origin],
    );
    add("media-src", &["'self'", "blob:", "mediastream:"]);
    add("img-src", &["blob:", "data:"]);
    directives
        .into_iter()
        .map(|(name, values)| format!("{name} {}", values.join(" ")))
        .collect::<Vec<_>>()
        .join("; ")
}

/// What the LUNA PASS page may call: its view and the flow's state, the library's result, and
/// giving up. Nothing that opens links, takes or sends photos, or writes the configuration.
pub(crate) const PAGE_COMMANDS: &[&str] = &[
    "app_info",
    "subscribe",
    "luna_pass_result",
    "cancel",
    "activity",
    "demo_fault",
];

/// Whether a page may call `command`: the wizard may call any of the app's commands, the LUNA
/// PASS page (or a page whose address is not known) only [`PAGE_COMMANDS`].
pub fn command_allowed(command: &str, page: Option<&str>) -> bool {
    match page {
        Some(page) if !is_page(page) => true,
        _ => PAGE_COMMANDS.contains(&command),
    }
}

/// Whether a page address is the LUNA PASS page of the app.
pub fn is_page(address: &str) -> bool {
    url::Url::parse(address).is_ok_and(|url| crate::links::is_app_page(&url) && url.path() == PAGE)
}

/// Whether the webview may have what it asked for (`(video, audio)` devices; `None` for any
/// other permission): the camera alone, on the LUNA PASS page, while the session lends it.
pub fn may_use_camera(page: Option<&str>, lent: bool, asked: Option<(bool, bool)>) -> bool {
    let on_page = page.is_some_and(is_page);
    on_page && lent && asked == Some((true, false))
}

/// Lets the webview open the camera on the LUNA PASS page, while the session lends it.
#[cfg(target_os = "linux")]
pub fn allow_camera(
    window: &tauri::WebviewWindow,
    session: humo_ident_session::Session,
    mock_camera: bool,
) -> tauri::Result<()> {
    use webkit2gtk::glib::prelude::{Cast, ObjectExt};
    use webkit2gtk::{
        DeviceInfoPermissionRequest, PermissionRequestExt, SettingsExt, UserMediaPermissionRequest,
        UserMediaPermissionRequestExt, WebViewExt,
    };

    window.with_webview(move |webview| {
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_media_stream(true);
            // WebKit's own test camera, for the end-to-end tests on machines without one.
            settings.set_enable_mock_capture_devices(mock_camera);
        }
        view.connect_permission_request(move |view, request| {
            let asked = match request.downcast_ref::<UserMediaPermissionRequest>() {
                Some(media) => Some((media.is_for_video_device(), media.is_for_audio_device())),
                // The list of cameras, which the library may read before choosing one.
                None if request.is::<DeviceInfoPermissionRequest>() => Some((true, false)),
                None => None,
            };
            let page = view.uri();
            let lent = session.camera_lent_to_webview();
            if may_use_camera(page.as_deref(), lent, asked) {
                request.allow();
            } else {
                tracing::warn!(lent, ?asked, "a webview permission was refused");
                request.deny();
            }
            true
        });
    })
}

/// Other systems' webviews ask the person themselves.
#[cfg(not(target_os = "linux"))]
pub fn allow_camera(
    _window: &tauri::WebviewWindow,
    _session: humo_ident_session::Session,
    _mock_camera: bool,
) -> tauri::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints() -> LunaPassEndpoints {
        LunaPassEndpoints {
            script_url: "https://lp.bank.example/sdk/luna-pass.js".into(),
            script_origin: "https://lp.bank.example".into(),
            ws_url: "wss://lp-ws.bank.example/ws".into(),
            ws_origin: "wss://lp-ws.bank.example".into(),
            script_integrity: None,
        }
    }

    #[test]
    fn the_page_admits_the_library_and_its_server_and_nothing_else_changes() {
        let policy = "default-src 'self'; script-src 'self' 'sha256-abc'; \
                      connect-src 'self' ipc: http://ipc.localhost; object-src 'none'; \
                      frame-src 'none'";
        let widened = widen(policy, &endpoints());
        // The library's own file, not every script of its origin.
        assert!(widened
            .contains("script-src 'self' 'sha256-abc' https://lp.bank.example/sdk/luna-pass.js;"));
        assert!(widened.contains(
            "connect-src 'self' ipc: http://ipc.localhost wss://lp-ws.bank.example https://lp.bank.example;"
        ));
        assert!(widened.contains("media-src 'self' blob: mediastream:"));
        assert!(widened.contains("object-src 'none'"));
        assert!(widened.contains("frame-src 'none'"));
        assert!(!widened.contains("unsafe"));
    }

    #[test]
    fn only_the_luna_pass_page_is_widened() {
        let mut response = Response::new(std::borrow::Cow::Borrowed(&b""[..]));
        response
            .headers_mut()
            .insert(CSP, HeaderValue::from_static("default-src 'self'"));
        let index = Request::get("tauri://localhost/index.html")
            .body(Vec::new())
            .unwrap();
        on_resource(Some(&endpoints()), &index, &mut response);
        assert_eq!(response.headers()[CSP], "default-src 'self'");
        let page = Request::get("tauri://localhost/luna-pass.html")
            .body(Vec::new())
            .unwrap();
        on_resource(Some(&endpoints()), &page, &mut response);
        assert!(response.headers()[CSP]
            .to_str()
            .unwrap()
            .contains("script-src 'self' https://lp.bank.example"));
    }

    #[test]
    fn the_camera_goes_to_the_luna_pass_page_alone_while_it_is_lent() {
        let page = Some("tauri://localhost/luna-pass.html?lang=tg");
        assert!(may_use_camera(page, true, Some((true, false))));
        assert!(
            !may_use_camera(page, false, Some((true, false))),
            "not lent"
        );
        assert!(
            !may_use_camera(page, true, Some((true, true))),
            "the microphone"
        );
        assert!(
            !may_use_camera(page, true, Some((false, true))),
            "the microphone"
        );
        assert!(!may_use_camera(page, true, None), "another permission");
        for other in [
            Some("tauri://localhost/index.html"),
            Some("https://lp.bank.example/luna-pass.html"),
            None,
        ] {
            assert!(
                !may_use_camera(other, true, Some((true, false))),
                "{other:?}"
            );
        }
    }

    #[test]
    fn the_luna_pass_page_calls_only_what_the_liveness_check_needs() {
        let wizard = Some("tauri://localhost/index.html?lang=ru");
        let page = Some("tauri://localhost/luna-pass.html?lang=ru");
        for command in [
            "open_link",
            "use_photo",
            "choose_camera",
            "reset",
            "app_info",
        ] {
            assert!(command_allowed(command, wizard), "{command}");
        }
        for command in ["luna_pass_result", "subscribe", "cancel", "app_info"] {
            assert!(command_allowed(command, page), "{command}");
            assert!(command_allowed(command, None), "{command}");
        }
        for command in [
            "open_link",
            "use_photo",
            "choose_camera",
            "reset",
            "continue_flow",
        ] {
            assert!(!command_allowed(command, page), "{command}");
            assert!(!command_allowed(command, None), "{command}");
        }
    }

    #[test]
    fn the_page_is_recognised_on_the_app_origin_only() {
        assert!(is_page("tauri://localhost/luna-pass.html"));
        assert!(is_page("http://tauri.localhost/luna-pass.html?lang=ru"));
        assert!(!is_page("tauri://localhost/index.html"));
        assert!(!is_page("https://evil.example/luna-pass.html"));
    }
}
