//! What the session's tests share: a session in demo mode, driven as the UI drives it, with
//! every event kept.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use humo_ident_analytics::EventLine;
use humo_ident_core::config::DocumentKind;
use humo_ident_core::flow::{FlowEvent, FlowState};
use humo_ident_session::analytics::EventsSink;
use humo_ident_session::events::{AppEvent, CameraView};
use humo_ident_session::settings::{Settings, StartOptions};
use humo_ident_session::Session;
use tokio::sync::mpsc;

/// Waits until the harness's flow reaches a state: `state!(h, AwaitingInput)`.
macro_rules! state {
    ($harness:expr, $variant:ident) => {
        $harness.state_where(stringify!($variant), |state| {
            matches!(state, humo_ident_core::flow::FlowState::$variant { .. })
        })
    };
}

/// How long a test waits for an event: a still takes about 2 s on a quiet machine, and many
/// times that on a busy one or under Wine, where the synthetic camera encodes every frame.
pub const WAIT: Duration = Duration::from_secs(90);

pub struct Harness {
    pub session: Session,
    pub events: mpsc::UnboundedReceiver<AppEvent>,
    pub log: Arc<Mutex<Vec<String>>>,
    /// The identification's event lines (`humo_ident_analytics`), as the event files get them.
    pub analytics: Arc<Mutex<Vec<EventLine>>>,
}

impl Harness {
    pub async fn start(options: StartOptions, tweak: impl FnOnce(&mut Settings)) -> Harness {
        let camera = options.camera.clone().or(Some("synthetic".into()));
        let mut settings = Settings::resolve(StartOptions { camera, ..options }, None).unwrap();
        // Quick polls keep the tests short.
        settings.config.polling.first_delay_ms = 100;
        settings.config.polling.interval_ms = 100;
        let analytics = Arc::new(Mutex::new(Vec::new()));
        let lines = Arc::clone(&analytics);
        settings.events = Some(EventsSink::new(move |line: &EventLine| {
            lines.lock().unwrap().push(line.clone())
        }));
        tweak(&mut settings);
        let session = Session::start(settings).await.unwrap();
        let (_, events) = mpsc::unbounded_channel();
        let mut harness = Harness {
            session,
            events,
            log: Arc::new(Mutex::new(Vec::new())),
            analytics,
        };
        harness.resubscribe().await;
        harness
    }

    /// Subscribes (again, as a page that replaces another does), keeping every event in the
    /// log; returns what the session told first.
    pub async fn resubscribe(&mut self) -> Vec<AppEvent> {
        let (tx, events) = mpsc::unbounded_channel();
        let log = Arc::clone(&self.log);
        self.session
            .subscribe(Arc::new(move |event: AppEvent| {
                log.lock()
                    .unwrap()
                    .push(serde_json::to_string(&event).unwrap());
                let _ = tx.send(event);
            }))
            .await
            .unwrap();
        self.events = events;
        let mut first = Vec::new();
        while let Ok(event) = self.events.try_recv() {
            first.push(event);
        }
        first
    }

    pub async fn demo() -> Harness {
        Harness::start(StartOptions::default(), |_| {}).await
    }

    /// Waits for an event `pick` accepts, skipping others.
    pub async fn until<T>(&mut self, what: &str, pick: impl FnMut(&AppEvent) -> Option<T>) -> T {
        self.until_within(WAIT, pick)
            .await
            .unwrap_or_else(|| panic!("no {what} within {WAIT:?}"))
    }

    /// As [`Self::until`], giving up after `within`: `None` if no such event came by then.
    pub async fn until_within<T>(
        &mut self,
        within: Duration,
        mut pick: impl FnMut(&AppEvent) -> Option<T>,
    ) -> Option<T> {
        let found = tokio::time::timeout(within, async {
            loop {
                let event = self.events.recv().await.expect("the session ended");
                if let Some(found) = pick(&event) {
                    return found;
                }
            }
        })
        .await;
        found.ok()
    }

    /// Waits until the flow is in a state `is` accepts; use [`state!`], which names a variant
    /// of `FlowState`, so a misspelt state does not compile.
    pub async fn state_where(&mut self, name: &str, is: fn(&FlowState) -> bool) -> FlowState {
        self.until(name, |event| match event {
            AppEvent::Flow(FlowEvent::StateChanged { state }) if is(state) => Some(state.clone()),
            _ => None,
        })
        .await
    }

    /// The events recorded so far, as their `type` and a detail: the screen's name, the
    /// outcome, the reason.
    pub fn analytics_trail(&self) -> Vec<String> {
        use humo_ident_analytics::Event;
        self.analytics
            .lock()
            .unwrap()
            .iter()
            .map(|line| match &line.event {
                Event::ScreenReached { screen, .. } => format!("screen {}", screen.name()),
                Event::IdentificationEnded { outcome, .. } => format!("ended {outcome:?}"),
                Event::PhotoTaken { step, how } => format!("photo {step} {how:?}"),
                Event::Retake { step, after, .. } => format!("retake {step} {after:?}"),
                Event::BankRefused { step, code } => format!(
                    "refused {step} {}",
                    code.as_ref().map_or("-", |code| code.as_str())
                ),
                Event::NetworkRetry { attempt, .. } => format!("retry {attempt}"),
                Event::LivenessRefused { reasons, .. } => format!("liveness {reasons:?}"),
                Event::IdentificationStarted => "started".to_owned(),
            })
            .collect()
    }

    pub async fn review(&mut self) -> CameraView {
        self.until("a still to review", |event| match event {
            AppEvent::Camera(Some(view)) if view.review.is_some() => Some(view.clone()),
            _ => None,
        })
        .await
    }

    /// Takes the current step's photo as a person does: waits for the auto-capture, then uses it.
    pub async fn photograph(&mut self) {
        let view = self.review().await;
        let id = view.review.unwrap().id;
        assert!(
            self.session.review_image(id).is_some(),
            "the still is served"
        );
        self.session.use_photo().await.unwrap();
        assert!(
            self.session.review_image(id).is_none(),
            "the still is dropped once sent"
        );
    }

    /// Opens the demo link and chooses the document, as the first two screens do.
    pub async fn open_and_choose(&mut self, kind: DocumentKind, tax_number: Option<&str>) {
        let link = self.session.info().link.unwrap();
        self.session.open_link(link).await.unwrap();
        state!(self, ChoosingDocument).await;
        self.session
            .choose_document(kind, tax_number.map(str::to_owned))
            .await
            .unwrap();
        // The flow has moved on once the session knows it: calls before that find no step.
        state!(self, AwaitingInput).await;
    }

    pub async fn accept(&mut self) {
        state!(self, StepAccepted).await;
        self.session.continue_flow().await.unwrap();
    }
}

/// Whether `text` holds a run of 64 hex digits: the emulator's access tokens look like that.
pub fn regex_like_token(text: &str) -> bool {
    let mut run = 0;
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run += 1;
            if run >= 64 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}
