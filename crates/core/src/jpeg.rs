//! Reading a JPEG's marker segments without decoding it: its size, whether it is whole, whether
//! it carries Huffman tables, and what in it is metadata rather than picture.
//!
//! Webcams send motion-JPEG frames without Huffman tables (the "AVI1" convention: the decoder is
//! meant to use the standard ones). Some decoders cope, macOS's does not, so
//! [`with_huffman_tables`] puts the standard tables in before such a frame goes anywhere.

use bytes::Bytes;

const SOI: u8 = 0xD8;
const SOS: u8 = 0xDA;
const DHT: u8 = 0xC4;

/// One marker segment before the scan: its marker and where its header starts.
struct Segment {
    marker: u8,
    at: usize,
    end: usize,
}

/// The segments from the start of `data` up to and including the first top-level SOS.
/// Stops early (without an error) at anything malformed; callers check what they need.
fn segments(data: &[u8]) -> impl Iterator<Item = Segment> + '_ {
    let valid_start = data.len() >= 2 && data[0] == 0xFF && data[1] == SOI;
    let mut at = if valid_start { 2 } else { data.len() };
    let mut done = false;
    std::iter::from_fn(move || {
        while !done && at + 4 <= data.len() {
            if data[at] != 0xFF {
                done = true;
                return None;
            }
            let marker = data[at + 1];
            if marker == 0xFF {
                at += 1; // fill byte
                continue;
            }
            let length = u16::from_be_bytes([data[at + 2], data[at + 3]]) as usize;
            if length < 2 {
                done = true;
                return None;
            }
            let segment = Segment {
                marker,
                at,
                end: (at + 2 + length).min(data.len()),
            };
            at += 2 + length;
            done = marker == SOS;
            return Some(segment);
        }
        None
    })
}

/// The frame header (SOF): a frame marker, then precision, height, width and component count.
fn frame_header(data: &[u8]) -> Option<&[u8]> {
    segments(data)
        .find(|s| matches!(s.marker, 0xC0..=0xCF) && !matches!(s.marker, DHT | 0xC8 | 0xCC))
        // Within the segment: a header cut short is none, not the bytes of whatever follows.
        .and_then(|s| data[..s.end].get(s.at + 4..s.at + 10))
}

/// Width and height from the frame header, or `None` if there is none before the scan.
pub fn dimensions(data: &[u8]) -> Option<(u32, u32)> {
    let header = frame_header(data)?;
    let height = u16::from_be_bytes([header[1], header[2]]) as u32;
    let width = u16::from_be_bytes([header[3], header[4]]) as u32;
    (width > 0 && height > 0).then_some((width, height))
}

/// How many colour components the frame has: 1 (grey), 3 (YCbCr), or 4 (CMYK or YCCK, which
/// print workflows write and many readers, a bank's among them perhaps, show wrongly or not at
/// all).
pub fn components(data: &[u8]) -> Option<u8> {
    frame_header(data).map(|header| header[5])
}

/// Whether the scan data is followed by the end-of-image marker.
///
/// In entropy-coded data `FF` is only ever followed by a stuffed `00` or a restart marker, so
/// an `FF D9` there is the end. A cut-off file has none; decoders fill its missing rows with grey
/// rather than failing, so this is the only sure way to tell.
pub fn is_complete(data: &[u8]) -> bool {
    picture_end(data).is_some()
}

/// Where the picture ends: just after the end-of-image marker that follows the scan data.
/// Phones write more after it (further pictures named by an MPF segment, vendors' trailers).
fn picture_end(data: &[u8]) -> Option<usize> {
    let scan = segments(data).find(|s| s.marker == SOS)?;
    let end = data[scan.end..]
        .windows(2)
        .position(|w| w == [0xFF, 0xD9])?;
    Some(scan.end + end + 2)
}

