//! Profile images are untrusted input. The format is sniffed from the bytes
//! (a declared content type is only a hint), the dimensions are read from the
//! header before anything is decoded, decoding runs under `image::Limits`,
//! only the first frame is kept, the EXIF orientation is applied and the
//! result is re-encoded (so no metadata survives), with a thumbnail.
//!
//! Output: a JPEG at quality 85 with 4:2:0 chroma subsampling (Pillow's
//! default at that quality), encoded by `libjpeg-turbo-rs` (pure Rust, SIMD)
//! from pixels we decoded ourselves (untrusted bytes are only ever decoded
//! by the `image` crate), or a PNG where the source had transparency. The
//! thumbnail fits in 256x256 (Catmull-Rom, i.e. bicubic, by
//! `fast_image_resize`: SIMD on x86_64 and aarch64). `cargo bench -p
//! imaging` compares speed and quality with Pillow.
//!
//! Panics: hostile bytes must never panic the function. The dimensions are
//! checked from the header before any decode (a decompression bomb is refused
//! there), decoding runs under `image::Limits`, and every call into the
//! `image` crate's parsers and codecs runs under `panic_guard::catch`: a
//! caught panic is `ImageError::InvalidType` (the release profile unwinds).
//! The fuzz target `fuzz/fuzz_targets/imaging_process.rs` looks for panics;
//! every input it ever crashed on is replayed by this crate's tests
//! (`fuzz/regressions/imaging_process/`).

mod encode;
mod thumbnail;

pub use encode::JPEG_QUALITY;
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
    let img = DynamicImage::from_decoder(decoder).map_err(|_| ImageError::InvalidType)?;
    let mut img = encode::eight_bit(img);
    img.apply_orientation(orientation);
    let thumb = thumbnail::of(&img)?;
    let (content_type, extension, image, thumbnail) = if img.color().has_alpha() {
        ("image/png", "png", encode::png(&img)?, encode::png(&thumb)?)
    } else {
        (
            "image/jpeg",
            "jpg",
            encode::jpeg(&img)?,
            encode::jpeg(&thumb)?,
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

    /// A JPEG whose left half is black and right half white, with an EXIF
    /// block saying "rotate 90 degrees clockwise to display" (orientation 6)
    /// and a comment that must not survive.
    fn rotated_jpeg(w: u16, h: u16) -> Vec<u8> {
        let pixels: Vec<u8> = (0..u32::from(h))
            .flat_map(|_| (0..u32::from(w)).map(|x| if x < u32::from(w) / 2 { 0 } else { 255 }))
            .flat_map(|v| [v, v, v])
            .collect();
        // Big-endian TIFF header, one IFD entry: Orientation (0x0112), SHORT, 1, value 6.
        let exif = [
            b'M', b'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0,
            0,
        ];
        let mut out = Vec::new();
        let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
        enc.add_exif_metadata(&exif).unwrap();
        enc.add_app_segment(15, b"secret comment".to_vec()).unwrap();
        enc.encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb)
            .unwrap();
        out
    }

    /// The sampling factors of each component, from the JPEG's SOF0 frame header.
    fn sampling_factors(jpeg: &[u8]) -> Vec<u8> {
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        let components = usize::from(jpeg[sof + 9]);
        (0..components).map(|i| jpeg[sof + 11 + 3 * i]).collect()
    }

    #[test]
    fn orientation_is_applied_and_no_metadata_survives() {
        let source = rotated_jpeg(300, 220);
        assert!(source.windows(4).any(|w| w == b"Exif"));
        let p = process(&source, 5_000_000).unwrap();
        assert_eq!((p.content_type, p.extension), ("image/jpeg", "jpg"));
        // Rotated: 220 wide, 300 high; the black half is now on top.
        assert_eq!((p.width, p.height), (220, 300));
        let out = image::load_from_memory(&p.image).unwrap().to_luma8();
        assert_eq!(out.dimensions(), (220, 300));
        assert!(out.get_pixel(110, 20)[0] < 30, "top is black");
        assert!(out.get_pixel(110, 280)[0] > 225, "bottom is white");
        for stored in [&p.image, &p.thumbnail] {
            assert!(!stored.windows(4).any(|w| w == b"Exif"));
            assert!(!stored.windows(6).any(|w| w == b"secret"));
        }
    }

    #[test]
    fn jpeg_output_is_4_2_0_and_the_thumbnail_fits() {
        let p = process(&rotated_jpeg(640, 480), 5_000_000).unwrap();
        // Y sampled 2x2, Cb and Cr 1x1: 4:2:0.
        assert_eq!(sampling_factors(&p.image), vec![0x22, 0x11, 0x11]);
        let thumb = image::load_from_memory(&p.thumbnail).unwrap();
        // 480x640 after rotation: fits in 256x256 as 192x256.
        assert_eq!((thumb.width(), thumb.height()), (192, 256));
        let thumb = thumb.to_luma8();
        assert!(thumb.get_pixel(96, 10)[0] < 30);
        assert!(thumb.get_pixel(96, 245)[0] > 225);
    }

    #[test]
    fn transparency_is_kept_as_png() {
        let mut img = image::RgbaImage::new(240, 240);
        for (x, _, p) in img.enumerate_pixels_mut() {
            *p = image::Rgba([200, 10, 10, if x < 120 { 0 } else { 255 }]);
        }
        let mut bytes = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        let p = process(&bytes, 5_000_000).unwrap();
        assert_eq!((p.content_type, p.extension), ("image/png", "png"));
        let thumb = image::load_from_memory(&p.thumbnail).unwrap().to_rgba8();
        assert_eq!(thumb.dimensions(), (256, 256));
        assert_eq!(thumb.get_pixel(10, 128)[3], 0);
        assert_eq!(thumb.get_pixel(250, 128).0, [200, 10, 10, 255]);
    }
}
