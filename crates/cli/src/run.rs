//! `humo-ident run`: a whole identification from files, driven through the core's flow engine.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use humo_ident_camera::checks::{FaceDetector, LocalFaceGate};
use humo_ident_camera::source::DeviceChoice;

use humo_ident_core::api::ApiClient;
use humo_ident_core::config::{machine_config_path, Config, DocumentKind, Layered, SELFIE_STEP_ID};
use humo_ident_core::flow::{start_flow, Action, FlowEvent, FlowState, StepInput};
use humo_ident_core::image_prep::{file_too_large, UploadJpeg};
use humo_ident_core::input::{PresignKey, TaxNumber};
use humo_ident_core::liveness::{LivenessProvider, LocalLiveness, SelfieEvidence, SelfieJwt};
use humo_ident_core::Error;

use crate::args::{FlowOptions, RunArgs};
use crate::camera::{self, CaptureFailure};
use crate::exit::Exit;
use crate::report::Reporter;
use humo_ident_camera::step::Subject;

/// Everything an identification needs, checked before the first request.
pub struct Inputs {
    pub key: PresignKey,
    pub document: DocumentKind,
    pub tax_number: Option<TaxNumber>,
    /// The input of every step, by step id.
    pub steps: HashMap<String, StepInput>,
}

/// Reads the configuration, applying the command line over the file.
pub fn load_config(
    path: Option<&Path>,
    api: Option<&str>,
    flow: &FlowOptions,
) -> Result<Config, Error> {
    // The machine's configuration first, as the app reads it; what it locks, `--api` cannot
    // change.
    let layered = Layered::load(machine_config_path().as_deref(), path)?;
    let mut config = layered.config.clone();
    if let Some(api) = api {
        layered.refuse_if_locked("api.base-url", "--api")?;
        config.api.base_url = api.to_owned();
    } else if !layered.names_server {
        // Never the built-in default: an identification goes only to a server named here.
        return Err(Error::Config(
            "no bank is configured: give --api URL, or set [api] base-url in the configuration \
             file"
                .into(),
        ));
    }
    if let Some(seconds) = flow.poll_timeout {
        config.polling.deadline_secs = seconds;
    }
    config.validate()?;
    Ok(config)
}

/// Checks every input of `run`: the key, the taxpayer number, each photo and the selfie. Files are
/// read first; pictures still missing are then taken with the camera, if one was named. All of
/// it happens before the first request.
pub async fn gather_inputs(args: &RunArgs, config: &Config) -> Result<Inputs, InputFailure> {
    let key = PresignKey::parse(&key_text(&args.key)?)?;
    let document = DocumentKind::from(args.document);
    let tax_number = tax_number(args.flow.tin.as_deref(), document, config)?;
    // `--camera` alone means the camera the configuration remembers, or the first one.
    let camera = args
        .camera
        .as_deref()
        .map(|named| match (named, &config.camera.device) {
            ("default", Some(remembered)) => DeviceChoice::parse(remembered),
            _ => DeviceChoice::parse(named),
        });

    let mut files: Vec<(String, &Path)> = Vec::new();
    files.extend(args.front.as_deref().map(|path| ("front".to_owned(), path)));
    files.extend(args.back.as_deref().map(|path| ("back".to_owned(), path)));
    files.extend(
        args.images
            .iter()
            .map(|(step, path)| (step.clone(), path.as_path())),
    );
    let wanted = page_ids(config, document);
    let mut steps = HashMap::new();
    for (step, path) in files {
        if !wanted.contains(&step) {
            return Err(Error::Config(format!(
                "the {} passport has no step {step:?} (its steps: {})",
                document.as_str(),
                wanted.join(", ")
            ))
            .into());
        }
        let photo = read_photo(path, config)?;
        steps.insert(step, StepInput::Photo(photo));
    }
    let selfie_jwt = match (&args.selfie.selfie_jwt, &args.selfie.selfie) {
        (Some(path), _) => {
            let too_large = |_| {
                Error::InvalidSelfieToken(format!(
                    "{} is larger than a selfie token can be",
                    path.display()
                ))
            };
            let text = String::from_utf8(read(path, max_token_file_bytes(config), too_large)?)
                .map_err(|_| {
                    Error::InvalidSelfieToken(format!("{} is not text", path.display()))
                })?;
            Some(SelfieJwt::parse(&text)?)
        }
        (None, Some(path)) => {
            // Upright first, as the app checks a selfie: a phone stores a portrait sideways.
            let photo = read_photo(path, config)?;
            Some(sign_local_selfie(
                args,
                config,
                &photo,
                &path.display().to_string(),
            )?)
        }
        (None, None) if camera.is_some() => {
            // Refuse before anyone poses for a picture that could not be sent.
            refuse_local_selfie_for_remote(config, args.allow_local_selfie)?;
            None
        }
        (None, None) => {
            return Err(
                Error::Config("give --selfie-jwt FILE, --selfie IMG or --camera".into()).into(),
            )
        }
    };

    let missing: Vec<&String> = wanted
        .iter()
        .filter(|id| !steps.contains_key(*id))
        .collect();
    let Some(camera) = camera else {
        if let Some(missing) = missing.first() {
            return Err(Error::Config(format!(
                "no photo for step {missing:?}: add --image {missing}=FILE or --camera"
            ))
            .into());
        }
        let selfie = selfie_jwt.ok_or_else(|| Error::Config("no selfie".into()))?;
        steps.insert(SELFIE_STEP_ID.to_owned(), StepInput::Selfie(selfie));
        return Ok(Inputs {
            key,
            document,
            tax_number,
            steps,
        });
    };

    let timeout = Duration::from_secs(args.camera_options.capture_timeout);
    for step in missing {
        let index = wanted.iter().position(|id| id == step).unwrap_or(0);
        let photo = camera::take(
            &camera,
            step,
            &Subject::DocumentPage(index),
            &config.images,
            timeout,
        )
        .await?;
        steps.insert(step.clone(), StepInput::Photo(photo));
    }
    let selfie = match selfie_jwt {
        Some(jwt) => jwt,
        None => {
            let subject = camera::selfie(&camera, args.camera_options.portrait.as_deref())?;
            let photo =
                camera::take(&camera, SELFIE_STEP_ID, &subject, &config.images, timeout).await?;
            sign_local_selfie(args, config, &photo, "the camera's selfie")?
        }
    };
    steps.insert(SELFIE_STEP_ID.to_owned(), StepInput::Selfie(selfie));
    Ok(Inputs {
        key,
        document,
        tax_number,
        steps,
    })
}

