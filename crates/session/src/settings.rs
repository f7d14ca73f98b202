//! How the app runs: which bank, which camera, kiosk or not. Read once at start from the command
//! line and the configuration file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use humo_ident_core::config::{Compositing, Config, Layered, LivenessProviderKind};
use humo_ident_core::Error;
use serde::Serialize;

use crate::analytics::EventsSink;

/// Where the bank is.
#[derive(Debug, Clone, PartialEq)]
pub enum Bank {
    /// The emulator, started in-process on a free loopback port, with the demo key filled in.
    Demo,
    /// The server in the configuration.
    Configured,
}

/// Everything the app was started with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The bank.
    pub bank: Bank,
    /// Run as a branch kiosk.
    pub kiosk: bool,
    /// The whole configuration: API, polling, images, flow steps, camera, kiosk.
    pub config: Config,
    /// The file the configuration came from and the camera choice is remembered in; `None` in
    /// demo mode, which remembers nothing.
    pub config_file: Option<PathBuf>,
    /// A link given on the command line (or by the system, when the app was opened by one).
    pub link: Option<String>,
    /// A camera named on the command line: index, part of its name, `synthetic` or `file:PATH`.
    pub camera: Option<String>,
    /// How long the demo's bank takes to check each photo (the emulator's default when `None`).
    pub demo_task_delay: Option<Duration>,
    /// Where the identifications' events go (the event files); nowhere when `None`.
    pub events: Option<EventsSink>,
}

/// What the command line said. Every field is optional; [`Settings::resolve`] fills the rest.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// `--demo`: use the emulator even when a server is configured.
    pub demo: bool,
    /// `--kiosk`.
    pub kiosk: bool,
    /// `--api URL`.
    pub api: Option<String>,
    /// `--config FILE`.
    pub config: Option<PathBuf>,
    /// The machine's configuration, which an administrator owns: read first, and what it locks
    /// no user's file and no flag changes (`humo_ident_core::config::machine_config_path`).
    pub machine_config: Option<PathBuf>,
    /// `--camera DEVICE`.
    pub camera: Option<String>,
    /// A link or key.
    pub link: Option<String>,
    /// `--liveness PROVIDER`: the liveness provider (demo mode: `local` unless given).
    pub liveness: Option<LivenessProviderKind>,
    /// `--compositing auto|on|off`: WebKit's accelerated compositing (`[display]`).
    pub compositing: Option<Compositing>,
    /// How long the demo's bank takes to check each photo. The end-to-end suite shortens it;
    /// it still shows the waiting screen.
    pub demo_task_delay: Option<Duration>,
}

