//! The flow as a pure state machine: it takes actions and I/O results and answers with the I/O
//! to start. It performs none itself, so every transition is tested without a network.

use std::sync::Arc;

use crate::api::{reason_of, OpenedLink, TaskId, UploadRequest};
use crate::config::{DocumentKind, FlowConfig, PageConfig, SELFIE_STEP_ID};
use crate::error::Error;
use crate::flow::state::{Action, FlowState, StepInput, StepKind, StepResult, StepView};
use crate::input::{PresignKey, TaxNumber};
use crate::poll::TaskOutcome;

/// The result of I/O the machine asked for.
#[derive(Debug)]
pub enum IoResult {
    /// The presign call ended.
    Presigned(Result<OpenedLink, Error>),
    /// An upload ended.
    Uploaded(Result<TaskId, Error>),
    /// Watching a task ended.
    TaskEnded(Result<TaskOutcome, Error>),
}

impl IoResult {
    /// What ended, without what it returned: fit for a log line.
    pub fn name(&self) -> &'static str {
        match self {
            IoResult::Presigned(Ok(_)) => "presign answered",
            IoResult::Presigned(Err(_)) => "presign failed",
            IoResult::Uploaded(Ok(_)) => "upload answered",
            IoResult::Uploaded(Err(_)) => "upload failed",
            IoResult::TaskEnded(Ok(_)) => "task ended",
            IoResult::TaskEnded(Err(_)) => "watching a task failed",
        }
    }
}

/// I/O the machine asks its driver to start. Starting one stops whatever ran before.
#[derive(Debug)]
pub enum Effect {
    /// Open a link.
    Presign(PresignKey),
    /// Send a step's form.
    Upload {
        /// The opened link to authorise with.
        opened: OpenedLink,
        /// The form.
        request: UploadRequest,
    },
    /// Watch a task until it ends.
    Watch {
        /// The opened link to authorise with.
        opened: OpenedLink,
        /// The task.
        task: TaskId,
        /// The step it belongs to.
        step: StepView,
    },
    /// Stop whatever I/O is running.
    StopIo,
}

/// One planned step: its view and how to build its form.
#[derive(Debug, Clone)]
struct PlannedStep {
    view: StepView,
    page: Option<PageConfig>,
}

/// One identification, from link to result.
#[derive(Debug)]
pub struct Flow {
    config: Arc<FlowConfig>,
    state: FlowState,
    key: Option<PresignKey>,
    opened: Option<OpenedLink>,
    document: Option<(DocumentKind, Option<TaxNumber>)>,
    plan: Vec<PlannedStep>,
    current: usize,
    /// The current step's photo or selfie, kept until the bank accepts it so that a network
    /// failure never asks for it again.
    input: Option<StepInput>,
    task: Option<TaskId>,
    results: Vec<StepResult>,
}

impl Flow {
    /// A flow waiting for its link.
    pub fn new(config: Arc<FlowConfig>) -> Self {
        Flow {
            config,
            state: FlowState::AwaitingLink,
            key: None,
            opened: None,
            document: None,
            plan: Vec::new(),
            current: 0,
            input: None,
            task: None,
            results: Vec::new(),
        }
    }

    /// Where the flow stands.
    pub fn state(&self) -> &FlowState {
        &self.state
    }

    /// The opened link, if any.
    pub fn opened(&self) -> Option<&OpenedLink> {
        self.opened.as_ref()
    }

