//! The API client, the poller and the flow driver against the emulator, over real HTTP.

use std::sync::Arc;
use std::time::Duration;

use humo_ident_core::api::{ApiClient, OpenedLink, TaskId, UploadRequest};
use humo_ident_core::config::{
    ApiConfig, Config, DocumentKind, FlowConfig, ImageConfig, PollingConfig,
};
use humo_ident_core::flow::{start_flow, Action, FlowEvent, FlowHandle, FlowState, StepInput};
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_core::input::{PresignKey, TaxNumber};
use humo_ident_core::liveness::sign_local;
use humo_ident_core::poll::{watch_task, PollProgress, TaskOutcome};
use humo_ident_core::{Error, ErrorCode};
use humo_ident_emulator::{
    Emulator, EmulatorConfig, PollFault, DEMO_KEY, DEMO_KEY_WITH_DEPART, EXPIRED_KEY,
    LOCAL_LIVENESS_KEY,
};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio_util::sync::CancellationToken;

async fn emulator(task_delay_ms: u64) -> Emulator {
    Emulator::start(EmulatorConfig {
        task_delay: Duration::from_millis(task_delay_ms),
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

fn client(emulator: &Emulator) -> ApiClient {
    ApiClient::new(&ApiConfig {
        base_url: emulator.base_url(),
        ..ApiConfig::default()
    })
    .unwrap()
}

/// Quick polling so the suite stays fast; the default cadence has a test of its own.
fn fast_polling() -> PollingConfig {
    PollingConfig {
        first_delay_ms: 50,
        interval_ms: 50,
        request_timeout_secs: 2,
        deadline_secs: 10,
        max_consecutive_failures: 4,
    }
}

fn key(text: &str) -> PresignKey {
    PresignKey::parse(text).unwrap()
}

fn photo() -> UploadJpeg {
    let jpeg = humo_ident_test_support::gradient_jpeg(800, 500);
    UploadJpeg::prepare(&jpeg, &ImageConfig::default()).unwrap()
}

fn front(opened: &OpenedLink) -> UploadRequest {
    let page = &FlowConfig::default().new_passport.pages[0];
    UploadRequest::document_page(opened, "ID_NEW", page, None, &photo())
}

async fn upload_front(client: &ApiClient, emulator: &Emulator) -> (OpenedLink, TaskId) {
    let opened = client.presign(&key(DEMO_KEY)).await.unwrap();
    let task = client.upload(&opened, front(&opened)).await.unwrap();
    let _ = emulator;
    (opened, task)
}

async fn watch(
    client: &ApiClient,
    opened: &OpenedLink,
    task: &TaskId,
    policy: &PollingConfig,
) -> (Result<TaskOutcome, Error>, Vec<PollProgress>) {
    let mut progress = Vec::new();
    let outcome = watch_task(
        client,
        opened,
        task,
        "front side",
        policy,
        &CancellationToken::new(),
        |p| progress.push(p),
    )
    .await;
    (outcome, progress)
}

fn bearer_tokens(emulator: &Emulator) -> Vec<String> {
    emulator.controls().bearer_tokens()
}

#[tokio::test]
async fn presign_reads_the_link_or_says_why_not() {
    let emulator = emulator(100).await;
    let client = client(&emulator);
    let opened = client.presign(&key(DEMO_KEY)).await.unwrap();
    assert_eq!(opened.source.as_deref(), Some("humo_online"));
    assert_eq!(opened.depart_id, None);
    assert_eq!(opened.home_page.as_deref(), Some("humoOnline://app"));

    let with_depart = client.presign(&key(DEMO_KEY_WITH_DEPART)).await.unwrap();
    assert_eq!(with_depart.depart_id.as_deref(), Some("42"));

    let unknown = client
        .presign(&key("00000000-0000-4000-8000-000000000000"))
        .await;
    assert!(matches!(unknown, Err(Error::LinkNotFound)), "{unknown:?}");
    let expired = client.presign(&key(EXPIRED_KEY)).await;
    assert!(matches!(expired, Err(Error::LinkExpired)), "{expired:?}");
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_it() {
    // Nothing listens under the prefix, so the emulator answers 404 for the whole path: the
    // request went to `{base}/api/...`, and the recorded path proves where.
    let emulator = emulator(100).await;
    let client = ApiClient::new(&ApiConfig {
        base_url: format!("{}/gw/v1/", emulator.base_url()),
        ..ApiConfig::default()
    })
    .unwrap();
    let _ = client.presign(&key(DEMO_KEY)).await;
    let paths: Vec<String> = emulator
        .controls()
        .requests()
        .into_iter()
        .map(|r| r.path)
        .collect();
    assert_eq!(paths, [format!("/gw/v1/api/link/presign/{DEMO_KEY}")]);
}

#[tokio::test]
async fn an_upload_is_watched_to_success() {
    let emulator = emulator(300).await;
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    let (outcome, progress) = watch(&client, &opened, &task, &fast_polling()).await;
    let Ok(TaskOutcome::Succeeded(result)) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(result["surname"], "RAHIMOV");
    assert!(progress.len() >= 2, "{progress:?}");

    let upload = &emulator.controls().requests()[1];
    assert_eq!(upload.path, "/api/tasks/ocr/id_new/front");
    let names: Vec<&str> = upload.fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["img", "doc_type", "source", "key"]);
    assert!(
        upload.fields[0].1.contains("image/jpeg"),
        "{:?}",
        upload.fields[0]
    );
}

#[tokio::test]
async fn polls_never_overlap_and_stop_when_the_task_ends() {
    let emulator = emulator(400).await;
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    emulator
        .controls()
        .fail_polls(1, PollFault::Slow(Duration::from_millis(150)));
    let (outcome, _) = watch(&client, &opened, &task, &fast_polling()).await;
    assert!(matches!(outcome, Ok(TaskOutcome::Succeeded(_))));
    tokio::time::sleep(Duration::from_millis(300)).await;

    let polls = emulator.controls().polls();
    for pair in polls.windows(2) {
        assert!(
            pair[1].started >= pair[0].finished,
            "overlapping polls: {pair:?}"
        );
    }
    assert_eq!(polls.last().unwrap().answered, "SUCCESS");
    assert_eq!(polls.iter().filter(|p| p.answered == "SUCCESS").count(), 1);
}

#[tokio::test]
async fn the_default_cadence_is_one_check_a_second() {
    // The task finishes when the test says, on the emulator's clock: after the third check, so
    // there are gaps to measure however slowly the machine answers.
    let delay = Duration::from_secs(60);
    let emulator = emulator(60_000).await;
    let controls = emulator.controls();
    controls.stop_clock();
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    let uploaded = std::time::Instant::now();
    let mut checks = 0;
    let outcome = watch_task(
        &client,
        &opened,
        &task,
        "front side",
        &PollingConfig::default(),
        &CancellationToken::new(),
        |_| {
            checks += 1;
            if checks == 3 {
                controls.advance_clock(delay);
            }
        },
    )
    .await;
    assert!(matches!(outcome, Ok(TaskOutcome::Succeeded(_))));
    let polls = emulator.controls().polls();
    assert_eq!(polls.len(), 4);
    assert!(polls[0].started.duration_since(uploaded) >= Duration::from_millis(900));
    for pair in polls.windows(2) {
        let gap = pair[1].started.duration_since(pair[0].finished);
        assert!(gap >= Duration::from_millis(900), "{gap:?}");
    }
}

#[tokio::test]
async fn a_failed_ocr_is_a_rejection_with_its_reason() {
    let emulator = emulator(100).await;
    emulator
        .controls()
        .fail_next_ocr("the card is not in the frame");
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    let (outcome, _) = watch(&client, &opened, &task, &fast_polling()).await;
    let Ok(TaskOutcome::Rejected { status, result }) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(status, "FAILURE");
    assert_eq!(
        humo_ident_core::api::reason_of(&result).as_deref(),
        Some("the card is not in the frame")
    );
}

#[tokio::test]
async fn passing_poll_failures_are_ridden_out() {
    for fault in [PollFault::ServerError, PollFault::DropConnection] {
        let emulator = emulator(100).await;
        let client = client(&emulator);
        let (opened, task) = upload_front(&client, &emulator).await;
        emulator.controls().fail_polls(2, fault);
        let (outcome, progress) = watch(&client, &opened, &task, &fast_polling()).await;
        assert!(
            matches!(outcome, Ok(TaskOutcome::Succeeded(_))),
            "{fault:?}: {outcome:?}"
        );
        let failures = progress
            .iter()
            .filter(|p| matches!(p, PollProgress::Failed { .. }))
            .count();
        assert_eq!(failures, 2, "{fault:?}: {progress:?}");
    }
}

#[tokio::test]
async fn too_many_failed_polls_in_a_row_end_the_wait() {
    let emulator = emulator(100).await;
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    emulator.controls().fail_polls(10, PollFault::ServerError);
    let (outcome, _) = watch(&client, &opened, &task, &fast_polling()).await;
    assert!(
        matches!(outcome, Err(Error::PollingFailed { failures: 4, .. })),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn a_slow_poll_times_out_and_polling_goes_on() {
    let emulator = emulator(100).await;
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    emulator
        .controls()
        .fail_polls(1, PollFault::Slow(Duration::from_millis(2500)));
    let policy = PollingConfig {
        request_timeout_secs: 1,
        ..fast_polling()
    };
    let (outcome, progress) = watch(&client, &opened, &task, &policy).await;
    assert!(
        matches!(outcome, Ok(TaskOutcome::Succeeded(_))),
        "{outcome:?}"
    );
    let PollProgress::Failed { error, .. } = &progress[0] else {
        panic!("{progress:?}")
    };
    assert_eq!(error.code, ErrorCode::Network);
}

#[tokio::test]
async fn a_task_that_never_finishes_meets_the_deadline() {
    let emulator = emulator(100).await;
    emulator.controls().set_never_finish(true);
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    let policy = PollingConfig {
        deadline_secs: 1,
        ..fast_polling()
    };
    let (outcome, _) = watch(&client, &opened, &task, &policy).await;
    assert!(
        matches!(outcome, Err(Error::TaskTimedOut { seconds: 1, .. })),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn unauthorised_calls_mean_the_link_expired() {
    let emulator = emulator(100).await;
    let client = client(&emulator);
    let opened = client.presign(&key(DEMO_KEY)).await.unwrap();
    emulator.controls().set_unauthorized(true);
    let upload = client.upload(&opened, front(&opened)).await;
    assert!(matches!(upload, Err(Error::LinkExpired)), "{upload:?}");

    emulator.controls().set_unauthorized(false);
    let task = client.upload(&opened, front(&opened)).await.unwrap();
    emulator.controls().set_unauthorized(true);
    let (outcome, _) = watch(&client, &opened, &task, &fast_polling()).await;
    assert!(matches!(outcome, Err(Error::LinkExpired)), "{outcome:?}");
}

#[tokio::test]
async fn cancelling_stops_polling_at_once() {
    let emulator = emulator(100).await;
    emulator.controls().set_never_finish(true);
    let client = client(&emulator);
    let (opened, task) = upload_front(&client, &emulator).await;
    let cancel = CancellationToken::new();
    let stopper = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        stopper.cancel();
    });
    let outcome = watch_task(
        &client,
        &opened,
        &task,
        "front side",
        &fast_polling(),
        &cancel,
        |_| {},
    )
    .await;
    assert!(matches!(outcome, Err(Error::Cancelled)));
    let polls_at_cancel = emulator.controls().polls().len();
    // Six polling intervals later: a check already on its way when the token was cancelled may
    // still reach the server, no new one is sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        emulator.controls().polls().len() <= polls_at_cancel + 1,
        "polling went on after the cancel"
    );
}

#[tokio::test]
async fn a_dead_server_is_a_network_error() {
    let emulator = emulator(100).await;
    let client = client(&emulator);
    emulator.shutdown().await;
    let error = client.presign(&key(DEMO_KEY)).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::Network);
    assert!(!error.to_string().contains(DEMO_KEY), "{error}");
}

/// Runs the driver until the predicate holds for a state change; returns every event seen.
async fn until(
    events: &mut UnboundedReceiver<FlowEvent>,
    done: impl Fn(&FlowState) -> bool,
) -> Vec<FlowEvent> {
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(60), events.recv())
            .await
            .expect("the flow stalled")
            .expect("the flow ended");
        let stop = matches!(&event, FlowEvent::StateChanged { state } if done(state));
        seen.push(event);
        if stop {
            return seen;
        }
    }
}

fn flow_config(emulator: &Emulator) -> Arc<Config> {
    Arc::new(Config {
        api: ApiConfig {
            base_url: emulator.base_url(),
            ..ApiConfig::default()
        },
        polling: fast_polling(),
        ..Config::default()
    })
}

async fn submit_when_asked(
    flow: &FlowHandle,
    events: &mut UnboundedReceiver<FlowEvent>,
    input: StepInput,
) {
    until(events, |s| matches!(s, FlowState::AwaitingInput { .. })).await;
    flow.act(Action::Submit(input)).await.unwrap();
}

#[tokio::test]
async fn the_driver_runs_a_whole_identification_with_a_retake() {
    let emulator = emulator(150).await;
    let config = flow_config(&emulator);
    let (flow, mut events) = start_flow(client(&emulator), Arc::clone(&config));
    flow.act(Action::OpenLink(key(DEMO_KEY_WITH_DEPART)))
        .await
        .unwrap();
    until(&mut events, |s| {
        matches!(s, FlowState::ChoosingDocument { .. })
    })
    .await;
    flow.act(Action::ChooseDocument {
        kind: DocumentKind::New,
        tax_number: Some(TaxNumber::parse("020025789").unwrap()),
    })
    .await
    .unwrap();

    emulator.controls().fail_next_ocr("glare on the card");
    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    let seen = until(&mut events, |s| matches!(s, FlowState::StepRejected { .. })).await;
    assert!(seen
        .iter()
        .any(|e| matches!(e, FlowEvent::TaskProgress { .. })));
    flow.act(Action::Retake).await.unwrap();

    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    until(&mut events, |s| matches!(s, FlowState::StepAccepted { .. })).await;
    flow.act(Action::Continue).await.unwrap();
    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    until(&mut events, |s| matches!(s, FlowState::StepAccepted { .. })).await;
    flow.act(Action::Continue).await.unwrap();

    let face = photo();
    let selfie = sign_local(face.bytes(), LOCAL_LIVENESS_KEY.as_bytes(), &config.images).unwrap();
    submit_when_asked(&flow, &mut events, StepInput::Selfie(selfie)).await;
    until(&mut events, |s| matches!(s, FlowState::StepAccepted { .. })).await;
    flow.act(Action::Continue).await.unwrap();
    let seen = until(&mut events, |s| s.is_final()).await;
    let Some(FlowEvent::StateChanged {
        state: FlowState::Done { results, .. },
    }) = seen.last()
    else {
        panic!("{seen:?}")
    };
    assert_eq!(results.len(), 3);
    assert_eq!(results[1].result["tax_number"], "020025789");

    let requests = emulator.controls().requests();
    let back = requests.iter().find(|r| r.path.ends_with("/back")).unwrap();
    assert!(back.fields.contains(&("depart_id".into(), "42".into())));
    assert!(back
        .fields
        .contains(&("tax_number".into(), "020025789".into())));
    let selfie = requests
        .iter()
        .find(|r| r.path == "/api/tasks/selfie")
        .unwrap();
    assert!(
        selfie
            .fields
            .iter()
            .any(|(n, v)| n == "img" && v.starts_with("eyJ")),
        "{:?}",
        selfie.fields
    );
}

#[tokio::test]
async fn a_network_failure_during_the_back_keeps_the_front() {
    let emulator = emulator(100).await;
    let (flow, mut events) = start_flow(client(&emulator), flow_config(&emulator));
    flow.act(Action::OpenLink(key(DEMO_KEY))).await.unwrap();
    until(&mut events, |s| {
        matches!(s, FlowState::ChoosingDocument { .. })
    })
    .await;
    flow.act(Action::ChooseDocument {
        kind: DocumentKind::Old,
        tax_number: None,
    })
    .await
    .unwrap();
    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    until(&mut events, |s| matches!(s, FlowState::StepAccepted { .. })).await;
    flow.act(Action::Continue).await.unwrap();

    emulator.controls().fail_polls(10, PollFault::ServerError);
    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    let seen = until(&mut events, |s| {
        matches!(s, FlowState::StepInterrupted { .. })
    })
    .await;
    let Some(FlowEvent::StateChanged {
        state: FlowState::StepInterrupted { step, error, .. },
    }) = seen.last()
    else {
        panic!()
    };
    assert_eq!(
        (step.id.as_str(), error.code),
        ("back", ErrorCode::PollingFailed)
    );

    // The network is back: the same task is watched again, the front is not asked for.
    let uploads_before = emulator
        .controls()
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    flow.act(Action::Retry).await.unwrap();
    let seen = until(&mut events, |s| {
        matches!(
            s,
            FlowState::StepAccepted { .. } | FlowState::StepInterrupted { .. }
        )
    })
    .await;
    // Four of the ten faults remain; the poller rides them out within its limit of four... or not.
    let accepted = matches!(
        seen.last(),
        Some(FlowEvent::StateChanged {
            state: FlowState::StepAccepted { .. }
        })
    );
    if !accepted {
        flow.act(Action::Retry).await.unwrap();
        until(&mut events, |s| matches!(s, FlowState::StepAccepted { .. })).await;
    }
    let uploads_after = emulator
        .controls()
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(uploads_before, uploads_after, "retrying re-uploaded");
    let paths: Vec<String> = emulator
        .controls()
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path)
        .collect();
    assert_eq!(
        paths,
        ["/api/tasks/ocr/id_old/front", "/api/tasks/ocr/id_old/back"]
    );
}

