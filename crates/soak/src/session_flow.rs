//! Identifications through the app's session, one client after another as at a kiosk: the
//! synthetic camera takes each photo by itself and the person uses it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use humo_ident_core::flow::{FlowEvent, FlowState};
use humo_ident_core::ErrorCode;
use humo_ident_session::events::AppEvent;
use humo_ident_session::{AppErrorCode, Session};
use tokio::sync::mpsc;

use crate::person::{Mischief, Person, PATIENCE};
use crate::report::{Ending, FlowReport, Through};

/// The session and every event it emits.
pub struct SessionRunner {
    session: Session,
    events: mpsc::UnboundedReceiver<AppEvent>,
}

impl SessionRunner {
    pub async fn new(session: Session) -> anyhow::Result<SessionRunner> {
        let (tx, events) = mpsc::unbounded_channel();
        session
            .subscribe(Arc::new(move |event: AppEvent| {
                let _ = tx.send(event);
            }))
            .await?;
        Ok(SessionRunner { session, events })
    }

    /// One client's identification with the link `key`, then the start screen again.
    pub async fn run(
        &mut self,
        key: String,
        person: &mut Person,
        deadline: Duration,
    ) -> anyhow::Result<FlowReport> {
        let started = Instant::now();
        let mut report = FlowReport::new(Through::Session, key.clone());
        // What the last client left in the queue is not this flow's.
        while self.events.try_recv().is_ok() {}
        self.session.open_link(key).await?;
        let session = &self.session;
        let mut state = FlowState::OpeningLink;
        let mut still: Option<u64> = None;
        let mut used_still: Option<u64> = None;
        let mut tries = 0;
        let until = tokio::time::Instant::now() + deadline;
        while let Ok(Some(event)) = tokio::time::timeout_at(until, self.events.recv()).await {
            report.events.push_str(&serde_json::to_string(&event)?);
            report.events.push('\n');
            match event {
                AppEvent::Camera(view) => {
                    still = view.and_then(|v| v.review).map(|r| r.id);
                }
                AppEvent::AutoRetry(Some(_)) => {
                    // The app sends the photo again by itself: counted as an action, since it
                    // stands for the person's "try again".
                    report.upload_actions += 1;
                }
                AppEvent::Flow(FlowEvent::StateChanged { state: new }) => {
                    if report.note_state(&new) {
                        break;
                    }
                    state = new;
                    match person.mischief() {
                        Some(Mischief::Cancel) if session.cancel().await.is_ok() => continue,
                        Some(Mischief::Reset) if session.reset().await.is_ok() => {
                            report.ending = Ending::Reset;
                            break;
                        }
                        Some(Mischief::StrayRetry) if session.retry().await.is_ok() => {
                            if let FlowState::StepInterrupted { task_id: None, .. } = state {
                                report.upload_actions += 1;
                            }
                            continue;
                        }
                        _ => {}
                    }
                    let planned = match &state {
                        FlowState::LinkFailed { retryable, .. } => {
                            tries += 1;
                            if *retryable && tries <= PATIENCE {
                                session.retry().await
                            } else {
                                session.cancel().await
                            }
                        }
                        FlowState::ChoosingDocument { offers_tax_number } => {
                            tries = 0;
                            let (kind, typed) = person.document(*offers_tax_number);
                            session.choose_document(kind, typed).await
                        }
                        FlowState::StepAccepted { .. } => {
                            tries = 0;
                            session.continue_flow().await
                        }
                        FlowState::StepRejected { .. } => session.retake().await,
                        FlowState::StepInterrupted { task_id, .. } => {
                            tries += 1;
                            if tries > PATIENCE {
                                session.cancel().await
                            } else {
                                if task_id.is_none() {
                                    report.upload_actions += 1;
                                }
                                // An impatient person does not wait for the app's own retry.
                                session.retry().await
                            }
                        }
                        _ => Ok(()),
                    };
                    match planned {
                        Ok(()) => {}
                        // The screen changed under the person's finger: refused, as it should
                        // be. The deadline catches a flow that stops for good.
                        Err(error)
                            if error.code() == AppErrorCode::Flow(ErrorCode::InvalidAction) =>
                        {
                            report.refused += 1
                        }
                        Err(error) => {
                            anyhow::bail!("an action failed in {}: {error}", state.name())
                        }
                    }
                }
                _ => {}
            }
            // The photo, once the camera has taken it by itself, is used as it is.
            if matches!(state, FlowState::AwaitingInput { .. })
                && still.is_some()
                && still != used_still
                && session.use_photo().await.is_ok()
            {
                used_still = still;
                report.upload_actions += 1;
            }
        }
        // The next client starts on the start screen, whatever this one left.
        session.reset().await?;
        report.elapsed = started.elapsed();
        Ok(report)
    }
}
