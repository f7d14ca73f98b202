//! The log and event files, as the desktop app writes them: a whole identification at `trace`,
//! then every file they wrote is scanned for anything personal (docs/SECURITY.md).

#[macro_use]
mod common;

use common::{regex_like_token, Harness};
use humo_ident_analytics::funnel::{self, EventLines};
use humo_ident_core::config::{DocumentKind, LogLevel, LoggingConfig};
use humo_ident_core::flow::FlowState;
use humo_ident_session::analytics::EventFiles;
use humo_ident_session::logs;
use humo_ident_session::settings::StartOptions;
use tracing_subscriber::EnvFilter;

/// The taxpayer number the person types.
const TAX_NUMBER: &str = "020025789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_identification_at_trace_leaves_nothing_personal_in_the_log_files() {
    let folder = tempfile::tempdir().unwrap();
    let sink = logs::install(EnvFilter::new("off")).expect("the first subscriber");
    let config = LoggingConfig {
        level: LogLevel::Trace,
        directory: Some(folder.path().to_owned()),
        ..LoggingConfig::default()
    };
    let files = sink.open_files(&config).unwrap();
    assert_eq!(files.directory(), folder.path());
    let (events, event_files) = EventFiles::open(&config).unwrap();

    let mut h = Harness::start(StartOptions::default(), |settings| {
        settings.events = Some(events)
    })
    .await;
    let link = h.session.info().link.unwrap();
    h.open_and_choose(DocumentKind::New, Some(TAX_NUMBER)).await;
    for _ in 0..3 {
        h.photograph().await;
        h.accept().await;
    }
    let FlowState::Done { results, .. } = state!(h, Done).await else {
        unreachable!()
    };
    drop(h);
    // Dropping the files writes out what the writer's thread still holds.
    drop(files);
    drop(event_files);

    let mut written = Vec::new();
    let mut events = EventLines::default();
    for entry in std::fs::read_dir(folder.path()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        match name.split('.').next() {
            Some("humo-ident") => {}
            Some("humo-ident-events") => events.read(std::str::from_utf8(&bytes).unwrap()),
            _ => panic!("only log and event files in the folder: {path:?}"),
        }
        written.extend(bytes);
    }
    // The event file holds the identification, every line of it readable.
    assert_eq!(events.skipped, 0);
    let report = funnel::report(&events);
    assert_eq!(report.all.identifications, 1);
    assert_eq!(report.all.outcomes.get("done"), Some(&1));
    // Raw image bytes would not be UTF-8.
    let text = String::from_utf8(written).expect("the logs are text");
    // The logs did record the identification, at trace.
    assert!(
        text.lines().count() > 20,
        "only {} lines",
        text.lines().count()
    );
    assert!(text.contains("TRACE") || text.contains("DEBUG"), "{text}");

    // The link's key (the demo's link is the key itself, or a web link that carries it), the
    // access token, the taxpayer number, the OCR's values, image bytes.
    let mut secrets = vec![link.clone(), TAX_NUMBER.to_owned()];
    if let Ok(url) = url::Url::parse(&link) {
        secrets.extend(url.query_pairs().map(|(_, value)| value.into_owned()));
        secrets.extend(url.path_segments().into_iter().flatten().map(str::to_owned));
    }
    for secret in secrets.iter().filter(|secret| secret.len() >= 8) {
        assert!(!text.contains(secret.as_str()), "the log holds {secret:?}");
    }
    assert!(!regex_like_token(&text), "the log holds an access token");
    assert_eq!(results.len(), 3);
    for value in humo_ident_emulator::personal_values() {
        assert!(!text.contains(&value), "the log holds the OCR's {value:?}");
    }
    // A JPEG's header, as bytes or in base64.
    for image_mark in ["JFIF", "/9j/"] {
        assert!(
            !text.contains(image_mark),
            "the log holds image bytes ({image_mark:?})"
        );
    }
}
