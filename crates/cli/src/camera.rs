//! `humo-ident cameras`, `humo-ident capture`, and the camera behind `run --camera`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use humo_ident_camera::autocapture::{AutoCapture, StillVerdict};
use humo_ident_camera::capture::{Capture, CaptureStatus};
use humo_ident_camera::checks::{self, FaceDetector, Issue, QualityReport};
use humo_ident_camera::scene::CardSide;
use humo_ident_camera::source::{self, DeviceChoice, Purpose, SourceOpener, SyntheticScene};
use humo_ident_camera::still::still_from_frame;
use humo_ident_camera::CameraError;
use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use tokio::io::AsyncBufReadExt;

use crate::exit::Exit;

/// How often a frame is sampled for the quality checks.
const CHECK_EVERY: Duration = Duration::from_millis(150);
/// A camera error that cannot fix itself ends the capture after this long.
const GIVE_UP_AFTER: Duration = Duration::from_secs(3);

/// What a capture is of: decides the checks, and the scene the synthetic camera films.
#[derive(Debug, Clone)]
pub struct Subject {
    pub purpose: Purpose,
    /// For the synthetic camera: which side of the card, or whose portrait.
    pub side: CardSide,
    pub portrait: Option<PathBuf>,
}

impl Subject {
    /// The `index`th page of a document: the first is the front, the others the back.
    pub fn page(index: usize) -> Self {
        let side = if index == 0 {
            CardSide::Front
        } else {
            CardSide::Back
        };
        Subject {
            purpose: Purpose::Document,
            side,
            portrait: None,
        }
    }

    /// The face, filmed from `portrait` by the synthetic camera.
    pub fn selfie(portrait: Option<PathBuf>) -> Self {
        Subject {
            purpose: Purpose::Selfie,
            side: CardSide::Front,
            portrait,
        }
    }
}

/// Tells the person what to show, then takes the still of step `step` with the chosen camera.
pub async fn take(
    choice: &DeviceChoice,
    step: &str,
    subject: &Subject,
    limits: &ImageConfig,
    timeout: Duration,
) -> Result<UploadJpeg, CaptureFailure> {
    eprintln!("[{step}] {}", prompt(subject));
    capture_still(opener(choice, subject)?, subject, limits, timeout).await
}

/// Why no still was taken.
pub struct CaptureFailure {
    pub message: String,
    pub exit: Exit,
}

impl From<CameraError> for CaptureFailure {
    fn from(error: CameraError) -> Self {
        let exit = match error {
            CameraError::NoCamera | CameraError::UnknownDevice(_) | CameraError::BadImage(_) => {
                Exit::InvalidInput
            }
            _ => Exit::Unavailable,
        };
        CaptureFailure {
            message: error.to_string(),
            exit,
        }
    }
}

/// `humo-ident cameras`: the cameras and their formats.
pub fn list(json: bool) -> Exit {
    match source::list_devices() {
        Ok(devices) if json => {
            println!("{}", serde_json::to_string(&devices).unwrap_or_default());
            Exit::Success
        }
        Ok(devices) if devices.is_empty() => {
            eprintln!("No camera found.");
            eprintln!("Use photo files instead (humo-ident run --front FILE --back FILE …), or");
            eprintln!("`--camera file:PHOTO`; for a demonstration, `--camera synthetic`.");
            Exit::Success
        }
        Ok(devices) => {
            for device in devices {
                println!("{}: {}", device.index, device.name);
                let mut formats: Vec<_> = device.formats.iter().collect();
                formats.sort_by_key(|f| {
                    (
                        f.format as u8,
                        std::cmp::Reverse(f.width * f.height),
                        std::cmp::Reverse(f.fps),
                    )
                });
                for f in formats {
                    println!(
                        "    {:?} {}x{} @ {} fps",
                        f.format, f.width, f.height, f.fps
                    );
                }
            }
            Exit::Success
        }
        Err(error) => {
            eprintln!("{error}");
            CaptureFailure::from(error).exit
        }
    }
}

/// Makes the opener of the chosen source, checking that it exists.
pub fn opener(choice: &DeviceChoice, subject: &Subject) -> Result<SourceOpener, CaptureFailure> {
    let scene = match subject.purpose {
        Purpose::Document => SyntheticScene::Card(subject.side),
        Purpose::Selfie => {
            let portrait = match (&subject.portrait, choice) {
                (Some(path), DeviceChoice::Synthetic) => Some(
                    image::open(path)
                        .map_err(|e| CameraError::BadImage(format!("{}: {e}", path.display())))?
                        .to_rgb8(),
                ),
                _ => None,
            };
            SyntheticScene::Face(portrait)
        }
        Purpose::Code => SyntheticScene::EmptyDesk,
    };
    Ok(source::opener(choice, subject.purpose, scene)?)
}

/// Shows the subject to the camera until a good still is taken by itself, or by Enter.
///
/// Prints the checks' hints as they change. After two refused manual attempts the third is
/// taken with a warning. Gives up after `timeout`.
pub async fn capture_still(
    opener: SourceOpener,
    subject: &Subject,
    limits: &ImageConfig,
    timeout: Duration,
) -> Result<UploadJpeg, CaptureFailure> {
    let capture = Capture::start(opener);
    let result = capture_loop(&capture, subject, limits, timeout).await;
    capture.stop();
    result
}

