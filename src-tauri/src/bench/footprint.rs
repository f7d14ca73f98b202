//! The footprint benchmark (`--bench-footprint app|blank`): when the first screen is drawn, and
//! how much memory the app and its WebKit processes hold, beside a blank window of the same
//! binary, so that the framework's own cost is seen apart from the app's.
//! `scripts/bench-footprint.sh` starts it several times and prints the figures.
//!
//! The page says it has drawn its first screen by navigating to `humo-bench://drawn` two
//! animation frames after that screen is in the document; the window refuses the navigation and
//! notes the time. The app's first screen is the start screen with its "Open" button.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use humo_ident_core::config::DocumentKind;
use humo_ident_session::Session;
use tauri::webview::PageLoadEvent;
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder};

use super::procfs::{proportional_kb, resident_kb};
use crate::args::FootprintMode;

const SIGNAL_SCHEME: &str = "humo-bench";

/// When the page said it had drawn its first screen.
static DRAWN: OnceLock<SystemTime> = OnceLock::new();

/// The points of the app's start, in order, each with when it was reached (ms since the epoch).
static MARKS: Mutex<Vec<(String, u64)>> = Mutex::new(Vec::new());

/// Notes that the start has reached `name` (see `crate::startup_mark`).
pub fn mark(name: &'static str) {
    note(name.to_owned(), epoch_ms(SystemTime::now()));
}

fn note(name: String, at_ms: u64) {
    MARKS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((name, at_ms));
}

fn epoch_ms(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH)
        .map_or(0, |at| at.as_millis() as u64)
}

/// How long the first screen may take before the run is given up: a webview that died fails
/// the run within a minute instead of hanging it.
const DRAW_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether `url` is the page's signal (and notes it, with the page's own points in its query);
/// the window refuses that navigation.
pub fn is_signal(url: &url::Url) -> bool {
    if url.scheme() != SIGNAL_SCHEME {
        return false;
    }
    if DRAWN.set(SystemTime::now()).is_ok() {
        for (name, at) in url.query_pairs() {
            if let Ok(at_ms) = at.parse::<f64>() {
                note(format!("page: {name}"), at_ms.round() as u64);
            }
        }
    }
    true
}

/// Two animation frames after `ready` is in the document, the page navigates to the signal,
/// with the page's own points (ms since the epoch) in its query: its navigation's, the last of
/// its scripts and styles to arrive, and the UI's `performance.mark`s.
fn signal_script(ready: &str) -> String {
    format!(
        r#"(() => {{
  const ready = () => {ready};
  const points = () => {{
    const at = (ms) => String(performance.timeOrigin + ms);
    const found = {{ "navigation started": at(0) }};
    const [navigation] = performance.getEntriesByType("navigation");
    if (navigation) {{
      found["HTML received"] = at(navigation.responseEnd);
      found["DOM content loaded"] = at(navigation.domContentLoadedEventEnd);
    }}
    const resources = performance.getEntriesByType("resource");
    if (resources.length) found["scripts and styles received"] = at(Math.max(...resources.map((r) => r.responseEnd)));
    for (const mark of performance.getEntriesByType("mark")) found[mark.name] = at(mark.startTime);
    found["signalled"] = at(performance.now());
    return new URLSearchParams(found).toString();
  }};
  const signal = () => {{
    performance.mark("first screen in the document");
    requestAnimationFrame(() => {{
      performance.mark("first animation frame");
      requestAnimationFrame(() => {{
        location.href = "{SIGNAL_SCHEME}://drawn?" + points();
      }});
    }});
  }};
  if (ready()) return signal();
  const watcher = new MutationObserver(() => {{
    if (ready()) {{ watcher.disconnect(); signal(); }}
  }});
  watcher.observe(document.documentElement, {{ childList: true, subtree: true }});
}})();"#
    )
}

/// Adds the app's measurement to its builder: the start screen's signal, then the figures.
pub fn instrument<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.on_page_load(|webview, payload| {
        if webview.label() != crate::MAIN_WINDOW || payload.event() != PageLoadEvent::Finished {
            return;
        }
        let script = signal_script(r#"document.querySelector('[data-testid="open-link"]')"#);
        mark("page loaded");
        if let Err(error) = webview.eval(script) {
            fail(&format!("the signal could not be set up: {error}"));
        }
        tauri::async_runtime::spawn(measure(webview.app_handle().clone(), FootprintMode::App));
    })
}

