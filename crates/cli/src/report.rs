//! What the person sees: progress sentences on stderr, or one JSON object per event on stdout.

use std::io::Write;

use humo_ident_core::flow::{FlowEvent, FlowState, StepView};
use humo_ident_core::poll::PollProgress;
use serde_json::{json, Value};

use crate::exit::Exit;

/// Writes events for a person or a program.
pub struct Reporter {
    json: bool,
    last_status: Option<String>,
}

impl Reporter {
    pub fn new(json: bool) -> Self {
        Reporter {
            json,
            last_status: None,
        }
    }

    /// A free sentence for the person (not shown in JSON mode, where stdout is for events only).
    pub fn say(&self, text: &str) {
        if !self.json {
            eprintln!("{text}");
        }
    }

    /// An error outside the flow's events (bad input, a refused action).
    pub fn error(&self, error: &humo_ident_core::Error) {
        if self.json {
            print_json(&json!({"event": "error", "error": error.info()}));
        }
        eprintln!("{error}");
    }

    pub fn event(&mut self, event: &FlowEvent) {
        if self.json {
            print_json(&serde_json::to_value(event).unwrap_or(Value::Null));
            return;
        }
        match event {
            FlowEvent::StateChanged { state } => self.state(state),
            FlowEvent::TaskProgress { step, progress, .. } => match progress {
                PollProgress::Status {
                    status, elapsed_ms, ..
                } => {
                    let terminal = matches!(status.as_str(), "SUCCESS" | "FAILURE" | "REVOKED");
                    if !terminal && self.last_status.as_deref() != Some(status) {
                        eprintln!(
                            "{}: status {status} after {:.1} s",
                            prefix(step),
                            *elapsed_ms as f64 / 1000.0
                        );
                        self.last_status = Some(status.clone());
                    }
                }
                PollProgress::Failed {
                    consecutive, error, ..
                } => eprintln!(
                    "{}: a status check failed ({consecutive} in a row): {}; trying again",
                    prefix(step),
                    error.message
                ),
            },
        }
    }

    fn state(&mut self, state: &FlowState) {
        match state {
            FlowState::AwaitingLink | FlowState::AwaitingInput { .. } => {}
            FlowState::OpeningLink => eprintln!("Opening the link…"),
            FlowState::LinkFailed { error, .. } | FlowState::Expired { error } => {
                eprintln!("{}", error.message)
            }
            FlowState::ChoosingDocument { .. } => eprintln!("The link is open."),
            FlowState::Uploading { step } => {
                self.last_status = None;
                eprintln!("{}: sending…", prefix(step))
            }
            FlowState::Processing { step, task_id } => {
                eprintln!("{}: the bank is checking it (task {task_id})", prefix(step))
            }
            FlowState::StepAccepted { result } => {
                eprintln!("{}: accepted", prefix(&result.step));
                for line in readable_fields(&result.result) {
                    eprintln!("      {line}");
                }
            }
            FlowState::StepRejected { step, reason, .. } => {
                eprintln!("{}: the bank did not accept it: {reason}", prefix(step))
            }
            FlowState::StepInterrupted { step, error, .. } => {
                eprintln!("{}: {}", prefix(step), error.message)
            }
            FlowState::Done { home_page, .. } => match home_page {
                Some(home) => eprintln!("Identification sent. The bank's app continues at {home}"),
                None => eprintln!("Identification sent."),
            },
            FlowState::Cancelled => eprintln!("Cancelled."),
        }
    }

    /// The last line: how the command ended.
    pub fn finish(&self, exit: Exit) {
        if self.json {
            print_json(&json!({"event": "finished", "exitCode": exit as u8}));
        }
    }
}

fn print_json(value: &Value) {
    let mut out = std::io::stdout().lock();
    // A closed stdout (a pipe to `head`) must not abort the identification.
    let _ = writeln!(out, "{value}").and_then(|_| out.flush());
}

fn prefix(step: &StepView) -> String {
    format!("[{}/{}] {}", step.index + 1, step.total, step.label)
}

/// `name: value` lines for the scalar fields of a result, as far as they fit on a screen.
fn readable_fields(result: &Value) -> Vec<String> {
    let Value::Object(map) = result else {
        return Vec::new();
    };
    map.iter()
        .filter_map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.replace('\n', " / "),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(format!("{}: {text}", name.replace('_', " ")))
        })
        .take(20)
        .collect()
}
