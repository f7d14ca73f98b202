//! The machine's configuration file: where the system keeps it, and whether only administrators
//! could have written it.
//!
//! That file names the bank's server, the kiosk's locks, the liveness script and the update
//! server with its key. Whoever can write it, or replace a folder above it, decides what the app
//! trusts and what code it installs next. So its folder comes from the system, never from an
//! environment variable the person starting the app could set, and a file that anyone but the
//! administrators could have written is refused, not read.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Where the machine's configuration is on this system.
pub fn machine_config_path() -> Option<PathBuf> {
    if cfg!(target_os = "linux") {
        Some(PathBuf::from("/etc/humo-ident/config.toml"))
    } else if cfg!(target_os = "macos") {
        Some(PathBuf::from(
            "/Library/Application Support/tj.humo.ident/config.toml",
        ))
    } else {
        windows::program_data().map(|data| data.join("Humo Ident").join("config.toml"))
    }
}

/// Refuses a machine file that anyone but the administrators could have written: the file, its
/// folder, or (replacing it) a folder above them. On Linux and macOS every one of them must be
/// owned by root and writable by no group or other user (a root-owned folder with the sticky bit,
/// such as `/tmp`, lets no one else replace what is in it). On Windows their owners must be the
/// Administrators, SYSTEM or TrustedInstaller, and their access lists may give no one else a
/// right to write them.
pub fn check_machine_file(path: &Path) -> Result<(), Error> {
    let refused = |why: String| {
        Error::Config(format!(
            "the machine's configuration {} is not trusted: {why}. Only administrators may be able \
             to write it and the folders above it",
            path.display()
        ))
    };
    let real = path
        .canonicalize()
        .map_err(|error| refused(format!("it cannot be read ({error})")))?;
    for (depth, place) in real.ancestors().enumerate() {
        // The file and its own folder: nobody else may write to them at all. Above them, nobody
        // else may remove or rename what they hold, or change who may.
        let level = if depth < 2 {
            Level::FileOrFolder
        } else {
            Level::Above
        };
        platform_check(place, level)
            .map_err(|why| refused(format!("{}: {why}", place.display())))?;
    }
    Ok(())
}

/// How much of a place's permissions matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The file or the folder it is in.
    FileOrFolder,
    /// A folder above them.
    Above,
}

#[cfg(unix)]
fn platform_check(place: &Path, _level: Level) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    let metadata = std::fs::metadata(place).map_err(|error| format!("cannot be read ({error})"))?;
    unix_rule(metadata.uid(), metadata.mode(), metadata.is_dir())
}

/// The rule for one place on Linux and macOS, from its owner and mode.
#[cfg(any(unix, test))]
fn unix_rule(owner: u32, mode: u32, is_dir: bool) -> Result<(), String> {
    const ROOT: u32 = 0;
    const GROUP_OR_OTHER_WRITE: u32 = 0o022;
    const STICKY: u32 = 0o1000;
    if owner != ROOT {
        return Err(format!("it is owned by user {owner}, not root"));
    }
    if mode & GROUP_OR_OTHER_WRITE != 0 && !(is_dir && mode & STICKY != 0) {
        return Err(format!(
            "its group or other users may write it (mode {:o})",
            mode & 0o7777
        ));
    }
    Ok(())
}

#[cfg(windows)]
fn platform_check(place: &Path, level: Level) -> Result<(), String> {
    let (owner, grants) = windows::security_of(place)?;
    windows_rule(&owner, &grants, level)
}

#[cfg(not(any(unix, windows)))]
fn platform_check(_place: &Path, _level: Level) -> Result<(), String> {
    Err("this system's permissions cannot be checked".into())
}

/// One entry of a Windows access list, as far as the rule needs it.
#[cfg(any(windows, test))]
#[derive(Debug, Clone)]
struct Grant {
    /// The principal, as a string SID (`S-1-5-32-544`).
    sid: String,
    /// The rights it gives.
    mask: u32,
    /// It gives them (`false`: it takes them away).
    allows: bool,
    /// It applies only to what is created inside, not to this place.
    inherit_only: bool,
}

/// The principals that administer a Windows machine: the Administrators group, SYSTEM, and
/// TrustedInstaller (which owns the system's own folders).
#[cfg(any(windows, test))]
const ADMINISTRATORS: &[&str] = &[
    "S-1-5-32-544",
    "S-1-5-18",
    "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464",
];