    /// Applies a person's action. An action the current state does not take is refused and
    /// changes nothing.
    pub fn handle_action(&mut self, action: Action) -> Result<Vec<Effect>, Error> {
        let refused = Error::InvalidAction {
            action: action.name(),
            state: self.state.name(),
        };
        match (action, &self.state) {
            (Action::Reset, _) => {
                self.forget_all();
                Ok(vec![Effect::StopIo])
            }
            (Action::Cancel, FlowState::Done { .. } | FlowState::Cancelled) => Err(refused),
            (Action::Cancel, _) => {
                self.forget_all();
                self.state = FlowState::Cancelled;
                Ok(vec![Effect::StopIo])
            }
            (Action::OpenLink(key), state) if state.takes_link() => {
                self.forget_all();
                Ok(self.open(key))
            }
            (
                Action::Retry,
                FlowState::LinkFailed {
                    retryable: true, ..
                },
            ) => match self.key.clone() {
                Some(key) => Ok(self.open(key)),
                None => Err(refused),
            },
            (Action::ChooseDocument { kind, tax_number }, FlowState::ChoosingDocument { .. }) => {
                self.choose(kind, tax_number)
            }
            (Action::Back, FlowState::AwaitingInput { .. }) if self.current == 0 => {
                self.document = None;
                self.plan.clear();
                self.state = self.choosing_state();
                Ok(Vec::new())
            }
            (Action::Submit(input), FlowState::AwaitingInput { step }) => {
                let fits = matches!(
                    (&input, step.kind),
                    (StepInput::Photo(_), StepKind::DocumentPage)
                        | (StepInput::Selfie(_), StepKind::Selfie)
                );
                if !fits {
                    return Err(refused);
                }
                self.input = Some(input);
                Ok(self.upload())
            }
            (Action::Continue, FlowState::StepAccepted { .. }) => {
                self.current += 1;
                self.state = match self.plan.get(self.current) {
                    Some(next) => FlowState::AwaitingInput {
                        step: next.view.clone(),
                    },
                    None => FlowState::Done {
                        home_page: self.opened.as_ref().and_then(|s| s.home_page.clone()),
                        results: self.results.clone(),
                    },
                };
                Ok(Vec::new())
            }
            (
                Action::Retake,
                FlowState::StepRejected { .. } | FlowState::StepInterrupted { .. },
            ) => {
                self.input = None;
                self.task = None;
                self.state = FlowState::AwaitingInput {
                    step: self.current_view(),
                };
                Ok(vec![Effect::StopIo])
            }
            (Action::Retry, FlowState::StepInterrupted { .. }) => match self.task.clone() {
                Some(task) => Ok(self.watch(task)),
                None if self.input.is_some() => Ok(self.upload()),
                None => Err(refused),
            },
            _ => Err(refused),
        }
    }

    /// Applies the result of I/O this machine asked for. A result that arrives in a state that
    /// no longer waits for it is ignored.
    pub fn handle_io(&mut self, result: IoResult) -> Vec<Effect> {
        match (result, &self.state) {
            (IoResult::Presigned(Ok(opened)), FlowState::OpeningLink) => {
                self.opened = Some(opened);
                self.state = self.choosing_state();
                Vec::new()
            }
            (IoResult::Presigned(Err(error)), FlowState::OpeningLink) => {
                let retryable = !matches!(
                    error,
                    Error::LinkNotFound | Error::LinkExpired | Error::InvalidKey(_)
                );
                self.state = FlowState::LinkFailed {
                    error: error.info(),
                    retryable,
                };
                Vec::new()
            }
            (IoResult::Uploaded(Ok(task)), FlowState::Uploading { .. }) => self.watch(task),
            (IoResult::Uploaded(Err(error)), FlowState::Uploading { .. }) => {
                self.interrupt(error);
                Vec::new()
            }
            (IoResult::TaskEnded(Ok(outcome)), FlowState::Processing { step, .. }) => {
                let step = step.clone();
                self.task = None;
                self.state = match outcome {
                    TaskOutcome::Succeeded(result) => {
                        self.input = None;
                        let result = StepResult { step, result };
                        self.results.push(result.clone());
                        FlowState::StepAccepted { result }
                    }
                    TaskOutcome::Rejected { status, result } => {
                        self.input = None;
                        FlowState::StepRejected {
                            step,
                            reason: reason_of(&result).unwrap_or(status),
                            result,
                        }
                    }
                };
                Vec::new()
            }
            (IoResult::TaskEnded(Err(Error::Cancelled)), _) => Vec::new(),
            (IoResult::TaskEnded(Err(error)), FlowState::Processing { .. }) => {
                self.interrupt(error);
                Vec::new()
            }
            (result, state) => {
                // Only the result's kind: a task's result holds what the bank read (OCR fields).
                tracing::debug!(
                    state = state.name(),
                    result = result.name(),
                    "ignoring a stale I/O result"
                );
                Vec::new()
            }
        }
    }

