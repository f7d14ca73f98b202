//! The commands the UI may call: each hands the person's choice to the session, nothing more.

use std::sync::Arc;

use humo_ident_session::events::{
    AppEvent, AppInfo, CameraId, CameraOption, Language, LunaPassView,
};
use humo_ident_session::{DemoFault, Session, SessionError};
use tauri::ipc::{Channel, InvokeBody, Request};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_opener::OpenerExt;

use humo_ident_core::config::DocumentKind;

type Result<T = ()> = std::result::Result<T, SessionError>;

/// What the wizard needs at start.
#[tauri::command]
pub fn app_info(session: State<'_, Session>) -> AppInfo {
    session.info()
}

/// Streams every event on `channel`. The first messages are the current state, so a reloaded
/// UI carries on where it was.
#[tauri::command]
pub async fn subscribe(session: State<'_, Session>, channel: Channel<AppEvent>) -> Result {
    session
        .subscribe(Arc::new(move |event| {
            if let Err(error) = channel.send(event) {
                tracing::debug!("an event did not reach the UI: {error}");
            }
        }))
        .await
}

#[tauri::command]
pub async fn open_link(session: State<'_, Session>, text: String) -> Result {
    session.open_link(text).await
}

#[tauri::command]
pub async fn choose_document(
    session: State<'_, Session>,
    kind: DocumentKind,
    tax_number: Option<String>,
) -> Result {
    session.choose_document(kind, tax_number).await
}

#[tauri::command]
pub async fn scan_code(session: State<'_, Session>, on: bool) -> Result {
    session.scan_code(on).await
}

#[tauri::command]
pub async fn take_photo(session: State<'_, Session>) -> Result {
    session.take_photo().await
}

#[tauri::command]
pub async fn set_auto_capture(session: State<'_, Session>, on: bool) -> Result {
    session.set_auto_capture(on).await
}

#[tauri::command]
pub async fn use_photo(session: State<'_, Session>) -> Result {
    session.use_photo().await
}

#[tauri::command]
pub async fn retake(session: State<'_, Session>) -> Result {
    session.retake().await
}

/// A photo file chosen in the UI, sent as the raw request body (no JSON, no base64).
#[tauri::command]
pub async fn use_photo_file(session: State<'_, Session>, request: Request<'_>) -> Result {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(humo_ident_core::Error::InvalidImage("no file was sent".into()).into());
    };
    session.use_photo_file(bytes.clone()).await
}

/// Opens the LUNA PASS webview (or brings it forward) in the wizard's language, while
/// the flow is at a LUNA PASS selfie.
#[tauri::command]
pub async fn show_luna_pass<R: Runtime>(app: AppHandle<R>, language: Language) -> Result {
    crate::luna_pass::show(&app, language).await
}

/// The LUNA PASS webview's whole feed: the LUNA PASS screen (the library's addresses, how the last
/// check went), then each change of it, ending with `null` when it closes. Nothing of the link,
/// the photos or the bank's results travels on it.
#[tauri::command]
pub fn luna_pass_feed(session: State<'_, Session>, channel: Channel<Option<LunaPassView>>) {
    let mut screen = session.luna_pass_screen();
    tauri::async_runtime::spawn(async move {
        loop {
            let view = screen.borrow_and_update().clone();
            let closed = view.is_none();
            if channel.send(view).is_err() || closed || screen.changed().await.is_err() {
                break;
            }
        }
    });
}

/// What the LUNA PASS library handed to `onSuccess`: its token, uploaded unchanged if it passed.
#[tauri::command]
pub async fn luna_pass_result(session: State<'_, Session>, jwt: String) -> Result {
    session.luna_pass_result(jwt).await
}

#[tauri::command]
pub async fn cameras(session: State<'_, Session>) -> Result<Vec<CameraOption>> {
    session.cameras().await
}

/// The webview names a camera only by an id from the list `cameras` gave it.
#[tauri::command]
pub async fn choose_camera(session: State<'_, Session>, id: CameraId) -> Result {
    session.choose_camera(id).await
}

#[tauri::command]
pub async fn retry(session: State<'_, Session>) -> Result {
    session.retry().await
}

#[tauri::command]
pub async fn continue_flow(session: State<'_, Session>) -> Result {
    session.continue_flow().await
}

#[tauri::command]
pub async fn back(session: State<'_, Session>) -> Result {
    session.back().await
}

#[tauri::command]
pub async fn cancel(session: State<'_, Session>) -> Result {
    session.cancel().await
}

#[tauri::command]
pub async fn reset(session: State<'_, Session>) -> Result {
    session.reset().await
}

#[tauri::command]
pub async fn activity(session: State<'_, Session>) -> Result {
    session.activity().await
}

/// Opens the bank's page (`home_page`) with the system, outside the app's window.
#[tauri::command]
pub async fn open_home_page<R: Runtime>(app: AppHandle<R>, session: State<'_, Session>) -> Result {
    // The session hands over only a page or app the configuration trusts.
    let url = session.home_page().await?;
    app.opener().open_url(url, None::<&str>).map_err(|error| {
        tracing::warn!("the system did not open the bank's page: {error}");
        SessionError::NoHomePage
    })
}

#[tauri::command]
pub async fn demo_fault(session: State<'_, Session>, fault: DemoFault) -> Result {
    session.demo_fault(fault).await
}
