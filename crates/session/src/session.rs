//! [`Session`]: the handle the shell calls, and the task that owns one client's identification.
//!
//! Everything mutable lives in one task (the "actor"): the flow's last state, the live camera,
//! the still under review, the scheduled retry and the kiosk's timers. UI calls reach it as
//! commands, so no two of them ever race, and every change is told to the UI as an
//! [`AppEvent`].

use std::sync::Arc;

use bytes::Bytes;
use humo_ident_camera::checks::FaceDetector;
use humo_ident_camera::source::{self, DeviceChoice};
use humo_ident_camera::step::StepSettings;
use humo_ident_core::api::ApiClient;
use humo_ident_core::config::{Config, DocumentKind, LunaPassEndpoints};
use humo_ident_core::flow::{start_flow, Action};
use tokio::sync::{mpsc, oneshot, watch};

use crate::actor::{Actor, ActorParts, CameraParts, Command, Reply};
use crate::analytics::Recorder;
use crate::demo::{DemoBank, DemoFault};
use crate::error::SessionError;
use crate::events::{AppInfo, CameraId, CameraOption, EventSink, LunaPassView, SelfieSetup};
use crate::liveness::Liveness;
use crate::presence::Presence;
use crate::preview::{PreviewSlot, ReviewImages};
use crate::settings::{Bank, Mode, Settings};

/// One app's identification session: the shell holds one for the app's life; the kiosk resets
/// it between clients.
#[derive(Clone)]
pub struct Session {
    commands: mpsc::Sender<Command>,
    preview: PreviewSlot,
    reviews: ReviewImages,
    info: Arc<AppInfo>,
    /// The link to fill in once a kiosk has been reset: the demo's key, never the link the app
    /// was started with, which was the first client's.
    link_after_reset: Option<String>,
    luna_pass_screen: watch::Receiver<Option<LunaPassView>>,
    luna_pass: Option<LunaPassEndpoints>,
    kiosk_resets: watch::Receiver<u64>,
    presence: watch::Receiver<Presence>,
}

impl Session {
    /// Starts the session: the emulator in demo mode, the flow, and the actor.
    pub async fn start(settings: Settings) -> Result<Session, SessionError> {
        let mut config = settings.config.clone();
        let demo_bank = match settings.bank {
            Bank::Demo => {
                let bank = DemoBank::start(settings.demo_task_delay).await?;
                bank.configure(&mut config);
                Some(bank)
            }
            Bank::Configured => None,
        };
        let demo = demo_bank.is_some();
        let faces = Arc::new(FaceDetector::new()?);
        let liveness = Liveness::from_config(&config, Arc::clone(&faces));
        let luna_pass = match liveness.setup {
            SelfieSetup::LunaPass => config.liveness.luna_pass.endpoints()?,
            _ => None,
        };
        let demo_key = DemoBank::KEY.filter(|_| demo).map(str::to_owned);
        let link = settings.link.clone().or_else(|| demo_key.clone());
        let bank_host = url::Url::parse(&config.api.base_url)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_default();
        let info = AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            mode: match (settings.kiosk, demo) {
                (true, _) => Mode::Kiosk,
                (false, true) => Mode::Demo,
                (false, false) => Mode::Laptop,
            },
            demo,
            kiosk: settings.kiosk,
            link,
            system_locale: sys_locale::get_locale(),
            bank_host,
            selfie: liveness.setup,
            idle_reset_ms: config.kiosk.idle_reset().as_millis() as u64,
        };

