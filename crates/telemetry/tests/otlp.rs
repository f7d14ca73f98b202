//! The sender against a real OTLP/HTTP receiver started here: an axum server that decodes what
//! it gets with `opentelemetry-proto`, as a collector does. The events are written by the
//! session's own recorder and event files.
//!
//! These run on real time (a real socket, the files' writer thread): each waits for what it
//! expects to have happened, with a deadline far beyond what it needs.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use humo_ident_analytics::{EventLine, Outcome};
use humo_ident_core::config::{LoggingConfig, TelemetryDestination};
use humo_ident_core::flow::FlowState;
use humo_ident_core::ErrorCode;
use humo_ident_session::analytics::{EventFiles, EventsSink, Recorder};
use humo_ident_telemetry::{Progress, Sender};
use opentelemetry_proto::tonic::collector::logs::v1::{
    ExportLogsServiceRequest, ExportLogsServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::logs::v1::LogRecord;
use prost::Message;
use tokio::sync::watch;

/// Far beyond what any wait here needs.
const DEADLINE: Duration = Duration::from_secs(60);

/// What the receiver was sent, and how many posts it should still refuse.
#[derive(Default)]
struct Received {
    records: Mutex<Vec<LogRecord>>,
    service_names: Mutex<Vec<String>>,
    refuse: AtomicU32,
    /// Told after each post taken, so a test waits for records without polling.
    arrived: tokio::sync::Notify,
}

/// An OTLP/HTTP logs receiver on this machine.
struct Receiver {
    address: SocketAddr,
    received: Arc<Received>,
    server: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts one on `address` (a free port when none). The address may be one a receiver
    /// just left: its connections' ends wait out TIME_WAIT on it, which Windows (and Wine)
    /// refuse to bind over without SO_REUSEADDR.
    async fn start(address: Option<SocketAddr>, received: Arc<Received>) -> Receiver {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        socket
            .bind(address.unwrap_or(([127, 0, 0, 1], 0).into()))
            .unwrap();
        let listener = socket.listen(64).unwrap();
        let address = listener.local_addr().unwrap();
        let app = axum::Router::new()
            .route("/v1/logs", axum::routing::post(take_logs))
            .with_state(Arc::clone(&received));
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Receiver {
            address,
            received,
            server,
        }
    }

    /// The network goes: the listener and every connection close.
    async fn cut(self) -> (SocketAddr, Arc<Received>) {
        self.server.abort();
        let _ = self.server.await;
        (self.address, self.received)
    }

    fn destination(&self) -> TelemetryDestination {
        TelemetryDestination {
            endpoint: format!("http://{}/v1/logs", self.address).parse().unwrap(),
            send_every: Duration::from_millis(50),
        }
    }
}

async fn take_logs(
    State(received): State<Arc<Received>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if received
        .refuse
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    assert_eq!(headers[header::CONTENT_TYPE], "application/x-protobuf");
    let request = ExportLogsServiceRequest::decode(body).unwrap();
    for resource_logs in request.resource_logs {
        let service = resource_logs
            .resource
            .iter()
            .flat_map(|resource| &resource.attributes)
            .find(|attribute| attribute.key == "service.name")
            .and_then(|attribute| text(attribute.value.as_ref()?.value.as_ref()?))
            .unwrap_or_default();
        for scope_logs in resource_logs.scope_logs {
            for record in scope_logs.log_records {
                received.service_names.lock().unwrap().push(service.clone());
                received.records.lock().unwrap().push(record);
            }
        }
    }
    received.arrived.notify_waiters();
    (
        [(header::CONTENT_TYPE, "application/x-protobuf")],
        ExportLogsServiceResponse::default().encode_to_vec(),
    )
        .into_response()
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::StringValue(text) => Some(text.clone()),
        _ => None,
    }
}

/// The event files of a log folder, and every line written to them.
struct Recording {
    files: Option<EventFiles>,
    sink: EventsSink,
    written: Arc<Mutex<Vec<EventLine>>>,
}

impl Recording {
    fn open(folder: &Path) -> Recording {
        let config = LoggingConfig {
            directory: Some(folder.to_owned()),
            ..LoggingConfig::default()
        };
        let (files_sink, files) = EventFiles::open(&config).unwrap();
        let written = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&written);
        let sink = EventsSink::new(move |line| {
            files_sink.write(line);
            kept.lock().unwrap().push(line.clone());
        });
        Recording {
            files: Some(files),
            sink,
            written,
        }
    }

    /// An identification on kiosk `branch-7`'s camera: a link opened, a network retry, a
    /// liveness refusal, and a cancel.
    fn identification(&self) {
        let mut recorder = Recorder::new(Some(self.sink.clone()), Some("branch-7"));
        recorder.camera_streaming("Logitech BRIO 4K (046d:085e) SN 12345");
        recorder.on_state(&FlowState::AwaitingLink);
        recorder.on_state(&FlowState::OpeningLink);
        recorder.network_retry(1, ErrorCode::Network);
        recorder.liveness_refused(&["TOO_DARK".into(), "the person's own words".into()]);
        recorder.on_state(&FlowState::Cancelled);
        recorder.end(Outcome::AppClosed);
    }

    fn written(&self) -> Vec<EventLine> {
        self.written.lock().unwrap().clone()
    }

    /// Writes out what the files' thread still holds.
    fn flush(&mut self) {
        self.files = None;
    }
}

