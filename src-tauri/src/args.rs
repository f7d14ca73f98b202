//! The desktop app's command line.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, ValueEnum};
use humo_ident_core::config::{Compositing, LivenessProviderKind};
use humo_ident_core::input::APP_SCHEME;
use humo_ident_session::settings::StartOptions;

/// Humo Ident: the bank's remote identification.
///
/// With no server configured (no `--api`, no configuration file) the app runs in demo mode:
/// the bank is emulated in-process and the synthetic camera stands in when there is none.
#[derive(Debug, Parser)]
#[command(name = "humo-ident-desktop", version)]
pub struct Args {
    /// A link from the bank (`humo-ident://open?key=…`, a web link) or a bare key.
    pub link: Option<String>,
    /// Use the emulated bank even when a server is configured.
    #[arg(long)]
    pub demo: bool,
    /// Run as a branch kiosk: full screen, locked, and a clean start for every client.
    #[arg(long)]
    pub kiosk: bool,
    /// The bank's API base URL (laptop mode).
    #[arg(long, value_name = "URL")]
    pub api: Option<String>,
    /// The configuration file (default: `config.toml` in the app's configuration folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The camera: an index, part of its name, `synthetic`, or `file:PATH`.
    #[arg(long, value_name = "DEVICE")]
    pub camera: Option<String>,
    /// The selfie's liveness check: `luna-pass` (the bank's) or `local` (demo servers only).
    #[arg(long, value_enum, value_name = "PROVIDER")]
    pub liveness: Option<Liveness>,
    /// WebKit's accelerated compositing: `auto` (off where there is no GPU), `on` or `off`.
    #[arg(long, value_enum, value_name = "WHEN", env = "HUMO_IDENT_COMPOSITING")]
    pub compositing: Option<CompositingArg>,
    /// How long the demo's bank takes to check each photo, in milliseconds (end-to-end tests).
    #[cfg(feature = "demo")]
    #[arg(long, value_name = "MS", hide = true)]
    pub demo_task_delay_ms: Option<u64>,
    /// Give the webview WebKit's test camera (for end-to-end tests on machines without one).
    #[cfg(feature = "demo")]
    #[arg(long, hide = true)]
    pub webview_mock_camera: bool,
    /// Measure the preview instead of running the app: frames streamed by this transport.
    #[cfg(feature = "bench")]
    #[arg(long, value_enum, value_name = "TRANSPORT", hide = true)]
    pub bench_preview: Option<BenchTransport>,
    /// How long the preview benchmark runs.
    #[cfg(feature = "bench")]
    #[arg(long, default_value_t = 20, hide = true)]
    pub bench_seconds: u64,
    /// Measure the start time and memory instead of running the app: of the app (in demo
    /// mode), or of a blank window of this binary.
    #[cfg(feature = "bench")]
    #[arg(long, value_enum, value_name = "WINDOW", hide = true)]
    pub bench_footprint: Option<FootprintMode>,
}

/// The selfie's liveness provider, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Liveness {
    /// VisionLabs' LUNA PASS, in its own screen.
    LunaPass,
    /// The app's own camera and liveness check.
    Local,
}

/// `--compositing`, as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompositingArg {
    /// Off where the machine has no GPU to render with.
    Auto,
    /// As WebKit decides.
    On,
    /// Never.
    Off,
}

impl From<CompositingArg> for Compositing {
    fn from(arg: CompositingArg) -> Compositing {
        match arg {
            CompositingArg::Auto => Compositing::Auto,
            CompositingArg::On => Compositing::On,
            CompositingArg::Off => Compositing::Off,
        }
    }
}

/// How the preview benchmark moves frames to the webview.
#[cfg(feature = "bench")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BenchTransport {
    /// The app's own: raw JPEG bytes pulled over the `preview` protocol after each draw.
    Pull,
    /// The naive one, for comparison: every frame pushed as base64 in an event.
    Events,
    /// No transport: one frame, decoded once, drawn every animation frame. The webview's own
    /// cost of drawing the preview, the limit any transport is measured against.
    Anchor,
}

#[cfg(feature = "bench")]
impl BenchTransport {
    /// The name the bench page and the figures use.
    pub fn name(self) -> &'static str {
        match self {
            BenchTransport::Pull => "pull",
            BenchTransport::Events => "events",
            BenchTransport::Anchor => "anchor",
        }
    }
}

