//! Re-encoding: what is stored carries no byte of the upload's metadata.

use crate::ImageError;
use image::{DynamicImage, ImageFormat};
use libjpeg_turbo_rs::{PixelFormat, Subsampling};
use std::io::Cursor;

/// JPEG quality of stored images and thumbnails (Pillow's scale, 1-100).
pub const JPEG_QUALITY: u8 = 85;

/// 8 bits per channel, the only depth that is stored: grey stays grey, a
/// source with transparency becomes RGBA, everything else RGB. Already
/// 8-bit images are passed through without a copy.
pub fn eight_bit(img: DynamicImage) -> DynamicImage {
    match img {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => {
            img
        }
        img if img.color().has_alpha() => DynamicImage::ImageRgba8(img.to_rgba8()),
        img => DynamicImage::ImageRgb8(img.to_rgb8()),
    }
}

/// Baseline JPEG, quality 85, 4:2:0 (libjpeg's quality scale, as Pillow's),
/// JFIF header only: no EXIF, ICC, XMP or comment is written.
pub fn jpeg(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let (format, pixels) = match img {
        DynamicImage::ImageLuma8(buf) => (PixelFormat::Grayscale, buf.as_raw().as_slice()),
        DynamicImage::ImageRgb8(buf) => (PixelFormat::Rgb, buf.as_raw().as_slice()),
        // `eight_bit` ran first: nothing else reaches here.
        _ => return Err(ImageError::InvalidType),
    };
    libjpeg_turbo_rs::compress(
        pixels,
        img.width() as usize,
        img.height() as usize,
        format,
        JPEG_QUALITY,
        Subsampling::S420,
    )
    .map_err(|_| ImageError::InvalidType)
}

/// PNG of the RGBA pixels (sources with transparency).
pub fn png(img: &DynamicImage) -> Result<Vec<u8>, ImageError> {
    let mut out = Vec::new();
    img.to_rgba8()
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .map_err(|_| ImageError::InvalidType)?;
    Ok(out)
}
