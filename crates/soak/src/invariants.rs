//! What must hold of every flow, checked against what the emulator recorded of it.

use std::collections::{BTreeMap, BTreeSet};

use humo_ident_emulator::{RecordedPoll, RecordedRequest};

use crate::report::{Ending, FlowReport};

/// Each broken invariant of `flow`, in words; empty when it held.
pub fn check(
    flow: &FlowReport,
    requests: &[RecordedRequest],
    polls: &[RecordedPoll],
) -> Vec<String> {
    let mut broken = Vec::new();
    if flow.ending == Ending::Stuck {
        broken.push(format!(
            "no final state within {:.0?}; last events:\n{}",
            flow.elapsed,
            last_lines(&flow.events, 5)
        ));
    }
    let mine: Vec<&RecordedRequest> = requests
        .iter()
        .filter(|r| r.link_key.as_deref() == Some(flow.key.as_str()))
        .collect();
    let uploads = mine
        .iter()
        .filter(|r| r.method == "POST" && r.path.starts_with("/api/tasks/"))
        .count();
    if uploads > flow.uploads_started {
        broken.push(format!(
            "the server received {uploads} uploads for {} started",
            flow.uploads_started
        ));
    }
    if flow.uploads_started > flow.upload_actions {
        broken.push(format!(
            "{} uploads started for {} actions of the person",
            flow.uploads_started, flow.upload_actions
        ));
    }
    let tasks: BTreeSet<u64> = mine.iter().filter_map(|r| r.created_task).collect();
    broken.extend(overlapping_polls(&tasks, polls));
    broken
}

/// Any two status requests of one task that were in flight at once.
fn overlapping_polls(tasks: &BTreeSet<u64>, polls: &[RecordedPoll]) -> Vec<String> {
    let mut by_task: BTreeMap<u64, Vec<&RecordedPoll>> = BTreeMap::new();
    for poll in polls.iter().filter(|p| tasks.contains(&p.task_id)) {
        by_task.entry(poll.task_id).or_default().push(poll);
    }
    let mut broken = Vec::new();
    for (task, mut polls) in by_task {
        polls.sort_by_key(|p| p.started);
        for pair in polls.windows(2) {
            if pair[1].started < pair[0].finished {
                broken.push(format!("two polls of task {task} were in flight at once"));
            }
        }
    }
    broken
}

/// Where any of `tokens` appears in `text`, as a line number (the token itself is not
/// repeated).
pub fn token_leaks(tokens: &BTreeSet<String>, text: &str, what: &str) -> Vec<String> {
    leaks(tokens, text, "an access token", what)
}

/// Where any of `secrets` (each a `kind` of secret: a presign key, a value the bank read)
/// appears in `text`, as a line number; the secret itself is not repeated.
pub fn leaks(secrets: &BTreeSet<String>, text: &str, kind: &str, what: &str) -> Vec<String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| secrets.iter().any(|s| line.contains(s.as_str())))
        .map(|(n, _)| format!("{kind} appears in {what}, line {}", n + 1))
        .collect()
}

/// The bearer tokens the requests carried.
pub fn tokens_of(requests: &[RecordedRequest]) -> BTreeSet<String> {
    requests
        .iter()
        .filter_map(|r| r.authorization.as_deref())
        .filter_map(|a| a.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect()
}

fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_found_by_its_line_and_not_repeated() {
        let secrets = BTreeSet::from(["RAHIMOV".to_owned(), "020025789".to_owned()]);
        let log = "status check task=1\nthe bank read RAHIMOV\nok\ntin=020025789\n";
        let found = leaks(&secrets, log, "a value the bank read", "the log");
        assert_eq!(
            found,
            [
                "a value the bank read appears in the log, line 2",
                "a value the bank read appears in the log, line 4"
            ]
        );
        assert!(leaks(&secrets, "nothing here\n", "x", "the log").is_empty());
    }
}
