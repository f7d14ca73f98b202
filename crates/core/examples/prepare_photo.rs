//! Prepares one photo file as the app and the CLI do, and says what came of it: for measuring
//! the peak memory of the largest photo the configuration allows (see docs/PERFORMANCE.md).
//!
//! ```sh
//! cargo run --release -p humo-ident-core --example prepare_photo -- --make-largest /tmp/largest.jpg
//! /usr/bin/time -v target/release/examples/prepare_photo /tmp/largest.jpg
//! ```

use std::time::Instant;

use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use image::{Rgb, RgbImage};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, out] if flag == "--make-largest" => make_largest(out),
        [path] => prepare(path),
        _ => {
            eprintln!("usage: prepare_photo FILE | prepare_photo --make-largest OUT.jpg");
            std::process::exit(2);
        }
    }
}

fn prepare(path: &str) {
    let bytes = std::fs::read(path).expect("the file is readable");
    let started = Instant::now();
    match UploadJpeg::prepare(&bytes, &ImageConfig::default()) {
        Ok(photo) => println!(
            "{path}: {} bytes in, {}x{} JPEG of {} bytes out, {} ms",
            bytes.len(),
            photo.width(),
            photo.height(),
            photo.bytes().len(),
            started.elapsed().as_millis()
        ),
        Err(error) => println!(
            "{path}: {} bytes in, refused in {} ms: {error}",
            bytes.len(),
            started.elapsed().as_millis()
        ),
    }
}

/// A JPEG as large as the default limit allows: a detailed 48-megapixel picture (8000x6000,
/// a phone's largest) at the quality that brings it closest under the limit.
fn make_largest(out: &str) {
    let limit = ImageConfig::default().max_file_bytes as usize;
    let mut state = 0x2545_f491_u32;
    let picture = RgbImage::from_fn(8000, 6000, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state & 0x3f) as u8;
        Rgb([
            ((x / 16) as u8).wrapping_add(grain),
            ((y / 12) as u8).wrapping_add(grain),
            (((x + y) / 20) as u8).wrapping_add(grain),
        ])
    });
    for quality in (50..=100).rev().step_by(5) {
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
            .encode_image(&picture)
            .expect("the picture encodes");
        if bytes.len() <= limit {
            std::fs::write(out, &bytes).expect("the file is written");
            println!(
                "{out}: 8000x6000 at quality {quality}, {} bytes",
                bytes.len()
            );
            return;
        }
    }
    panic!("no quality brings the picture under the limit");
}
