//! Brings ui/dist up to date with a fresh build of the UI, writing only what changed.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Makes `dist` hold exactly the files of `built`: a file whose bytes are the same is left as
/// it is (its time too), a changed or new one is written, one that is gone is removed.
pub fn update(built: &Path, dist: &Path) -> io::Result<()> {
    let wanted = files(built)?;
    let present = if dist.exists() {
        files(dist)?
    } else {
        BTreeSet::new()
    };
    for file in &wanted {
        let bytes = fs::read(built.join(file))?;
        let target = dist.join(file);
        if fs::read(&target).ok().as_deref() != Some(bytes.as_slice()) {
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder)?;
            }
            fs::write(&target, bytes)?;
        }
    }
    for file in present.difference(&wanted) {
        fs::remove_file(dist.join(file))?;
    }
    Ok(())
}

/// Every file under `folder`, as a path relative to it.
fn files(folder: &Path) -> io::Result<BTreeSet<PathBuf>> {
    let mut found = BTreeSet::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(folder).expect("under the folder");
                found.insert(relative.to_path_buf());
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;

    fn folder(name: &str) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("xtask-ui-dist-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(path.join("assets")).unwrap();
        path
    }

    #[test]
    fn writes_what_changed_and_leaves_the_rest_untouched() {
        let (built, dist) = (folder("built"), folder("dist"));
        fs::write(built.join("index.html"), "same").unwrap();
        fs::write(built.join("assets/new.js"), "new").unwrap();
        fs::write(dist.join("index.html"), "same").unwrap();
        fs::write(dist.join("assets/old.js"), "old").unwrap();
        let long_ago = SystemTime::now() - Duration::from_secs(3600);
        fs::File::options()
            .write(true)
            .open(dist.join("index.html"))
            .unwrap()
            .set_modified(long_ago)
            .unwrap();

        update(&built, &dist).unwrap();

        assert_eq!(files(&dist).unwrap(), files(&built).unwrap());
        assert_eq!(
            fs::read_to_string(dist.join("assets/new.js")).unwrap(),
            "new"
        );
        let unchanged = fs::metadata(dist.join("index.html"))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(unchanged, long_ago, "an unchanged file keeps its time");
        fs::remove_dir_all(built).unwrap();
        fs::remove_dir_all(dist).unwrap();
    }
}