        let client = ApiClient::new(&config.api)?;
        let config = Arc::new(config);
        let (flow, flow_events) = start_flow(client, Arc::clone(&config));
        let (preview_tx, preview) = watch::channel(None);
        let (signals_tx, signals) = mpsc::unbounded_channel();
        let reviews = ReviewImages::default();
        let cameras = CameraParts {
            faces,
            settings: StepSettings::new(config.images.clone()),
            choice: initial_camera(&settings, &config, demo),
            // A kiosk's configuration is the administrator's: the app writes nothing into it.
            config_file: settings.config_file.clone().filter(|_| !settings.kiosk),
            offer_synthetic: demo,
            preview: Arc::new(preview_tx),
            reviews: reviews.clone(),
            signals: signals_tx,
        };
        let (luna_pass_screen_tx, luna_pass_screen) = watch::channel(None);
        let (kiosk_resets_tx, kiosk_resets) = watch::channel(0);
        let (presence_tx, presence) =
            watch::channel(Presence::NoClientSince(tokio::time::Instant::now()));
        let (commands, command_rx) = mpsc::channel(32);
        // Only a kiosk names itself in its events: its id comes from the machine's file, the
        // only one a kiosk reads.
        let kiosk_id = config.kiosk.id.as_deref().filter(|_| settings.kiosk);
        let recorder = Recorder::new(settings.events.clone(), kiosk_id);
        let actor = Actor::new(ActorParts {
            config,
            kiosk: settings.kiosk,
            flow,
            demo_bank,
            cameras,
            liveness,
            luna_pass_screen: luna_pass_screen_tx,
            kiosk_resets: kiosk_resets_tx,
            presence: presence_tx,
            recorder,
        });
        tokio::spawn(actor.run(command_rx, flow_events, signals));
        Ok(Session {
            commands,
            preview,
            reviews,
            info: Arc::new(info),
            link_after_reset: demo_key,
            luna_pass_screen,
            luna_pass,
            kiosk_resets,
            presence,
        })
    }

    /// What the UI needs to know at start (and at each kiosk reset, which reloads the page).
    pub fn info(&self) -> AppInfo {
        let mut info = (*self.info).clone();
        if *self.kiosk_resets.borrow() > 0 {
            info.link.clone_from(&self.link_after_reset);
        }
        info
    }

    /// What the UI may be handed with its page, before it asks anything: the info, with the
    /// link only if it is the one every kiosk reset gives back too (the demo's key). A reset
    /// reloads the page as it was handed, and a link the app was started with is one client's,
    /// which the next must not see; the UI asks [`Session::info`] for it.
    pub fn info_for_every_page(&self) -> AppInfo {
        let mut info = (*self.info).clone();
        if info.link != self.link_after_reset {
            info.link = None;
        }
        info
    }

    /// The newest preview frame, for the shell's preview protocol.
    pub fn preview(&self) -> PreviewSlot {
        self.preview.clone()
    }

    /// Counts the kiosk's resets: the shell clears the webview's browsing data (cookies,
    /// storage, cache) and reloads its pages on each, so nothing a page or a vendor's script
    /// stored reaches the next client.
    pub fn kiosk_resets(&self) -> watch::Receiver<u64> {
        self.kiosk_resets.clone()
    }

    /// Whether a client is at the app, as it changes: the shell installs an update only when
    /// none has been for a while ([`crate::presence::wait_between_clients`]).
    pub fn presence(&self) -> watch::Receiver<Presence> {
        self.presence.clone()
    }

    /// The still under review with this id.
    pub fn review_image(&self, id: u64) -> Option<Bytes> {
        self.reviews.get(id)
    }

    /// Sends every event to `sink` from now on, starting with the current state. A UI that
    /// reloads subscribes again and carries on where it was.
    pub async fn subscribe(&self, sink: EventSink) -> Result<(), SessionError> {
        self.call(|reply| Command::Subscribe(sink, reply)).await
    }

    /// Opens a pasted link or key, one from the command line, or one the system handed over.
    pub async fn open_link(&self, text: String) -> Result<(), SessionError> {
        self.call(|reply| Command::OpenLink(text, reply)).await
    }

    /// Chooses the passport, with the taxpayer number when "not on the document" was ticked.
    pub async fn choose_document(
        &self,
        kind: DocumentKind,
        tax_number: Option<String>,
    ) -> Result<(), SessionError> {
        self.call(|reply| Command::ChooseDocument(kind, tax_number, reply))
            .await
    }

    /// Starts or stops reading the link's QR code with the camera.
    pub async fn scan_code(&self, on: bool) -> Result<(), SessionError> {
        self.call(|reply| Command::ScanCode(on, reply)).await
    }

    /// Presses the shutter.
    pub async fn take_photo(&self) -> Result<(), SessionError> {
        self.call(Command::TakePhoto).await
    }

    /// Turns taking the picture by itself on or off, for this and the following steps.
    pub async fn set_auto_capture(&self, on: bool) -> Result<(), SessionError> {
        self.call(|reply| Command::AutoCapture(on, reply)).await
    }

    /// Sends the still under review.
    pub async fn use_photo(&self) -> Result<(), SessionError> {
        self.call(Command::UsePhoto).await
    }

    /// Drops the still under review, or the photo the bank refused, and opens the camera again.
    pub async fn retake(&self) -> Result<(), SessionError> {
        self.call(Command::Retake).await
    }

    /// Uses a photo file instead of the camera; it goes to review like a still.
    pub async fn use_photo_file(&self, bytes: Vec<u8>) -> Result<(), SessionError> {
        self.call(|reply| Command::UsePhotoFile(bytes, reply)).await
    }

    /// The LUNA PASS library's result (`onSuccess`'s `jwt`): uploaded unchanged when its
    /// payload says `isOk`; otherwise refused with its errors, which the screen shows.
    pub async fn luna_pass_result(&self, jwt: String) -> Result<(), SessionError> {
        self.call(|reply| Command::LunaPassResult(jwt, reply)).await
    }

    /// Whether the camera is lent to the webview for the LUNA PASS screen: the shell grants
    /// the webview's camera requests only then.
    pub fn camera_lent_to_webview(&self) -> bool {
        self.luna_pass_screen.borrow().is_some()
    }

    /// The LUNA PASS screen as it changes (`None` while it is not shown), for the shell to open
    /// and close the webview the vendor's library runs in, and to feed it. Unlike
    /// [`Session::subscribe`], any number may watch, and they see nothing but this screen.
    pub fn luna_pass_screen(&self) -> watch::Receiver<Option<LunaPassView>> {
        self.luna_pass_screen.clone()
    }

    /// Where LUNA PASS's library and server are, when it takes the selfie: the shell opens its
    /// policy to these two origins on the LUNA PASS screen only.
    pub fn luna_pass_endpoints(&self) -> Option<&LunaPassEndpoints> {
        self.luna_pass.as_ref()
    }

    /// The cameras there are, with the one in use marked.
    pub async fn cameras(&self) -> Result<Vec<CameraOption>, SessionError> {
        self.call(Command::ListCameras).await
    }

    /// Switches to another camera from [`Session::cameras`] and remembers it.
    pub async fn choose_camera(&self, id: CameraId) -> Result<(), SessionError> {
        self.call(|reply| Command::ChooseCamera(id, reply)).await
    }

    /// Sends the same photo again after a network failure, or opens the same link again.
    pub async fn retry(&self) -> Result<(), SessionError> {
        self.call(|reply| Command::Flow(Action::Retry, reply)).await
    }

    /// Goes on after an accepted step.
    pub async fn continue_flow(&self) -> Result<(), SessionError> {
        self.call(|reply| Command::Flow(Action::Continue, reply))
            .await
    }

    /// Back to the document choice, before the first photo was sent.
    pub async fn back(&self) -> Result<(), SessionError> {
        self.call(|reply| Command::Flow(Action::Back, reply)).await
    }

    /// Abandons the identification.
    pub async fn cancel(&self) -> Result<(), SessionError> {
        self.call(|reply| Command::Flow(Action::Cancel, reply))
            .await
    }

    /// Forgets the client and shows the start screen.
    pub async fn reset(&self) -> Result<(), SessionError> {
        self.call(Command::Reset).await
    }

    /// Someone touched the screen: the kiosk's idle time-out starts again.
    pub async fn activity(&self) -> Result<(), SessionError> {
        self.call(Command::Activity).await
    }

    /// The bank's page to go back to at the end, once the flow is done.
    pub async fn home_page(&self) -> Result<String, SessionError> {
        self.call(Command::HomePage).await
    }

    /// Makes the demo's bank misbehave.
    pub async fn demo_fault(&self, fault: DemoFault) -> Result<(), SessionError> {
        self.call(|reply| Command::Demo(fault, reply)).await
    }

    /// Sends a command to the actor and waits for its typed answer.
    async fn call<T>(&self, command: impl FnOnce(Reply<T>) -> Command) -> Result<T, SessionError> {
        let (reply, answer) = oneshot::channel();
        self.commands
            .send(command(reply))
            .await
            .map_err(|_| SessionError::Closed)?;
        answer.await.map_err(|_| SessionError::Closed)?
    }
}

/// The camera to start with: the command line's, the remembered one, the first there is, or
/// in demo mode the synthetic camera when there is none.
fn initial_camera(settings: &Settings, config: &Config, demo: bool) -> DeviceChoice {
    if let Some(named) = settings
        .camera
        .as_deref()
        .or(config.camera.device.as_deref())
    {
        return DeviceChoice::parse(named);
    }
    let none_found = source::list_devices()
        .map(|devices| devices.is_empty())
        .unwrap_or(true);
    if demo && none_found {
        DeviceChoice::Synthetic
    } else {
        DeviceChoice::Default
    }
}
