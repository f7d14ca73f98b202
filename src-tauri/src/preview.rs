//! The `preview` protocol: the webview pulls the newest camera frame as raw JPEG bytes
//! (`preview://localhost/frame?after=N`), and the still under review (`…/still?id=ID`).
//!
//! A frame request waits until a frame newer than `after` exists (or a second passes, then
//! 204), so the UI asks for the next frame only once it has drawn the last: back-pressure for
//! free, no base64, no events, no local port.

use std::time::Duration;

use humo_ident_session::preview::PreviewSlot;
use humo_ident_session::Session;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

/// The protocol's name.
pub const SCHEME: &str = "preview";
/// The origin that may read the protocol's answers: the app's own pages.
const APP_ORIGIN: &str = if cfg!(any(windows, target_os = "android")) {
    "http://tauri.localhost"
} else {
    "tauri://localhost"
};
/// How long a frame request waits for a new frame before answering "none yet".
const WAIT: Duration = Duration::from_secs(1);

/// Where the protocol reads frames from: the session's, or the benchmark's own.
#[derive(Clone)]
pub struct PreviewSource(pub PreviewSlot);

/// The webviews the protocol answers: the wizard, and the benchmark's window (which exists
/// only in the benchmark's own run). Never the LUNA PASS webview, where the vendor's script runs.
fn serves(label: &str) -> bool {
    label == crate::MAIN_WINDOW || (cfg!(feature = "bench") && label == BENCH_WINDOW)
}

/// The benchmark window's label.
pub const BENCH_WINDOW: &str = "bench";

/// Answers one request of the protocol.
pub fn handle<R: Runtime>(
    context: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    if !serves(context.webview_label()) {
        tracing::warn!("the preview was asked for by another webview");
        responder.respond(empty(StatusCode::FORBIDDEN));
        return;
    }
    let app = context.app_handle().clone();
    let uri = request.uri().clone();
    let origin = allowed_origin(request.headers().get(header::ORIGIN));
    tauri::async_runtime::spawn(async move {
        let number = |name: &str| -> Option<u64> {
            uri.query()?
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))?
                .parse()
                .ok()
        };
        let response = match uri.path().trim_start_matches('/') {
            "frame" => match app.try_state::<PreviewSource>() {
                Some(source) => frame_after(source.0.clone(), number("after").unwrap_or(0)).await,
                None => empty(StatusCode::NOT_FOUND),
            },
            "still" => {
                let still =
                    number("id").and_then(|id| app.try_state::<Session>()?.review_image(id));
                match still {
                    Some(jpeg) => jpeg_response(jpeg.to_vec(), Vec::new()),
                    None => empty(StatusCode::NOT_FOUND),
                }
            }
            _ => empty(StatusCode::NOT_FOUND),
        };
        let mut response = response;
        response
            .headers_mut()
            .insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        responder.respond(response);
    });
}

/// The app's own origin, or the page's when it is an app page too (the dev server in a debug
/// build): never `*`.
fn allowed_origin(origin: Option<&header::HeaderValue>) -> header::HeaderValue {
    let app_page = origin
        .and_then(|value| url::Url::parse(value.to_str().ok()?).ok())
        .is_some_and(|url| crate::links::is_app_page(&url));
    match origin {
        Some(origin) if app_page => origin.clone(),
        _ => header::HeaderValue::from_static(APP_ORIGIN),
    }
}

async fn frame_after(mut slot: PreviewSlot, after: u64) -> Response<Vec<u8>> {
    let newer = |frame: &Option<std::sync::Arc<humo_ident_session::preview::PreviewFrame>>| {
        frame.as_ref().is_some_and(|f| f.sequence > after)
    };
    let found = tokio::time::timeout(WAIT, slot.wait_for(newer)).await;
    let frame = match found {
        Ok(Ok(frame)) => frame.clone(),
        _ => None,
    };
    match frame {
        Some(frame) => jpeg_response(
            frame.jpeg.to_vec(),
            vec![
                ("x-frame-sequence", frame.sequence.to_string()),
                ("x-captured-at", format!("{:.3}", frame.captured_at_ms)),
                ("x-frame-width", frame.width.to_string()),
                ("x-frame-height", frame.height.to_string()),
            ],
        ),
        None => empty(StatusCode::NO_CONTENT),
    }
}

fn jpeg_response(body: Vec<u8>, headers: Vec<(&'static str, String)>) -> Response<Vec<u8>> {
    let mut builder = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "image/jpeg")
        .header(header::CACHE_CONTROL, "no-store")
        .header(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            "x-frame-sequence, x-captured-at, x-frame-width, x-frame-height",
        );
    for (name, value) in headers {
        builder = builder.header(name, value);
    }
    builder
        .body(body)
        .unwrap_or_else(|_| empty(StatusCode::INTERNAL_SERVER_ERROR))
}

fn empty(status: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = status;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_wizard_gets_frames_and_stills() {
        assert!(serves("main"));
        assert!(!serves("luna-pass"));
        assert!(!serves(""));
        assert!(!serves("main2"));
    }

    #[test]
    fn answers_name_the_apps_origin_not_every_origin() {
        let named = |origin: Option<&str>| {
            let value = origin.map(|o| header::HeaderValue::from_str(o).unwrap());
            allowed_origin(value.as_ref())
        };
        assert_eq!(named(None), APP_ORIGIN);
        assert_eq!(named(Some("luna-pass://localhost")), APP_ORIGIN);
        assert_eq!(named(Some("https://evil.example")), APP_ORIGIN);
        assert_eq!(named(Some(APP_ORIGIN)), APP_ORIGIN);
        assert_eq!(named(Some(&crate::links::own_origin("tauri"))), APP_ORIGIN);
        assert!(crate::links::is_app_page(
            &url::Url::parse(APP_ORIGIN).unwrap()
        ));
    }
}
