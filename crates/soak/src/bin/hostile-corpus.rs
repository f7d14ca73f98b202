//! `hostile-corpus DIR`: writes the hostile photos of `humo_ident_test_support::hostile` into
//! DIR, one file each, with a line per file on stdout: its name and what the app must make of
//! it. `scripts/hostile-photos.sh` measures `humo-ident run` on each.

use humo_ident_test_support::hostile::{corpus, Expected};

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(std::path::PathBuf::from)
        .ok_or_else(|| std::io::Error::other("usage: hostile-corpus DIR"))?;
    std::fs::create_dir_all(&dir)?;
    for photo in corpus() {
        std::fs::write(dir.join(photo.name), &photo.bytes)?;
        let expected = match photo.expected {
            Expected::Refused(text) => format!("refused: {text}"),
            Expected::Upright { width, height } => format!("sent upright {width}x{height}"),
        };
        println!("{}\t{}\t{expected}", photo.name, photo.bytes.len());
    }
    Ok(())
}
