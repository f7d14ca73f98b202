//! The bodies the bank's server sends, read leniently: unknown fields are accepted, optional ones
//! may be `null` or missing, and ids may be numbers or strings.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::Error;
use crate::input::PresignKey;
use crate::token::AccessToken;

/// An opened identification link: what the presign call returned.
#[derive(Clone)]
pub struct OpenedLink {
    /// The presign key, sent back as `key` with every upload.
    pub key: PresignKey,
    /// `source` from the presign, sent with every upload when present.
    pub source: Option<String>,
    /// `depart_id` from the presign, as text; sent with every upload when present.
    pub depart_id: Option<String>,
    /// `staff_id` from the presign.
    pub staff_id: Option<String>,
    /// `external_id` from the presign.
    pub external_id: Option<String>,
    /// Where the person goes back to when the flow ends (a deep link of the bank's app).
    pub home_page: Option<String>,
    /// `process` from the presign (`identification`).
    pub process: Option<String>,
    pub(crate) token: AccessToken,
}

impl fmt::Debug for OpenedLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenedLink")
            .field("key", &self.key)
            .field("source", &self.source)
            .field("depart_id", &self.depart_id)
            .field("home_page", &self.home_page)
            .field("token", &self.token)
            .finish_non_exhaustive()
    }
}

impl OpenedLink {
    /// Reads a presign body. The key the server echoes is not trusted over the one asked for.
    pub(crate) fn from_presign_body(key: PresignKey, body: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Body {
            access_token: Option<String>,
            source: Option<Value>,
            depart_id: Option<Value>,
            staff_id: Option<Value>,
            external_id: Option<Value>,
            home_page: Option<Value>,
            process: Option<Value>,
        }
        let body: Body = serde_json::from_slice(body)
            .map_err(|e| Error::Protocol(format!("presign answer: {e}")))?;
        let token = body
            .access_token
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| Error::Protocol("presign answer has no access_token".into()))?;
        if token.chars().any(|c| c.is_control() || c == ' ') {
            return Err(Error::Protocol(
                "presign access_token is not a token".into(),
            ));
        }
        Ok(OpenedLink {
            key,
            source: form_value("source", body.source)?,
            depart_id: form_value("depart_id", body.depart_id)?,
            staff_id: form_value("staff_id", body.staff_id)?,
            external_id: form_value("external_id", body.external_id)?,
            home_page: form_value("home_page", body.home_page)?,
            process: form_value("process", body.process)?,
            token: AccessToken::new(token),
        })
    }

    /// What a UI may know of the opened link: everything but the token.
    pub fn info(&self) -> OpenedLinkInfo {
        OpenedLinkInfo {
            source: self.source.clone(),
            home_page: self.home_page.clone(),
            process: self.process.clone(),
        }
    }
}

/// The parts of a [`OpenedLink`] that may be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenedLinkInfo {
    /// Which channel opened the link.
    pub source: Option<String>,
    /// Where to go when done.
    pub home_page: Option<String>,
    /// The bank's name for the process.
    pub process: Option<String>,
}

/// A presign value as a form field: strings as they are, numbers in decimal, `null` and empty
/// strings as absent (the contract leaves null fields out of the form).
fn form_value(name: &str, value: Option<Value>) -> Result<Option<String>, Error> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(Value::Bool(b)) => Ok(Some(b.to_string())),
        Some(other) => Err(Error::Protocol(format!(
            "presign field {name} should be text or a number, not {}",
            type_name(&other)
        ))),
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// The id of a task the bank is working on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, ts_rs::TS)]
#[serde(transparent)]
#[ts(export)]
pub struct TaskId(String);

