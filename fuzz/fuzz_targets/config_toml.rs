//! The configuration files: the user's file, the machine's file with its `[managed]` locks laid
//! under it, `humo-ident config --check`, and the camera choice written back into a file.
//!
//! The input is one file, or two separated by a line `#---` (machine's file first). Beyond
//! "no panic" it asserts:
//! - a file the app accepts (`Config::from_toml`) prints as TOML that reads back equal;
//! - `config --check` (`check_file`) agrees with the app on a file without `[managed]`: it
//!   accepts exactly the files the app would start with;
//! - with no machine's file, the user's file alone (without `[managed]` or `[updates]`) is the
//!   configuration, nothing ignored;
//! - a locked setting keeps the machine's value, whatever the user's file says;
//! - `remember_camera` keeps every other setting of a valid file and stores the camera.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use humo_ident_core::config::{check_file, Config, Layered};
use libfuzzer_sys::fuzz_target;

fn dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("humo-ident-fuzz-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    })
}

fn write(name: &str, text: &str) -> PathBuf {
    let path = dir().join(name);
    std::fs::write(&path, text).expect("a scratch file");
    path
}

fn table(text: &str) -> Option<toml::Table> {
    text.parse().ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (machine, user) = match text.split_once("\n#---\n") {
        Some((machine, user)) => (Some(machine), user),
        None => (None, text),
    };

    // The user's file on its own.
    let parsed = Config::from_toml(user);
    if let Ok(config) = &parsed {
        let printed = config.to_toml();
        let again = Config::from_toml(&printed)
            .unwrap_or_else(|e| panic!("the printed configuration is refused: {e}\n{printed}"));
        assert_eq!(&again, config, "printed as\n{printed}");
    }
    let user_table = table(user);
    let has = |name: &str| user_table.as_ref().is_some_and(|t| t.contains_key(name));
    let user_path = write("user.toml", user);
    let checked = check_file(&user_path);
    if !has("managed") {
        assert_eq!(
            checked.is_ok(),
            parsed.is_ok(),
            "config --check and the app disagree: {checked:?} / {parsed:?}"
        );
    }

    // Laid over no machine's file.
    let layered = Layered::load(None, Some(&user_path));
    if !has("managed") && !has("updates") {
        match (&layered, &parsed) {
            (Ok(layered), Ok(config)) => {
                assert_eq!(&layered.config, config);
                assert!(layered.ignored.is_empty());
                assert!(layered.locked.is_empty());
            }
            (Err(_), Err(_)) => {}
            (layered, parsed) => panic!("layered {layered:?}, alone {parsed:?}"),
        }
    }

    // Laid over a machine's file.
    if let Some(machine) = machine {
        let machine_path = write("machine.toml", machine);
        let _ = check_file(&machine_path);
        if let Ok(layered) = Layered::load(Some(&machine_path), Some(&user_path)) {
            let alone = Layered::load(Some(&machine_path), None)
                .expect("a machine's file that works under a user's works alone");
            if layered.locked.contains("api.base-url") {
                assert_eq!(layered.config.api.base_url, alone.config.api.base_url);
            }
            if layered.locked.contains("kiosk.enabled") {
                assert_eq!(layered.config.kiosk.enabled, alone.config.kiosk.enabled);
            }
            if layered.locked.contains("liveness") {
                assert_eq!(layered.config.liveness, alone.config.liveness);
            }
            assert_eq!(
                layered.config.updates, alone.config.updates,
                "updates are the machine's"
            );
        }
    }

    // The camera chosen, written back.
    if let Ok(config) = &parsed {
        let device: String = user.chars().filter(|c| !c.is_control()).take(24).collect();
        if Config::remember_camera(&user_path, &device).is_ok() {
            let after = Config::load(&user_path).expect("the file written is valid");
            assert_eq!(after.camera.device.as_deref(), Some(device.as_str()));
            let mut before = config.clone();
            before.camera.device = Some(device);
            assert_eq!(after, before, "another setting changed");
        }
    }
});