/// The rule for one place on Windows, from its owner and access list.
#[cfg(any(windows, test))]
fn windows_rule(owner: &str, grants: &[Grant], level: Level) -> Result<(), String> {
    // Access rights (winnt.h): what lets a principal change a file or a folder's entries.
    const WRITE_DATA_OR_ADD_FILE: u32 = 0x2;
    const APPEND_DATA_OR_ADD_SUBDIRECTORY: u32 = 0x4;
    const DELETE_CHILD: u32 = 0x40;
    const DELETE: u32 = 0x1_0000;
    const WRITE_DAC: u32 = 0x4_0000;
    const WRITE_OWNER: u32 = 0x8_0000;
    const GENERIC_ALL: u32 = 0x1000_0000;
    const GENERIC_WRITE: u32 = 0x4000_0000;
    let replace = DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL;
    let dangerous = match level {
        Level::FileOrFolder => {
            replace | WRITE_DATA_OR_ADD_FILE | APPEND_DATA_OR_ADD_SUBDIRECTORY | GENERIC_WRITE
        }
        Level::Above => replace,
    };
    if !ADMINISTRATORS.contains(&owner) {
        return Err(format!("its owner is {owner}, not an administrator"));
    }
    match grants
        .iter()
        .filter(|grant| grant.allows && !grant.inherit_only && grant.mask & dangerous != 0)
        .find(|grant| !ADMINISTRATORS.contains(&grant.sid.as_str()))
    {
        Some(grant) => Err(format!(
            "{} may change it (rights {:#x})",
            grant.sid, grant.mask
        )),
        None => Ok(()),
    }
}

#[cfg(windows)]
mod windows {
    //! The system's answers on Windows: the ProgramData folder and a place's security.

    use std::ffi::OsString;
    use std::os::windows::ffi::{OsStrExt, OsStringExt};
    use std::path::{Path, PathBuf};

    use windows_sys::Win32::Foundation::{LocalFree, ERROR_SUCCESS};
    use windows_sys::Win32::Security::Authorization::{
        ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT,
    };
    use windows_sys::Win32::Security::{
        GetAce, ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, DACL_SECURITY_INFORMATION,
        OWNER_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID,
    };
    use windows_sys::Win32::System::Com::CoTaskMemFree;
    use windows_sys::Win32::UI::Shell::{FOLDERID_ProgramData, SHGetKnownFolderPath};

    use super::Grant;

    /// `C:\ProgramData`, as the system knows it (not `%ProgramData%`, which whoever starts the
    /// app may set).
    pub(super) fn program_data() -> Option<PathBuf> {
        let mut raw = std::ptr::null_mut();
        // SAFETY: the folder id is a valid constant; on success `raw` is a NUL-terminated wide
        // string that the system allocated and that is freed below, once copied.
        let status = unsafe {
            SHGetKnownFolderPath(&FOLDERID_ProgramData, 0, std::ptr::null_mut(), &mut raw)
        };
        let path = (status == 0 && !raw.is_null()).then(|| {
            // SAFETY: `raw` is NUL-terminated (see above).
            let wide = unsafe {
                std::slice::from_raw_parts(raw, (0..).take_while(|&i| *raw.add(i) != 0).count())
            };
            PathBuf::from(OsString::from_wide(wide))
        });
        // SAFETY: `raw` came from SHGetKnownFolderPath, which says to free it so, even on failure.
        unsafe { CoTaskMemFree(raw.cast()) };
        path
    }