/// Waits until `received` holds `count` records.
async fn received(received: &Received, count: usize) {
    tokio::time::timeout(DEADLINE, async {
        loop {
            let arrived = received.arrived.notified();
            if received.records.lock().unwrap().len() >= count {
                break;
            }
            arrived.await;
        }
    })
    .await
    .unwrap_or_else(|_| {
        panic!(
            "{} of {count} records arrived",
            received.records.lock().unwrap().len()
        )
    });
}

async fn until(progress: &mut watch::Receiver<Progress>, what: impl Fn(&Progress) -> bool) {
    tokio::time::timeout(DEADLINE, progress.wait_for(|p| what(p)))
        .await
        .expect("the sender's progress within the deadline")
        .unwrap();
}

/// The lines the records carry as their bodies, read back.
fn bodies(received: &Received) -> Vec<EventLine> {
    received
        .records
        .lock()
        .unwrap()
        .iter()
        .map(|record| {
            let body = record.body.as_ref().and_then(|body| body.value.as_ref());
            let text = body.and_then(text).expect("a text body");
            serde_json::from_str(&text).expect("an event line")
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_cut_mid_flow_loses_nothing_and_sends_nothing_twice() {
    let folder = tempfile::tempdir().unwrap();
    let mut recording = Recording::open(folder.path());
    let collector = Receiver::start(None, Arc::default()).await;
    let sender = Sender::new(folder.path().to_owned(), &collector.destination()).unwrap();
    let mut progress = sender.progress();
    let sending = tokio::spawn(sender.run());

    recording.identification();
    let first = recording.written().len();
    received(&collector.received, first).await;

    let (address, received_so_far) = collector.cut().await;
    recording.identification();
    recording.identification();
    until(&mut progress, |p| p.failures_in_a_row >= 2).await;
    assert_eq!(received_so_far.records.lock().unwrap().len(), first);

    let collector = Receiver::start(Some(address), received_so_far).await;
    recording.identification();
    recording.flush();
    let written = recording.written();
    received(&collector.received, written.len()).await;
    until(&mut progress, |p| {
        p.failures_in_a_row == 0 && p.sent == written.len() as u64
    })
    .await;
    sending.abort();

    assert_eq!(bodies(&collector.received), written);
    let records = collector.received.records.lock().unwrap();
    let names: Vec<&str> = records.iter().map(|r| r.event_name.as_str()).collect();
    let types: Vec<&str> = written.iter().map(|line| line.event.name()).collect();
    assert_eq!(names, types);
    for (record, line) in records.iter().zip(&written) {
        assert_eq!(record.time_unix_nano, line.at_ms * 1_000_000);
        let attribute = |key: &str| {
            record
                .attributes
                .iter()
                .find(|attribute| attribute.key == key)
                .and_then(|attribute| text(attribute.value.as_ref()?.value.as_ref()?))
        };
        assert_eq!(
            attribute("humo_ident.kiosk.id").as_deref(),
            Some("branch-7")
        );
        assert_eq!(
            attribute("humo_ident.camera.model").as_deref(),
            Some("Logitech BRIO 4K")
        );
    }
    assert!(collector
        .received
        .service_names
        .lock()
        .unwrap()
        .iter()
        .all(|name| name == "humo-ident"));
    // Nothing the person or the bank wrote went out, not even in a refusal's reasons.
    let everything = format!("{:?}", *records);
    assert!(!everything.contains("own words") && !everything.contains("12345"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collector_that_refuses_gets_the_same_events_again() {
    let folder = tempfile::tempdir().unwrap();
    let mut recording = Recording::open(folder.path());
    let collector = Receiver::start(None, Arc::default()).await;
    collector.received.refuse.store(3, Ordering::SeqCst);
    let sender = Sender::new(folder.path().to_owned(), &collector.destination()).unwrap();
    let mut progress = sender.progress();
    let sending = tokio::spawn(sender.run());

    recording.identification();
    recording.flush();
    let written = recording.written();
    until(&mut progress, |p| p.failures_in_a_row >= 3).await;
    received(&collector.received, written.len()).await;
    until(&mut progress, |p| p.sent == written.len() as u64).await;
    sending.abort();
    assert_eq!(bodies(&collector.received), written);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_app_sends_from_where_it_stopped() {
    let folder = tempfile::tempdir().unwrap();
    let mut recording = Recording::open(folder.path());
    let collector = Receiver::start(None, Arc::default()).await;

    recording.identification();
    let first = recording.written().len();
    let sender = Sender::new(folder.path().to_owned(), &collector.destination()).unwrap();
    let mut progress = sender.progress();
    let sending = tokio::spawn(sender.run());
    until(&mut progress, |p| p.sent == first as u64).await;
    sending.abort();
    let _ = sending.await;

    recording.identification();
    recording.flush();
    let written = recording.written();
    let sender = Sender::new(folder.path().to_owned(), &collector.destination()).unwrap();
    let mut progress = sender.progress();
    let sending = tokio::spawn(sender.run());
    until(&mut progress, |p| p.sent == (written.len() - first) as u64).await;
    sending.abort();
    assert_eq!(bodies(&collector.received), written);
}
