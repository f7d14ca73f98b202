//! Photo preparation on arbitrary bytes, with the default `[images]` configuration: what a
//! photo file chosen by the person, or a still from the camera, goes through before upload
//! (`UploadJpeg::prepare`: format sniffing, Huffman tables for motion-JPEG frames, decoding
//! with limits, orientation, scaling, re-encoding).
//!
//! Run it with a memory limit and a time-out (`scripts/fuzz.sh` passes `-rss_limit_mb=2048
//! -timeout=10`): a decompression bomb shows as an out-of-memory or a time-out.
//!
//! Beyond "no panic" it asserts what `prepare` promises of a photo it accepts: a whole JPEG
//! whose long side is within `max-long-side`, of the size it says.
#![no_main]

use humo_ident_core::config::ImageConfig;
use humo_ident_core::image_prep::UploadJpeg;
use humo_ident_core::jpeg;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = ImageConfig::default();
    let Ok(prepared) = UploadJpeg::prepare(data, &config) else {
        return;
    };
    let (width, height) = (prepared.width(), prepared.height());
    assert!(
        width.max(height) <= config.max_long_side,
        "{width}×{height}"
    );
    let bytes = prepared.bytes();
    assert!(jpeg::is_complete(bytes), "the upload is not a whole JPEG");
    assert_eq!(jpeg::dimensions(bytes), Some((width, height)));
    if !prepared.was_reencoded() {
        assert_eq!(jpeg::with_huffman_tables(&bytes.clone()), *bytes);
    }
});
