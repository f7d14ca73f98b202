//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use humo_ident_core::config::DocumentKind;

/// Remote identification with the bank: run it from the command line, or serve the emulator.
#[derive(Debug, Parser)]
#[command(name = "humo-ident", version, about, propagate_version = true)]
#[cfg_attr(
    not(feature = "emulator"),
    command(about = "`humo-ident`: run a remote identification from the command line.")
)]
pub struct Cli {
    /// Print debug logs on stderr (never tokens, keys or images).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a whole identification with photos from files.
    Run(Box<RunArgs>),
    /// Run the bank-API emulator until Ctrl-C.
    #[cfg(feature = "emulator")]
    Emulator(EmulatorArgs),
    /// Start the emulator in-process and run a whole identification against it with generated
    /// photos: the end-to-end demonstration that needs no bank server and no camera.
    #[cfg(feature = "emulator")]
    Demo(DemoArgs),
    /// List the cameras and the formats they offer.
    Cameras {
        /// Print the list as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Take one checked still with a camera and write it to a file.
    Capture(CaptureArgs),
    /// Print the default configuration (TOML) to start a configuration file from, or check a
    /// file.
    Config(ConfigArgs),
    /// Read the app's event files into figures.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Write one archive for the bank's support: versions, the configuration with its secrets
    /// redacted, its check, the cameras, and the newest log and event files. Nothing personal.
    SupportBundle(BundleArgs),
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// Write the archive here [default: humo-ident-support-DATE-TIME.tar.gz here].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The user's configuration file [default: the desktop app's, in the user's configuration
    /// folder]. The machine's file is always included when there is one.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The folder of the log and event files [default: the configuration's [logging]
    /// directory, or the system's usual place].
    #[arg(long, value_name = "DIR")]
    pub logs: Option<PathBuf>,
    /// How many days of log files, and of event files.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub days: usize,
    /// Print what would go in, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// What to read the event files into.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// For each stage of the identification: how many reached it and went past it, the median
    /// and 90th percentile of the time it took, retakes by reason, the bank's refusals by code,
    /// and where people stopped; then the same per camera model.
    Funnel {
        /// Event files (`humo-ident-events.YYYY-MM-DD.jsonl`), or folders holding them.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Check this file (a user's, or the machine's with its `[managed]` section) instead:
    /// exit 2 with the line and the reason when it is wrong.
    #[arg(long, value_name = "FILE")]
    pub check: Option<PathBuf>,
}

/// What the picture is of.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PurposeArg {
    /// A page of a document.
    Document,
    /// A face.
    Selfie,
}

/// A side of the card, for the synthetic camera's scene.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SideArg {
    Front,
    Back,
}

/// Options of the camera, shared by `capture` and `run --camera`.
#[derive(Debug, Args)]
pub struct CameraOptions {
    /// For the synthetic camera's selfie: film this portrait instead of a drawn face.
    #[arg(long, value_name = "IMG")]
    pub portrait: Option<PathBuf>,
    /// Give up on a picture after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub capture_timeout: u64,
}

#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// The camera: its index or part of its name, `synthetic`, or `file:PHOTO` (default: the
    /// one the configuration remembers, else the first).
    #[arg(long, value_name = "DEVICE")]
    pub device: Option<String>,
    /// A configuration file (TOML) to read the remembered camera from.
    #[arg(long, value_name = "FILE", env = "HUMO_IDENT_CONFIG")]
    pub config: Option<PathBuf>,
    /// After a good still, remember this camera in the configuration file.
    #[arg(long, requires = "config")]
    pub remember: bool,
    /// What the picture is of.
    #[arg(long, value_enum, default_value = "document")]
    pub purpose: PurposeArg,
    /// For the synthetic camera: which side of the card it films.
    #[arg(long, value_enum, default_value = "front")]
    pub side: SideArg,
    /// Where to write the JPEG.
    #[arg(long, value_name = "FILE.jpg")]
    pub out: PathBuf,
    #[command(flatten)]
    pub camera: CameraOptions,
}

/// The passport, as typed on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Document {
    /// The plastic ID card (new passport).
    New,
    /// The paper booklet (old passport).
    Old,
}

impl From<Document> for DocumentKind {
    fn from(document: Document) -> Self {
        match document {
            Document::New => DocumentKind::New,
            Document::Old => DocumentKind::Old,
        }
    }
}

