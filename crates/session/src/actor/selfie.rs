//! The actor's selfie side: the step's provider, lending the camera to the LUNA PASS screen and
//! taking it back, and the library's result.
//!
//! One program at a time may own a V4L2 camera, and the LUNA PASS library opens it itself in
//! the webview. So the app closes its own capture and waits until the device is released
//! before the screen is shown, and opens it again only after the screen is gone.

use humo_ident_analytics::event::Capture;
use humo_ident_camera::step::Subject;
use humo_ident_core::flow::{Action, FlowState, StepInput, StepKind};
use humo_ident_core::liveness::SelfieEvidence;
use tokio::sync::watch;

use super::Actor;
use crate::error::SessionError;
use crate::events::{AppEvent, LunaPassView, SelfieSetup, SelfieUnavailableReason};

/// The LUNA PASS webview's screen, held in the channel the shell watches (from any thread) to
/// open and close the webview; only the actor changes it. While it is shown, the camera is lent
/// to the webview.
pub(super) struct LunaPassScreen {
    shell: watch::Sender<Option<LunaPassView>>,
}

impl LunaPassScreen {
    pub(super) fn new(shell: watch::Sender<Option<LunaPassView>>) -> LunaPassScreen {
        LunaPassScreen { shell }
    }

    pub(super) fn shown(&self) -> Option<LunaPassView> {
        self.shell.borrow().clone()
    }

    /// Shows `view`, or closes the screen with `None`; true when that changed what is shown,
    /// so the UI must be told.
    fn show(&mut self, view: Option<LunaPassView>) -> bool {
        self.shell.send_if_modified(|shown| {
            let changed = *shown != view;
            *shown = view;
            changed
        })
    }
}

impl Actor {
    /// Starts the selfie step the way the provider takes it.
    pub(super) fn start_selfie(&mut self, index: usize) -> Result<(), SessionError> {
        match self.liveness.setup {
            SelfieSetup::Local { .. } => {
                self.cameras.start(Subject::Selfie(None), Some(index));
                Ok(())
            }
            SelfieSetup::LunaPass => {
                self.lend_camera(index);
                Ok(())
            }
            SelfieSetup::Unavailable { reason } => {
                self.cameras.stop();
                Err(match reason {
                    SelfieUnavailableReason::LocalNotAllowed => SessionError::LocalSelfieNotAllowed,
                    SelfieUnavailableReason::LunaPassNotConfigured => {
                        SessionError::LunaPassNotConfigured
                    }
                })
            }
        }
    }

    /// Closes the app's camera and, once every device it opened is closed, shows the LUNA PASS
    /// screen.
    fn lend_camera(&mut self, index: usize) {
        if self.luna_pass.shown().map(|v| v.step_index) == Some(index) {
            return;
        }
        self.cameras.release_for(index);
    }

    /// The camera is free: show the screen if the selfie step is still waiting for it.
    pub(super) fn on_camera_released(&mut self, generation: u64, index: usize) {
        if !self.cameras.is_current(generation) {
            return;
        }
        let FlowState::AwaitingInput { step } = &self.state else {
            return;
        };
        if step.kind != StepKind::Selfie || step.index != index {
            return;
        }
        let Ok(Some(endpoints)) = self.config.liveness.luna_pass.endpoints() else {
            return;
        };
        let luna = &self.config.liveness.luna_pass;
        self.set_luna_pass(Some(LunaPassView {
            step_index: index,
            script_url: endpoints.script_url,
            ws_url: endpoints.ws_url,
            script_integrity: endpoints.script_integrity,
            ready_timeout_ms: luna.ready_timeout_secs * 1000,
            check_timeout_ms: luna.check_timeout_secs * 1000,
            failed_checks: 0,
            errors: Vec::new(),
        }));
    }

    /// Closes the LUNA PASS screen: from now on the camera is the app's again.
    pub(super) fn take_camera_back(&mut self) {
        self.set_luna_pass(None);
    }

    /// The library's `onSuccess` token: uploaded unchanged when it passed, or its errors shown.
    pub(super) async fn on_luna_pass_result(&mut self, jwt: String) -> Result<(), SessionError> {
        let Some(mut view) = self.luna_pass.shown() else {
            return Err(SessionError::NoLivenessCheck);
        };
        match self
            .liveness
            .provider
            .selfie(SelfieEvidence::VendorToken(&jwt))
        {
            Ok(token) => {
                if let FlowState::AwaitingInput { step } = &self.state {
                    // The library takes its best frame by itself.
                    self.recorder.photo_taken(step, Capture::Auto);
                }
                self.flow
                    .act(Action::Submit(StepInput::Selfie(token)))
                    .await?;
                Ok(())
            }
            Err(humo_ident_core::Error::SelfieNotPassed(errors)) => {
                self.recorder.liveness_refused(&errors);
                view.failed_checks += 1;
                view.errors = errors.clone();
                self.set_luna_pass(Some(view));
                Err(humo_ident_core::Error::SelfieNotPassed(errors).into())
            }
            Err(other) => Err(other.into()),
        }
    }

    fn set_luna_pass(&mut self, view: Option<LunaPassView>) {
        if self.luna_pass.show(view.clone()) {
            self.emit(AppEvent::LunaPass(view));
        }
    }
}
