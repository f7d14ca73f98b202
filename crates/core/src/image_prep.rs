//! Turning a photo into the JPEG the bank receives.
//!
//! A JPEG that is upright and small enough goes out with its picture's bytes unchanged:
//! re-encoding would only lose detail the OCR needs. A webcam frame only gains the standard
//! Huffman tables it left out; a phone photo loses its metadata (where, when and with what it
//! was taken), which the bank has no use for and the person did not mean to send. Anything else
//! (PNG, WebP, a phone photo with an EXIF rotation, a 48-megapixel picture) is decoded, turned
//! upright, scaled down and encoded once at high quality, which keeps no metadata either.

use std::fmt;
use std::io::Cursor;

use bytes::Bytes;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use crate::config::ImageConfig;
use crate::error::Error;

/// Pictures wider or taller than this are refused before decoding: no camera makes them, and
/// decoding one would take gigabytes.
const MAX_DIMENSION: u32 = 20_000;

/// The most memory one decoded picture may take: a 64-megapixel phone photo (about 190 MB in
/// RGB) fits. Within [`MAX_DIMENSION`] a picture could otherwise take gigabytes, whatever its
/// file's size; with the limit, the largest file allowed peaks at about 390 MB in all
/// (`docs/PERFORMANCE.md`).
const MAX_DECODED_BYTES: u64 = 200 * 1024 * 1024;

/// A JPEG ready to upload.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadJpeg {
    bytes: Bytes,
    width: u32,
    height: u32,
    reencoded: bool,
}

impl UploadJpeg {
    /// Checks and prepares a photo as the configuration says.
    pub fn prepare(input: &[u8], config: &ImageConfig) -> Result<Self, Error> {
        if input.len() as u64 > config.max_file_bytes {
            return Err(file_too_large(input.len() as u64, config));
        }
        let format = image::guess_format(input).map_err(|_| {
            Error::InvalidImage(
                "this is not a photo in a known format (JPEG, PNG, WebP, BMP)".into(),
            )
        })?;
        // A webcam frame may lack Huffman tables: the standard ones go in first, so that it
        // decodes here and everywhere else. Nothing else about it changes.
        let input: Bytes = match format {
            ImageFormat::Jpeg => crate::jpeg::with_huffman_tables(&Bytes::copy_from_slice(input)),
            _ => Bytes::copy_from_slice(input),
        };
        let mut limits = Limits::default();
        limits.max_image_width = Some(MAX_DIMENSION);
        limits.max_image_height = Some(MAX_DIMENSION);
        limits.max_alloc = Some(MAX_DECODED_BYTES);
        let mut reader = ImageReader::with_format(Cursor::new(&input[..]), format);
        reader.limits(limits);
        let mut decoder = reader.into_decoder().map_err(decode_error)?;
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let (width, height) = decoder.dimensions();
        // Not every decoder holds to `max_alloc` before it allocates: ask for the size first.
        if decoder.total_bytes() > MAX_DECODED_BYTES {
            return Err(Error::InvalidImage(format!(
                "the photo is too large to process ({width}×{height} pixels)"
            )));
        }
        // Decoding in full is the only way to know the file is whole; a truncated photo must fail
        // here with a clear message, not at the bank as a vague FAILURE.
        let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;

        let (upright_w, upright_h) = match orientation {
            Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH => (height, width),
            _ => (width, height),
        };
        if upright_w.min(upright_h) < config.min_short_side {
            return Err(Error::InvalidImage(format!(
                "the photo is too small ({upright_w}×{upright_h}); its short side needs at least {} pixels",
                config.min_short_side
            )));
        }

        // A long, thin picture passes the check above, then shrinks to fit `max_long_side`
        // until its short side is too small for anyone to read.
        let long = upright_w.max(upright_h);
        let sent_short = if long > config.max_long_side {
            (u64::from(upright_w.min(upright_h)) * u64::from(config.max_long_side)
                / u64::from(long)) as u32
        } else {
            upright_w.min(upright_h)
        };
        if sent_short < config.min_short_side {
            return Err(Error::InvalidImage(format!(
                "the photo is too narrow ({upright_w}×{upright_h}); scaled to fit {} pixels, its short side would have {sent_short}, and at least {} are needed",
                config.max_long_side, config.min_short_side
            )));
        }

        if format == ImageFormat::Jpeg && !crate::jpeg::is_complete(&input) {
            // The decoder fills a cut-off scan with grey rather than failing.
            return Err(Error::InvalidImage(
                "the photo is damaged or incomplete (the file ends too early)".into(),
            ));
        }

        let fits = width.max(height) <= config.max_long_side;
        // Only a plain JPEG goes as it is: grey or YCbCr, upright, no larger than allowed.
        let plain = matches!(crate::jpeg::components(&input), Some(1 | 3));
        if format == ImageFormat::Jpeg && plain && orientation == Orientation::NoTransforms && fits
        {
            return Ok(UploadJpeg {
                bytes: crate::jpeg::without_metadata(&input),
                width,
                height,
                reencoded: false,
            });
        }

        // Scale before turning upright: the rotation then moves fewer pixels.
        image = Self::fit(image, config)?;
        image.apply_orientation(orientation);
        Self::encode(&image, config.jpeg_quality)
    }