/// A blank window of the same binary, measured as the app is: its page is an empty document
/// whose only script is the signal, served by a protocol of its own.
pub fn run_blank(compositing: humo_ident_core::config::Compositing, context: tauri::Context) {
    let page = format!(
        "<!doctype html><html><body><script>{}</script></body></html>",
        signal_script("true")
    );
    let result = tauri::Builder::default()
        .register_uri_scheme_protocol("blank", move |_, _| {
            tauri::http::Response::builder()
                .header("Content-Type", "text/html")
                .body(page.clone().into_bytes())
                .expect("a valid response")
        })
        .setup(move |app| {
            let blank = "blank://localhost/".parse().expect("a valid URL");
            let window = WebviewWindowBuilder::new(app, "blank", WebviewUrl::CustomProtocol(blank))
                .title("Humo Ident")
                .inner_size(1120.0, 740.0)
                .on_navigation(|url| !is_signal(url))
                .build()?;
            crate::display::apply(&window, compositing)?;
            mark("window built");
            tauri::async_runtime::spawn(measure(app.handle().clone(), FootprintMode::Blank));
            Ok(())
        })
        .run(context);
    if let Err(error) = result {
        fail(&format!("the blank window could not run: {error}"));
    }
}

/// Waits for the first screen, samples memory there, and for the app during a camera preview;
/// prints one JSON line and quits.
async fn measure<R: Runtime>(app: AppHandle<R>, mode: FootprintMode) {
    static STARTED: OnceLock<()> = OnceLock::new();
    if STARTED.set(()).is_err() {
        return; // a reload of the page
    }
    let waited = tokio::time::timeout(DRAW_TIMEOUT, async {
        while DRAWN.get().is_none() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    if waited.is_err() {
        fail("the first screen was not drawn within a minute");
    }
    let drawn_at_ms = DRAWN.get().copied().map_or(0, epoch_ms);
    let marks: serde_json::Map<String, serde_json::Value> = MARKS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(name, at_ms)| (name.clone(), (*at_ms).into()))
        .collect();
    // The start screen as a person finds it: settled, then watched for two seconds.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let start_screen = peak_memory(Duration::from_secs(2)).await;
    let preview = match mode {
        FootprintMode::App => Some(preview_memory(&app).await),
        FootprintMode::Blank => None,
    };
    let figures = serde_json::json!({
        "mode": match mode { FootprintMode::App => "app", FootprintMode::Blank => "blank" },
        "drawnAtEpochMs": drawn_at_ms,
        "marksEpochMs": marks,
        "startScreen": start_screen,
        "preview": preview,
    });
    println!("{figures}");
    app.exit(0);
}

/// The app's memory while a camera step shows its preview: the demo's link is opened and the
/// new passport chosen, as a person would, then the preview is watched for five seconds.
async fn preview_memory<R: Runtime>(app: &AppHandle<R>) -> serde_json::Value {
    let Some(session) = app.try_state::<Session>().map(|s| s.inner().clone()) else {
        fail("the app has no session");
    };
    let Some(link) = session.info().link else {
        fail("the footprint is measured in demo mode, which has a link to open");
    };
    if let Err(error) = session.open_link(link).await {
        fail(&format!("the demo's link was not opened: {error}"));
    }
    let chosen = tokio::time::timeout(Duration::from_secs(20), async {
        while session
            .choose_document(DocumentKind::New, None)
            .await
            .is_err()
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    if chosen.is_err() {
        fail("the document could not be chosen");
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    peak_memory(Duration::from_secs(5)).await
}

/// The peak memory over `duration`, sampled every 100 ms, in MB: resident (the app's, its
/// WebKit processes', both) and proportional (both).
async fn peak_memory(duration: Duration) -> serde_json::Value {
    let (mut app_kb, mut web_kb, mut total_kb, mut pss_kb) = (0, 0, 0, 0);
    let until = tokio::time::Instant::now() + duration;
    while tokio::time::Instant::now() < until {
        let (app, web) = resident_kb();
        app_kb = app_kb.max(app);
        web_kb = web_kb.max(web);
        total_kb = total_kb.max(app + web);
        pss_kb = pss_kb.max(proportional_kb());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mb = |kb: u64| (kb as f64 / 1024.0 * 10.0).round() / 10.0;
    serde_json::json!({
        "appMb": mb(app_kb),
        "webMb": mb(web_kb),
        "totalMb": mb(total_kb),
        "pssMb": mb(pss_kb),
    })
}

fn fail(message: &str) -> ! {
    eprintln!("footprint benchmark: {message}");
    std::process::exit(1);
}
