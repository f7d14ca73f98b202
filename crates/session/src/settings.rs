//! How the app runs: which bank, which camera, kiosk or not. Read once at start from the command
//! line and the configuration file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use humo_ident_core::config::{Compositing, Config, Layered, LivenessProviderKind};
use humo_ident_core::Error;
use serde::Serialize;

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
    pub fn resolve(options: StartOptions, default_config: Option<&Path>) -> Result<Self, Error> {
        let file = match (&options.config, default_config) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(path)) if path.is_file() => Some(path.to_path_buf()),
            _ => None,
        };
        let layered = Layered::load(options.machine_config.as_deref(), file.as_deref())?;
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
        let kiosk = options.kiosk || config.kiosk.enabled;
        // A kiosk fails closed: it serves a server it was told of (`--api`, or `[api] base-url`
        // in a file: not the default), and the demo's bank only when told to (`--demo`).
        let server_named = options.api.is_some() || layered.names_server;
        if kiosk && !server_named && !options.demo {
            return Err(Error::Config(format!(
                "a kiosk needs the bank's server: set [api] base-url in the configuration file{}, \
                 or start the app with --api URL (--demo runs the kiosk against the built-in \
                 demo bank)",
                default_config
                    .map(|path| format!(" ({})", path.display()))
                    .unwrap_or_default()
            )));
        }
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
    fn a_kiosk_with_no_bank_refuses_to_start() {
        let kiosk = StartOptions {
            kiosk: true,
            ..StartOptions::default()
        };
        let error = Settings::resolve(kiosk.clone(), Some(Path::new("/etc/humo-ident.toml")))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("base-url") && error.contains("--api"),
            "{error}"
        );
        assert!(error.contains("/etc/humo-ident.toml"), "{error}");
        // Asked for, the demo's bank is there.
        let demo = StartOptions {
            demo: true,
            ..kiosk.clone()
        };
        assert_eq!(Settings::resolve(demo, None).unwrap().bank, Bank::Demo);
        let api = StartOptions {
            api: Some("https://bank.example".into()),
            ..kiosk
        };
        let settings = Settings::resolve(api, None).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert!(settings.kiosk);
    }

    #[test]
    fn a_kiosk_file_must_name_its_server() {
        let dir =
            std::env::temp_dir().join(format!("humo-ident-kiosk-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // A file that turns the kiosk on but leaves the server to the default is not enough.
        let unnamed = dir.join("unnamed.toml");
        std::fs::write(&unnamed, "[kiosk]\nenabled = true\n").unwrap();
        let error = Settings::resolve(StartOptions::default(), Some(&unnamed))
            .unwrap_err()
            .to_string();
        assert!(error.contains("base-url"), "{error}");
        let named = dir.join("named.toml");
        std::fs::write(
            &named,
            "[api]\nbase-url = \"https://crm.bank.example\"\n[kiosk]\nenabled = true\n",
        )
        .unwrap();
        let settings = Settings::resolve(StartOptions::default(), Some(&named)).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert!(settings.kiosk);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[cfg(feature = "demo")]
    #[test]
    fn the_configuration_file_chooses_the_server_and_the_kiosk() {
        let dir = std::env::temp_dir().join(format!("humo-ident-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("config.toml");
        std::fs::write(
            &file,
            "[api]\nbase-url = \"https://bank.example\"\n[kiosk]\nenabled = true\nidle-reset-secs = 60\n",
        )
        .unwrap();
        let settings = Settings::resolve(StartOptions::default(), Some(&file)).unwrap();
        assert_eq!(settings.bank, Bank::Configured);
        assert!(settings.kiosk);
        assert_eq!(settings.config.kiosk.idle_reset_secs, 60);
        assert_eq!(settings.config_file.as_deref(), Some(file.as_path()));

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
        std::fs::remove_dir_all(dir).unwrap();
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

        // The user's file cannot move it, and the camera is not remembered there.
        let settings = Settings::resolve(managed(StartOptions::default()), Some(&user)).unwrap();
        assert_eq!(settings.config.api.base_url, "https://ident.bank.example");
        assert!(settings.config_file.is_none());

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
        ] {
            let error = Settings::resolve(managed(options), None).unwrap_err();
            assert!(error.to_string().contains("locked"), "{error}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
