//! What the [`crate::Session`] handle sends the actor: one command a call, each with its reply.

use humo_ident_core::config::DocumentKind;
use humo_ident_core::flow::Action;
use tokio::sync::oneshot;

use crate::demo::DemoFault;
use crate::error::SessionError;
use crate::events::{CameraId, CameraOption, EventSink};

/// How the actor answers one command: each command has the answer's own type.
pub(crate) type Reply<T = ()> = oneshot::Sender<Result<T, SessionError>>;

/// What the UI can ask for, each with its reply.
pub(crate) enum Command {
    Subscribe(EventSink, Reply),
    OpenLink(String, Reply),
    ChooseDocument(DocumentKind, Option<String>, Reply),
    ScanCode(bool, Reply),
    TakePhoto(Reply),
    AutoCapture(bool, Reply),
    UsePhoto(Reply),
    Retake(Reply),
    UsePhotoFile(Vec<u8>, Reply),
    LunaPassResult(String, Reply),
    ListCameras(Reply<Vec<CameraOption>>),
    ChooseCamera(CameraId, Reply),
    Flow(Action, Reply),
    Reset(Reply),
    Activity(Reply),
    HomePage(Reply<String>),
    Demo(DemoFault, Reply),
}
