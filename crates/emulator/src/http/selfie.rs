//! `POST /api/tasks/selfie`: the liveness JWT, as a text field or a file part, from the
//! `local` provider (HS256) or the LUNA PASS double (RS256).

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response};

use super::auth::Authorized;
use super::form::Form;
use super::{created, AppState, RecordedFields};
use crate::controls::SelfieTokenRecord;
use crate::error::ApiError;
use crate::fixtures::{self, DocType};
use crate::liveness::{self, Verdict};
use crate::state::{Outcome, ServerSession};

const FIELDS: &[&str] = &["img", "doc_type", "key", "source", "depart_id"];

/// Media types a file part holding the JWT may declare.
const JWT_MEDIA_TYPES: &[&str] = &["application/jwt", "text/plain"];

pub(super) async fn upload(
    State(shared): State<AppState>,
    auth: Result<Authorized, ApiError>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    let mut form = Form::default();
    let answer = async {
        // The whole body is read before anything is answered, as a server that parses the form
        // first does; answering 401 mid-upload would break the client's connection instead.
        let read = form.read(multipart).await;
        let Authorized(session) = auth?;
        read?;
        let verdict = validate(&form, &session, &shared).await?;
        let id = shared.with(|s| {
            let outcome = match s.switches.fail_next_selfie.take() {
                Some(reason) => Outcome::Failure(fixtures::selfie_failure(&reason)),
                None if !verdict.is_ok => {
                    Outcome::Failure(fixtures::liveness_failure(&verdict.errors))
                }
                None => Outcome::Success(fixtures::selfie_success()),
            };
            s.create_task(session.id, outcome)
        });
        tracing::info!(task_id = id, "selfie task created");
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

async fn validate(
    form: &Form,
    session: &ServerSession,
    shared: &AppState,
) -> Result<Verdict, ApiError> {
    if form.part("tax_number").is_some() {
        return Err(ApiError::invalid(
            "field `tax_number` is not sent with the selfie",
        ));
    }
    form.check_shape(FIELDS)?;
    let img = form
        .part("img")
        .ok_or_else(|| ApiError::invalid("field `img` is required"))?;
    if let Some(file) = &img.file {
        if !JWT_MEDIA_TYPES.contains(&file.media_type().as_str()) {
            return Err(ApiError::invalid(format!(
                "field `img` as a file part must have Content-Type application/jwt or \
                 text/plain, not {:?}",
                file.content_type
            )));
        }
    }
    let token = std::str::from_utf8(&img.bytes)
        .map_err(|_| ApiError::invalid("field `img` is not UTF-8 text"))?
        .trim()
        .to_owned();
    let doc_type = form.required("doc_type")?;
    if DocType::from_field(doc_type).is_none() {
        return Err(ApiError::invalid(format!(
            "field `doc_type` is {doc_type:?}; the selfie takes ID_NEW or ID_OLD"
        )));
    }
    form.check_session(session)?;
    let key = shared.with(|s| s.liveness_key.clone());
    let (algorithm, verdict) = tokio::task::spawn_blocking(move || {
        let algorithm = liveness::algorithm(&token).unwrap_or_default();
        (algorithm, liveness::verify(&token, &key))
    })
    .await
    .map_err(|_| ApiError::Internal)?;
    let verified = verdict.is_ok();
    tracing::info!(%algorithm, verified, "selfie token checked");
    shared.with(|s| {
        s.selfie_tokens.push(SelfieTokenRecord {
            algorithm,
            verified,
        });
    });
    verdict.map_err(ApiError::Invalid)
}
