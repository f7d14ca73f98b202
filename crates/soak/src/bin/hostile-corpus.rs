//! `hostile-corpus DIR` writes the hostile photos of `humo_ident_test_support::hostile` into
//! DIR, one file each, with a line per file on stdout: its name, size and what the app must
//! make of it. `hostile-corpus --prepare FILE` prepares one file as every photo is prepared
//! before it is sent, in a process of its own, and prints the time it took and the process's
//! peak resident memory. `scripts/hostile-photos.sh` uses both.

use std::path::PathBuf;
use std::time::Instant;

use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_test_support::hostile::{corpus, Expected};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, file] if flag == "--prepare" => prepare(PathBuf::from(file)),
        [dir] => write_corpus(PathBuf::from(dir)),
        _ => Err(std::io::Error::other(
            "usage: hostile-corpus DIR | hostile-corpus --prepare FILE",
        )),
    }
}

fn write_corpus(dir: PathBuf) -> std::io::Result<()> {
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

/// Prints `MILLISECONDS PEAK_KB OUTCOME`, the outcome being `WIDTHxHEIGHT` or the error.
fn prepare(file: PathBuf) -> std::io::Result<()> {
    let started = Instant::now();
    let bytes = std::fs::read(file)?;
    let outcome = match UploadJpeg::prepare(&bytes, &ImageConfig::default()) {
        Ok(jpeg) => format!("{}x{}", jpeg.width(), jpeg.height()),
        Err(error) => error.to_string(),
    };
    let elapsed = started.elapsed();
    let peak_kb = humo_ident_soak::status_kb("VmHWM").unwrap_or(0);
    println!("{} {peak_kb} {outcome}", elapsed.as_millis());
    Ok(())
}
