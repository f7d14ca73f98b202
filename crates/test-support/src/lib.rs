//! What Humo Ident's tests share: the fixture files, the pictures made from them, and where the
//! files generated for the UI go.
//!
//! A dev-dependency only. It depends on no crate of the workspace, so any of them can use it
//! in its tests without a second copy of itself.

pub mod hostile;

use std::io::Cursor;
use std::path::PathBuf;

use image::{DynamicImage, ImageFormat, RgbImage};

/// The folder of the shared test fixtures (`tests/fixtures/` at the repository's root).
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The public-domain portrait (see `tests/fixtures/README.md`): a real face, upright,
/// filling most of the picture.
pub fn face_path() -> PathBuf {
    fixtures_dir().join("face-public-domain.png")
}

/// The portrait's bytes, as a file a person would choose (PNG).
pub fn face_file() -> Vec<u8> {
    std::fs::read(face_path()).expect("the face fixture is readable")
}

/// The portrait's pixels.
pub fn face() -> RgbImage {
    image::open(face_path())
        .expect("the face fixture decodes")
        .to_rgb8()
}

/// Encodes a picture as a JPEG at the encoder's default quality.
pub fn jpeg(image: impl Into<DynamicImage>) -> Vec<u8> {
    encode(image.into(), ImageFormat::Jpeg)
}

/// `upright` as a phone held upright stores it: its pixels turned a quarter to the left, and EXIF
/// orientation 6 ("turn a quarter to the right to show it").
pub fn phone_jpeg(upright: &RgbImage) -> Vec<u8> {
    let stored = image::imageops::rotate270(upright);
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder
        .add_app_segment(1, hostile::exif_orientation(6))
        .expect("a small APP1 segment");
    let (width, height) = (stored.width() as u16, stored.height() as u16);
    encoder
        .encode(stored.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        .expect("the JPEG encodes");
    out
}

/// Encodes a picture as a PNG.
pub fn png(image: impl Into<DynamicImage>) -> Vec<u8> {
    encode(image.into(), ImageFormat::Png)
}

/// A small JPEG that decodes: a colour gradient of this size.
pub fn gradient_jpeg(width: u32, height: u32) -> Vec<u8> {
    jpeg(RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    }))
}

fn encode(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image
        .write_to(&mut out, format)
        .expect("the picture encodes");
    out.into_inner()
}

/// Writes a file generated for the UI beside the types ts-rs exports: to `TS_RS_EXPORT_DIR`,
/// which `.cargo/config.toml` sets to `ui/src/lib/bindings` for `cargo test` (and
/// `cargo xtask env` for the test runner it starts, elsewhere for the bank's).
pub fn write_ui_binding(file: &str, text: &str) {
    let dir = std::env::var_os("TS_RS_EXPORT_DIR")
        .expect("TS_RS_EXPORT_DIR names where the UI's generated files go (.cargo/config.toml)");
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(file), text).unwrap();
}

/// User and system CPU time of this process so far, every thread's; zero off Linux. For the
/// benchmarks that give a cost in CPU rather than in time.
pub fn cpu_time() -> std::time::Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    // Linux counts in clock ticks of 1/100 s.
    std::time::Duration::from_millis(ticks * 10)
}