impl Settings {
    /// Works out the settings. The user's configuration file is `options.config`, or else
    /// `default_config` when it exists; it is laid over the machine's, which may lock settings
    /// against it and against flags. Demo mode is the default when no server is configured (no
    /// `--api`, no configuration file).
    ///
    /// A kiosk (`--kiosk`, or `[kiosk] enabled` in the machine's file) takes every setting from
    /// the machine's file alone: see [`Settings::kiosk`]. Only the demo build's `--demo --kiosk`,
    /// a kiosk of the demo's bank, reads the user's file and flags.
    pub fn resolve(options: StartOptions, default_config: Option<&Path>) -> Result<Self, Error> {
        let file = match (&options.config, default_config) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(path)) if path.is_file() => Some(path.to_path_buf()),
            _ => None,
        };
        // The machine's file alone first: a kiosk never reads the user's, not even to find it
        // broken.
        let machine = Layered::load(options.machine_config.as_deref(), None)?;
        let demo_kiosk = cfg!(feature = "demo") && options.demo;
        if (options.kiosk || machine.config.kiosk.enabled) && !demo_kiosk {
            return Settings::kiosk(options, machine, file.as_deref());
        }
        let layered = Layered::load(options.machine_config.as_deref(), file.as_deref())?;
        if layered.config.kiosk.enabled && !demo_kiosk {
            // A user's file that would make a kiosk gets one only from the machine's file.
            return Settings::kiosk(options, machine, file.as_deref());
        }
        let mut config = layered.config.clone();
        if let Some(api) = &options.api {
            layered.refuse_if_locked("api.base-url", "--api")?;
            config.api.base_url = api.trim_end_matches('/').to_owned();
            config.validate()?;
        }
        if options.demo {
            layered.refuse_if_locked("api.base-url", "--demo")?;
        }
        if options.kiosk {
            layered.refuse_if_locked("kiosk.enabled", "--kiosk")?;
        }
        if options.liveness.is_some() {
            layered.refuse_if_locked("liveness.provider", "--liveness")?;
        }
        if options.compositing.is_some() {
            layered.refuse_if_locked("display.compositing", "--compositing")?;
        }
        let configured = options.api.is_some() || file.is_some() || layered.machine_file.is_some();
        // Only the demo's kiosk comes this way.
        let kiosk = options.kiosk || config.kiosk.enabled;
        let server_named = options.api.is_some() || layered.names_server;
        // The bank's build serves only a server it was told of: a file that names none leaves
        // it with none, never the built-in default.
        if !cfg!(feature = "demo") && (options.demo || !server_named) {
            return Err(Error::Config(
                "no bank is configured: set [api] base-url in the configuration file, or start \
                 the app with --api URL (this build has no demo mode)"
                    .into(),
            ));
        }
        let bank = if options.demo || !configured {
            Bank::Demo
        } else {
            Bank::Configured
        };
        match (options.liveness, &bank) {
            (Some(kind), _) => config.liveness.provider = kind,
            // The emulator accepts the app's own liveness check; LUNA PASS is there on request.
            (None, Bank::Demo) => config.liveness.provider = LivenessProviderKind::Local,
            (None, Bank::Configured) => {}
        }
        if let Some(compositing) = options.compositing {
            config.display.compositing = compositing;
        }
        if !cfg!(feature = "demo") {
            require_script_integrity(&config)?;
        }
        Ok(Settings {
            // The camera is remembered in the user's file, unless the administrator locked it.
            config_file: if bank == Bank::Demo || layered.locked.contains("camera.device") {
                None
            } else {
                file
            },
            bank,
            kiosk,
            config,
            link: options.link,
            camera: options.camera,
            demo_task_delay: options.demo_task_delay,
            events: None,
        })
    }
}

impl Settings {
    /// A kiosk's settings: the machine's file and nothing else. Every setting counts as locked,
    /// named in `[managed] locked` or not: the user's file is ignored, and a flag that would
    /// change a setting is refused. A kiosk's account is whoever sits at it; only the machine's
    /// administrators choose its server, its liveness script and its camera.
    fn kiosk(
        options: StartOptions,
        machine: Layered,
        user_file: Option<&Path>,
    ) -> Result<Settings, Error> {
        let machine_path = options
            .machine_config
            .as_deref()
            .map(|path| format!(" ({})", path.display()))
            .unwrap_or_default();
        // The missing file first: it is what the administrator has to fix, whatever else the
        // command line says.
        if machine.machine_file.is_none() {
            return Err(Error::Config(format!(
                "a kiosk takes its settings from the machine's configuration file only, and there \
                 is none{machine_path}: create it, owned by the administrators, with [kiosk] \
                 enabled = true and the bank's [api] base-url{}",
                if cfg!(feature = "demo") {
                    " (--demo --kiosk runs a kiosk of the built-in demo bank)"
                } else {
                    ""
                }
            )));
        }
        let flags = [
            (options.api.is_some(), "--api"),
            (options.config.is_some(), "--config"),
            (options.camera.is_some(), "--camera"),
            (options.liveness.is_some(), "--liveness"),
            (options.compositing.is_some(), "--compositing"),
            (options.demo, "--demo"),
        ];
        if let Some((_, flag)) = flags.iter().find(|(given, _)| *given) {
            return Err(Error::Config(format!(
                "{flag}: a kiosk takes every setting from the machine's configuration file\
                 {machine_path}, locked against flags and users' files"
            )));
        }
        if options.kiosk {
            machine.refuse_if_locked("kiosk.enabled", "--kiosk")?;
        }
        if !machine.names_server {
            return Err(Error::Config(format!(
                "a kiosk needs the bank's server: set [api] base-url in the machine's \
                 configuration file{machine_path}"
            )));
        }
        if let Some(path) = user_file {
            tracing::warn!(
                file = %path.display(),
                "a kiosk ignores the user's configuration file: the machine's holds every setting"
            );
        }
        let config = machine.config;
        if !cfg!(feature = "demo") {
            require_script_integrity(&config)?;
        }
        Ok(Settings {
            bank: Bank::Configured,
            kiosk: true,
            config,
            // A kiosk's configuration is the administrator's: the camera is not remembered.
            config_file: None,
            link: options.link,
            camera: None,
            demo_task_delay: None,
            events: None,
        })
    }
}

