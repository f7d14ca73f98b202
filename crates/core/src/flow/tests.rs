//! Transitions of the pure state machine, without any I/O.

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::api::{OpenedLink, TaskId};
use crate::config::{DocumentKind, FlowConfig, ImageConfig, PageConfig};
use crate::error::{Error, ErrorCode};
use crate::image_prep::UploadJpeg;
use crate::input::{PresignKey, TaxNumber};
use crate::liveness::SelfieJwt;
use crate::poll::TaskOutcome;

const KEY: &str = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";

fn key() -> PresignKey {
    PresignKey::parse(KEY).unwrap()
}

fn opened(depart_id: Option<i64>) -> OpenedLink {
    let body = json!({"access_token": "tok", "source": "humo_online", "depart_id": depart_id,
                      "home_page": "humoOnline://app"});
    OpenedLink::from_presign_body(key(), body.to_string().as_bytes()).unwrap()
}

fn photo() -> StepInput {
    let jpeg = humo_ident_test_support::gradient_jpeg(640, 480);
    StepInput::Photo(UploadJpeg::prepare(&jpeg, &ImageConfig::default()).unwrap())
}

fn selfie() -> StepInput {
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJpc09rIjp0cnVlfQ.c2ln";
    StepInput::Selfie(SelfieJwt::parse(token).unwrap())
}

