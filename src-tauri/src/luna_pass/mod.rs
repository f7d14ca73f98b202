//! The LUNA PASS webview: the one place the vendor's library runs, the one
//! place the app's policy opens to remote origins, and the one place the webview may use the
//! camera.
//!
//! The vendor's script is third-party code, so it never shares the wizard's webview. It runs in
//! a window labelled [`LABEL`], on a page the app serves from a scheme of its own
//! ([`page::SCHEME`]), so its storage is apart from the wizard's and is wiped when the window
//! closes. Its capability grants it a few commands of its own, and every command decides by
//! the calling webview's label ([`policy::Caller`]), which no script can change.

mod camera;
pub mod page;
pub mod policy;

use humo_ident_session::events::Language;
use humo_ident_session::{Session, SessionError};
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindow, WebviewWindowBuilder};

/// The LUNA PASS webview's label (its window's too): what identifies it to the scheme, the
/// commands and the camera's permission.
pub const LABEL: &str = "luna-pass";

/// How the LUNA PASS webview's window is made: set once at start.
#[derive(Debug, Clone, Copy)]
pub struct WindowSettings {
    /// Full screen above the wizard, and it cannot be closed by hand.
    pub kiosk: bool,
    /// WebKit's test camera stands in for a real one (demo mode's end-to-end tests).
    pub mock_camera: bool,
    /// WebKit's accelerated compositing, as for the wizard's window.
    pub compositing: humo_ident_core::config::Compositing,
}

/// Opens the LUNA PASS webview, or brings it forward, while the session shows the LUNA PASS
/// screen. The browsing data is wiped before its page exists: whatever a page wrote while the
/// last window was going (or before a crash) never reaches this one.
pub async fn show<R: Runtime>(app: &AppHandle<R>, language: Language) -> Result<(), SessionError> {
    // One at a time: the wizard asks as its screen shows, and again on the person's press.
    static OPENING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    let _opening = OPENING.lock().await;
    let session = app.state::<Session>().inner().clone();
    if !session.camera_lent_to_webview() {
        return Err(SessionError::NoLivenessCheck);
    }
    if let Some(window) = app.get_webview_window(LABEL) {
        let _ = window.unminimize();
        let _ = window.set_focus();
        return Ok(());
    }
    if let Some(wizard) = app.get_webview_window(crate::MAIN_WINDOW) {
        let (cleared, wiped) = tokio::sync::oneshot::channel();
        crate::browsing_data::clear_then(&wizard, move |_| {
            let _ = cleared.send(());
        });
        let _ = wiped.await;
    }
    let settings = *app.state::<WindowSettings>();
    open(app, language, settings, session.clone()).map_err(|error| {
        tracing::warn!("the LUNA PASS webview did not open: {error}");
        SessionError::WindowNotOpened
    })?;
    // The screen may have closed while the window was being made: the watch that closes the
    // window saw no window then, and will not fire again.
    if !session.camera_lent_to_webview() {
        close(app);
    }
    Ok(())
}

fn open<R: Runtime>(
    app: &AppHandle<R>,
    language: Language,
    settings: WindowSettings,
    session: Session,
) -> tauri::Result<()> {
    let url = page::url(language, settings.kiosk);
    let lending = session.clone();
    let builder = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::CustomProtocol(url))
        .title("Humo Ident · LUNA PASS")
        .inner_size(960.0, 720.0)
        .min_inner_size(640.0, 560.0)
        .fullscreen(settings.kiosk)
        .decorations(!settings.kiosk)
        .always_on_top(settings.kiosk)
        .on_navigation(|url| {
            let allowed = page::is_page(url);
            if !allowed {
                tracing::warn!("the LUNA PASS webview may not go to {}", url.scheme());
            }
            allowed
        });
    // Where the wipe before the window closes cannot be waited for (macOS), and as a second
    // guard where it can (Windows), the vendor's page keeps nothing on disk: its storage dies
    // with the window. Linux's wipe is awaited (browsing_data.rs).
    #[cfg(not(target_os = "linux"))]
    let builder = builder.incognito(true);
    let builder = if settings.kiosk {
        crate::kiosk::without_file_pickers(builder)
    } else {
        builder
    };
    // No new windows or downloads; the camera only while the session lends it.
    let mut builder = crate::confined::confined(builder, move || lending.camera_lent_to_webview());
    if let Some(wizard) = app.get_webview_window(crate::MAIN_WINDOW) {
        builder = builder.parent(&wizard)?;
    }
    let window = builder.build()?;
    crate::display::apply(&window, settings.compositing)?;
    camera::allow(&window, session, settings.mock_camera)?;
    if settings.kiosk {
        crate::kiosk::refuse_file_chooser(&window)?;
    }
    let closing = window.clone();
    window.on_window_event(move |event| {
        if let tauri::WindowEvent::CloseRequested { api, .. } = event {
            // The window goes only once its data is wiped; at a kiosk only the flow closes it
            // (`close`), never the person.
            api.prevent_close();
            if !settings.kiosk {
                wipe_and_destroy(closing.clone());
            }
        }
    });
    Ok(())
}

/// The wizard's webview is never granted the camera, the microphone or any other permission.
pub fn refuse_permissions<R: Runtime>(wizard: &WebviewWindow<R>) -> tauri::Result<()> {
    camera::refuse_all(wizard)
}

/// Wipes what the LUNA PASS webview's page stored and closes its window, if it is open.
pub fn close<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(LABEL) {
        wipe_and_destroy(window);
    }
}

/// Clears the browsing data (storage, cookies, cache) the vendor's page may have left, then
/// destroys the window. WebKit clears the whole context, the wizard's included; the wizard
/// keeps nothing there.
fn wipe_and_destroy<R: Runtime>(window: WebviewWindow<R>) {
    crate::browsing_data::clear_then(&window, destroy);
}

fn destroy<R: Runtime>(window: &WebviewWindow<R>) {
    if let Err(error) = window.destroy() {
        tracing::warn!("the LUNA PASS webview did not close: {error}");
    }
}

/// Closes the LUNA PASS webview whenever the session stops showing the LUNA PASS screen
/// (passed, cancelled, reset, timed out), whichever page asked for it.
pub fn close_when_done<R: Runtime>(app: AppHandle<R>, session: &Session) {
    let mut screen = session.luna_pass_screen();
    tauri::async_runtime::spawn(async move {
        loop {
            if screen.borrow_and_update().is_none() {
                close(&app);
            }
            if screen.changed().await.is_err() {
                break;
            }
        }
    });
}
