/// Why events could not be sent this time. The sender logs it and tries again later.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The event files or the cursor could not be read or written.
    #[error("the event files: {0}")]
    Files(#[from] std::io::Error),
    /// The exporter could not be set up (its TLS or its endpoint).
    #[error("the OTLP exporter cannot be set up: {0}")]
    Setup(String),
    /// The collector did not take a batch: unreachable, refused, or an error of its own.
    #[error("the collector did not take the events: {0}")]
    Export(String),
}