    /// Encodes decoded pixels (a camera's raw frame), scaled down first if they are larger than
    /// the configuration allows: one encode, whatever the size.
    pub fn from_pixels(image: DynamicImage, config: &ImageConfig) -> Result<Self, Error> {
        Self::encode(&Self::fit(image, config)?, config.jpeg_quality)
    }

    fn fit(image: DynamicImage, config: &ImageConfig) -> Result<DynamicImage, Error> {
        if image.width().max(image.height()) <= config.max_long_side {
            Ok(image)
        } else {
            scale_down(&image, config.max_long_side)
        }
    }

    /// Encodes decoded pixels as a JPEG of the given quality (any alpha is dropped).
    ///
    /// `jpeg-encoder` with SIMD: several times faster than `image`'s own encoder, which matters
    /// for a 2400-pixel photo on a branch's low-end PC.
    pub fn encode(image: &DynamicImage, quality: u8) -> Result<Self, Error> {
        let rgb = image.to_rgb8();
        let (width, height) = rgb.dimensions();
        let (Ok(w16), Ok(h16)) = (u16::try_from(width), u16::try_from(height)) else {
            return Err(Error::InvalidImage(
                "the photo is too large to encode".into(),
            ));
        };
        let mut out = Vec::with_capacity((width * height / 4) as usize);
        jpeg_encoder::Encoder::new(&mut out, quality)
            .encode(rgb.as_raw(), w16, h16, jpeg_encoder::ColorType::Rgb)
            .map_err(|e| Error::InvalidImage(format!("cannot encode the photo: {e}")))?;
        Ok(UploadJpeg {
            bytes: Bytes::from(out),
            width,
            height,
            reencoded: true,
        })
    }

    /// The JPEG bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// Width in pixels, as it will be seen upright.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels, as it will be seen upright.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Whether the photo was decoded and encoded again (false: its picture is sent as it came,
    /// without its metadata).
    pub fn was_reencoded(&self) -> bool {
        self.reencoded
    }
}

/// Never prints the pixels.
impl fmt::Debug for UploadJpeg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UploadJpeg({}×{}, {} bytes, {})",
            self.width,
            self.height,
            self.bytes.len(),
            if self.reencoded {
                "re-encoded"
            } else {
                "as taken"
            }
        )
    }
}

/// Scales `image` so that its long side is `long_side`, with a Catmull-Rom filter (sharp text on
/// a document, no ringing worth the name). `fast_image_resize` does this with SIMD, some twenty
/// times faster than `image`'s own resize on a 12-megapixel photo.
fn scale_down(image: &DynamicImage, long_side: u32) -> Result<DynamicImage, Error> {
    use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
    let source = DynamicImage::ImageRgb8(image.to_rgb8());
    let scale = long_side as f64 / source.width().max(source.height()) as f64;
    let width = ((source.width() as f64 * scale).round() as u32).max(1);
    let height = ((source.height() as f64 * scale).round() as u32).max(1);
    let mut scaled = DynamicImage::new_rgb8(width, height);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(&source, &mut scaled, &options)
        .map_err(|e| Error::InvalidImage(format!("cannot scale the photo: {e}")))?;
    Ok(scaled)
}

fn decode_error(error: image::ImageError) -> Error {
    use image::ImageError;
    let reason = match &error {
        ImageError::Limits(_) => "the photo is too large to process".to_owned(),
        ImageError::Unsupported(_) => "this kind of photo is not supported".to_owned(),
        _ => format!("the photo is damaged or incomplete ({error})"),
    };
    Error::InvalidImage(reason)
}

/// Why a photo file of `size` bytes is refused before it is read, over the configured cap.
pub fn file_too_large(size: u64, config: &ImageConfig) -> Error {
    Error::InvalidImage(format!(
        "the file is {}; photos of at most {} are accepted",
        size_text(size),
        size_text(config.max_file_bytes)
    ))
}

