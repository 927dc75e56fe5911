//! `cargo run -q -p imaging --example make_photo > photo.jpg`: a 640x480
//! JPEG for trying the upload flows on a machine without a photo at hand.

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use std::io::{Cursor, Write};

fn main() {
    let img = RgbImage::from_fn(640, 480, |x, y| {
        let sky = y < 300;
        let sun = (x as i32 - 480).pow(2) + (y as i32 - 120).pow(2) < 60 * 60;
        match (sun, sky) {
            (true, _) => Rgb([255, 214, 90]),
            (false, true) => Rgb([90, (150 + y / 4) as u8, 235]),
            (false, false) => Rgb([40, (110 + (x % 40)) as u8, 50]),
        }
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg)
        .expect("encoding a JPEG in memory");
    std::io::stdout()
        .write_all(&out)
        .expect("writing to stdout");
}