    /// The owner of `place` and its access list, as string SIDs.
    pub(super) fn security_of(place: &Path) -> Result<(String, Vec<Grant>), String> {
        let wide: Vec<u16> = place.as_os_str().encode_wide().chain([0]).collect();
        let mut owner: PSID = std::ptr::null_mut();
        let mut dacl: *mut ACL = std::ptr::null_mut();
        let mut descriptor: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
        // SAFETY: `wide` is NUL-terminated; the out-pointers are valid; on success `owner` and
        // `dacl` point into `descriptor`, which is freed below after they are read.
        let status = unsafe {
            GetNamedSecurityInfoW(
                wide.as_ptr(),
                SE_FILE_OBJECT,
                OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                &mut owner,
                std::ptr::null_mut(),
                &mut dacl,
                std::ptr::null_mut(),
                &mut descriptor,
            )
        };
        if status != ERROR_SUCCESS {
            return Err(format!("its permissions cannot be read (error {status})"));
        }
        let read = (|| {
            let owner = sid_string(owner).ok_or("its owner cannot be read")?;
            if dacl.is_null() {
                return Err("it has no access list: everyone may write it".to_owned());
            }
            let mut grants = Vec::new();
            // SAFETY: `dacl` is a valid ACL from the descriptor.
            let count = unsafe { (*dacl).AceCount };
            for index in 0..u32::from(count) {
                let mut ace = std::ptr::null_mut();
                // SAFETY: `index` is below the list's count.
                if unsafe { GetAce(dacl, index, &mut ace) } == 0 {
                    return Err("its access list cannot be read".to_owned());
                }
                // SAFETY: every ACE starts with a header.
                let header = unsafe { *(ace as *const ACE_HEADER) };
                // Allowed and denied ACEs (and their callback forms) share the layout of
                // ACCESS_ALLOWED_ACE: header, mask, SID.
                const ALLOWED: u8 = 0;
                const DENIED: u8 = 1;
                const ALLOWED_CALLBACK: u8 = 9;
                const DENIED_CALLBACK: u8 = 10;
                const INHERIT_ONLY: u8 = 0x8;
                let allows = match header.AceType {
                    ALLOWED | ALLOWED_CALLBACK => true,
                    DENIED | DENIED_CALLBACK => false,
                    // Object ACEs and audit entries: none on a plain file; not trusted either.
                    other => return Err(format!("its access list holds an entry of type {other}")),
                };
                let entry = ace as *const ACCESS_ALLOWED_ACE;
                // SAFETY: the layout is ACCESS_ALLOWED_ACE's (see above); the SID starts at
                // `SidStart`.
                let (mask, sid) =
                    unsafe { ((*entry).Mask, std::ptr::addr_of!((*entry).SidStart) as PSID) };
                grants.push(Grant {
                    sid: sid_string(sid).ok_or("a principal in its access list cannot be read")?,
                    mask,
                    allows,
                    inherit_only: header.AceFlags & INHERIT_ONLY != 0,
                });
            }
            Ok((owner, grants))
        })();
        // SAFETY: `descriptor` was allocated by GetNamedSecurityInfoW, to be freed so.
        unsafe { LocalFree(descriptor) };
        read
    }

    /// A SID as a string (`S-1-5-18`).
    fn sid_string(sid: PSID) -> Option<String> {
        if sid.is_null() {
            return None;
        }
        let mut raw = std::ptr::null_mut();
        // SAFETY: `sid` is a valid SID; on success `raw` is a NUL-terminated wide string to free
        // with LocalFree.
        if unsafe { ConvertSidToStringSidW(sid, &mut raw) } == 0 {
            return None;
        }
        // SAFETY: NUL-terminated (see above).
        let wide = unsafe {
            std::slice::from_raw_parts(raw, (0..).take_while(|&i| *raw.add(i) != 0).count())
        };
        let text = String::from_utf16_lossy(wide);
        // SAFETY: allocated by ConvertSidToStringSidW.
        unsafe { LocalFree(raw.cast()) };
        Some(text)
    }
}

#[cfg(not(windows))]
mod windows {
    use std::path::PathBuf;

    pub(super) fn program_data() -> Option<PathBuf> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(sid: &str, mask: u32) -> Grant {
        Grant {
            sid: sid.into(),
            mask,
            allows: true,
            inherit_only: false,
        }
    }

    const USERS: &str = "S-1-5-32-545";
    const ADMINS: &str = "S-1-5-32-544";
    const SYSTEM: &str = "S-1-5-18";
    const READ_AND_EXECUTE: u32 = 0x1200a9;
    const FULL_CONTROL: u32 = 0x1f01ff;
    const MODIFY: u32 = 0x1301bf;
    /// What Users have on `C:\ProgramData`: create files and folders in it.
    const ADD_FILE_AND_FOLDER: u32 = 0x6;

    #[test]
    fn a_file_only_administrators_may_write_is_trusted() {
        let grants = [
            grant(SYSTEM, FULL_CONTROL),
            grant(ADMINS, FULL_CONTROL),
            grant(USERS, READ_AND_EXECUTE),
        ];
        assert_eq!(windows_rule(ADMINS, &grants, Level::FileOrFolder), Ok(()));
    }

