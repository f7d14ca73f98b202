//! `humo-ident cameras`, `humo-ident capture`, and the camera behind `run --camera`.
//!
//! The camera cycle itself (sampling, checks, auto-capture, the still) is the camera crate's
//! [`StepCamera`], the one the desktop app runs too; this module only says on the terminal what
//! it reports, and turns Enter into the shutter.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use humo_ident_camera::capture::CaptureStatus;
use humo_ident_camera::checks::{FaceDetector, Issue};
use humo_ident_camera::source::{self, DeviceChoice};
use humo_ident_camera::step::{StepCamera, StepEvent, StepSettings, Subject};
use humo_ident_camera::CameraError;
use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use tokio::io::AsyncBufReadExt;
use tokio::sync::mpsc;

use crate::exit::Exit;

/// The selfie's subject: for the synthetic camera, the portrait at `portrait` (read only when
/// that camera is the one chosen), or else a drawn face.
pub fn selfie(choice: &DeviceChoice, portrait: Option<&Path>) -> Result<Subject, CaptureFailure> {
    let portrait = match (portrait, choice) {
        (Some(path), DeviceChoice::Synthetic) => Some(
            image::open(path)
                .map_err(|e| CameraError::BadImage(format!("{}: {e}", path.display())))?
                .to_rgb8(),
        ),
        _ => None,
    };
    Ok(Subject::Selfie(portrait))
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
    capture_still(choice, subject, limits, timeout).await
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
            eprintln!("Use photo files instead (humo-ident run --front FILE --back FILE …).");
            #[cfg(feature = "emulator")]
            eprintln!("Or `--camera file:PHOTO`; for a demonstration, `--camera synthetic`.");
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

/// Shows the subject to the camera until a good still is taken by itself, or by Enter.
///
/// Prints the checks' hints as they change. After two refused manual attempts the third is
/// taken with a warning. Gives up after `timeout`, or when the camera fails for good.
pub async fn capture_still(
    choice: &DeviceChoice,
    subject: &Subject,
    limits: &ImageConfig,
    timeout: Duration,
) -> Result<UploadJpeg, CaptureFailure> {
    let faces = Arc::new(FaceDetector::new()?);
    let (events_tx, mut events) = mpsc::unbounded_channel();
    let camera = StepCamera::start(
        choice,
        subject,
        StepSettings::new(limits.clone()),
        faces,
        Box::new(move |event| events_tx.send(event).is_ok()),
    )?;
    let mut enter = tokio::io::BufReader::new(tokio::io::stdin()).lines();
    let mut stdin_open = true;
    let mut terminal = Terminal::default();
    let deadline = tokio::time::sleep(timeout);
    tokio::pin!(deadline);
    let result = loop {
        tokio::select! {
            event = events.recv() => {
                let Some(event) = event else {
                    break Err(CameraError::Device("the camera stopped".into()).into());
                };
                if let Some(done) = terminal.show(event) {
                    break done;
                }
            }
            line = enter.next_line(), if stdin_open => match line {
                Ok(Some(_)) => camera.press_shutter(),
                _ => stdin_open = false,
            },
            _ = &mut deadline => {
                break Err(CaptureFailure {
                    message: format!(
                        "No good picture within {} s (last check: {}).",
                        timeout.as_secs(),
                        terminal.last_check()
                    ),
                    exit: Exit::Unavailable,
                });
            }
        }
    };
    drop(camera.stop());
    result
}

/// What the terminal has shown of a camera, so each thing is said once.
#[derive(Default)]
struct Terminal {
    hints: Option<BTreeSet<&'static str>>,
    last_issues: Option<Vec<Issue>>,
    trouble: Option<String>,
}

impl Terminal {
    /// Says what the camera reported; returns the end of the capture when it is over.
    fn show(&mut self, event: StepEvent) -> Option<Result<UploadJpeg, CaptureFailure>> {
        match event {
            StepEvent::Status(CaptureStatus::Interrupted { error }) => {
                let text = error.to_string();
                if self.trouble.as_deref() != Some(text.as_str()) {
                    eprintln!("{text}");
                    self.trouble = Some(text);
                }
            }
            StepEvent::Status(_) => self.trouble = None,
            StepEvent::Checks { issues, .. } => {
                let hints: BTreeSet<&'static str> = issues.iter().map(|i| hint(*i)).collect();
                if self.hints.as_ref() != Some(&hints) {
                    if hints.is_empty() {
                        eprintln!("Good — hold still…");
                    } else {
                        eprintln!("{}", hints.iter().copied().collect::<Vec<_>>().join(" "));
                    }
                    self.hints = Some(hints);
                }
                self.last_issues = Some(issues);
            }
            StepEvent::Refused(issues) => eprintln!(
                "Not taken: {}. Try again, or press Enter to take it anyway.",
                describe(&issues)
            ),
            StepEvent::Still {
                still, warnings, ..
            } => {
                if !warnings.is_empty() {
                    eprintln!(
                        "Taken despite: {}. The bank may not be able to read it.",
                        describe(&warnings)
                    );
                }
                return Some(Ok(still));
            }
            StepEvent::Code(_) => {}
            StepEvent::Failed {
                error,
                for_good: true,
            } => return Some(Err(error.into())),
            StepEvent::Failed { error, .. } => eprintln!("{error}"),
        }
        None
    }

    fn last_check(&self) -> String {
        match &self.last_issues {
            Some(issues) => describe(issues),
            None => "no picture arrived".into(),
        }
    }
}

/// Writes `bytes` to `path`, readable by its owner only: a still is a person's face or
/// passport. (On Windows the file takes its folder's access list.)
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    // A file that was there already keeps its mode: take it back to the owner's.
    #[cfg(unix)]
    file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    std::io::Write::write_all(&mut file, bytes)
}

/// `humo-ident capture`: one checked still, written to a file.
pub async fn capture_to_file(
    choice: &DeviceChoice,
    subject: &Subject,
    out: &Path,
    timeout: Duration,
) -> Exit {
    eprintln!("{}", prompt(subject));
    let result = capture_still(choice, subject, &ImageConfig::default(), timeout).await;
    match result {
        Ok(still) => match write_private(out, still.bytes()) {
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
    match subject {
        Subject::Selfie(_) => {
            "Look into the camera; the picture is taken when your face is in the middle."
        }
        Subject::Code(_) => "Show the QR code to the camera.",
        Subject::DocumentPage(0) => {
            "Show the front of the document to the camera (Enter takes the picture now)."
        }
        Subject::DocumentPage(_) => {
            "Show the back of the document to the camera (Enter takes the picture now)."
        }
    }
}

fn hint(issue: Issue) -> &'static str {
    match issue {
        Issue::TooDark => "Too dark: find more light.",
        Issue::TooBright => "Too bright: move out of direct light.",
        Issue::Blurry => "Blurred: hold still, or move a little further away.",
        Issue::Glare => "Glare on the document: tilt it a little.",
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
        .map(|issue| issue.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
