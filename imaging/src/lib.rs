//! Profile images are untrusted input. The format is sniffed from the bytes
//! (a declared content type is only a hint), the dimensions are read from the
//! header before anything is decoded, decoding runs under `image::Limits`,
//! only the first frame is kept, the EXIF orientation is applied and the
//! result is re-encoded (so no metadata survives), with a thumbnail.
//!
//! Panics: hostile bytes must never panic the function. The dimensions are
//! checked from the header before any decode (a decompression bomb is refused
//! there), decoding runs under `image::Limits`, and every call into the
//! `image` crate's parsers and codecs runs under `panic_guard::catch`: a
//! caught panic is `ImageError::InvalidType` (the release profile unwinds).
//! The fuzz target `fuzz/fuzz_targets/imaging_process.rs` looks for panics;
//! every input it ever crashed on is replayed by this crate's tests
//! (`fuzz/regressions/imaging_process/`).

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// Content types the contract accepts, in the order its message lists them.
pub const ACCEPTED_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "image/gif"];
pub const MIN_DIMENSION: u32 = 200;
pub const MAX_DIMENSION: u32 = 2048;
pub const THUMBNAIL_SIZE: u32 = 256;
/// Decoding budget: a 2048x2048 RGBA frame is 16 MiB; leave room for the
/// decoder's own buffers, refuse anything that needs more.
const MAX_DECODE_ALLOC: u64 = 64 * 1024 * 1024;
const JPEG_QUALITY: u8 = 85;

/// The contract's five upload messages (plus one for bytes that are no image).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    NoFile,
    TooLarge { max_mb: u64 },
    InvalidType,
    TooSmall,
    TooBig,
}

impl ImageError {
    pub fn message(&self) -> String {
        match self {
            ImageError::NoFile => "No image file provided".into(),
            // Megabytes are decimal, as the contract counts them.
            ImageError::TooLarge { max_mb } => {
                format!("Image file too large. Maximum size is {max_mb}MB")
            }
            ImageError::InvalidType => {
                format!("Invalid file type. Allowed: {}", ACCEPTED_TYPES.join(", "))
            }
            ImageError::TooSmall => {
                format!(
                    "Image dimensions too small. Minimum: {MIN_DIMENSION}x{MIN_DIMENSION} pixels"
                )
            }
            ImageError::TooBig => {
                format!(
                    "Image dimensions too large. Maximum: {MAX_DIMENSION}x{MAX_DIMENSION} pixels"
                )
            }
        }
    }
}

/// Checks what a client declares before any byte is uploaded.
pub fn check_declared(content_type: &str, size: u64, max_bytes: u64) -> Result<(), ImageError> {
    let content_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !ACCEPTED_TYPES.contains(&content_type.as_str()) {
        return Err(ImageError::InvalidType);
    }
    check_size(size, max_bytes)
}

pub fn check_size(size: u64, max_bytes: u64) -> Result<(), ImageError> {
    if size == 0 {
        return Err(ImageError::NoFile);
    }
    if size > max_bytes {
        return Err(ImageError::TooLarge {
            max_mb: max_bytes.div_ceil(1_000_000),
        });
    }
    Ok(())
}

/// A validated, re-encoded image and its thumbnail.
pub struct Processed {
    pub image: Vec<u8>,
    pub thumbnail: Vec<u8>,
    /// `image/jpeg`, or `image/png` where the source had transparency.
    pub content_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
    /// The format the bytes really were.
    pub source_format: ImageFormat,
}

/// The accepted format of `bytes`, from their magic numbers.
pub fn sniff(bytes: &[u8]) -> Result<ImageFormat, ImageError> {
    match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)) => {
            Ok(f)
        }
        _ => Err(ImageError::InvalidType),
    }
}

fn reader(bytes: &[u8], format: ImageFormat) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    reader
}

/// Runs a step that calls into the `image` crate; a panic is an invalid file.
fn guarded<T>(step: impl FnOnce() -> Result<T, ImageError>) -> Result<T, ImageError> {
    panic_guard::catch(step).unwrap_or(Err(ImageError::InvalidType))
}