/// Options shared by `run` and `demo`.
#[derive(Debug, Args)]
pub struct FlowOptions {
    /// The taxpayer number (9 digits), when it is not on the document (new passport only).
    #[arg(long, value_name = "DIGITS")]
    pub tin: Option<String>,
    /// Give up on a task after this many seconds (default from the configuration: 120).
    #[arg(long, value_name = "SECS")]
    pub poll_timeout: Option<u64>,
    /// Print every event as one JSON object per line on stdout, and nothing else there.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Base URL of the bank's API (may carry a path prefix).
    #[arg(long, value_name = "URL", env = "HUMO_IDENT_API")]
    pub api: Option<String>,
    /// A configuration file (TOML); see `humo-ident config`.
    #[arg(long, value_name = "FILE", env = "HUMO_IDENT_CONFIG")]
    pub config: Option<PathBuf>,
    /// The presign key of the identification link, or `-` to read it from standard input.
    /// Other users of this machine can read a command line: give `-`, or set HUMO_IDENT_KEY
    /// instead of --key.
    #[arg(
        long,
        value_name = "KEY",
        env = "HUMO_IDENT_KEY",
        hide_env_values = true
    )]
    pub key: String,
    /// The passport photographed.
    #[arg(long, value_enum)]
    pub document: Document,
    #[command(flatten)]
    pub flow: FlowOptions,
    /// Photo of the front side (the old passport's photo page).
    #[arg(long, value_name = "IMG", required_unless_present = "camera")]
    pub front: Option<PathBuf>,
    /// Photo of the back side (the old passport's registration page).
    #[arg(long, value_name = "IMG", required_unless_present = "camera")]
    pub back: Option<PathBuf>,
    /// Take every picture not given as a file with this camera: its index or part of its name,
    /// `synthetic`, or `file:PHOTO`.
    #[arg(long, value_name = "DEVICE", num_args = 0..=1, default_missing_value = "default")]
    pub camera: Option<String>,
    #[command(flatten)]
    pub camera_options: CameraOptions,
    /// Photo for any further configured step, as STEP=FILE.
    #[arg(long = "image", value_name = "STEP=IMG", value_parser = parse_step_image)]
    pub images: Vec<(String, PathBuf)>,
    #[command(flatten)]
    pub selfie: SelfieSource,
    /// HS256 key of the `local` liveness provider (default: the emulator's, in a build that has
    /// the emulator).
    #[arg(
        long,
        value_name = "KEY",
        env = "HUMO_IDENT_LOCAL_LIVENESS_KEY",
        hide_env_values = true
    )]
    pub local_liveness_key: Option<String>,
    /// Send a `local` selfie token to a server that is not on this machine. Only for a test
    /// server that is known to accept them; a real bank server never does.
    #[arg(long)]
    pub allow_local_selfie: bool,
}

/// Where the selfie comes from: one of the two, or else the camera.
#[derive(Debug, Args)]
#[group(required = false, multiple = false)]
pub struct SelfieSource {
    /// A compact JWT issued by LUNA PASS, sent unchanged.
    #[arg(long, value_name = "FILE")]
    pub selfie_jwt: Option<PathBuf>,
    /// A selfie photo, packed into a token by the `local` provider (emulator and demos only) if
    /// its face passes the provider's checks.
    #[arg(long, value_name = "IMG")]
    pub selfie: Option<PathBuf>,
}

#[cfg(feature = "emulator")]
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// Port on 127.0.0.1 (default: a free one, printed at start).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    #[command(flatten)]
    pub behaviour: EmulatorBehaviour,
}

/// How the emulator behaves, and how it misbehaves for tests and demos.
#[cfg(feature = "emulator")]
#[derive(Debug, Args)]
pub struct EmulatorBehaviour {
    /// How long a task stays SENT before it ends.
    #[arg(long, value_name = "MS", default_value_t = 3000)]
    pub task_delay_ms: u64,
    /// Extra delay before every answer (a slow server).
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Make the next document check fail with this reason.
    #[arg(long, value_name = "REASON")]
    pub fail_next_ocr: Option<String>,
    /// Make the next selfie check fail with this reason.
    #[arg(long, value_name = "REASON")]
    pub fail_next_selfie: Option<String>,
    /// Answer 401 to every authorised call.
    #[arg(long)]
    pub unauthorized: bool,
    /// Answer 503 to this many status checks.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub failing_polls: u32,
    /// Break the connection on this many status checks.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub dropped_polls: u32,
    /// Never finish any task.
    #[arg(long)]
    pub never_finish: bool,
    /// How long an access token works after its presign; then its session and tasks are
    /// forgotten, so an emulator can run for days.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    pub session_ttl_secs: u64,
}

#[cfg(feature = "emulator")]
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// The passport photographed.
    #[arg(long, value_enum, default_value = "new")]
    pub document: Document,
    #[command(flatten)]
    pub flow: FlowOptions,
    /// Keep the generated photos and the selfie token in this folder, to look at them.
    #[arg(long, value_name = "DIR")]
    pub keep_images: Option<PathBuf>,
    #[command(flatten)]
    pub behaviour: EmulatorBehaviour,
}

fn parse_step_image(text: &str) -> Result<(String, PathBuf), String> {
    let (step, path) = text
        .split_once('=')
        .ok_or_else(|| format!("expected STEP=FILE, got {text:?}"))?;
    if step.is_empty() || path.is_empty() {
        return Err(format!("expected STEP=FILE, got {text:?}"));
    }
    Ok((step.to_owned(), PathBuf::from(path)))
}
