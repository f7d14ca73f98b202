//! `POST /api/tasks/ocr/{id_new|id_old}/{front|back}`: a photo of one side of a document.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Response};

use super::auth::Authorized;
use super::form::Form;
use super::{created, AppState, RecordedFields};
use crate::error::ApiError;
use crate::fixtures::{self, DocType, Side};
use crate::jpeg;
use crate::state::{Outcome, ServerSession};

const FRONT_FIELDS: &[&str] = &["img", "doc_type", "key", "source", "depart_id"];
const BACK_FIELDS: &[&str] = &[
    "img",
    "doc_type",
    "key",
    "source",
    "depart_id",
    "tax_number",
];

pub(super) async fn upload(
    State(shared): State<AppState>,
    Path((doc, side)): Path<(String, String)>,
    auth: Result<Authorized, ApiError>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let (Some(doc), Some(side)) = (DocType::from_path(&doc), Side::from_path(&side)) else {
        return ApiError::NotFound("Not Found").into_response();
    };
    let mut form = Form::default();
    let answer = async {
        // The whole body is read before anything is answered, as a server that parses the form
        // first does; answering 401 mid-upload would break the client's connection instead.
        let read = form.read(multipart).await;
        let Authorized(session) = auth?;
        read?;
        let tax_number = validate(&form, &session, doc, side).await?;
        let id = shared.with(|s| {
            let outcome = match s.switches.fail_next_ocr.take() {
                Some(reason) => Outcome::Failure(fixtures::ocr_failure(&reason)),
                None => Outcome::Success(fixtures::ocr_result(doc, side, tax_number.as_deref())),
            };
            s.create_task(session.id, outcome)
        });
        tracing::info!(task_id = id, doc = doc.code(), ?side, "OCR task created");
        Ok::<_, ApiError>(id)
    }
    .await;
    let mut response = match answer {
        Ok(id) => created(id),
        Err(error) => error.into_response(),
    };
    response
        .extensions_mut()
        .insert(RecordedFields(form.recorded()));
    response
}

/// Checks the upload against the contract; returns the `tax_number` sent, if any.
async fn validate(
    form: &Form,
    session: &ServerSession,
    doc: DocType,
    side: Side,
) -> Result<Option<String>, ApiError> {
    if side == Side::Front && form.part("tax_number").is_some() {
        return Err(ApiError::invalid(
            "field `tax_number` is only sent with the back side",
        ));
    }
    form.check_shape(match side {
        Side::Front => FRONT_FIELDS,
        Side::Back => BACK_FIELDS,
    })?;
    let img = form
        .part("img")
        .ok_or_else(|| ApiError::invalid("field `img` is required"))?;
    let file = img.file.as_ref().ok_or_else(|| {
        ApiError::invalid("field `img` must be a file part (with a filename), not a text field")
    })?;
    if file.media_type() != "image/jpeg" {
        return Err(ApiError::invalid(format!(
            "field `img` must have Content-Type image/jpeg, not {:?}",
            file.content_type
        )));
    }
    let doc_type = form.required("doc_type")?;
    if doc_type != doc.code() {
        return Err(ApiError::invalid(format!(
            "field `doc_type` is {doc_type:?}, but this path takes {}",
            doc.code()
        )));
    }
    form.check_session(session)?;
    let tax_number = form.text("tax_number")?;
    if let Some(tax_number) = tax_number {
        if tax_number.len() != 9 || !tax_number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ApiError::invalid(
                "field `tax_number` must be exactly 9 digits",
            ));
        }
    }
    let bytes = img.bytes.clone();
    tokio::task::spawn_blocking(move || jpeg::check(&bytes))
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(|err| ApiError::invalid(format!("field `img` is not a decodable JPEG: {err}")))?;
    Ok(tax_number.map(str::to_owned))
}
