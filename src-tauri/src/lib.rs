//! Humo Ident's desktop shell: a window, the UI's commands, one event channel and the
//! `preview` protocol around a [`humo_ident_session::Session`]. It decides nothing itself.

mod args;
#[cfg(feature = "bench")]
mod bench;
mod bench_hooks;
mod browsing_data;
#[cfg(test)]
mod command_lists;
mod commands;
mod confined;
mod display;
mod kiosk;
mod links;
mod luna_pass;
mod preview;
mod start_info;
mod startup_error;
mod telemetry;
mod updates;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use humo_ident_core::config::LoggingConfig;
use humo_ident_session::analytics::{EventFiles, EventsSink};
use humo_ident_session::events::AppInfo;
use humo_ident_session::logs;
use humo_ident_session::settings::Settings;
use humo_ident_session::Session;
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::args::Args;
use crate::preview::PreviewSource;

/// The wizard's window (and webview) label; `capabilities/main.json` grants the wizard's
/// commands to it alone.
pub(crate) const MAIN_WINDOW: &str = "main";

/// Runs the app until its window closes.
pub fn run() {
    humo_ident_core::allocator::keep_memory_flat();
    startup_mark("started");
    let args = Args::parse_args();
    let log_sink = init_logging();
    let mut context = tauri::generate_context!();
    // Read only if `[updates]` registers the updater (see `updates::start`).
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), updates::plugin_config());
    let Some(context) = bench_hooks::run_instead(&args, context) else {
        return;
    };
    let start_watch = bench_hooks::StartWatch::of(&args);
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            // A second start (a link opened while the app runs) hands its link to this one.
            if let Some(link) = links::link_in_args(&argv) {
                open_link(app, link);
            }
            focus_main_window(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_opener::init())
        .register_asynchronous_uri_scheme_protocol(preview::SCHEME, preview::handle)
        .register_uri_scheme_protocol(luna_pass::page::SCHEME, luna_pass::page::handle)
        .invoke_handler(guarded_commands())
        .setup(move |app| {
            let default_config = app
                .path()
                .app_config_dir()
                .ok()
                .map(|dir| dir.join("config.toml"));
            let mut settings =
                match Settings::resolve(args.start_options(), default_config.as_deref()) {
                    Ok(settings) => settings,
                    Err(error) => return startup_error::show(app.handle(), &error),
                };
            startup_mark("configuration read");
            settings.events = open_log_files(app, log_sink.as_ref(), &settings.config.logging);
            telemetry::start(&settings.config);
            let kiosk = settings.kiosk;
            let compositing = settings.config.display.compositing;
            // Checked with the rest of the configuration: it is valid here.
            let update_source = settings.config.updates.source().ok().flatten();
            let session = match tauri::async_runtime::block_on(Session::start(settings)) {
                Ok(session) => session,
                Err(error) => return startup_error::show(app.handle(), &error),
            };
            startup_mark("session started");
            let window = main_window(app.handle(), kiosk, &session.info_for_every_page())?;
            startup_mark("window built");
            display::apply(&window, compositing)?;
            // WebKit's test camera only ever stands in for a camera in demo mode.
            #[cfg(feature = "demo")]
            let mock_camera = args.webview_mock_camera && session.info().demo;
            #[cfg(not(feature = "demo"))]
            let mock_camera = false;
            luna_pass::refuse_permissions(&window)?;
            // Nothing a page stored in an earlier run (cut short by a crash or a power cut)
            // survives into this one.
            browsing_data::clear_then(&window, |_| {});
            app.manage(luna_pass::WindowSettings {
                kiosk,
                mock_camera,
                compositing,
            });
            luna_pass::close_when_done(app.handle().clone(), &session);
            if kiosk {
                kiosk::lock_down(&window)?;
                kiosk::wipe_on_reset(window.clone(), &session);
            }
            if let Some(source) = update_source {
                updates::start(app.handle(), source, &session)?;
            }
            app.manage(PreviewSource(session.preview()));
            app.manage(session);
            app.manage(RecentLink::default());

            // Links handed over by the system while the app runs (macOS delivers them here).
            let handle = app.handle().clone();
            app.deep_link().on_open_url(move |event| {
                for url in event.urls() {
                    open_link(&handle, url.to_string());
                }
            });
            Ok(())
        });
    let builder = bench_hooks::instrument(start_watch, builder);
    let app = match builder.build(context) {
        Ok(app) => app,
        Err(error) => {
            eprintln!("Humo Ident could not start: {error}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            // What the log's writer still holds reaches the file before the process ends.
            if let Some(files) = app.try_state::<OpenLogFiles>() {
                drop(files.0.lock().unwrap_or_else(|e| e.into_inner()).take());
            }
            if let Some(files) = app.try_state::<OpenEventFiles>() {
                drop(files.0.lock().unwrap_or_else(|e| e.into_inner()).take());
            }
        }
    });
}

/// The log files, kept open while the app runs.
struct OpenLogFiles(Mutex<Option<logs::LogFiles>>);

/// The event files beside them.
struct OpenEventFiles(Mutex<Option<EventFiles>>);