async fn capture_loop(
    capture: &Capture,
    subject: &Subject,
    limits: &ImageConfig,
    timeout: Duration,
) -> Result<UploadJpeg, CaptureFailure> {
    let faces = FaceDetector::new()?;
    let mut auto = AutoCapture::new();
    let mut enter = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut stdin_open = true;
    let started = Instant::now();
    let mut shown: Option<BTreeSet<&'static str>> = None;
    let mut trouble_since: Option<Instant> = None;
    let frames = capture.frames();
    let status = capture.status();
    let mut last_report: Option<QualityReport> = None;
    loop {
        if started.elapsed() >= timeout {
            let issues = last_report
                .map(|r| describe(&r.issues))
                .unwrap_or_else(|| "no picture arrived".into());
            return Err(CaptureFailure {
                message: format!(
                    "No good picture within {} s (last check: {issues}).",
                    timeout.as_secs()
                ),
                exit: Exit::Unavailable,
            });
        }
        let current = status.borrow().clone();
        if let CaptureStatus::Interrupted { error } = current {
            let since = *trouble_since.get_or_insert_with(|| {
                eprintln!("{error}");
                Instant::now()
            });
            if !error.may_recover() && since.elapsed() >= GIVE_UP_AFTER {
                return Err(error.into());
            }
        } else {
            trouble_since = None;
        }

        let manual = tokio::select! {
            line = enter.next_line(), if stdin_open => match line {
                Ok(Some(_)) => true,
                _ => { stdin_open = false; false }
            },
            _ = tokio::time::sleep(CHECK_EVERY) => false,
        };
        let Some(captured) = frames.borrow().clone() else {
            continue;
        };
        let grey = checks::grey_for_checks(&captured.frame)?;
        let report = checks::check(&grey, subject.purpose, &faces);
        let hints: BTreeSet<&'static str> = report.issues.iter().map(|i| hint(*i)).collect();
        if shown.as_ref() != Some(&hints) {
            if hints.is_empty() {
                eprintln!("Good — hold still…");
            } else {
                eprintln!("{}", hints.iter().copied().collect::<Vec<_>>().join(" "));
            }
            shown = Some(hints);
        }
        let take = manual || auto.observe(&report, Instant::now());
        last_report = Some(report.clone());
        if !take {
            continue;
        }
        match auto.judge(&report) {
            StillVerdict::Accepted => {}
            StillVerdict::AcceptedWithWarning { issues } => {
                eprintln!(
                    "Taken despite: {}. The bank may not be able to read it.",
                    describe(&issues)
                )
            }
            StillVerdict::Rejected { issues } => {
                eprintln!(
                    "Not taken: {}. Try again, or press Enter to take it anyway.",
                    describe(&issues)
                );
                continue;
            }
        }
        return Ok(still_from_frame(&captured.frame, limits)?);
    }
}

/// `humo-ident capture`: one checked still, written to a file.
pub async fn capture_to_file(
    choice: &DeviceChoice,
    subject: &Subject,
    out: &Path,
    timeout: Duration,
) -> Exit {
    let result = match opener(choice, subject) {
        Ok(opener) => {
            eprintln!("{}", prompt(subject));
            capture_still(opener, subject, &ImageConfig::default(), timeout).await
        }
        Err(failure) => Err(failure),
    };
    match result {
        Ok(still) => match std::fs::write(out, still.bytes()) {
            Ok(()) => {
                eprintln!(
                    "Saved {} ({}×{}, {} KB, {}).",
                    out.display(),
                    still.width(),
                    still.height(),
                    still.bytes().len() / 1024,
                    if still.was_reencoded() {
                        "encoded once"
                    } else {
                        "the camera's own JPEG"
                    }
                );
                Exit::Success
            }
            Err(error) => {
                eprintln!("Cannot write {}: {error}", out.display());
                Exit::InvalidInput
            }
        },
        Err(failure) => {
            eprintln!("{}", failure.message);
            failure.exit
        }
    }
}

/// What to show the camera.
pub fn prompt(subject: &Subject) -> &'static str {
    match (subject.purpose, subject.side) {
        (Purpose::Selfie, _) => {
            "Look into the camera; the picture is taken when your face is in the middle."
        }
        (Purpose::Code, _) => "Show the QR code to the camera.",
        (Purpose::Document, CardSide::Front) => {
            "Show the front of the document to the camera (Enter takes the picture now)."
        }
        (Purpose::Document, CardSide::Back) => {
            "Show the back of the document to the camera (Enter takes the picture now)."
        }
    }
}

fn hint(issue: Issue) -> &'static str {
    match issue {
        Issue::TooDark => "Too dark: find more light.",
        Issue::TooBright => "Too bright: move out of direct light.",
        Issue::Blurry => "Blurred: hold still, or move a little further away.",
        Issue::Glare => "Glare on the card: tilt it a little.",
        Issue::NoDocument => "No document in view.",
        Issue::DocumentTooSmall => "Move the document closer.",
        Issue::NoFace => "No face in view.",
        Issue::SeveralFaces => "Only one person, please.",
        Issue::FaceNotCentred => "Move your face to the middle.",
        Issue::FaceTooSmall => "Come a little closer.",
    }
}

fn describe(issues: &[Issue]) -> String {
    issues
        .iter()
        .map(|i| {
            serde_json::to_value(i)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(", ")
}