fn task(id: &str) -> TaskId {
    TaskId::from_upload_body(format!(r#"{{"id":"{id}"}}"#).as_bytes()).unwrap()
}

fn act(flow: &mut Flow, action: Action) -> Vec<Effect> {
    flow.handle_action(action).unwrap()
}

/// A flow at the first step of the new passport, with the given taxpayer number.
fn at_first_step(tax_number: Option<&str>) -> Flow {
    let mut flow = Flow::new(Arc::new(FlowConfig::default()));
    act(&mut flow, Action::OpenLink(key()));
    flow.handle_io(IoResult::Presigned(Ok(opened(None))));
    act(
        &mut flow,
        Action::ChooseDocument {
            kind: DocumentKind::New,
            tax_number: tax_number.map(|t| TaxNumber::parse(t).unwrap()),
        },
    );
    flow
}

fn step_id(flow: &Flow) -> &str {
    match flow.state() {
        FlowState::AwaitingInput { step }
        | FlowState::Uploading { step }
        | FlowState::Processing { step, .. }
        | FlowState::StepRejected { step, .. }
        | FlowState::StepInterrupted { step, .. } => &step.id,
        FlowState::StepAccepted { result } => &result.step.id,
        other => panic!("no step in {other:?}"),
    }
}

/// Submits, uploads and finishes the current step with the given outcome.
fn pass_step(flow: &mut Flow, input: StepInput, id: &str) {
    let effects = act(flow, Action::Submit(input));
    assert!(
        matches!(effects.as_slice(), [Effect::Upload { .. }]),
        "{effects:?}"
    );
    let effects = flow.handle_io(IoResult::Uploaded(Ok(task(id))));
    assert!(matches!(effects.as_slice(), [Effect::Watch { .. }]));
    flow.handle_io(IoResult::TaskEnded(Ok(TaskOutcome::Succeeded(
        json!({"step": id}),
    ))));
    assert_eq!(flow.state().name(), "step-accepted");
    act(flow, Action::Continue);
}

fn upload_fields(effects: &[Effect]) -> Vec<(String, String)> {
    match effects {
        [Effect::Upload { request, .. }] => request.fields().to_vec(),
        other => panic!("expected an upload, got {other:?}"),
    }
}

#[test]
fn the_whole_new_passport_flow() {
    let mut flow = Flow::new(Arc::new(FlowConfig::default()));
    assert_eq!(flow.state(), &FlowState::AwaitingLink);
    let effects = act(&mut flow, Action::OpenLink(key()));
    assert!(matches!(effects.as_slice(), [Effect::Presign(k)] if *k == key()));
    assert_eq!(flow.state(), &FlowState::OpeningLink);
    flow.handle_io(IoResult::Presigned(Ok(opened(None))));
    assert_eq!(
        flow.state(),
        &FlowState::ChoosingDocument {
            offers_tax_number: true
        }
    );

    act(
        &mut flow,
        Action::ChooseDocument {
            kind: DocumentKind::New,
            tax_number: Some(TaxNumber::parse("020025789").unwrap()),
        },
    );
    let FlowState::AwaitingInput { step } = flow.state() else {
        panic!()
    };
    assert_eq!((step.id.as_str(), step.index, step.total), ("front", 0, 3));

    pass_step(&mut flow, photo(), "1");
    assert_eq!(step_id(&flow), "back");
    pass_step(&mut flow, photo(), "2");
    assert_eq!(step_id(&flow), "selfie");
    pass_step(&mut flow, selfie(), "3");

    let FlowState::Done { home_page, results } = flow.state() else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(home_page.as_deref(), Some("humoOnline://app"));
    let ids: Vec<&str> = results.iter().map(|r| r.step.id.as_str()).collect();
    assert_eq!(ids, ["front", "back", "selfie"]);
    assert_eq!(results[1].result, json!({"step": "2"}));
}

#[test]
fn forms_follow_the_contract() {
    let mut flow = at_first_step(Some("020025789"));
    let front = upload_fields(&act(&mut flow, Action::Submit(photo())));
    let names: Vec<&str> = front.iter().map(|(n, _)| n.as_str()).collect();
    // depart_id was null in the presign: left out. No taxpayer number on the front.
    assert_eq!(names, ["doc_type", "source", "key"]);
    assert!(front.contains(&("doc_type".into(), "ID_NEW".into())));
    assert!(front.contains(&("key".into(), KEY.into())));

    flow.handle_io(IoResult::Uploaded(Ok(task("1"))));
    flow.handle_io(IoResult::TaskEnded(Ok(TaskOutcome::Succeeded(json!({})))));
    act(&mut flow, Action::Continue);
    let back = upload_fields(&act(&mut flow, Action::Submit(photo())));
    assert!(back.contains(&("tax_number".into(), "020025789".into())));
}

#[test]
fn old_passport_has_its_own_doc_type_and_no_tax_number() {
    let mut flow = Flow::new(Arc::new(FlowConfig::default()));
    act(&mut flow, Action::OpenLink(key()));
    flow.handle_io(IoResult::Presigned(Ok(opened(Some(42)))));
    let refused = flow.handle_action(Action::ChooseDocument {
        kind: DocumentKind::Old,
        tax_number: Some(TaxNumber::parse("020025789").unwrap()),
    });
    assert!(matches!(refused, Err(Error::InvalidAction { .. })));
    act(
        &mut flow,
        Action::ChooseDocument {
            kind: DocumentKind::Old,
            tax_number: None,
        },
    );
    let effects = act(&mut flow, Action::Submit(photo()));
    let fields = upload_fields(&effects);
    assert!(fields.contains(&("doc_type".into(), "ID_OLD".into())));
    assert!(fields.contains(&("depart_id".into(), "42".into())));
    let [Effect::Upload { request, .. }] = effects.as_slice() else {
        panic!()
    };
    assert_eq!(request.path(), "/api/tasks/ocr/id_old/front");
}

#[test]
fn a_rejected_front_is_taken_again_and_nothing_before_it_is_lost() {
    let mut flow = at_first_step(Some("020025789"));
    act(&mut flow, Action::Submit(photo()));
    flow.handle_io(IoResult::Uploaded(Ok(task("1"))));
    flow.handle_io(IoResult::TaskEnded(Ok(TaskOutcome::Rejected {
        status: "FAILURE".into(),
        result: json!({"error": "DOCUMENT_NOT_RECOGNISED", "message": "glare on the card"}),
    })));
    let FlowState::StepRejected { reason, .. } = flow.state() else {
        panic!()
    };
    assert_eq!(reason, "glare on the card");
    // The photo was refused: it cannot be sent again, only taken again.
    assert!(flow.handle_action(Action::Retry).is_err());
    act(&mut flow, Action::Retake);
    assert_eq!(step_id(&flow), "front");
    pass_step(&mut flow, photo(), "2");
    // The taxpayer number chosen before the retake still goes with the back.
    let back = upload_fields(&act(&mut flow, Action::Submit(photo())));
    assert!(back.contains(&("tax_number".into(), "020025789".into())));
}

#[test]
fn a_network_failure_on_the_back_sends_the_same_back_again() {
    let mut flow = at_first_step(None);
    pass_step(&mut flow, photo(), "1");
    act(&mut flow, Action::Submit(photo()));
    flow.handle_io(IoResult::Uploaded(Err(Error::Network("reset".into()))));
    let FlowState::StepInterrupted {
        step,
        error,
        task_id,
    } = flow.state()
    else {
        panic!()
    };
    assert_eq!(
        (step.id.as_str(), error.code, task_id),
        ("back", ErrorCode::Network, &None)
    );
    let effects = act(&mut flow, Action::Retry);
    assert!(
        matches!(effects.as_slice(), [Effect::Upload { request, .. }] if request.path().ends_with("/back"))
    );
}

#[test]
fn a_poll_failure_resumes_the_same_task() {
    let mut flow = at_first_step(None);
    act(&mut flow, Action::Submit(photo()));
    flow.handle_io(IoResult::Uploaded(Ok(task("77"))));
    flow.handle_io(IoResult::TaskEnded(Err(Error::TaskTimedOut {
        step: "front side".into(),
        seconds: 1,
    })));
    let effects = act(&mut flow, Action::Retry);
    assert!(matches!(effects.as_slice(), [Effect::Watch { task, .. }] if task.as_str() == "77"));
}

#[test]
fn unauthorised_anywhere_expires_the_flow_and_forgets_it() {
    let mut flow = at_first_step(None);
    pass_step(&mut flow, photo(), "1");
    act(&mut flow, Action::Submit(photo()));
    flow.handle_io(IoResult::Uploaded(Err(Error::LinkExpired)));
    assert!(
        matches!(flow.state(), FlowState::Expired { error } if error.code == ErrorCode::LinkExpired)
    );
    assert!(flow.opened().is_none());
    assert!(flow.handle_action(Action::Retry).is_err());
    act(&mut flow, Action::OpenLink(key()));
    assert_eq!(flow.state(), &FlowState::OpeningLink);
}

#[test]
fn link_failures_say_whether_retrying_helps() {
    let mut flow = Flow::new(Arc::new(FlowConfig::default()));
    act(&mut flow, Action::OpenLink(key()));
    flow.handle_io(IoResult::Presigned(Err(Error::LinkNotFound)));
    assert!(matches!(
        flow.state(),
        FlowState::LinkFailed {
            retryable: false,
            ..
        }
    ));
    assert!(flow.handle_action(Action::Retry).is_err());

    act(&mut flow, Action::OpenLink(key()));
    flow.handle_io(IoResult::Presigned(Err(Error::Network("down".into()))));
    assert!(matches!(
        flow.state(),
        FlowState::LinkFailed {
            retryable: true,
            ..
        }
    ));
    assert!(matches!(
        act(&mut flow, Action::Retry).as_slice(),
        [Effect::Presign(_)]
    ));
}

#[test]
fn actions_out_of_place_are_refused_and_change_nothing() {
    let mut flow = at_first_step(None);
    let before = flow.state().clone();
    for action in [
        Action::Continue,
        Action::Retake,
        Action::Retry,
        Action::Submit(selfie()),
    ] {
        let error = flow.handle_action(action).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidAction);
        assert_eq!(flow.state(), &before);
    }
}

#[test]
fn stale_io_results_are_ignored() {
    let mut flow = at_first_step(None);
    act(&mut flow, Action::Submit(photo()));
    act(&mut flow, Action::Cancel);
    assert_eq!(flow.state(), &FlowState::Cancelled);
    flow.handle_io(IoResult::Uploaded(Ok(task("1"))));
    assert_eq!(flow.state(), &FlowState::Cancelled);
    assert!(flow.handle_action(Action::Cancel).is_err());
}

#[test]
fn back_returns_to_the_document_choice_only_before_the_first_photo() {
    let mut flow = at_first_step(None);
    act(&mut flow, Action::Back);
    assert_eq!(flow.state().name(), "choosing-document");
    act(
        &mut flow,
        Action::ChooseDocument {
            kind: DocumentKind::New,
            tax_number: None,
        },
    );
    pass_step(&mut flow, photo(), "1");
    assert!(flow.handle_action(Action::Back).is_err());
}

#[test]
fn reset_forgets_the_client() {
    let mut flow = at_first_step(Some("020025789"));
    pass_step(&mut flow, photo(), "1");
    let effects = act(&mut flow, Action::Reset);
    assert!(matches!(effects.as_slice(), [Effect::StopIo]));
    assert_eq!(flow.state(), &FlowState::AwaitingLink);
    assert!(flow.opened().is_none());
    assert!(!format!("{flow:?}").contains("020025789"));
}

#[test]
fn additional_steps_come_after_the_selfie() {
    let mut config = FlowConfig::default();
    config.additional.push(PageConfig {
        id: "address".into(),
        label: "proof of address".into(),
        path: "/api/tasks/ocr/address".into(),
        doc_type: Some("ADDRESS".into()),
        sends_tax_number: false,
        fields: [("purpose".to_owned(), "residence".to_owned())].into(),
    });
    let mut flow = Flow::new(Arc::new(config));
    act(&mut flow, Action::OpenLink(key()));
    flow.handle_io(IoResult::Presigned(Ok(opened(None))));
    act(
        &mut flow,
        Action::ChooseDocument {
            kind: DocumentKind::New,
            tax_number: None,
        },
    );
    pass_step(&mut flow, photo(), "1");
    pass_step(&mut flow, photo(), "2");
    pass_step(&mut flow, selfie(), "3");
    assert_eq!(step_id(&flow), "address");
    let fields = upload_fields(&act(&mut flow, Action::Submit(photo())));
    assert!(fields.contains(&("doc_type".into(), "ADDRESS".into())));
    assert!(fields.contains(&("purpose".into(), "residence".into())));
}

#[test]
fn states_serialise_for_the_ui_without_secrets() {
    let mut flow = at_first_step(None);
    act(&mut flow, Action::Submit(photo()));
    flow.handle_io(IoResult::Uploaded(Ok(task("9"))));
    let json = serde_json::to_value(flow.state()).unwrap();
    assert_eq!(json["state"], "processing");
    assert_eq!(json["taskId"], "9");
    assert_eq!(json["step"]["kind"], "documentPage");
    assert!(!json.to_string().contains("tok"));
}

/// A log sink for one test: everything logged on this thread, at every level.
struct CapturedLog(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for CapturedLog {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn no_log_level_shows_what_the_bank_read() {
    let log = Arc::new(std::sync::Mutex::new(Vec::new()));
    let writer = Arc::clone(&log);
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || CapturedLog(Arc::clone(&writer)))
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        let mut flow = at_first_step(None);
        // A task's result arriving when no task is watched (a stale one) is logged and ignored.
        flow.handle_io(IoResult::TaskEnded(Ok(TaskOutcome::Succeeded(json!({
            "first_name": "Фаридун",
            "document_number": "A1234567",
        })))));
    });
    let log = String::from_utf8(log.lock().unwrap().clone()).unwrap();
    assert!(log.contains("ignoring a stale I/O result"), "{log}");
    assert!(
        !log.contains("Фаридун") && !log.contains("A1234567"),
        "{log}"
    );
}