impl TaskId {
    /// Reads an upload's answer, `{"id": 123213}` (a string id is accepted too).
    pub(crate) fn from_upload_body(body: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Body {
            id: Value,
        }
        let body: Body = serde_json::from_slice(body)
            .map_err(|e| Error::Protocol(format!("upload answer: {e}")))?;
        let id = match body.id {
            Value::Number(n) if n.is_u64() || n.is_i64() => n.to_string(),
            Value::String(s) => s,
            other => {
                return Err(Error::Protocol(format!(
                    "upload answer: id is {}",
                    type_name(&other)
                )))
            }
        };
        // The id goes into a URL path: only plain characters are safe there.
        let plain = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if plain {
            Ok(TaskId(id))
        } else {
            Err(Error::Protocol(format!(
                "upload answer: id {id:?} is not a plain id"
            )))
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a task stands, as one status check saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskState {
    /// Not finished; the status as the server named it (`SENT`, `PENDING`, `STARTED`, …).
    Pending(String),
    /// `SUCCESS`, with the task's result.
    Succeeded(Value),
    /// `FAILURE` or `REVOKED`, with the status and the task's result.
    Rejected {
        /// The status as the server named it.
        status: String,
        /// The result, which may explain why.
        result: Value,
    },
}

impl TaskState {
    /// Reads a status answer, `{"status": "SENT" | "SUCCESS" | "FAILURE", "result": {}}`.
    ///
    /// Any status but the three terminal ones means "not finished yet": task queues have more
    /// states than the contract names (`PENDING`, `STARTED`, `RETRY`).
    pub(crate) fn from_status_body(body: &[u8]) -> Result<Self, Error> {
        #[derive(Deserialize)]
        struct Body {
            status: String,
            #[serde(default)]
            result: Value,
        }
        let body: Body = serde_json::from_slice(body)
            .map_err(|e| Error::Protocol(format!("status answer: {e}")))?;
        let status = body.status.trim().to_ascii_uppercase();
        Ok(match status.as_str() {
            "SUCCESS" => TaskState::Succeeded(body.result),
            "FAILURE" | "REVOKED" => TaskState::Rejected {
                status,
                result: body.result,
            },
            "" => return Err(Error::Protocol("status answer: empty status".into())),
            _ => TaskState::Pending(status),
        })
    }

    /// The status name.
    pub fn status(&self) -> &str {
        match self {
            TaskState::Pending(status) | TaskState::Rejected { status, .. } => status,
            TaskState::Succeeded(_) => "SUCCESS",
        }
    }
}

/// The most useful sentence in a rejected task's `result`, or in an error body.
///
/// The contract does not describe `result`, so the usual places are tried in order. `msg` is
/// where FastAPI puts each validation error of a 422 (`{"detail": [{"msg": …}]}`).
pub fn reason_of(result: &Value) -> Option<String> {
    const KEYS: &[&str] = &[
        "message",
        "msg",
        "reason",
        "detail",
        "error",
        "description",
        "errors",
    ];
    match result {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Object(map) => KEYS.iter().find_map(|k| map.get(*k).and_then(reason_of)),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(reason_of).collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn key() -> PresignKey {
        PresignKey::parse("05a4ce19-de3c-4d2c-a464-7356dbdbd107").unwrap()
    }

    #[test]
    fn reads_the_contracts_example() {
        let body = json!({
            "key": "05a4ce19-de3c-4d2c-a464-7356dbdbd107",
            "source": "humo_online",
            "access_token": "own_access_token",
            "callback": "192.168.145.170/own/callback",
            "home_page": "humoOnline://app",
            "process": "identification",
            "depart_id": null,
            "staff_id": null,
            "external_id": "external_client_id",
            "queue_rank": 0,
            "other": { "additionalProp1": {} }
        });
        let opened = OpenedLink::from_presign_body(key(), body.to_string().as_bytes()).unwrap();
        assert_eq!(opened.source.as_deref(), Some("humo_online"));
        assert_eq!(opened.depart_id, None);
        assert_eq!(opened.home_page.as_deref(), Some("humoOnline://app"));
        assert!(!format!("{opened:?}").contains("own_access_token"));
    }

    #[test]
    fn numeric_and_empty_fields() {
        let body = json!({"access_token": "t", "depart_id": 42, "source": "", "extra": [1, 2]});
        let opened = OpenedLink::from_presign_body(key(), body.to_string().as_bytes()).unwrap();
        assert_eq!(opened.depart_id.as_deref(), Some("42"));
        assert_eq!(opened.source, None);
    }

    #[test]
    fn a_presign_without_token_is_a_protocol_error() {
        for body in [
            r#"{"source":"x"}"#,
            r#"{"access_token":""}"#,
            "[]",
            "<html>",
        ] {
            let error = OpenedLink::from_presign_body(key(), body.as_bytes()).unwrap_err();
            assert!(matches!(error, Error::Protocol(_)), "{body}");
        }
    }

    #[test]
    fn statuses() {
        let state = |s: &str| TaskState::from_status_body(s.as_bytes()).unwrap();
        assert_eq!(
            state(r#"{"status":"SENT","result":{}}"#),
            TaskState::Pending("SENT".into())
        );
        assert_eq!(
            state(r#"{"status":"STARTED"}"#),
            TaskState::Pending("STARTED".into())
        );
        assert_eq!(
            state(r#"{"status":"success","result":{"a":1}}"#),
            TaskState::Succeeded(json!({"a": 1}))
        );
        assert!(matches!(
            state(r#"{"status":"REVOKED"}"#),
            TaskState::Rejected { .. }
        ));
        assert!(TaskState::from_status_body(br#"{"status":""}"#).is_err());
        assert!(TaskState::from_status_body(br#"{"result":{}}"#).is_err());
    }

    #[test]
    fn task_ids() {
        assert_eq!(
            TaskId::from_upload_body(br#"{"id": 123213}"#)
                .unwrap()
                .as_str(),
            "123213"
        );
        assert_eq!(
            TaskId::from_upload_body(br#"{"id": "a-1"}"#)
                .unwrap()
                .as_str(),
            "a-1"
        );
        for bad in [
            r#"{"id": "../x"}"#,
            r#"{"id": 1.5}"#,
            r#"{"id": null}"#,
            r#"{}"#,
            r#"{"id": ""}"#,
        ] {
            assert!(TaskId::from_upload_body(bad.as_bytes()).is_err(), "{bad}");
        }
    }

    #[test]
    fn reasons_are_found_where_servers_put_them() {
        assert_eq!(
            reason_of(&json!({"message": "blurred"})).as_deref(),
            Some("blurred")
        );
        assert_eq!(
            reason_of(&json!({"error": {"detail": "no face"}})).as_deref(),
            Some("no face")
        );
        assert_eq!(
            reason_of(&json!({"errors": ["dark", "tilted"]})).as_deref(),
            Some("dark; tilted")
        );
        let fastapi_422 = json!({"detail": [
            {"type": "missing", "loc": ["body", "img"], "msg": "Field required"},
            {"type": "uuid_parsing", "loc": ["body", "key"], "msg": "Input should be a valid UUID"},
        ]});
        assert_eq!(
            reason_of(&fastapi_422).as_deref(),
            Some("Field required; Input should be a valid UUID")
        );
        assert_eq!(reason_of(&json!({})), None);
    }

    proptest! {
        #[test]
        fn status_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = TaskState::from_status_body(&body);
        }

        #[test]
        fn any_status_name_parses(status in "[A-Za-z_]{1,12}", result in "[a-z]{0,8}") {
            let body = json!({"status": status, "result": {"k": result}}).to_string();
            let state = TaskState::from_status_body(body.as_bytes()).unwrap();
            let upper = status.to_ascii_uppercase();
            prop_assert_eq!(state.status(), upper.as_str());
            let terminal = matches!(upper.as_str(), "SUCCESS" | "FAILURE" | "REVOKED");
            prop_assert_eq!(terminal, !matches!(state, TaskState::Pending(_)));
        }

        #[test]
        fn presign_parsing_never_panics(body in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = OpenedLink::from_presign_body(key(), &body);
        }

        #[test]
        fn presign_fields_of_any_json_kind(depart in prop_oneof![
            Just(json!(null)), any::<i64>().prop_map(|n| json!(n)), "[a-z0-9]{0,6}".prop_map(|s| json!(s)),
            Just(json!({"x": 1})), Just(json!([1]))
        ]) {
            let body = json!({"access_token": "tok", "depart_id": depart.clone()}).to_string();
            match OpenedLink::from_presign_body(key(), body.as_bytes()) {
                Ok(opened) => {
                    let expected = match &depart {
                        Value::Null => None,
                        Value::String(s) if s.is_empty() => None,
                        Value::String(s) => Some(s.clone()),
                        other => Some(other.to_string()),
                    };
                    prop_assert_eq!(opened.depart_id, expected);
                }
                Err(error) => prop_assert!(depart.is_object() || depart.is_array(), "{}", error),
            }
        }
    }
}