/// Adds the log files `[logging]` describes to the logs on standard error, and opens the event
/// files beside them; returns where the events go. Without them the app goes on, and says why
/// on standard error.
fn open_log_files(
    app: &tauri::App,
    sink: Option<&logs::LogSink>,
    config: &LoggingConfig,
) -> Option<EventsSink> {
    match sink.map(|sink| sink.open_files(config)) {
        Some(Ok(files)) => {
            // Not the folder: on a laptop its path names the person's account.
            tracing::info!(level = config.level.as_str(), "log files opened");
            app.manage(OpenLogFiles(Mutex::new(Some(files))));
        }
        Some(Err(error)) => tracing::warn!("no log files: {error}"),
        None => {}
    }
    match EventFiles::open(config) {
        Ok((events, files)) => {
            app.manage(OpenEventFiles(Mutex::new(Some(files))));
            Some(events)
        }
        Err(error) => {
            tracing::warn!("no event files: {error}");
            None
        }
    }
}

/// Builds the wizard's window. A kiosk's is full screen without decorations. It never
/// navigates anywhere but the app's own pages and never loads the LUNA PASS webview's page, the
/// one whose policy admits the vendor's library: that page has a webview of its own. Its page
/// is handed `info` with itself (`start_info`).
fn main_window(app: &AppHandle, kiosk: bool, info: &AppInfo) -> tauri::Result<WebviewWindow> {
    let builder = WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .initialization_script(start_info::script(info));
    let builder = if kiosk {
        kiosk::without_file_pickers(builder)
    } else {
        builder
    };
    // No new windows, downloads or permissions (the camera is never the wizard's).
    confined::confined(builder, || false)
        .title("Humo Ident")
        .inner_size(1120.0, 740.0)
        .min_inner_size(760.0, 600.0)
        .fullscreen(kiosk)
        .decorations(!kiosk)
        .always_on_top(kiosk)
        .on_navigation(|url| {
            if bench_hooks::is_signal(url) {
                return false;
            }
            let allowed = links::is_app_page(url);
            if !allowed {
                tracing::warn!("navigation refused to {}", url.scheme());
            }
            allowed
        })
        .on_web_resource_request(|request, response| {
            if luna_pass::page::names_page(request.uri().path()) {
                *response.status_mut() = tauri::http::StatusCode::NOT_FOUND;
                *response.body_mut() = std::borrow::Cow::Borrowed(&[]);
            }
        })
        .build()
}

/// Declares the app's commands: the handler Tauri calls, and their names for the checks that
/// the capabilities and the LUNA PASS webview's allow-list name commands that exist. The list
/// is every `#[tauri::command]` of `commands.rs`, which the build script reads (`build.rs`).
macro_rules! app_commands {
    ($($command:ident),+ $(,)?) => {
        /// Every command of the app's own, by name.
        #[cfg_attr(not(test), allow(dead_code))]
        pub(crate) const COMMANDS: &[&str] = &[$(stringify!($command)),+];

        fn command_handler() -> fn(tauri::ipc::Invoke) -> bool {
            tauri::generate_handler![$(commands::$command),+]
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/app_commands.rs"));

/// The app's commands, each refused (before it runs) when the calling webview, known by its
/// label, may not call it. The capabilities say the same; this holds even if one is widened.
fn guarded_commands() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    let commands = command_handler();
    move |invoke| {
        let caller = luna_pass::policy::Caller::of(invoke.message.webview().label());
        if !luna_pass::policy::command_allowed(invoke.message.command(), caller) {
            tracing::warn!(
                command = invoke.message.command(),
                ?caller,
                "a command was refused to the webview that called it"
            );
            invoke
                .resolver
                .reject(humo_ident_session::SessionError::NotFromLunaPass);
            return true;
        }
        commands(invoke)
    }
}

/// The last link opened, so one that arrives twice (as an argument and as a deep-link event)
/// is opened once.
#[derive(Default)]
struct RecentLink(Mutex<Option<(String, Instant)>>);

fn open_link(app: &AppHandle, link: String) {
    if humo_ident_core::input::PresignKey::from_link(&link).is_err() {
        tracing::warn!("a link that is not an identification link was ignored");
        return;
    }
    if let Some(recent) = app.try_state::<RecentLink>() {
        let mut last = recent.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((previous, at)) = last.as_ref() {
            if *previous == link && at.elapsed() < Duration::from_secs(3) {
                return;
            }
        }
        *last = Some((link.clone(), Instant::now()));
    }
    let Some(session) = app.try_state::<Session>().map(|s| s.inner().clone()) else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        if let Err(error) = session.open_link(link).await {
            tracing::info!("the link was not opened: {error}");
        }
    });
}

/// Notes a point of the start, for the footprint benchmark; nothing without it.
fn startup_mark(name: &'static str) {
    bench_hooks::mark(name);
}

fn focus_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
}

/// Logs go to stderr only: nothing of a client is ever written to disk. `RUST_LOG` sets the
/// level (default: warnings, and the app's own information).
/// Logs to standard error (`RUST_LOG`, or warnings and the app's progress) from the start; the
/// files follow once the configuration is read.
fn init_logging() -> Option<logs::LogSink> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,humo_ident_desktop=info,humo_ident_session=info")
    });
    logs::install(filter)
}