/// Width and height from the header alone (nothing is decoded).
pub fn dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImageError> {
    guarded(|| header_dimensions(bytes, format))
}

fn header_dimensions(bytes: &[u8], format: ImageFormat) -> Result<(u32, u32), ImageError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    // Reading a header allocates next to nothing; the size check comes next.
    reader.no_limits();
    reader
        .into_dimensions()
        .map_err(|_| ImageError::InvalidType)
}

/// Validates `bytes` (at most `max_bytes`) and produces what is stored.
pub fn process(bytes: &[u8], max_bytes: u64) -> Result<Processed, ImageError> {
    check_size(bytes.len() as u64, max_bytes)?;
    guarded(|| process_checked_size(bytes))
}

fn process_checked_size(bytes: &[u8]) -> Result<Processed, ImageError> {
    let format = sniff(bytes)?;
    let (w, h) = header_dimensions(bytes, format)?;
    if w > MAX_DIMENSION || h > MAX_DIMENSION {
        return Err(ImageError::TooBig);
    }
    if w < MIN_DIMENSION || h < MIN_DIMENSION {
        return Err(ImageError::TooSmall);
    }
    let mut decoder = reader(bytes, format)
        .into_decoder()
        .map_err(|_| ImageError::InvalidType)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    // First frame only (an animated GIF or WebP decodes as its first frame).
    let mut img = DynamicImage::from_decoder(decoder).map_err(|_| ImageError::InvalidType)?;
    img.apply_orientation(orientation);
    let thumb = img.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    let (content_type, extension, image, thumbnail) = if img.color().has_alpha() {
        ("image/png", "png", encode_png(&img)?, encode_png(&thumb)?)
    } else {
        (
            "image/jpeg",
            "jpg",
            encode_jpeg(&img)?,
            encode_jpeg(&thumb)?,
        )
    };
    Ok(Processed {
        image,
        thumbnail,
        content_type,
        extension,
        width: img.width(),
        height: img.height(),
        source_format: format,
    })
}

fn encode_jpeg(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    let rgb = img.to_rgb8();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&rgb)
        .map_err(|_| ImageError::InvalidType)?;
    Ok(out)
}

fn encode_png(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    img.to_rgba8()
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| ImageError::InvalidType)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(w, h);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn the_five_contract_messages() {
        assert_eq!(ImageError::NoFile.message(), "No image file provided");
        assert_eq!(
            ImageError::TooLarge { max_mb: 5 }.message(),
            "Image file too large. Maximum size is 5MB"
        );
        assert_eq!(
            ImageError::InvalidType.message(),
            "Invalid file type. Allowed: image/jpeg, image/png, image/webp, image/gif"
        );
        assert_eq!(
            ImageError::TooSmall.message(),
            "Image dimensions too small. Minimum: 200x200 pixels"
        );
        assert_eq!(
            ImageError::TooBig.message(),
            "Image dimensions too large. Maximum: 2048x2048 pixels"
        );
    }

    #[test]
    fn declared_type_and_size_are_checked() {
        let max = 5_000_000;
        assert_eq!(check_declared("image/png", 10, max), Ok(()));
        assert_eq!(check_declared("IMAGE/JPEG; charset=x", 10, max), Ok(()));
        assert_eq!(
            check_declared("application/pdf", 10, max),
            Err(ImageError::InvalidType)
        );
        assert_eq!(
            check_declared("image/png", 6 * 1024 * 1024, max),
            Err(ImageError::TooLarge { max_mb: 5 })
        );
        assert_eq!(check_declared("image/png", 0, max), Err(ImageError::NoFile));
    }

    #[test]
    fn dimension_bounds_are_inclusive() {
        let max = 5_000_000;
        assert!(process(&png(200, 200), max).is_ok());
        assert_eq!(
            process(&png(199, 300), max).err(),
            Some(ImageError::TooSmall)
        );
        assert_eq!(
            process(&png(2049, 300), max).err(),
            Some(ImageError::TooBig)
        );
        assert_eq!(
            process(b"%PDF-1.4 not an image", max).err(),
            Some(ImageError::InvalidType)
        );
    }
}
