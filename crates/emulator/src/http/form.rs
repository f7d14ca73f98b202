//! Reading a multipart upload and the rules the OCR and selfie uploads share: no unknown or
//! repeated field, no empty or `null` value, and `doc_type`, `key`, `source`, `depart_id`
//! that agree with the session's presign.

use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::Multipart;
use axum::http::StatusCode;
use bytes::Bytes;

use crate::error::ApiError;
use crate::state::ServerSession;

/// One part as sent.
pub(super) struct Part {
    pub(super) name: String,
    /// Present for a file part (one with a file name).
    pub(super) file: Option<FileInfo>,
    pub(super) bytes: Bytes,
}

pub(super) struct FileInfo {
    pub(super) name: String,
    /// The part's `Content-Type`, as sent; empty when it had none.
    pub(super) content_type: String,
}

impl FileInfo {
    /// The media type without parameters, lowercased, for comparison.
    pub(super) fn media_type(&self) -> String {
        let essence = self.content_type.split(';').next().unwrap_or_default();
        essence.trim().to_ascii_lowercase()
    }
}

/// The parts of an upload, kept in order so they can be recorded as sent.
#[derive(Default)]
pub(super) struct Form {
    parts: Vec<Part>,
}

impl Form {
    /// Reads every part; on error the parts read so far stay available for the record.
    pub(super) async fn read(
        &mut self,
        multipart: Result<Multipart, MultipartRejection>,
    ) -> Result<(), ApiError> {
        let mut multipart = multipart.map_err(|rejection| {
            ApiError::invalid(format!(
                "the body must be multipart/form-data: {}",
                rejection.body_text()
            ))
        })?;
        while let Some(field) = multipart.next_field().await.map_err(malformed)? {
            let name = field
                .name()
                .filter(|name| !name.is_empty())
                .ok_or_else(|| ApiError::invalid("a multipart part has no field name"))?
                .to_owned();
            let file = field.file_name().map(|file_name| FileInfo {
                name: file_name.to_owned(),
                content_type: field.content_type().unwrap_or_default().to_owned(),
            });
            let bytes = field.bytes().await.map_err(malformed)?;
            self.parts.push(Part { name, file, bytes });
        }
        Ok(())
    }

    /// The parts as [`crate::RecordedRequest::fields`] shows them.
    pub(super) fn recorded(&self) -> Vec<(String, String)> {
        self.parts
            .iter()
            .map(|part| {
                let value = match &part.file {
                    Some(file) => format!(
                        "<file {} {} {} bytes>",
                        file.name,
                        file.content_type,
                        part.bytes.len()
                    ),
                    None => String::from_utf8_lossy(&part.bytes).into_owned(),
                };
                (part.name.clone(), value)
            })
            .collect()
    }

    /// Refuses a field not in `allowed`, a field sent twice, and an empty or `null` value.
    pub(super) fn check_shape(&self, allowed: &[&str]) -> Result<(), ApiError> {
        for (index, part) in self.parts.iter().enumerate() {
            if !allowed.contains(&part.name.as_str()) {
                return Err(ApiError::invalid(format!(
                    "unknown field `{}`; this endpoint takes {}",
                    part.name,
                    allowed.join(", ")
                )));
            }
            if self.parts[..index].iter().any(|p| p.name == part.name) {
                return Err(ApiError::invalid(format!(
                    "field `{}` is sent more than once",
                    part.name
                )));
            }
            if part.bytes.is_empty() || (part.file.is_none() && &part.bytes[..] == b"null") {
                return Err(ApiError::invalid(format!(
                    "field `{}` is empty or null; leave out a field that has no value",
                    part.name
                )));
            }
        }
        Ok(())
    }

    pub(super) fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|part| part.name == name)
    }

    /// The value of a text field, `None` when it was not sent.
    pub(super) fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let Some(part) = self.part(name) else {
            return Ok(None);
        };
        if part.file.is_some() {
            return Err(ApiError::invalid(format!(
                "field `{name}` must be a text field, not a file part"
            )));
        }
        std::str::from_utf8(&part.bytes)
            .map(Some)
            .map_err(|_| ApiError::invalid(format!("field `{name}` is not UTF-8 text")))
    }

    /// A text field that must be there.
    pub(super) fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.text(name)?
            .ok_or_else(|| ApiError::invalid(format!("field `{name}` is required")))
    }

    /// `key`, `source` and `depart_id` must be what the session's presign answered, with
    /// `depart_id` left out exactly when the presign's was null.
    pub(super) fn check_session(&self, session: &ServerSession) -> Result<(), ApiError> {
        if self.required("key")? != session.key {
            return Err(ApiError::invalid(
                "field `key` is not the presign key of this access token's session",
            ));
        }
        let source = self.required("source")?;
        if source != session.profile.source {
            return Err(ApiError::invalid(format!(
                "field `source` is {source:?}, but the presign's source is {:?}",
                session.profile.source
            )));
        }
        match (session.profile.depart_id, self.text("depart_id")?) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(ApiError::invalid(
                "field `depart_id` must be left out: the presign's depart_id is null",
            )),
            (Some(expected), None) => Err(ApiError::invalid(format!(
                "field `depart_id` is required: the presign's depart_id is {expected}"
            ))),
            (Some(expected), Some(sent)) if sent != expected.to_string() => Err(ApiError::invalid(
                format!("field `depart_id` is {sent:?}, but the presign's depart_id is {expected}"),
            )),
            (Some(_), Some(_)) => Ok(()),
        }
    }
}

/// Reads a raw body as the upload handlers do, for the fuzz target in `fuzz/` (the `fuzzing`
/// feature): the parts as read, and what the shape check and the text reader make of them.
#[cfg(feature = "fuzzing")]
pub(crate) async fn read_for_fuzzing(
    content_type: &[u8],
    body: Bytes,
    allowed: &[&str],
) -> crate::fuzzing::FormRead {
    use axum::extract::{FromRequest, Request};
    use axum::http::{header::CONTENT_TYPE, HeaderValue};

    let mut request = Request::new(axum::body::Body::from(body));
    if let Ok(value) = HeaderValue::from_bytes(content_type) {
        request.headers_mut().insert(CONTENT_TYPE, value);
    }
    let multipart = Multipart::from_request(request, &()).await;
    let mut form = Form::default();
    let read = form.read(multipart).await.map_err(|e| e.to_string());
    let texts = form
        .parts
        .iter()
        .map(|part| {
            form.text(&part.name)
                .map(|text| text.map(str::to_owned))
                .map_err(|e| e.to_string())
        })
        .collect();
    crate::fuzzing::FormRead {
        read,
        shape: form.check_shape(allowed).map_err(|e| e.to_string()),
        parts: form
            .parts
            .iter()
            .map(|part| crate::fuzzing::FormPart {
                name: part.name.clone(),
                file_name: part.file.as_ref().map(|file| file.name.clone()),
                media_type: part.file.as_ref().map(FileInfo::media_type),
                bytes: part.bytes.clone(),
            })
            .collect(),
        recorded: form.recorded(),
        texts,
    }
}

/// A body that breaks off or is too large is the client's fault; tell it which.
fn malformed(err: MultipartError) -> ApiError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge(err.body_text())
    } else {
        ApiError::invalid(format!("malformed multipart body: {}", err.body_text()))
    }
}
