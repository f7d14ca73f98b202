//! Hostile photos through the preparation every photo goes through before it is sent: each is
//! refused with a clear error, or becomes an upright JPEG of the right size, without metadata.

use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_test_support::hostile::{corpus, Expected};

#[test]
fn each_hostile_photo_is_refused_or_made_an_upright_jpeg() {
    let config = ImageConfig::default();
    let mut wrong = Vec::new();
    for photo in corpus() {
        let prepared = UploadJpeg::prepare(&photo.bytes, &config);
        match (&photo.expected, prepared) {
            (Expected::Refused(text), Err(error)) if error.to_string().contains(text) => {}
            (Expected::Upright { width, height }, Ok(jpeg)) => {
                let decoded =
                    image::load_from_memory_with_format(jpeg.bytes(), image::ImageFormat::Jpeg);
                let Ok(decoded) = decoded else {
                    wrong.push(format!("{}: what is sent is not a JPEG", photo.name));
                    continue;
                };
                let got = (
                    decoded.width(),
                    decoded.height(),
                    jpeg.width(),
                    jpeg.height(),
                );
                if got != (*width, *height, *width, *height) {
                    wrong.push(format!("{}: {got:?}, not {width}×{height}", photo.name));
                }
                // Whatever metadata the file carried (an EXIF orientation here) stays behind.
                if jpeg.bytes().windows(6).any(|w| w == b"Exif\0\0") {
                    wrong.push(format!("{}: sent with its EXIF", photo.name));
                }
                let components = humo_ident_core::jpeg::components(jpeg.bytes());
                if !matches!(components, Some(1 | 3)) {
                    wrong.push(format!(
                        "{}: sent with {components:?} components",
                        photo.name
                    ));
                }
            }
            (expected, got) => wrong.push(format!(
                "{}: expected {expected:?}, got {:?}",
                photo.name,
                got.map(|j| (j.width(), j.height()))
            )),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