/// What the footprint benchmark measures.
#[cfg(feature = "bench")]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FootprintMode {
    /// The app itself, in demo mode: its start screen, then a camera step's preview.
    App,
    /// A blank window of the same binary: Tauri and WebKit alone.
    Blank,
}

impl Args {
    /// Reads the command line. Arguments the system adds when it opens a link are kept as the
    /// link; anything unknown ends the app with a message.
    pub fn parse_args() -> Args {
        Args::from_command_line(std::env::args_os())
    }

    /// Reads `args` (the program's name first). A start by an app link (`humo-ident:…`) is the
    /// system's: the link is taken and every other argument ignored, so nothing that starts the
    /// app through a link (a web page, a shortcut dressed as one) can bring flags with it.
    pub fn from_command_line<I, T>(args: I) -> Args
    where
        I: IntoIterator<Item = T>,
        T: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        let app_link = args
            .iter()
            .skip(1)
            .filter_map(|arg| arg.to_str())
            .find(|arg| is_app_link(arg))
            .map(str::to_owned);
        match app_link {
            Some(link) => Args {
                link: Some(link),
                ..Args::parse_from(args.into_iter().take(1))
            },
            None => Args::parse_from(args),
        }
    }

    /// The part of the command line the session uses.
    pub fn start_options(&self) -> StartOptions {
        StartOptions {
            demo: self.demo,
            kiosk: self.kiosk,
            api: self.api.clone(),
            config: self.config.clone(),
            machine_config: humo_ident_core::config::machine_config_path(),
            camera: self.camera.clone(),
            link: self.link.clone(),
            liveness: self.liveness.map(|kind| match kind {
                Liveness::LunaPass => LivenessProviderKind::LunaPass,
                Liveness::Local => LivenessProviderKind::Local,
            }),
            compositing: self.compositing.map(Compositing::from),
            #[cfg(feature = "demo")]
            demo_task_delay: self
                .demo_task_delay_ms
                .map(std::time::Duration::from_millis),
            #[cfg(not(feature = "demo"))]
            demo_task_delay: None,
        }
    }
}

/// Whether `arg` is an app link (`humo-ident:…`, the scheme in any case).
fn is_app_link(arg: &str) -> bool {
    arg.get(..APP_SCHEME.len())
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case(APP_SCHEME))
        && arg[APP_SCHEME.len()..].starts_with(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "humo-ident://open?key=05a4ce19-de3c-4d2c-a464-7356dbdbd107";

    #[test]
    fn a_start_by_an_app_link_ignores_every_other_argument() {
        for link in [LINK.to_owned(), LINK.replace("humo-ident", "HUMO-IDENT")] {
            let args = Args::from_command_line([
                "humo-ident-desktop",
                "--api",
                "https://elsewhere.example",
                "--camera",
                "file:/tmp/someone-else.jpg",
                "--config",
                "/tmp/their.toml",
                "--liveness",
                "local",
                "--demo",
                &link,
                "--kiosk",
            ]);
            assert_eq!(args.link.as_deref(), Some(link.as_str()));
            assert_eq!(args.api, None);
            assert_eq!(args.camera, None);
            assert_eq!(args.config, None);
            assert_eq!(args.liveness, None);
            assert!(!args.demo && !args.kiosk);
        }
    }

    #[test]
    fn a_person_s_command_line_is_read_as_given() {
        let key = "05a4ce19-de3c-4d2c-a464-7356dbdbd107";
        let args = Args::from_command_line([
            "humo-ident-desktop",
            "--api",
            "https://bank.example",
            "--camera",
            "1",
            key,
        ]);
        assert_eq!(args.api.as_deref(), Some("https://bank.example"));
        assert_eq!(args.camera.as_deref(), Some("1"));
        assert_eq!(args.link.as_deref(), Some(key));
        // A web link is the person's, not the system's: their flags stand.
        let web = Args::from_command_line([
            "humo-ident-desktop",
            "--demo",
            "https://ident.bank.example/open?key=05a4ce19-de3c-4d2c-a464-7356dbdbd107",
        ]);
        assert!(web.demo);
        assert!(!is_app_link("humo-identity:x") && !is_app_link("humo") && is_app_link(LINK));
    }
}