/// Whether a segment before the scan is metadata rather than picture: EXIF and XMP (APP1,
/// where a phone writes the place and time of the photo and the phone's own serial number),
/// MPF (an APP2 that names further pictures), Photoshop's and IPTC's (APP13), comments, and
/// the other application segments. JFIF (APP0), the colour profile (APP2 `ICC_PROFILE`) and
/// Adobe's colour transform (APP14) say how to read the pixels, and stay.
fn is_metadata(data: &[u8], segment: &Segment) -> bool {
    const APP0: u8 = 0xE0;
    const APP2: u8 = 0xE2;
    const APP14: u8 = 0xEE;
    const COM: u8 = 0xFE;
    match segment.marker {
        APP0 | APP14 => false,
        APP2 => !data[segment.at..segment.end]
            .get(4..)
            .is_some_and(|payload| payload.starts_with(b"ICC_PROFILE\0")),
        0xE1..=0xEF | COM => true,
        _ => false,
    }
}

/// `data` without its metadata ([`is_metadata`]) and without whatever follows the picture's
/// end: what the bank needs to read the document, and nothing about where, when or with what
/// it was taken. The picture's bytes are unchanged. A JPEG without either comes back as it is,
/// without a copy; so does anything that is no whole JPEG.
pub fn without_metadata(data: &Bytes) -> Bytes {
    let Some(end) = picture_end(data) else {
        return data.clone();
    };
    let has_metadata = segments(data).any(|s| is_metadata(data, &s));
    if !has_metadata && end == data.len() {
        return data.clone();
    }
    Bytes::from(without_segments(&data[..end], |s| is_metadata(data, s)))
}

/// Whether the JPEG defines Huffman tables before its scan.
pub fn has_huffman_tables(data: &[u8]) -> bool {
    segments(data).any(|s| s.marker == DHT)
}

/// `data` with the standard Huffman tables inserted before the scan, when it has none of its own.
/// A frame that has tables (or is no JPEG at all) comes back unchanged, without a copy.
pub fn with_huffman_tables(data: &Bytes) -> Bytes {
    if has_huffman_tables(data) {
        return data.clone();
    }
    let Some(scan) = segments(data).find(|s| s.marker == SOS) else {
        return data.clone();
    };
    let mut out = Vec::with_capacity(data.len() + STANDARD_DHT.len());
    out.extend_from_slice(&data[..scan.at]);
    out.extend_from_slice(&STANDARD_DHT);
    out.extend_from_slice(&data[scan.at..]);
    Bytes::from(out)
}

/// `data` without its Huffman tables, as a webcam sends a motion-JPEG frame. For the synthetic
/// camera and for tests of the frames that real ones send.
pub fn without_huffman_tables(data: &[u8]) -> Vec<u8> {
    without_segments(data, |s| s.marker == DHT)
}

/// `data` without the segments before the scan that `drop` picks.
fn without_segments(data: &[u8], drop: impl Fn(&Segment) -> bool) -> Vec<u8> {
    if data.len() < 2 {
        return data.to_vec();
    }
    let mut out = data[..2].to_vec();
    let mut rest_from = 2;
    for segment in segments(data) {
        // The fill bytes (`FF`) before a marker go with it: left behind by a dropped segment,
        // they would run into what follows it and make a marker of it.
        if !drop(&segment) {
            out.extend_from_slice(&data[rest_from..segment.end]);
        }
        rest_from = segment.end;
    }
    out.extend_from_slice(&data[rest_from..]);
    out
}

/// The DHT segment with the four tables of ITU T.81 Annex K.3, as motion-JPEG assumes them.
const STANDARD_DHT: [u8; 420] = standard_dht();

const DC_LUMA_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_CHROMA_BITS: [u8; 16] = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_VALUES: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const AC_LUMA_BITS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
#[rustfmt::skip]
const AC_LUMA_VALUES: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
    0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
    0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
    0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
    0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
    0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
    0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
    0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
    0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
    0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
];
const AC_CHROMA_BITS: [u8; 16] = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
#[rustfmt::skip]
const AC_CHROMA_VALUES: [u8; 162] = [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
    0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
    0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1, 0x17, 0x18, 0x19, 0x1a, 0x26,
    0x27, 0x28, 0x29, 0x2a, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48,
    0x49, 0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68,
    0x69, 0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87,
    0x88, 0x89, 0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5,
    0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3,
    0xc4, 0xc5, 0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda,
    0xe2, 0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
    0xf9, 0xfa,
];