/// The bank's build runs the vendor's library only if it is exactly the file the bank reviewed
/// (`[liveness.luna-pass] script-integrity`): without the hash, whoever controls the script's
/// server, or the road to it, chooses what runs in the LUNA PASS webview.
fn require_script_integrity(config: &Config) -> Result<(), Error> {
    let luna_pass = config.liveness.provider == LivenessProviderKind::LunaPass;
    match config.liveness.luna_pass.endpoints()? {
        Some(endpoints) if luna_pass && endpoints.script_integrity.is_none() => {
            Err(Error::Config(
                "liveness.luna-pass.script-integrity is required: the SRI hash (sha384-…) of the                  LUNA PASS library the bank reviewed"
                    .into(),
            ))
        }
        _ => Ok(()),
    }
}

/// The mode's name as the UI shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum Mode {
    /// Emulated bank, synthetic camera when there is none.
    Demo,
    /// A person on their own computer.
    Laptop,
    /// A branch kiosk.
    Kiosk,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "demo"))]
    #[test]
    fn the_banks_build_has_no_demo_to_fall_back_to() {
        for options in [
            StartOptions::default(),
            StartOptions {
                demo: true,
                api: Some("https://bank.example".into()),
                ..StartOptions::default()
            },
        ] {
            let error = Settings::resolve(options, None).unwrap_err().to_string();
            assert!(error.contains("no demo mode"), "{error}");
        }
    }

    #[cfg(not(feature = "demo"))]
    #[test]
    fn the_banks_build_films_only_a_real_camera() {
        use humo_ident_camera::source::{self, DeviceChoice, Purpose, SyntheticScene};
        use humo_ident_camera::CameraError;
        // A photo that exists and decodes: the refusal is the build's, not the file's.
        let photo =
            std::env::temp_dir().join(format!("humo-ident-standin-{}.jpg", std::process::id()));
        image::RgbImage::from_pixel(64, 48, image::Rgb([120, 90, 60]))
            .save(&photo)
            .unwrap();
        let named = ["synthetic".to_owned(), format!("file:{}", photo.display())];
        let opened: Vec<_> = named
            .iter()
            .map(|name| {
                source::opener(
                    &DeviceChoice::parse(name),
                    Purpose::Document,
                    SyntheticScene::EmptyDesk,
                )
                .err()
            })
            .collect();
        let _ = std::fs::remove_file(photo);
        for (name, error) in named.iter().zip(opened) {
            assert!(
                matches!(error, Some(CameraError::UnknownDevice(ref shown)) if shown == name),
                "{name}: {error:?}"
            );
        }
    }

    #[cfg(not(feature = "demo"))]
    #[test]
    fn the_banks_build_has_no_default_server() {
        // A file that sets other things but names no server.
        let file =
            std::env::temp_dir().join(format!("humo-ident-nobank-{}.toml", std::process::id()));
        std::fs::write(&file, "[kiosk]\nidle-reset-secs = 90\n").unwrap();
        let options = StartOptions {
            config: Some(file.clone()),
            ..StartOptions::default()
        };
        let error = Settings::resolve(options, None).unwrap_err().to_string();
        let _ = std::fs::remove_file(file);
        assert!(error.contains("no bank is configured"), "{error}");
    }

    #[cfg(not(feature = "demo"))]
    #[test]
    fn the_banks_build_runs_the_luna_pass_library_only_with_its_hash() {
        let file = std::env::temp_dir().join(format!("humo-ident-sri-{}.toml", std::process::id()));
        let luna_pass = "[api]\nbase-url = \"https://bank.example\"\n[liveness.luna-pass]\n\
             script-url = \"https://luna.example/luna-pass.js\"\nws-url = \"wss://luna.example/ws\"\n";
        std::fs::write(&file, luna_pass).unwrap();
        let options = || StartOptions {
            config: Some(file.clone()),
            ..StartOptions::default()
        };
        let error = Settings::resolve(options(), None).unwrap_err().to_string();
        assert!(error.contains("script-integrity is required"), "{error}");

        let hash = format!("sha384-{}", "A".repeat(64));
        std::fs::write(&file, format!("{luna_pass}script-integrity = \"{hash}\"\n")).unwrap();
        let settings = Settings::resolve(options(), None).unwrap();
        let endpoints = settings
            .config
            .liveness
            .luna_pass
            .endpoints()
            .unwrap()
            .unwrap();
        assert_eq!(endpoints.script_integrity, Some(hash));
        let _ = std::fs::remove_file(file);
    }

    #[cfg(feature = "demo")]
    #[test]
    fn demo_is_the_default_without_a_server() {
        let settings = Settings::resolve(StartOptions::default(), None).unwrap();
        assert_eq!(settings.bank, Bank::Demo);
        assert!(!settings.kiosk);
        assert!(settings.config_file.is_none());
    }

    #[test]
    fn an_api_url_means_the_real_server() {
        let options = StartOptions {
            api: Some("https://bank.example/gw/".into()),
            ..StartOptions::default()
        };
        let settings = Settings::resolve(options, None).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert_eq!(settings.config.api.base_url, "https://bank.example/gw");
    }

    #[test]
    fn a_bad_api_url_is_refused() {
        let options = StartOptions {
            api: Some("ftp://bank.example".into()),
            ..StartOptions::default()
        };
        assert!(Settings::resolve(options, None).is_err());
    }

    #[cfg(feature = "demo")]
    #[test]
    fn a_kiosk_needs_the_machines_file_or_the_demos_bank() {
        let machine = PathBuf::from("/nonexistent/humo-ident/config.toml");
        let kiosk = StartOptions {
            kiosk: true,
            machine_config: Some(machine.clone()),
            ..StartOptions::default()
        };
        let error = Settings::resolve(kiosk.clone(), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("from the machine's configuration file only")
                && error.contains("base-url")
                && error.contains(&machine.display().to_string()),
            "{error}"
        );
        // A flag beside it changes nothing: the missing file is what to fix first.
        let flagged = StartOptions {
            compositing: Some(Compositing::On),
            ..kiosk.clone()
        };
        assert_eq!(
            Settings::resolve(flagged, None).unwrap_err().to_string(),
            error
        );
        // Asked for, the demo's bank is there, with the user's file and flags.
        let demo = StartOptions {
            demo: true,
            ..kiosk
        };
        let settings = Settings::resolve(demo, None).unwrap();
        assert_eq!(settings.bank, Bank::Demo);
        assert!(settings.kiosk);
    }

    #[test]
    fn a_kiosk_file_must_name_its_server() {
        let dir = tempdir("kiosk-file");
        // A machine's file that turns the kiosk on but leaves the server to the default is
        // not enough.
        let unnamed = dir.join("unnamed.toml");
        std::fs::write(&unnamed, "[kiosk]\nenabled = true\n").unwrap();
        let error = Settings::resolve(machine_file(&unnamed), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("base-url"), "{error}");
        let named = dir.join("named.toml");
        std::fs::write(
            &named,
            "[api]\nbase-url = \"https://crm.bank.example\"\n[kiosk]\nenabled = true\n",
        )
        .unwrap();
        let settings = Settings::resolve(machine_file(&named), None).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert!(settings.kiosk);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_users_file_chooses_the_server_but_never_makes_a_kiosk() {
        let dir = tempdir("settings");
        let file = dir.join("config.toml");
        std::fs::write(&file, "[api]\nbase-url = \"https://bank.example\"\n").unwrap();
        let settings = Settings::resolve(StartOptions::default(), Some(&file)).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert!(!settings.kiosk);
        assert_eq!(settings.config_file.as_deref(), Some(file.as_path()));

        // A kiosk is the machine's to make.
        std::fs::write(
            &file,
            "[api]\nbase-url = \"https://bank.example\"\n[kiosk]\nenabled = true\n",
        )
        .unwrap();
        let error = Settings::resolve(StartOptions::default(), Some(&file))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("machine's configuration file only"),
            "{error}"
        );

        #[cfg(feature = "demo")]
        {
            let demo = StartOptions {
                demo: true,
                ..StartOptions::default()
            };
            let settings = Settings::resolve(demo, Some(&file)).unwrap();
            assert_eq!(settings.bank, Bank::Demo);
            assert!(
                settings.config_file.is_none(),
                "demo mode remembers nothing"
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// A folder of this test's own.
    fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("humo-ident-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The options of a start on a machine whose file is `path`.
    fn machine_file(path: &Path) -> StartOptions {
        StartOptions {
            machine_config: Some(path.to_path_buf()),
            ..StartOptions::default()
        }
    }

    #[test]
    fn the_machines_file_serves_a_kiosk_and_its_locks_hold_against_flags() {
        let dir = std::env::temp_dir().join(format!("humo-ident-managed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let machine = dir.join("machine.toml");
        std::fs::write(
            &machine,
            "[managed]\nlocked = [\"api.base-url\", \"kiosk.enabled\", \"camera\", \"display\"]\n\
             [api]\nbase-url = \"https://ident.bank.example\"\n[kiosk]\nenabled = true\n\
             [display]\ncompositing = \"off\"\n",
        )
        .unwrap();
        let user = dir.join("user.toml");
        std::fs::write(&user, "[api]\nbase-url = \"https://elsewhere.example\"\n").unwrap();
        let broken = dir.join("broken.toml");
        std::fs::write(&broken, "[api\nthis is not TOML").unwrap();
        let managed = |options: StartOptions| StartOptions {
            machine_config: Some(machine.clone()),
            ..options
        };

        // A kiosk with no user's file at all: the machine's names the server.
        let settings = Settings::resolve(managed(StartOptions::default()), None).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert!(settings.kiosk);
        assert_eq!(settings.config.api.base_url, "https://ident.bank.example");
        assert_eq!(settings.config.display.compositing, Compositing::Off);

        // The user's file cannot move it, and the camera is not remembered there; a broken one
        // is not even read.
        let settings = Settings::resolve(managed(StartOptions::default()), Some(&user)).unwrap();
        assert_eq!(settings.config.api.base_url, "https://ident.bank.example");
        assert!(settings.config_file.is_none());
        Settings::resolve(managed(StartOptions::default()), Some(&broken)).unwrap();

        // Nor can a flag.
        for options in [
            StartOptions {
                api: Some("https://elsewhere.example".into()),
                ..StartOptions::default()
            },
            StartOptions {
                demo: true,
                ..StartOptions::default()
            },
            StartOptions {
                kiosk: true,
                ..StartOptions::default()
            },
            StartOptions {
                compositing: Some(Compositing::On),
                ..StartOptions::default()
            },
            // At a kiosk every setting counts as locked, named in the file or not.
            StartOptions {
                camera: Some("file:/tmp/someone-else.jpg".into()),
                ..StartOptions::default()
            },
            StartOptions {
                camera: Some("synthetic".into()),
                ..StartOptions::default()
            },
            StartOptions {
                config: Some(user.clone()),
                ..StartOptions::default()
            },
            StartOptions {
                liveness: Some(LivenessProviderKind::Local),
                ..StartOptions::default()
            },
        ] {
            let error = Settings::resolve(managed(options), None).unwrap_err();
            assert!(error.to_string().contains("locked"), "{error}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