/// An input that could not be had: a wrong value, or a camera that gave no picture.
pub enum InputFailure {
    Invalid(Error),
    Camera(CaptureFailure),
}

impl From<Error> for InputFailure {
    fn from(error: Error) -> Self {
        InputFailure::Invalid(error)
    }
}

impl From<CaptureFailure> for InputFailure {
    fn from(failure: CaptureFailure) -> Self {
        InputFailure::Camera(failure)
    }
}

/// The `local` provider's key when none is given: the emulator's, in a build that has it.
#[cfg(feature = "emulator")]
const DEFAULT_LOCAL_LIVENESS_KEY: Option<&str> = Some(humo_ident_emulator::LOCAL_LIVENESS_KEY);
#[cfg(not(feature = "emulator"))]
const DEFAULT_LOCAL_LIVENESS_KEY: Option<&str> = None;

/// Packs a selfie photo, prepared as for sending, into a `local` token, for the emulator only.
/// The photo must pass the gate the app's local provider uses (the quality checks of the face),
/// or nothing is sent: `source` names it in the refusal (a file's path, or the camera).
fn sign_local_selfie(
    args: &RunArgs,
    config: &Config,
    photo: &UploadJpeg,
    source: &str,
) -> Result<SelfieJwt, InputFailure> {
    refuse_local_selfie_for_remote(config, args.allow_local_selfie)?;
    let key = args
        .local_liveness_key
        .as_deref()
        .or(DEFAULT_LOCAL_LIVENESS_KEY)
        .ok_or_else(|| {
            Error::Config(
                "--selfie makes a local test token, which needs --local-liveness-key in this \
                 build (it has no emulator)"
                    .into(),
            )
        })?;
    let gate = LocalFaceGate::new(Arc::new(FaceDetector::new().map_err(CaptureFailure::from)?));
    let provider = LocalLiveness::new(key.as_bytes(), config.images.clone(), Arc::new(gate));
    let signed = provider.selfie(SelfieEvidence::Photo(photo.bytes()));
    Ok(signed.map_err(|error| match error {
        Error::SelfieNotPassed(problems) => Error::InvalidImage(format!(
            "{source}: the local liveness check refuses this selfie ({})",
            problems.join(", ")
        )),
        other => other,
    })?)
}

/// The taxpayer number, where the document takes one.
pub fn tax_number(
    text: Option<&str>,
    document: DocumentKind,
    config: &Config,
) -> Result<Option<TaxNumber>, Error> {
    let Some(text) = text else { return Ok(None) };
    if !config.flow.document(document).offers_tax_number {
        return Err(Error::Config(format!(
            "--tin is only for a document that offers it; the {} passport does not",
            document.as_str()
        )));
    }
    TaxNumber::parse(text).map(Some)
}

