//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature): the multipart reader
//! the upload handlers share, on a body in memory. Not part of the API.

use bytes::Bytes;

/// The fields the OCR and selfie uploads take.
pub const UPLOAD_FIELDS: &[&str] = &["img", "doc_type", "key", "source", "depart_id"];

/// One part as the reader kept it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    /// The field name.
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The media type without parameters, for a file part.
    pub media_type: Option<String>,
    /// The content.
    pub bytes: Bytes,
}

/// What reading a body gave.
#[derive(Debug)]
pub struct FormRead {
    /// Whether the body was read to its end, or the answer's text.
    pub read: Result<(), String>,
    /// The parts read (up to the error, if any).
    pub parts: Vec<FormPart>,
    /// The parts as a recorded request shows them.
    pub recorded: Vec<(String, String)>,
    /// `check_shape` against the fields asked for.
    pub shape: Result<(), String>,
    /// The text of each part's field, as a handler reads it.
    pub texts: Vec<Result<Option<String>, String>>,
}

/// Reads `body`, sent with the header `Content-Type: content_type`, as the upload handlers do.
pub fn read_form(content_type: &[u8], body: &[u8], allowed: &[&str]) -> FormRead {
    thread_local! {
        static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime");
    }
    RUNTIME.with(|runtime| {
        runtime.block_on(crate::http::read_for_fuzzing(
            content_type,
            Bytes::copy_from_slice(body),
            allowed,
        ))
    })
}
