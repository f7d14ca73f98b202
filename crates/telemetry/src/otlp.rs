//! Event lines as OTLP log records, posted by `opentelemetry-otlp`'s HTTP exporter.
//!
//! Each record is named by the event's type (`screen-reached`), timed by the line, and carries
//! the line itself as its body (JSON, as the schema in `docs/events.schema.json` describes),
//! with the app's version, the kiosk, the identification's number and the camera's model as
//! attributes a collector can filter on without reading the body.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use humo_ident_analytics::EventLine;
use opentelemetry::logs::{AnyValue, LogRecord, Logger, LoggerProvider, Severity};
use opentelemetry::InstrumentationScope;
use opentelemetry_otlp::{Protocol, RetryPolicy, WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::logs::{LogBatch, LogExporter, SdkLogRecord, SdkLogger, SdkLoggerProvider};
use opentelemetry_sdk::Resource;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::Error;

/// The service the records come from, as collectors group them.
pub const SERVICE_NAME: &str = "humo-ident";

/// How long one post may take before it counts as failed.
const POST_TIMEOUT: Duration = Duration::from_secs(30);

/// The collector's end: the exporter, and what makes its records.
#[derive(Debug)]
pub struct Collector {
    /// The endpoint's host, for the logs (never its path or query).
    host: String,
    exporter: opentelemetry_otlp::LogExporter,
    /// Makes records: the SDK builds them only through a logger. Nothing is emitted through
    /// it (its provider has no processor); the records go to the exporter directly.
    logger: SdkLogger,
    scope: InstrumentationScope,
}

impl Collector {
    /// The collector at `endpoint` (OTLP/HTTP's logs path, whole), reached over TLS with the
    /// system's roots, never redirected, one attempt a post: the sender decides when to retry.
    pub fn new(endpoint: &url::Url) -> Result<Collector, Error> {
        let setup = |error: &dyn std::fmt::Display| Error::Setup(error.to_string());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_platform_verifier())
            .map_err(|e| setup(&e))?
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .https_only(endpoint.scheme() == "https")
            .redirect(reqwest::redirect::Policy::none())
            .timeout(POST_TIMEOUT)
            .build()
            .map_err(|e| setup(&e))?;
        let mut exporter = opentelemetry_otlp::LogExporter::builder()
            .with_http()
            .with_http_client(client)
            .with_endpoint(endpoint.as_str())
            .with_protocol(Protocol::HttpBinary)
            .with_timeout(POST_TIMEOUT)
            .with_retry_policy(RetryPolicy::disabled())
            .build()
            .map_err(|e| setup(&e))?;
        exporter.set_resource(
            &Resource::builder_empty()
                .with_service_name(SERVICE_NAME)
                .build(),
        );
        let scope = InstrumentationScope::builder(SERVICE_NAME)
            .with_version(env!("CARGO_PKG_VERSION"))
            .build();
        let logger = SdkLoggerProvider::builder()
            .build()
            .logger_with_scope(scope.clone());
        Ok(Collector {
            host: endpoint.host_str().unwrap_or_default().to_owned(),
            exporter,
            logger,
            scope,
        })
    }

    /// The endpoint's host.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Posts `lines`; Ok once the collector took them.
    pub async fn send(&self, lines: &[EventLine]) -> Result<(), Error> {
        let records: Vec<SdkLogRecord> = lines.iter().map(|line| self.record(line)).collect();
        let batch: Vec<(&SdkLogRecord, &InstrumentationScope)> =
            records.iter().map(|record| (record, &self.scope)).collect();
        self.exporter
            .export(LogBatch::new(&batch))
            .await
            .map_err(|error| Error::Export(error.to_string()))
    }

    fn record(&self, line: &EventLine) -> SdkLogRecord {
        let mut record = self.logger.create_log_record();
        record.set_event_name(line.event.name());
        record.set_timestamp(UNIX_EPOCH + Duration::from_millis(line.at_ms));
        record.set_observed_timestamp(SystemTime::now());
        record.set_severity_number(Severity::Info);
        record.set_severity_text("INFO");
        if let Ok(body) = serde_json::to_string(line) {
            record.set_body(AnyValue::from(body));
        }
        record.add_attribute("humo_ident.app.version", line.app.as_str().to_owned());
        if let Some(kiosk) = &line.kiosk {
            record.add_attribute("humo_ident.kiosk.id", kiosk.as_str().to_owned());
        }
        // Below 2^53 when drawn (see the session's recorder), so it fits an OTLP integer.
        record.add_attribute(
            "humo_ident.identification",
            i64::try_from(line.identification).unwrap_or(i64::MAX),
        );
        if let Some(camera) = &line.camera {
            record.add_attribute("humo_ident.camera.model", camera.model.as_str().to_owned());
        }
        record
    }
}
