//! The benchmarks that need the real webview (the `bench` feature; never in the bank's build).
//!
//! This file is the preview benchmark: the synthetic camera at 1280×720 MJPEG, 30 fps, drawn by
//! the UI's bench page (`#bench-pull` or `#bench-events`) for a set time. The page measures
//! frames drawn and capture-to-draw latency; this side measures the CPU time and peak memory of
//! the app and its WebKit processes, prints one JSON line and quits. [`footprint`] is the start
//! time and memory of the app beside a blank window.

pub mod footprint;
mod procfs;

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use humo_ident_camera::capture::Capture;
use humo_ident_camera::scene::CardSide;
use humo_ident_camera::source::{self, DeviceChoice, Purpose, SyntheticScene};
use humo_ident_session::preview::{publish_frames, wall_clock_ms};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, State, WebviewUrl, WebviewWindowBuilder};
use tokio::sync::watch;

use crate::args::BenchTransport;
use crate::preview::{self, PreviewSource};
use procfs::{process_times, resident_kb, ProcessTimes};

/// What the bench page measured.
#[derive(Debug, Deserialize, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BenchReport {
    seconds: f64,
    #[ts(type = "number")]
    frames_drawn: u64,
    latency_p50_ms: f64,
    latency_p95_ms: f64,
    /// Median time from asking for a frame to having its bytes (pull only).
    fetch_p50_ms: f64,
    /// Median time to decode a frame.
    decode_p50_ms: f64,
}

/// CPU and memory of the app's processes, sampled while the page measures.
#[derive(Default)]
struct Usage {
    started: Option<(Instant, ProcessTimes)>,
    peak_app_kb: u64,
    peak_web_kb: u64,
}

struct BenchState {
    transport: BenchTransport,
    seconds: u64,
    usage: Arc<Mutex<Usage>>,
}

/// Runs the benchmark and exits the process with its figures on stdout.
pub fn run(
    transport: BenchTransport,
    duration: Duration,
    compositing: humo_ident_core::config::Compositing,
    context: tauri::Context,
) {
    let usage = Arc::new(Mutex::new(Usage::default()));
    let result = tauri::Builder::default()
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, preview::handle)
        .invoke_handler(tauri::generate_handler![bench_mark, bench_report])
        .setup(move |app| {
            // A laptop webcam's size (the selfie's 1280×720) filming the busiest scene there
            // is, a card: the figures in PERFORMANCE.md were taken with this pairing, which no
            // step of the flow uses.
            let open = source::opener(
                &DeviceChoice::Synthetic,
                Purpose::Selfie,
                SyntheticScene::Card(CardSide::Front),
            )?;
            let capture = Capture::start(open);
            let (slot_tx, slot) = watch::channel(None);
            app.manage(PreviewSource(slot));
            match transport {
                // The anchor fetches its one frame the way the app's transport does.
                BenchTransport::Pull | BenchTransport::Anchor => {
                    tauri::async_runtime::spawn(publish_frames(
                        capture.frames(),
                        Arc::new(slot_tx),
                        Arc::new(AtomicU64::new(0)),
                    ));
                }
                BenchTransport::Events => {
                    tauri::async_runtime::spawn(emit_frames(
                        app.handle().clone(),
                        capture.frames(),
                    ));
                }
            }
            app.manage(Mutex::new(Some(capture)));
            app.manage(BenchState {
                transport,
                seconds: duration.as_secs(),
                usage: Arc::clone(&usage),
            });
            std::thread::spawn({
                let usage = Arc::clone(&usage);
                move || watch_run(&usage, duration)
            });
            let url = format!(
                "index.html#bench-{}-{}",
                transport.name(),
                duration.as_secs()
            );
            let window =
                WebviewWindowBuilder::new(app, preview::BENCH_WINDOW, WebviewUrl::App(url.into()))
                    .title("Humo Ident: preview benchmark")
                    .inner_size(1280.0, 760.0)
                    .build()?;
            crate::display::apply(&window, compositing)?;
            Ok(())
        })
        .run(context);
    if let Err(error) = result {
        eprintln!("the benchmark could not run: {error}");
        std::process::exit(1);
    }
}

