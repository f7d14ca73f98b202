//! What the person sees: progress sentences on stderr, or one JSON object per event on stdout.

use std::io::Write;

use humo_ident_core::flow::{FlowEvent, FlowState, StepView};
use humo_ident_core::poll::PollProgress;
use serde_json::{json, Value};

use crate::exit::Exit;

/// Writes a line for the person on stderr, with the server's text made safe for a terminal.
macro_rules! show {
    ($($arg:tt)*) => {
        eprintln!("{}", printable(&format!($($arg)*)))
    };
}

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
            show!("{text}");
        }
    }

    /// An error outside the flow's events (bad input, a refused action).
    pub fn error(&self, error: &humo_ident_core::Error) {
        if self.json {
            print_json(&json!({"event": "error", "error": error.info()}));
        }
        show!("{error}");
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
                        show!(
                            "{}: status {status} after {:.1} s",
                            prefix(step),
                            *elapsed_ms as f64 / 1000.0
                        );
                        self.last_status = Some(status.clone());
                    }
                }
                PollProgress::Failed {
                    consecutive, error, ..
                } => show!(
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
            FlowState::OpeningLink => show!("Opening the link…"),
            FlowState::LinkFailed { error, .. } | FlowState::Expired { error } => {
                show!("{}", error.message)
            }
            FlowState::ChoosingDocument { .. } => show!("The link is open."),
            FlowState::Uploading { step } => {
                self.last_status = None;
                show!("{}: sending…", prefix(step))
            }
            FlowState::Processing { step, task_id } => {
                show!("{}: the bank is checking it (task {task_id})", prefix(step))
            }
            FlowState::StepAccepted { result } => {
                show!("{}: accepted", prefix(&result.step));
                for line in readable_fields(&result.result) {
                    show!("      {line}");
                }
            }
            FlowState::StepRejected { step, reason, .. } => {
                show!("{}: the bank did not accept it: {reason}", prefix(step))
            }
            FlowState::StepInterrupted { step, error, .. } => {
                show!("{}: {}", prefix(step), error.message)
            }
            FlowState::Done { home_page, .. } => match home_page {
                Some(home) => show!("Identification sent. The bank's app continues at {home}"),
                None => show!("Identification sent."),
            },
            FlowState::Cancelled => show!("Cancelled."),
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

/// `text` without anything a terminal would act on: control characters (escape sequences,
/// carriage returns, bells) and the marks that reorder text. The bank's server and its OCR
/// supply much of what is printed, and a terminal must show it, never obey it. JSON output
/// needs no such care: control characters are escaped there.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            let reorders = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if (c.is_control() && c != '\n') || reorders {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_from_the_server_are_not_printed() {
        let hostile = "Rejected\u{1b}]0;owned\u{7}\u{1b}[2J\rfine\u{9b}31m\u{202E}txt.exe";
        let shown = printable(hostile);
        assert!(!shown.chars().any(|c| c.is_control()), "{shown:?}");
        assert!(!shown.contains('\u{202E}'));
        assert!(shown.starts_with("Rejected") && shown.contains("fine"));
        assert_eq!(printable("Иван Иванов\nline"), "Иван Иванов\nline");
    }
}