/// Lays out the DHT segment: marker, length, then for each table its class and id, its 16 code
/// counts and its values.
const fn standard_dht() -> [u8; 420] {
    let mut out = [0u8; 420];
    out[0] = 0xFF;
    out[1] = DHT;
    out[2] = (418 >> 8) as u8;
    out[3] = (418 & 0xFF) as u8;
    let mut at = 4;
    at = put_table(&mut out, at, 0x00, &DC_LUMA_BITS, &DC_VALUES);
    at = put_table(&mut out, at, 0x10, &AC_LUMA_BITS, &AC_LUMA_VALUES);
    at = put_table(&mut out, at, 0x01, &DC_CHROMA_BITS, &DC_VALUES);
    let _ = put_table(&mut out, at, 0x11, &AC_CHROMA_BITS, &AC_CHROMA_VALUES);
    out
}

const fn put_table(
    out: &mut [u8; 420],
    mut at: usize,
    class_and_id: u8,
    bits: &[u8; 16],
    values: &[u8],
) -> usize {
    out[at] = class_and_id;
    at += 1;
    let mut i = 0;
    while i < 16 {
        out[at] = bits[i];
        at += 1;
        i += 1;
    }
    let mut i = 0;
    while i < values.len() {
        out[at] = values[i];
        at += 1;
        i += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_jpeg() -> Vec<u8> {
        let image = image::RgbImage::from_fn(96, 64, |x, y| {
            image::Rgb([(x * 2) as u8, (y * 3) as u8, ((x + y) % 256) as u8])
        });
        let mut out = Vec::new();
        jpeg_encoder::Encoder::new(&mut out, 85)
            .encode(image.as_raw(), 96, 64, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    #[test]
    fn code_counts_match_the_values() {
        let sum = |bits: &[u8; 16]| bits.iter().map(|&b| b as usize).sum::<usize>();
        assert_eq!(sum(&DC_LUMA_BITS), DC_VALUES.len());
        assert_eq!(sum(&DC_CHROMA_BITS), DC_VALUES.len());
        assert_eq!(sum(&AC_LUMA_BITS), AC_LUMA_VALUES.len());
        assert_eq!(sum(&AC_CHROMA_BITS), AC_CHROMA_VALUES.len());
    }

    #[test]
    fn a_frame_without_tables_decodes_the_same_once_they_are_inserted() {
        let original = sample_jpeg();
        assert!(has_huffman_tables(&original));
        let stripped = without_huffman_tables(&original);
        assert!(!has_huffman_tables(&stripped));
        assert!(image::load_from_memory(&stripped).is_err());

        let repaired = with_huffman_tables(&Bytes::from(stripped));
        assert!(has_huffman_tables(&repaired));
        let expected = image::load_from_memory(&original).unwrap().to_rgb8();
        let decoded = image::load_from_memory(&repaired).unwrap().to_rgb8();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn a_frame_with_tables_is_not_copied() {
        let original = Bytes::from(sample_jpeg());
        let same = with_huffman_tables(&original);
        assert_eq!(same.as_ptr(), original.as_ptr());
    }

    #[test]
    fn removing_tables_takes_their_fill_bytes() {
        // Found by the fuzz target `jpeg_markers`: fill bytes before a table, and after it bytes
        // that are no marker. Left behind, the fill bytes made a frame header of those bytes.
        let data = b"\xff\xd8\xff\xff\xff\xff\xff\xff\xc4\x00\x11\x08\x00\x16\xff\xd8\
            \xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xcf\xcf\xcf\xcf\x25\x1d\
            \x28\x3a\xff\x16\x18\x11\x00\x16\x16\x18\xff\xd8\xff\xff\xff\xff\
            \xff\xff\xff\xff\xff\xff\xcf\xcf\xcf\xcf\x25\x1d\x28\x3a\xc2\x00\
            \x36\x81\x7e\xa1\x08\x00\x23\x30\x00\x00\xaa\xff\xd9";
        assert_eq!(dimensions(data), None);
        let stripped = without_huffman_tables(data);
        assert_eq!(stripped, [&data[..2], &data[26..]].concat());
        assert!(!has_huffman_tables(&stripped));
        assert_eq!(dimensions(&stripped), None);
    }

    #[test]
    fn a_frame_header_cut_short_has_no_size() {
        // A frame header whose length (2) leaves out its fields: the bytes after it are a table,
        // not the picture's size, and removing the table must not change what is read.
        let data = b"\xff\xd8\xff\xc0\x00\x02\xff\xc4\x00\x10\x01\x02\x03\x04\x05\x06\
            \x07\x08\x09\x0a\x0b\x0c\x0d\x0e\xff\xda\x00\x02\x00\xff\xd9";
        assert_eq!(dimensions(data), None);
        assert_eq!(components(data), None);
        assert_eq!(dimensions(&without_huffman_tables(data)), None);
        assert_eq!(dimensions(&sample_jpeg()), Some((96, 64)));
    }

    /// `jpeg` with `segments` (each a marker and its payload) put in after its start marker,
    /// and `trailer` after its end.
    fn with_segments(jpeg: &[u8], segments: &[(u8, &[u8])], trailer: &[u8]) -> Vec<u8> {
        let mut out = jpeg[..2].to_vec();
        for (marker, payload) in segments {
            out.extend_from_slice(&[0xFF, *marker]);
            out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
            out.extend_from_slice(payload);
        }
        out.extend_from_slice(&jpeg[2..]);
        out.extend_from_slice(trailer);
        out
    }

    #[test]
    fn metadata_and_what_follows_the_picture_are_removed() {
        let original = sample_jpeg();
        let gps = b"Exif\0\0MM\0\x2a GPSLatitude 38.5598 GPSLongitude 68.7870";
        let icc = b"ICC_PROFILE\0\x01\x01 a colour profile";
        let tagged = with_segments(
            &original,
            &[
                (0xE1, gps.as_slice()),
                (0xE2, icc.as_slice()),
                (0xE2, b"MPF\0 two more pictures"),
                (0xED, b"Photoshop 3.0\0 IPTC byline"),
                (0xFE, b"taken at home"),
                (0xEE, b"Adobe\0\x64\0\0\0\0\x01"),
            ],
            b"\xff\xd8 a second picture (MPF) \xff\xd9",
        );
        let cleaned = without_metadata(&Bytes::from(tagged));
        let expected = with_segments(
            &original,
            &[(0xE2, icc.as_slice()), (0xEE, b"Adobe\0\x64\0\0\0\0\x01")],
            b"",
        );
        assert_eq!(&cleaned[..], &expected[..]);
        let decoded = image::load_from_memory(&cleaned).unwrap().to_rgb8();
        assert_eq!(
            decoded,
            image::load_from_memory(&original).unwrap().to_rgb8()
        );
    }

    #[test]
    fn a_jpeg_without_metadata_is_not_copied() {
        let original = Bytes::from(sample_jpeg());
        assert_eq!(without_metadata(&original).as_ptr(), original.as_ptr());
        let cut_short = Bytes::from(original[..original.len() - 40].to_vec());
        assert_eq!(
            without_metadata(&cut_short),
            cut_short,
            "no whole JPEG: as it is"
        );
    }

    #[test]
    fn size_and_completeness() {
        let jpeg = sample_jpeg();
        assert_eq!(dimensions(&jpeg), Some((96, 64)));
        assert!(is_complete(&jpeg));
        assert!(!is_complete(&jpeg[..jpeg.len() - 40]));
        assert_eq!(dimensions(b"not a jpeg"), None);
        assert!(!is_complete(b""));
    }
}
