//! Clearing a webview's browsing data, and acting once it is cleared: a page reloaded or a
//! window closed sooner may outlive the wipe (what a page put in `localStorage` survives).

use tauri::{Runtime, WebviewWindow};

/// Clears the browsing data (storage, cookies, cache) of `window`'s webview context, then runs
/// `then`, also when the clearing failed (which is logged).
#[cfg(target_os = "linux")]
pub fn clear_then<R: Runtime>(
    window: &WebviewWindow<R>,
    then: impl FnOnce(&WebviewWindow<R>) + Send + 'static,
) {
    use webkit2gtk::gio::Cancellable;
    use webkit2gtk::glib::TimeSpan;
    use webkit2gtk::{WebContextExt, WebViewExt, WebsiteDataManagerExtManual, WebsiteDataTypes};

    // `then` runs once: from WebKit's callback, or here if the webview could not be reached.
    let (run, on_main_thread) = once(window, then);
    let started = window.with_webview(move |webview| {
        let manager = webview
            .inner()
            .context()
            .and_then(|context| context.website_data_manager());
        let Some(manager) = manager else {
            tracing::warn!("a webview's browsing data could not be reached");
            return on_main_thread();
        };
        manager.clear(
            WebsiteDataTypes::ALL,
            TimeSpan::from_seconds(0),
            None::<&Cancellable>,
            move |cleared| {
                if let Err(error) = cleared {
                    tracing::warn!("a webview's browsing data was not cleared: {error}");
                }
                on_main_thread();
            },
        );
    });
    if let Err(error) = started {
        tracing::warn!("a webview's browsing data was not cleared: {error}");
        run();
    }
}

/// WebView2 clears its profile's data and says when it is done (`ClearBrowsingDataAll`); `then`
/// runs from that answer, so the kiosk's reload and a closed LUNA PASS window never race the
/// wipe.
#[cfg(windows)]
pub fn clear_then<R: Runtime>(
    window: &WebviewWindow<R>,
    then: impl FnOnce(&WebviewWindow<R>) + Send + 'static,
) {
    use webview2_com::ClearBrowsingDataCompletedHandler;
    use webview2_com::Microsoft::Web::WebView2::Win32::{ICoreWebView2Profile2, ICoreWebView2_13};
    use windows_core::Interface;

    let (run, on_main_thread) = once(window, then);
    let started = window.with_webview(move |webview| {
        let done = on_main_thread.clone();
        // SAFETY: COM calls on the webview's own thread (with_webview runs there), on
        // interfaces the controller hands out.
        let cleared = unsafe {
            webview
                .controller()
                .CoreWebView2()
                .and_then(|core| core.cast::<ICoreWebView2_13>())
                .and_then(|core| core.Profile())
                .and_then(|profile| profile.cast::<ICoreWebView2Profile2>())
                .and_then(|profile| {
                    profile.ClearBrowsingDataAll(&ClearBrowsingDataCompletedHandler::create(
                        Box::new(move |result| {
                            if let Err(error) = result {
                                tracing::warn!(
                                    "a webview's browsing data was not cleared: {error}"
                                );
                            }
                            done();
                            Ok(())
                        }),
                    ))
                })
        };
        if let Err(error) = cleared {
            tracing::warn!("a webview's browsing data was not cleared: {error}");
            on_main_thread();
        }
    });
    if let Err(error) = started {
        tracing::warn!("a webview's browsing data was not cleared: {error}");
        run();
    }
}

/// `then` as a function that runs it once, whichever of its callers comes first, and a clone of
/// it for the webview's callback.
#[cfg(any(target_os = "linux", windows))]
fn once<R: Runtime>(
    window: &WebviewWindow<R>,
    then: impl FnOnce(&WebviewWindow<R>) + Send + 'static,
) -> (
    impl Fn() + Clone + Send + 'static,
    impl Fn() + Clone + Send + 'static,
) {
    use std::sync::{Arc, Mutex};
    let then = Arc::new(Mutex::new(Some(then)));
    let window = window.clone();
    let run = move || {
        let then = then.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(then) = then {
            then(&window);
        }
    };
    (run.clone(), run)
}

/// macOS's WKWebView clears without a completion the shell can wait for: clear, then act. Its
/// LUNA PASS webview keeps nothing on disk (`luna_pass::window`), so a closed window leaves
/// nothing behind; at a kiosk the wizard's reload may still race the wipe (docs/DEPLOYMENT.md).
#[cfg(not(any(target_os = "linux", windows)))]
pub fn clear_then<R: Runtime>(
    window: &WebviewWindow<R>,
    then: impl FnOnce(&WebviewWindow<R>) + Send + 'static,
) {
    if let Err(error) = window.clear_all_browsing_data() {
        tracing::warn!("a webview's browsing data was not cleared: {error}");
    }
    then(window);
}
