//! Hostile photos, made here rather than stored: what a person (or an attacker) may hand the
//! app as a "photo", each with what the app must make of it.

use std::io::Cursor;

use image::codecs::webp::WebPEncoder;
use image::{DynamicImage, ImageBuffer, Rgb, RgbImage, Rgba, RgbaImage};

/// What the app must make of a hostile photo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Refused before any request, with an error that holds this text.
    Refused(&'static str),
    /// Sent as an upright JPEG of this size.
    Upright { width: u32, height: u32 },
}

pub struct HostilePhoto {
    /// A file name, with the extension a person would see.
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub expected: Expected,
}

/// The size of the good pictures in the corpus: a landscape document photo.
const WIDTH: u32 = 1600;
const HEIGHT: u32 = 1000;

/// Every hostile photo, each a few kilobytes to a few hundred.
pub fn corpus() -> Vec<HostilePhoto> {
    use Expected::{Refused, Upright};
    let upright = Upright {
        width: WIDTH,
        height: HEIGHT,
    };
    let whole = crate::gradient_jpeg(WIDTH, HEIGHT);
    vec![
        HostilePhoto {
            name: "bomb-60000x60000.png",
            bytes: png_declaring(60_000, 60_000),
            expected: Refused("too large"),
        },
        HostilePhoto {
            // Within the largest side allowed, but 430 MB once decoded.
            name: "bomb-12000x12000.png",
            bytes: png_declaring(12_000, 12_000),
            expected: Refused("too large"),
        },
        HostilePhoto {
            name: "wide-20001x200.png",
            bytes: crate::png(RgbImage::from_pixel(20_001, 200, Rgb([200, 200, 200]))),
            expected: Refused("too large"),
        },
        HostilePhoto {
            // Passes the short-side check, then would shrink to 72 × 2400 to fit.
            name: "narrow-300x10000.png",
            bytes: crate::png(RgbImage::from_pixel(300, 10_000, Rgb([180, 180, 180]))),
            expected: Refused("too narrow"),
        },
        HostilePhoto {
            name: "truncated.jpg",
            bytes: whole[..whole.len() / 2].to_vec(),
            expected: Refused("damaged or incomplete"),
        },
        HostilePhoto {
            name: "progressive.jpg",
            bytes: encoded_jpeg(true, false, None),
            expected: upright.clone(),
        },
        HostilePhoto {
            name: "cmyk.jpg",
            bytes: encoded_jpeg(false, true, None),
            expected: upright.clone(),
        },
        HostilePhoto {
            name: "16-bit.png",
            bytes: sixteen_bit_png(),
            expected: upright.clone(),
        },
        HostilePhoto {
            name: "animated.webp",
            bytes: animated_webp(),
            expected: Upright {
                width: 640,
                height: 400,
            },
        },
        HostilePhoto {
            name: "bogus-orientation.jpg",
            bytes: encoded_jpeg(false, false, Some(9)),
            expected: upright.clone(),
        },
        HostilePhoto {
            name: "rotated-orientation-6.jpg",
            bytes: encoded_jpeg(false, false, Some(6)),
            expected: Upright {
                width: HEIGHT,
                height: WIDTH,
            },
        },
        HostilePhoto {
            name: "empty.jpg",
            bytes: Vec::new(),
            expected: Refused("not a photo"),
        },
        HostilePhoto {
            name: "text.jpg",
            bytes: b"This is not a photo.\n".repeat(100),
            expected: Refused("not a photo"),
        },
    ]
}

fn gradient(x: u32, y: u32) -> [u8; 3] {
    [(x * 255 / WIDTH) as u8, (y * 255 / HEIGHT) as u8, 128]
}

/// A JPEG from `jpeg-encoder`: progressive or baseline, CMYK or RGB, with an EXIF
/// orientation tag of this value (valid or not) when given.
fn encoded_jpeg(progressive: bool, cmyk: bool, orientation: Option<u16>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    encoder.set_progressive(progressive);
    if let Some(value) = orientation {
        encoder
            .add_app_segment(1, exif_orientation(value))
            .expect("a small APP1 segment");
    }
    let (w, h) = (WIDTH as u16, HEIGHT as u16);
    let result = if cmyk {
        let pixels: Vec<u8> = (0..HEIGHT)
            .flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .flat_map(|(x, y)| {
                let [r, g, b] = gradient(x, y);
                [255 - r, 255 - g, 255 - b, 0]
            })
            .collect();
        encoder.encode(&pixels, w, h, jpeg_encoder::ColorType::Cmyk)
    } else {
        let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| Rgb(gradient(x, y)));
        encoder.encode(image.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
    };
    result.expect("the JPEG encodes");
    out
}

