//! What keeping the log and event files costs. One whole identification runs through the demo's
//! session with the log files at `info` and the event files on, and its lines are counted; then
//! many lines of each kind are written, and their CPU (the writer threads' included) divided
//! by their number. Printed: the identification's lines, the CPU per line, and the share of one
//! core they take over the identification.
//!
//! `cargo bench -p humo-ident-session --bench recording` (figures: docs/PERFORMANCE.md).

use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_analytics::{Event, EventLine, Screen, ScreenKind};
use humo_ident_core::config::{DocumentKind, LogLevel, LoggingConfig};
use humo_ident_core::flow::{FlowEvent, FlowState};
use humo_ident_session::analytics::{EventFiles, EventsSink};
use humo_ident_session::events::AppEvent;
use humo_ident_session::logs;
use humo_ident_session::settings::{Settings, StartOptions};
use humo_ident_session::Session;
use humo_ident_test_support::cpu_time;
use tokio::sync::mpsc;
use tracing_subscriber::EnvFilter;

/// Lines of each kind written to measure one line's cost.
/// Fewer than the log writer's queue holds (128,000), so none is dropped unwritten.
const LINES: u32 = 100_000;

fn main() {
    let folder = tempfile::tempdir().expect("a folder for the files");
    let config = LoggingConfig {
        level: LogLevel::Info,
        directory: Some(folder.path().to_owned()),
        // The measurement's lines are many more than a day's cap.
        max_file_mb: 1024,
        ..LoggingConfig::default()
    };
    let sink = logs::install(EnvFilter::new("off")).expect("the first subscriber");
    let log_files = sink.open_files(&config).expect("the log files");
    let (events, event_files) = EventFiles::open(&config).expect("the event files");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");

    let started = Instant::now();
    runtime.block_on(identify(events.clone()));
    let took = started.elapsed();

    // Both kinds together, until the writer threads have put the last line on the disk: their
    // CPU counts, and the process's clock ticks only every 10 ms.
    let line = a_line();
    let before = cpu_time();
    for n in 0..LINES {
        // Under one of the app's crates, which the files log at `info`.
        tracing::info!(target: "humo_ident_session::bench", step = "front", task = n, "bench: the task's status was checked");
        events.write(&line);
    }
    drop((log_files, event_files));
    let deadline = Instant::now() + Duration::from_secs(60);
    let (log_lines, event_lines) = loop {
        match count_lines(folder.path()) {
            (lines, bench_lines) if bench_lines == 2 * LINES => break lines,
            _ if Instant::now() > deadline => panic!("the measured lines were not all written"),
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let per_line = (cpu_time() - before) / (2 * LINES);

    let cost = per_line * (log_lines + event_lines);
    println!("recording (log files at info, event files on), one identification through the demo's session:");
    println!(
        "  identification   {:.1} s, {log_lines} log lines, {event_lines} event lines",
        took.as_secs_f64()
    );
    println!(
        "  CPU per line     {:.2} µs, a log line and an event on average (writer threads included)",
        micros(per_line)
    );
    println!(
        "  CPU per flow     {:.3} ms, {:.4} % of a core over the identification",
        micros(cost) / 1000.0,
        cost.as_secs_f64() / took.as_secs_f64() * 100.0
    );
}

/// A whole identification, the new passport, each photo taken by itself and used.
async fn identify(events: EventsSink) {
    let mut settings = Settings::resolve(
        StartOptions {
            camera: Some("synthetic".into()),
            ..StartOptions::default()
        },
        None,
    )
    .expect("demo settings");
    settings.events = Some(events);
    let session = Session::start(settings).await.expect("the session");
    let (tx, mut rx) = mpsc::unbounded_channel();
    session
        .subscribe(Arc::new(move |event: AppEvent| {
            let _ = tx.send(event);
        }))
        .await
        .expect("subscribed");
    session
        .open_link(session.info().link.expect("the demo's link"))
        .await
        .expect("opened");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, rx.recv()).await {
        match event {
            AppEvent::Flow(FlowEvent::StateChanged { state }) => match state {
                FlowState::ChoosingDocument { .. } => session
                    .choose_document(DocumentKind::New, Some("020025789".into()))
                    .await
                    .expect("chosen"),
                FlowState::StepAccepted { .. } => session.continue_flow().await.expect("went on"),
                FlowState::Done { .. } => return,
                _ => {}
            },
            AppEvent::Camera(Some(view)) if view.review.is_some() => {
                session.use_photo().await.expect("the photo was used")
            }
            _ => {}
        }
    }
    panic!("the identification did not end within 300 s");
}

/// A line as long as the usual ones: a screen reached, with the one before.
fn a_line() -> EventLine {
    let line = |kind| Screen {
        kind,
        step: None,
        step_kind: None,
    };
    EventLine {
        schema: humo_ident_analytics::event::SCHEMA_VERSION,
        at_ms: 1_765_000_000_000,
        app: humo_ident_analytics::named::AppVersion::current(),
        kiosk: None,
        identification: 1 << 50,
        camera: None,
        event: Event::ScreenReached {
            screen: line(ScreenKind::Checking),
            previous: Some(line(ScreenKind::Uploading)),
            previous_ms: Some(1200),
        },
    }
}

/// The identification's lines in `folder`, the log's and the events', and the bench's own.
fn count_lines(folder: &std::path::Path) -> ((u32, u32), u32) {
    let (mut log_lines, mut event_lines, mut bench_lines) = (0, 0, 0);
    let bench_number = format!("{}", 1u64 << 50);
    for entry in std::fs::read_dir(folder).expect("the folder").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let events = name.starts_with("humo-ident-events.");
        for line in text.lines() {
            match (
                events,
                line.contains(&bench_number) || line.contains("bench: "),
            ) {
                (_, true) => bench_lines += 1,
                (true, false) => event_lines += 1,
                (false, false) => log_lines += 1,
            }
        }
    }
    ((log_lines, event_lines), bench_lines)
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}