/// The ids of the photographed steps of a document, additional steps included.
pub fn page_ids(config: &Config, document: DocumentKind) -> Vec<String> {
    config
        .flow
        .document(document)
        .pages
        .iter()
        .chain(&config.flow.additional)
        .map(|page| page.id.clone())
        .collect()
}

/// A `local` token is for the emulator: a server elsewhere gets one only when told explicitly,
/// on the command line or with `[liveness] server-accepts-local`.
fn refuse_local_selfie_for_remote(config: &Config, allowed: bool) -> Result<(), Error> {
    if config.local_selfie_allowed() || allowed {
        Ok(())
    } else {
        Err(Error::Config(
            "--selfie makes a local test token, which only the emulator accepts; this API is not on \
             this machine. Give --selfie-jwt with a LUNA PASS token, or --allow-local-selfie (or \
             [liveness] server-accepts-local) for a test server that accepts local tokens"
                .into(),
        ))
    }
}

/// The most a selfie token file may hold: a token carries the face's photo, base64-encoded, so
/// a third more than the largest photo, and its claims.
fn max_token_file_bytes(config: &Config) -> u64 {
    config.images.max_file_bytes / 3 * 4 + 64 * 1024
}

/// Reads `path`, refusing it with `too_large(size)` when it holds more than `cap` bytes, before
/// reading it: by the size the system gives, and for a file whose size it does not know (a
/// device, a pipe) by never reading more than `cap` bytes of it.
fn read(path: &Path, cap: u64, too_large: impl Fn(u64) -> Error) -> Result<Vec<u8>, Error> {
    let cannot =
        |e: std::io::Error| Error::InvalidImage(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_err(cannot)?.len();
    if size > cap {
        return Err(too_large(size));
    }
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads the photo at `path`, no larger than the configuration allows.
fn read_photo(path: &Path, config: &Config) -> Result<UploadJpeg, Error> {
    let too_large = |size| in_file(path, file_too_large(size, &config.images));
    let bytes = read(path, config.images.max_file_bytes, too_large)?;
    UploadJpeg::prepare(&bytes, &config.images).map_err(|e| in_file(path, e))
}

/// The presign key as given: `-` reads it from the first line of standard input.
fn key_text(given: &str) -> Result<String, Error> {
    if given != "-" {
        return Ok(given.to_owned());
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| {
        Error::InvalidKey(format!(
            "the key could not be read from standard input: {e}"
        ))
    })?;
    Ok(line.trim().to_owned())
}

fn in_file(path: &Path, error: Error) -> Error {
    match error {
        Error::InvalidImage(reason) => Error::InvalidImage(format!("{}: {reason}", path.display())),
        other => other,
    }
}

/// Drives one identification to its end and says how it ended.
pub async fn identify(config: Config, mut inputs: Inputs, reporter: &mut Reporter) -> Exit {
    let client = match ApiClient::new(&config.api) {
        Ok(client) => client,
        Err(error) => return fail(reporter, &error),
    };
    let (flow, mut events) = start_flow(client, Arc::new(config));
    if let Err(error) = flow.act(Action::OpenLink(inputs.key.clone())).await {
        return fail(reporter, &error);
    }
    loop {
        let event = tokio::select! {
            event = events.recv() => event,
            _ = tokio::signal::ctrl_c() => {
                let _ = flow.act(Action::Cancel).await;
                continue;
            }
        };
        let Some(event) = event else {
            return Exit::Unavailable;
        };
        reporter.event(&event);
        let FlowEvent::StateChanged { state } = event else {
            continue;
        };
        let action = match state {
            FlowState::ChoosingDocument { .. } => Action::ChooseDocument {
                kind: inputs.document,
                tax_number: inputs.tax_number.clone(),
            },
            FlowState::AwaitingInput { step } => match inputs.steps.remove(&step.id) {
                Some(input) => Action::Submit(input),
                None => {
                    return fail(
                        reporter,
                        &Error::Config(format!("nothing to send for step {:?}", step.id)),
                    )
                }
            },
            FlowState::StepAccepted { .. } => Action::Continue,
            FlowState::Done { .. } => return Exit::Success,
            FlowState::StepRejected { .. } => return Exit::Rejected,
            FlowState::LinkFailed { error, .. }
            | FlowState::Expired { error }
            | FlowState::StepInterrupted { error, .. } => return error.kind.into(),
            FlowState::Cancelled => return Exit::Interrupted,
            FlowState::AwaitingLink
            | FlowState::OpeningLink
            | FlowState::Uploading { .. }
            | FlowState::Processing { .. } => continue,
        };
        if let Err(error) = flow.act(action).await {
            return fail(reporter, &error);
        }
    }
}

fn fail(reporter: &Reporter, error: &Error) -> Exit {
    reporter.error(error);
    error.kind().into()
}
