//! The bank's answers, as arbitrary bytes: the presign body, an upload's `{"id": …}` and a
//! status body, then what the flow makes of a status (a task still pending, accepted, or
//! rejected with the reason shown to the person) and of an error body.
//!
//! Beyond "no panic" it asserts:
//! - an accepted presign carries a token that makes an `Authorization` header: every later call
//!   sends it, and one that cannot be sent would fail each of them as an expired link;
//! - presign fields are absent or non-blank text;
//! - a task id is 1–64 plain characters (it goes into a URL path);
//! - a status is its trimmed upper-case name, terminal exactly for SUCCESS, FAILURE and REVOKED,
//!   and a rejected step always has a reason to show.
#![no_main]

use humo_ident_core::api::{reason_of, TaskState};
use humo_ident_core::fuzzing::{presign_body, status_body, upload_body};
use humo_ident_core::input::PresignKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = PresignKey::parse("05a4ce19-de3c-4d2c-a464-7356dbdbd107").unwrap();
    if let Ok((opened, header)) = presign_body(key.clone(), data) {
        assert!(
            header,
            "the presign's token cannot be sent: {:?}",
            String::from_utf8_lossy(data)
        );
        assert_eq!(opened.key, key);
        for field in [
            &opened.source,
            &opened.depart_id,
            &opened.staff_id,
            &opened.external_id,
            &opened.home_page,
            &opened.process,
        ] {
            if let Some(text) = field {
                assert!(!text.trim().is_empty());
            }
        }
        let debug = format!("{opened:?}");
        assert!(debug.contains("token: ***"), "{debug}");
        let _ = opened.info();
    }

    if let Ok(task) = upload_body(data) {
        let id = task.as_str();
        assert!((1..=64).contains(&id.len()), "{id:?}");
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(task.to_string(), id);
    }

    if let Ok(state) = status_body(data) {
        let status = state.status().to_owned();
        assert!(!status.is_empty());
        assert_eq!(status, status.trim().to_ascii_uppercase());
        let terminal = matches!(status.as_str(), "SUCCESS" | "FAILURE" | "REVOKED");
        match state {
            TaskState::Pending(_) => assert!(!terminal, "{status}"),
            TaskState::Succeeded(_) => assert_eq!(status, "SUCCESS"),
            TaskState::Rejected { status, result } => {
                assert!(matches!(status.as_str(), "FAILURE" | "REVOKED"));
                // What the flow shows for a rejected step.
                let reason = reason_of(&result).unwrap_or(status);
                assert!(!reason.trim().is_empty(), "an empty reason");
            }
        }
    }

    // An error body: the detail the app shows, cut to 300 characters.
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        if let Some(reason) = reason_of(&value) {
            assert!(!reason.is_empty());
            let shown: String = reason.chars().take(300).collect();
            assert!(reason.starts_with(&shown));
        }
    }
});
