//! `humo-ident report funnel FILE...`: the event files of the app (or folders holding them)
//! read into a funnel, printed per stage and per camera model.

use std::path::{Path, PathBuf};

use humo_ident_analytics::funnel::{report, EventLines};

use crate::exit::Exit;

/// Prints the funnel of the event files in `paths`.
pub fn funnel(paths: &[PathBuf]) -> Exit {
    let mut lines = EventLines::default();
    for path in paths {
        let files = match event_files(path) {
            Ok(files) => files,
            Err(error) => {
                eprintln!("{}: {error}", path.display());
                return Exit::InvalidInput;
            }
        };
        if files.is_empty() {
            eprintln!("{}: no event files here", path.display());
        }
        for file in files {
            match std::fs::read_to_string(&file) {
                Ok(text) => lines.read(&text),
                Err(error) => {
                    eprintln!("{}: {error}", file.display());
                    return Exit::InvalidInput;
                }
            }
        }
    }
    print!("{}", report(&lines));
    Exit::Success
}

/// `path` itself, or the event files in the folder it names, oldest first.
fn event_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if path.is_dir() {
        return humo_ident_analytics::files::in_folder(path);
    }
    std::fs::metadata(path)?;
    Ok(vec![path.to_owned()])
}
