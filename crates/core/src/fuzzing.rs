//! Entry points for the fuzz targets in `fuzz/` (the `fuzzing` feature): the crate's own readers
//! of the bank's answers, which the app reaches only through HTTP. Not part of the API.

use crate::api::{OpenedLink, TaskId, TaskState};
use crate::error::Error;
use crate::input::PresignKey;

/// Reads a presign answer as [`crate::api::ApiClient::presign`] does, and says whether the
/// token it carries makes an `Authorization` header (every later call needs one).
pub fn presign_body(key: PresignKey, body: &[u8]) -> Result<(OpenedLink, bool), Error> {
    let opened = OpenedLink::from_presign_body(key, body)?;
    let header = opened.token.bearer_header().is_some();
    Ok((opened, header))
}

/// Reads an upload's answer.
pub fn upload_body(body: &[u8]) -> Result<TaskId, Error> {
    TaskId::from_upload_body(body)
}

/// Reads a status answer.
pub fn status_body(body: &[u8]) -> Result<TaskState, Error> {
    TaskState::from_status_body(body)
}