    #[test]
    fn a_file_users_may_modify_is_refused() {
        let grants = [grant(ADMINS, FULL_CONTROL), grant(USERS, MODIFY)];
        let refused = windows_rule(ADMINS, &grants, Level::FileOrFolder).unwrap_err();
        assert!(refused.contains(USERS), "{refused}");
    }

    #[test]
    fn a_file_owned_by_a_user_is_refused() {
        let user = "S-1-5-21-1004336348-1177238915-682003330-1001";
        let grants = [grant(ADMINS, FULL_CONTROL)];
        let refused = windows_rule(user, &grants, Level::FileOrFolder).unwrap_err();
        assert!(refused.contains("owner"), "{refused}");
    }

    #[test]
    fn program_data_lets_users_add_but_not_replace_so_it_may_stand_above() {
        // C:\ProgramData: Users may create files and folders; CREATOR OWNER's rights are
        // inherited only.
        let grants = [
            grant(SYSTEM, FULL_CONTROL),
            grant(ADMINS, FULL_CONTROL),
            grant(USERS, READ_AND_EXECUTE),
            grant(USERS, ADD_FILE_AND_FOLDER),
            Grant {
                inherit_only: true,
                ..grant("S-1-3-0", FULL_CONTROL)
            },
        ];
        assert_eq!(windows_rule(SYSTEM, &grants, Level::Above), Ok(()));
        // As the configuration's own folder it would let anyone create the file.
        assert!(windows_rule(SYSTEM, &grants, Level::FileOrFolder).is_err());
    }

    #[test]
    fn a_denied_right_is_no_grant() {
        let grants = [
            grant(ADMINS, FULL_CONTROL),
            Grant {
                allows: false,
                ..grant(USERS, MODIFY)
            },
        ];
        assert_eq!(windows_rule(ADMINS, &grants, Level::FileOrFolder), Ok(()));
    }

    #[test]
    fn unix_places_must_be_roots_and_closed_to_others() {
        assert_eq!(unix_rule(0, 0o100644, false), Ok(()));
        assert_eq!(unix_rule(0, 0o40755, true), Ok(()));
        // /tmp: anyone may add, nobody may replace root's entries.
        assert_eq!(unix_rule(0, 0o41777, true), Ok(()));
        assert!(unix_rule(1000, 0o100644, false)
            .unwrap_err()
            .contains("user 1000"));
        assert!(unix_rule(0, 0o100664, false).unwrap_err().contains("664"));
        assert!(unix_rule(0, 0o100646, false).is_err());
        // The sticky bit means nothing on a file.
        assert!(unix_rule(0, 0o101666, false).is_err());
    }

    #[cfg(windows)]
    #[test]
    fn program_data_comes_from_the_system_not_the_environment() {
        let from_system = windows::program_data().expect("the system names ProgramData");
        assert!(from_system.is_absolute(), "{}", from_system.display());
        // Whoever starts the app may set the variable; the path does not follow it.
        std::env::set_var("ProgramData", r"C:\Users\Public\Attacker");
        assert_eq!(windows::program_data(), Some(from_system.clone()));
        assert_eq!(
            machine_config_path(),
            Some(from_system.join("Humo Ident").join("config.toml"))
        );
    }

    #[cfg(windows)]
    #[test]
    fn a_places_owner_and_access_list_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let (owner, grants) = windows::security_of(dir.path()).unwrap();
        assert!(owner.starts_with("S-1-"), "{owner}");
        assert!(
            grants.iter().all(|g| g.sid.starts_with("S-1-")),
            "{grants:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_write_is_refused_and_one_they_may_not_is_read() {
        use std::os::unix::fs::MetadataExt;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "").unwrap();
        // CI runs the tests as root; elsewhere every file is the test user's, and is refused.
        let root = std::fs::metadata(&file).unwrap().uid() == 0;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        if root {
            check_machine_file(&file).unwrap();
        } else {
            assert!(check_machine_file(&file).is_err());
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o666)).unwrap();
        let refused = check_machine_file(&file).unwrap_err().to_string();
        assert!(refused.contains("not trusted"), "{refused}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let refused = check_machine_file(&file).unwrap_err().to_string();
        let folder = dir.path().canonicalize().unwrap();
        assert!(refused.contains(&folder.display().to_string()), "{refused}");
    }
}