/// A file size as a person reads it: whole megabytes, or kilobytes below one.
fn size_text(bytes: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes >= MB {
        format!("{} MB", bytes.div_ceil(MB))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, Rgb, RgbImage};

    fn picture(width: u32, height: u32) -> DynamicImage {
        // Left half dark, right half light, so orientation can be checked after a rotation.
        DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                Rgb([20, 20, 20])
            } else {
                Rgb([230, 230, 230])
            }
        }))
    }

    fn jpeg(image: &DynamicImage) -> Vec<u8> {
        UploadJpeg::encode(image, 90).unwrap().bytes().to_vec()
    }

    /// A JPEG with an APP1 EXIF segment that says "rotate 90° clockwise to view" (orientation 6).
    fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
        let tiff: Vec<u8> = [
            b"MM\0\x2a\0\0\0\x08".as_slice(),
            &[0, 1],                                               // one IFD entry
            &[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0], // Orientation, SHORT, 1
            &[0, 0, 0, 0],                                         // no next IFD
        ]
        .concat();
        let payload = [b"Exif\0\0".as_slice(), &tiff].concat();
        let len = (payload.len() + 2) as u16;
        [
            &jpeg[..2],
            &[0xFF, 0xE1],
            &len.to_be_bytes(),
            &payload,
            &jpeg[2..],
        ]
        .concat()
    }

    #[test]
    fn an_upright_jpeg_that_fits_goes_out_byte_for_byte() {
        let input = jpeg(&picture(1600, 1000));
        let prepared = UploadJpeg::prepare(&input, &ImageConfig::default()).unwrap();
        assert!(!prepared.was_reencoded());
        assert_eq!(prepared.bytes().as_ref(), input.as_slice());
    }

    #[test]
    fn an_upright_phone_photo_goes_out_without_its_exif() {
        // Orientation 1 ("upright"): the photo is not decoded, but its EXIF stays behind.
        let plain = jpeg(&picture(1600, 1000));
        let from_phone = with_exif_orientation(&plain, 1);
        let prepared = UploadJpeg::prepare(&from_phone, &ImageConfig::default()).unwrap();
        assert!(!prepared.was_reencoded());
        assert_eq!(prepared.bytes().as_ref(), plain.as_slice());
    }

    #[test]
    fn a_file_over_the_size_limit_is_refused_before_it_is_decoded() {
        let input = jpeg(&picture(1600, 1000));
        let config = ImageConfig {
            max_file_bytes: input.len() as u64 - 1,
            ..ImageConfig::default()
        };
        let error = UploadJpeg::prepare(&input, &config).unwrap_err();
        assert!(matches!(error, Error::InvalidImage(_)), "{error:?}");
        assert!(error.to_string().contains("at most"), "{error}");
        // Bytes that are no picture at all are refused by their size, before anything reads
        // them as a picture.
        let garbage = vec![0xFFu8; 2048];
        let small = ImageConfig {
            max_file_bytes: 1024,
            ..ImageConfig::default()
        };
        let error = UploadJpeg::prepare(&garbage, &small)
            .unwrap_err()
            .to_string();
        assert!(error.contains("2 KB") && error.contains("1 KB"), "{error}");
        let exact = ImageConfig {
            max_file_bytes: input.len() as u64,
            ..ImageConfig::default()
        };
        assert!(UploadJpeg::prepare(&input, &exact).is_ok());
    }

    #[test]
    fn a_png_becomes_a_jpeg() {
        let mut png = Vec::new();
        let source = picture(800, 600).to_rgb8();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(&source, 800, 600, image::ExtendedColorType::Rgb8)
            .unwrap();
        let prepared = UploadJpeg::prepare(&png, &ImageConfig::default()).unwrap();
        assert!(prepared.was_reencoded());
        assert_eq!(
            image::guess_format(prepared.bytes()).unwrap(),
            ImageFormat::Jpeg
        );
        assert_eq!((prepared.width(), prepared.height()), (800, 600));
    }

    #[test]
    fn a_large_photo_is_scaled_to_the_long_side() {
        let input = jpeg(&picture(4000, 3000));
        let prepared = UploadJpeg::prepare(&input, &ImageConfig::default()).unwrap();
        assert!(prepared.was_reencoded());
        assert_eq!((prepared.width(), prepared.height()), (2400, 1800));
        let decoded = image::load_from_memory(prepared.bytes()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (2400, 1800));
    }

    #[test]
    fn an_exif_rotation_is_applied() {
        let input = with_exif_orientation(&jpeg(&picture(800, 400)), 6);
        let prepared = UploadJpeg::prepare(&input, &ImageConfig::default()).unwrap();
        assert!(prepared.was_reencoded());
        assert_eq!((prepared.width(), prepared.height()), (400, 800));
        // Rotated clockwise: the dark left half is now on top.
        let decoded = image::load_from_memory(prepared.bytes())
            .unwrap()
            .to_luma8();
        assert!(decoded.get_pixel(200, 100)[0] < 80);
        assert!(decoded.get_pixel(200, 700)[0] > 180);
    }

    #[test]
    fn damaged_and_foreign_files_are_refused_clearly() {
        let whole = jpeg(&picture(800, 600));
        let truncated = &whole[..whole.len() / 2];
        for (input, expected) in [
            (truncated, "damaged or incomplete"),
            (b"%PDF-1.7 not a photo".as_slice(), "not a photo"),
            (b"".as_slice(), "not a photo"),
        ] {
            let error = UploadJpeg::prepare(input, &ImageConfig::default()).unwrap_err();
            assert!(error.to_string().contains(expected), "{error}");
        }
    }

    #[test]
    fn a_tiny_picture_is_refused() {
        let input = jpeg(&picture(200, 100));
        let error = UploadJpeg::prepare(&input, &ImageConfig::default()).unwrap_err();
        assert!(error.to_string().contains("too small"), "{error}");
    }
}
