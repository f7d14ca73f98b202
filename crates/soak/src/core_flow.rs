//! One identification through the core's flow driver, the way the CLI runs it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_core::api::ApiClient;
use humo_ident_core::config::Config;
use humo_ident_core::flow::{start_flow, Action, FlowEvent, FlowState, StepInput, StepKind};
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_core::input::{PresignKey, TaxNumber};
use humo_ident_core::liveness::sign_local;
use humo_ident_core::ErrorCode;

use humo_ident_analytics::event::{Capture, RetakeAfter};
use humo_ident_analytics::Outcome;
use humo_ident_session::analytics::{EventsSink, Recorder};

use crate::person::{Mischief, Person, PATIENCE};
use crate::report::{Ending, FlowReport, Through};

/// What every core flow sends: a document photo and the face the selfie is signed for.
pub struct Photos {
    pub document: UploadJpeg,
    pub face: UploadJpeg,
    pub liveness_key: Vec<u8>,
}

pub async fn run(
    config: Arc<Config>,
    photos: &Photos,
    key: PresignKey,
    person: &mut Person,
    deadline: Duration,
    events: Option<EventsSink>,
) -> anyhow::Result<FlowReport> {
    let started = Instant::now();
    // What the CLI's run would record: the flow's screens, refusals and ending, and its photos
    // as files.
    let mut recorder = Recorder::new(events, None);
    let client = ApiClient::new(&config.api)?;
    let (flow, mut events) = start_flow(client, Arc::clone(&config));
    let mut report = FlowReport::new(Through::Core, key.as_hyphenated());
    let mut tries = 0;
    let until = tokio::time::Instant::now() + deadline;
    while let Ok(Some(event)) = tokio::time::timeout_at(until, events.recv()).await {
        report.events.push_str(&serde_json::to_string(&event)?);
        report.events.push('\n');
        let FlowEvent::StateChanged { state } = event else {
            continue;
        };
        recorder.on_state(&state);
        if report.note_state(&state) {
            break;
        }
        // A refused action (one the screen does not offer) is part of the game: the flow must
        // say no and carry on, and the person then does what the screen asks.
        match person.mischief() {
            Some(Mischief::Cancel) if flow.act(Action::Cancel).await.is_ok() => continue,
            Some(Mischief::Reset) if flow.act(Action::Reset).await.is_ok() => {
                report.ending = Ending::Reset;
                break;
            }
            Some(Mischief::StrayRetry) if flow.act(Action::Retry).await.is_ok() => {
                if let FlowState::StepInterrupted { task_id: None, .. } = state {
                    report.upload_actions += 1;
                }
                continue;
            }
            _ => {}
        }
        let action = match &state {
            FlowState::AwaitingLink => Action::OpenLink(key.clone()),
            FlowState::LinkFailed { retryable, .. } => {
                tries += 1;
                if *retryable && tries <= PATIENCE {
                    Action::Retry
                } else {
                    Action::Cancel
                }
            }
            FlowState::ChoosingDocument { offers_tax_number } => {
                let (kind, typed) = person.document(*offers_tax_number);
                tries = 0;
                Action::ChooseDocument {
                    kind,
                    tax_number: typed.map(|t| TaxNumber::parse(&t)).transpose()?,
                }
            }
            FlowState::AwaitingInput { step } => {
                report.upload_actions += 1;
                recorder.photo_taken(step, Capture::File);
                Action::Submit(match step.kind {
                    StepKind::DocumentPage => StepInput::Photo(photos.document.clone()),
                    StepKind::Selfie => StepInput::Selfie(sign_local(
                        photos.face.bytes(),
                        &photos.liveness_key,
                        &config.images,
                    )?),
                })
            }
            FlowState::StepAccepted { .. } => {
                tries = 0;
                Action::Continue
            }
            FlowState::StepRejected { step, .. } => {
                recorder.retake(step, RetakeAfter::BankRefusal, Vec::new());
                Action::Retake
            }
            FlowState::StepInterrupted { task_id, .. } => {
                tries += 1;
                if tries > PATIENCE {
                    Action::Cancel
                } else {
                    if task_id.is_none() {
                        report.upload_actions += 1;
                    }
                    Action::Retry
                }
            }
            // The flow is busy: the person waits.
            _ => continue,
        };
        match flow.act(action).await {
            Ok(()) => {}
            // The screen changed under the person's finger (an I/O result, or their own
            // cancel, came first): refused, as it should be. The deadline catches a flow that
            // stops for good.
            Err(error) if error.code() == ErrorCode::InvalidAction => report.refused += 1,
            Err(error) => anyhow::bail!("an action failed in {}: {error}", state.name()),
        }
    }
    if report.ending == Ending::Reset {
        recorder.end(Outcome::StartedOver);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}