/// An EXIF block (big-endian TIFF) holding only the orientation tag.
pub(crate) fn exif_orientation(value: u16) -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    exif.extend_from_slice(&1u16.to_be_bytes()); // one entry
    exif.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    exif.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_be_bytes()); // one value
    exif.extend_from_slice(&value.to_be_bytes());
    exif.extend_from_slice(&[0, 0]);
    exif.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    exif
}

fn sixteen_bit_png() -> Vec<u8> {
    let image: ImageBuffer<Rgb<u16>, Vec<u16>> = ImageBuffer::from_fn(WIDTH, HEIGHT, |x, y| {
        let [r, g, b] = gradient(x, y);
        Rgb([u16::from(r) * 257, u16::from(g) * 257, u16::from(b) * 257])
    });
    crate::png(DynamicImage::ImageRgb16(image))
}

/// A PNG whose header declares `width` × `height` while its data is a few bytes: a
/// decompression bomb's opening, which a reader must refuse before it allocates.
fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    png_chunk(&mut png, b"IHDR", &header);
    // A zlib stream of one empty stored block: a real bomb would deflate gigabytes of zeros.
    png_chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0, 0, 0, 1],
    );
    png_chunk(&mut png, b"IEND", &[]);
    png
}

fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (IEEE), bit by bit: a few hundred bytes of chunk headers need nothing faster.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// An animated WebP of two 640 × 400 frames, each a lossless frame from `image`'s encoder
/// put in the animation's container (VP8X, ANIM, ANMF), which `image` cannot write.
fn animated_webp() -> Vec<u8> {
    let (w, h) = (640u32, 400u32);
    let frames = [[200u8, 40, 40, 255], [40, 40, 200, 255]].map(|colour| {
        let frame = RgbaImage::from_fn(w, h, |x, _| {
            if x < w / 2 {
                Rgba(colour)
            } else {
                Rgba([230, 230, 230, 255])
            }
        });
        lossless_bitstream(&frame)
    });
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x02, 0, 0, 0]; // animation
    vp8x.extend_from_slice(&u24(w - 1));
    vp8x.extend_from_slice(&u24(h - 1));
    riff_chunk(&mut body, b"VP8X", &vp8x);
    riff_chunk(&mut body, b"ANIM", &[255, 255, 255, 255, 0, 0]);
    for bitstream in frames {
        let mut anmf = Vec::new();
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(0));
        anmf.extend_from_slice(&u24(w - 1));
        anmf.extend_from_slice(&u24(h - 1));
        anmf.extend_from_slice(&u24(500)); // milliseconds
        anmf.push(0);
        riff_chunk(&mut anmf, b"VP8L", &bitstream);
        riff_chunk(&mut body, b"ANMF", &anmf);
    }
    let mut webp = b"RIFF".to_vec();
    webp.extend_from_slice(&(body.len() as u32).to_le_bytes());
    webp.extend_from_slice(&body);
    webp
}

/// The VP8L chunk's payload of a still lossless WebP.
fn lossless_bitstream(frame: &RgbaImage) -> Vec<u8> {
    let mut still = Cursor::new(Vec::new());
    DynamicImage::ImageRgba8(frame.clone())
        .write_with_encoder(WebPEncoder::new_lossless(&mut still))
        .expect("the frame encodes");
    let still = still.into_inner();
    // RIFF header (12 bytes), then the VP8L chunk's tag and size (8 bytes).
    assert_eq!(&still[12..16], b"VP8L", "a simple lossless file");
    let size = u32::from_le_bytes(still[16..20].try_into().unwrap()) as usize;
    still[20..20 + size].to_vec()
}

fn riff_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(kind);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

fn u24(value: u32) -> [u8; 3] {
    let [a, b, c, _] = value.to_le_bytes();
    [a, b, c]
}