    fn open(&mut self, key: PresignKey) -> Vec<Effect> {
        self.key = Some(key.clone());
        self.state = FlowState::OpeningLink;
        vec![Effect::Presign(key)]
    }

    fn choosing_state(&self) -> FlowState {
        FlowState::ChoosingDocument {
            offers_tax_number: self.config.new_passport.offers_tax_number,
        }
    }

    fn choose(
        &mut self,
        kind: DocumentKind,
        tax_number: Option<TaxNumber>,
    ) -> Result<Vec<Effect>, Error> {
        let document = self.config.document(kind);
        if tax_number.is_some() && !document.offers_tax_number {
            return Err(Error::InvalidAction {
                action: "taxpayer number for this document",
                state: self.state.name(),
            });
        }
        let total = document.pages.len() + 1 + self.config.additional.len();
        let view =
            |index: usize, id: &str, label: &str, step: StepKind, of: Option<DocumentKind>| {
                StepView {
                    index,
                    total,
                    id: id.to_owned(),
                    label: label.to_owned(),
                    kind: step,
                    document: of,
                }
            };
        let mut plan: Vec<PlannedStep> = document
            .pages
            .iter()
            .enumerate()
            .map(|(i, page)| PlannedStep {
                view: view(i, &page.id, &page.label, StepKind::DocumentPage, Some(kind)),
                page: Some(page.clone()),
            })
            .collect();
        plan.push(PlannedStep {
            view: view(plan.len(), SELFIE_STEP_ID, "selfie", StepKind::Selfie, None),
            page: None,
        });
        for page in &self.config.additional {
            plan.push(PlannedStep {
                view: view(
                    plan.len(),
                    &page.id,
                    &page.label,
                    StepKind::DocumentPage,
                    None,
                ),
                page: Some(page.clone()),
            });
        }
        self.document = Some((kind, tax_number));
        self.plan = plan;
        self.current = 0;
        self.state = FlowState::AwaitingInput {
            step: self.current_view(),
        };
        Ok(Vec::new())
    }

    fn current_view(&self) -> StepView {
        self.plan[self.current].view.clone()
    }

    /// Builds the current step's form from the kept input and starts sending it.
    fn upload(&mut self) -> Vec<Effect> {
        let (Some(opened), Some((kind, tax_number)), Some(input)) =
            (&self.opened, &self.document, &self.input)
        else {
            return Vec::new();
        };
        let doc_type = &self.config.document(*kind).doc_type;
        let planned = &self.plan[self.current];
        let request = match (input, &planned.page) {
            (StepInput::Photo(photo), Some(page)) => {
                UploadRequest::document_page(opened, doc_type, page, tax_number.as_ref(), photo)
            }
            (StepInput::Selfie(jwt), None) => {
                UploadRequest::selfie(opened, doc_type, &self.config.selfie, jwt)
            }
            _ => return Vec::new(),
        };
        self.task = None;
        self.state = FlowState::Uploading {
            step: planned.view.clone(),
        };
        vec![Effect::Upload {
            opened: opened.clone(),
            request,
        }]
    }

    fn watch(&mut self, task: TaskId) -> Vec<Effect> {
        let Some(opened) = &self.opened else {
            return Vec::new();
        };
        let step = self.current_view();
        self.task = Some(task.clone());
        self.state = FlowState::Processing {
            step: step.clone(),
            task_id: task.clone(),
        };
        vec![Effect::Watch {
            opened: opened.clone(),
            task,
            step,
        }]
    }

    fn interrupt(&mut self, error: Error) {
        if matches!(error, Error::LinkExpired) {
            self.forget_all();
            self.state = FlowState::Expired {
                error: error.info(),
            };
            return;
        }
        self.state = FlowState::StepInterrupted {
            step: self.current_view(),
            error: error.info(),
            task_id: self.task.clone(),
        };
    }

    /// Drops the opened link (with its token), the photos and the results: nothing of this person stays behind.
    fn forget_all(&mut self) {
        let config = Arc::clone(&self.config);
        *self = Flow::new(config);
    }
}