#[tokio::test]
async fn cancel_and_reset_stop_the_io_and_forget_the_client() {
    let emulator = emulator(100).await;
    emulator.controls().set_never_finish(true);
    let (flow, mut events) = start_flow(client(&emulator), flow_config(&emulator));
    flow.act(Action::OpenLink(key(DEMO_KEY))).await.unwrap();
    until(&mut events, |s| {
        matches!(s, FlowState::ChoosingDocument { .. })
    })
    .await;
    flow.act(Action::ChooseDocument {
        kind: DocumentKind::New,
        tax_number: None,
    })
    .await
    .unwrap();
    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    until(&mut events, |s| matches!(s, FlowState::Processing { .. })).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    flow.act(Action::Reset).await.unwrap();
    until(&mut events, |s| matches!(s, FlowState::AwaitingLink)).await;
    let polls_at_reset = emulator.controls().polls().len();
    // As after a cancel: at most the check already on its way, no new one.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        emulator.controls().polls().len() <= polls_at_reset + 1,
        "polling went on after reset"
    );
    let refused = flow.act(Action::Continue).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidAction);
}

#[tokio::test]
async fn the_token_is_in_no_event() {
    let emulator = emulator(100).await;
    let (flow, mut events) = start_flow(client(&emulator), flow_config(&emulator));
    flow.act(Action::OpenLink(key(DEMO_KEY))).await.unwrap();
    until(&mut events, |s| {
        matches!(s, FlowState::ChoosingDocument { .. })
    })
    .await;
    flow.act(Action::ChooseDocument {
        kind: DocumentKind::New,
        tax_number: None,
    })
    .await
    .unwrap();
    submit_when_asked(&flow, &mut events, StepInput::Photo(photo())).await;
    let seen = until(&mut events, |s| matches!(s, FlowState::StepAccepted { .. })).await;
    let tokens = bearer_tokens(&emulator);
    assert!(!tokens.is_empty());
    let text = serde_json::to_string(&seen).unwrap() + &format!("{seen:?}");
    for token in tokens {
        assert!(!text.contains(&token));
    }
}