/// The naive transport: every frame as the camera sent it, as base64 text, in an event.
async fn emit_frames(
    app: AppHandle,
    mut frames: watch::Receiver<Option<Arc<humo_ident_camera::preview::CapturedFrame>>>,
) {
    #[derive(Clone, Serialize)]
    #[serde(rename_all = "camelCase")]
    struct NaiveFrame {
        sequence: u64,
        captured_at_ms: f64,
        jpeg_base64: String,
    }
    let mut sequence = 0;
    while frames.changed().await.is_ok() {
        let Some(captured) = frames.borrow_and_update().clone() else {
            continue;
        };
        sequence += 1;
        let frame = NaiveFrame {
            sequence,
            captured_at_ms: wall_clock_ms(captured.frame.captured_at),
            jpeg_base64: base64::engine::general_purpose::STANDARD.encode(
                humo_ident_core::jpeg::with_huffman_tables(&captured.frame.data),
            ),
        };
        let _ = app.emit("preview-frame", frame);
    }
}

/// The page starts measuring: CPU times are read now.
#[tauri::command]
fn bench_mark(state: State<'_, BenchState>) -> u64 {
    let mut usage = state.usage.lock().unwrap_or_else(|e| e.into_inner());
    usage.started = Some((Instant::now(), process_times()));
    usage.peak_app_kb = 0;
    usage.peak_web_kb = 0;
    state.seconds
}

/// The page has finished: print the figures and quit.
#[tauri::command]
fn bench_report(app: AppHandle, state: State<'_, BenchState>, report: BenchReport) {
    let usage = state.usage.lock().unwrap_or_else(|e| e.into_inner());
    let now = process_times();
    let (elapsed, cpu) = match usage.started {
        Some((at, start)) => (
            at.elapsed().as_secs_f64(),
            (
                (now.app_ns - start.app_ns) as f64 / 1e9,
                (now.web_ns - start.web_ns) as f64 / 1e9,
            ),
        ),
        None => (0.0, (0.0, 0.0)),
    };
    let fps = report.frames_drawn as f64 / report.seconds.max(0.001);
    let figures = serde_json::json!({
        "transport": state.transport.name(),
        "seconds": report.seconds,
        "framesDrawn": report.frames_drawn,
        "framesPerSecond": (fps * 10.0).round() / 10.0,
        "latencyP50Ms": report.latency_p50_ms,
        "latencyP95Ms": report.latency_p95_ms,
        "fetchP50Ms": report.fetch_p50_ms,
        "decodeP50Ms": report.decode_p50_ms,
        "appCpuPercent": (cpu.0 / elapsed.max(0.001) * 1000.0).round() / 10.0,
        "webCpuPercent": (cpu.1 / elapsed.max(0.001) * 1000.0).round() / 10.0,
        "appPeakMb": usage.peak_app_kb / 1024,
        "webPeakMb": usage.peak_web_kb / 1024,
    });
    println!("{figures}");
    if let Some(capture) = app
        .try_state::<Mutex<Option<Capture>>>()
        .and_then(|c| c.lock().ok()?.take())
    {
        capture.stop();
    }
    app.exit(0);
}

/// How long the page may take to start, and to report after its measurement: a run past that
/// has hung and fails.
const GRACE: Duration = Duration::from_secs(30);

/// Samples the memory of the app and its WebKit processes while the page measures, and fails
/// the run within a second of its webview dying (or within [`GRACE`] of a page that never
/// reports), instead of leaving it hanging.
fn watch_run(usage: &Mutex<Usage>, duration: Duration) {
    let deadline = Instant::now() + GRACE + duration + GRACE;
    let mut web_seen = false;
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let (app_kb, web_kb) = resident_kb();
        if web_kb > 0 {
            web_seen = true;
        } else if web_seen {
            watchdog_fail("the webview's processes are gone");
        }
        if Instant::now() > deadline {
            watchdog_fail("the page did not report in time");
        }
        let mut usage = usage.lock().unwrap_or_else(|e| e.into_inner());
        if usage.started.is_some() {
            usage.peak_app_kb = usage.peak_app_kb.max(app_kb);
            usage.peak_web_kb = usage.peak_web_kb.max(web_kb);
        }
    }
}

fn watchdog_fail(why: &str) -> ! {
    eprintln!("the benchmark failed: {why}");
    std::process::exit(3);
}
