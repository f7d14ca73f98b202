//! Runs a [`Flow`] on tokio: takes actions from a handle, performs the I/O the machine asks for,
//! and streams [`FlowEvent`]s.
//!
//! At most one I/O operation runs at a time. Starting another, cancelling or resetting stops the
//! one under way at once, and results that arrive from a stopped operation are dropped.

use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::api::ApiClient;
use crate::config::Config;
use crate::error::Error;
use crate::flow::machine::{Effect, Flow, IoResult};
use crate::flow::state::{Action, FlowEvent};
use crate::poll::watch_task;

/// Sends a person's actions to a running flow. Dropping every handle ends the flow.
#[derive(Clone, Debug)]
pub struct FlowHandle {
    commands: mpsc::Sender<Command>,
}

struct Command {
    action: Action,
    reply: oneshot::Sender<Result<(), Error>>,
}

impl FlowHandle {
    /// Applies an action; returns once the flow has taken it (not when its I/O has finished).
    /// An action the flow cannot take now is refused with [`Error::InvalidAction`].
    pub async fn act(&self, action: Action) -> Result<(), Error> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(Command { action, reply })
            .await
            .map_err(|_| Error::Cancelled)?;
        answer.await.map_err(|_| Error::Cancelled)?
    }
}

/// Starts a flow on the current tokio runtime. The first event is the initial state.
pub fn start_flow(
    client: ApiClient,
    config: Arc<Config>,
) -> (FlowHandle, mpsc::UnboundedReceiver<FlowEvent>) {
    let (commands, command_rx) = mpsc::channel(16);
    let (events, event_rx) = mpsc::unbounded_channel();
    let driver = Driver {
        flow: Flow::new(Arc::new(config.flow.clone())),
        client,
        config,
        events,
        generation: 0,
        running: None,
    };
    tokio::spawn(driver.run(command_rx));
    (FlowHandle { commands }, event_rx)
}

struct Driver {
    flow: Flow,
    client: ApiClient,
    config: Arc<Config>,
    events: mpsc::UnboundedSender<FlowEvent>,
    /// Counts I/O operations; a result is applied only if it comes from the newest.
    generation: u64,
    running: Option<CancellationToken>,
}

impl Driver {
    async fn run(mut self, mut commands: mpsc::Receiver<Command>) {
        let (io_tx, mut io_rx) = mpsc::unbounded_channel::<(u64, IoResult)>();
        let mut shown = self.flow.state().clone();
        self.emit(FlowEvent::StateChanged {
            state: shown.clone(),
        });
        loop {
            let effects = tokio::select! {
                command = commands.recv() => {
                    let Some(Command { action, reply }) = command else { break };
                    match self.flow.handle_action(action) {
                        Ok(effects) => {
                            let _ = reply.send(Ok(()));
                            effects
                        }
                        Err(error) => {
                            let _ = reply.send(Err(error));
                            continue;
                        }
                    }
                }
                Some((generation, result)) = io_rx.recv() => {
                    if generation != self.generation {
                        continue;
                    }
                    self.running = None;
                    self.flow.handle_io(result)
                }
            };
            for effect in effects {
                self.start(effect, &io_tx);
            }
            if self.flow.state() != &shown {
                shown = self.flow.state().clone();
                tracing::debug!(state = shown.name(), "flow state");
                self.emit(FlowEvent::StateChanged {
                    state: shown.clone(),
                });
            }
        }
        self.stop();
    }

    fn emit(&self, event: FlowEvent) {
        // No listener left is not an error: the flow still finishes what it started.
        let _ = self.events.send(event);
    }

    fn stop(&mut self) {
        if let Some(cancel) = self.running.take() {
            cancel.cancel();
        }
        self.generation += 1;
    }

    fn start(&mut self, effect: Effect, io_tx: &mpsc::UnboundedSender<(u64, IoResult)>) {
        self.stop();
        let generation = self.generation;
        let cancel = CancellationToken::new();
        let client = self.client.clone();
        let io_tx = io_tx.clone();
        let operation: std::pin::Pin<Box<dyn std::future::Future<Output = IoResult> + Send>> =
            match effect {
                Effect::StopIo => return,
                Effect::Presign(key) => {
                    Box::pin(async move { IoResult::Presigned(client.presign(&key).await) })
                }
                Effect::Upload { opened, request } => {
                    Box::pin(
                        async move { IoResult::Uploaded(client.upload(&opened, request).await) },
                    )
                }
                Effect::Watch { opened, task, step } => {
                    let policy = self.config.polling.clone();
                    let events = self.events.clone();
                    let cancel = cancel.clone();
                    Box::pin(async move {
                        let outcome = watch_task(
                            &client,
                            &opened,
                            &task,
                            &step.label,
                            &policy,
                            &cancel,
                            |progress| {
                                let _ = events.send(FlowEvent::TaskProgress {
                                    step: step.clone(),
                                    task_id: task.clone(),
                                    progress,
                                });
                            },
                        )
                        .await;
                        IoResult::TaskEnded(outcome)
                    })
                }
            };
        self.running = Some(cancel.clone());
        tokio::spawn(async move {
            tokio::select! {
                _ = cancel.cancelled() => {}
                result = operation => { let _ = io_tx.send((generation, result)); }
            }
        });
    }
}
