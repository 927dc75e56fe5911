"""The profile-image steps in Pillow, for `cargo bench -p imaging` to compare.

usage: pillow_steps.py INPUT RUNS OUT_IMAGE

On INPUT's bytes, RUNS times: full decode, exif_transpose, save JPEG
quality 85 without metadata (Pillow's default 4:2:0), thumbnail within
256x256 (Pillow's default resampling) saved the same way. Prints one JSON
line: the median and each run in milliseconds, and the median of the
decode step alone. Writes the last re-encoded
image to OUT_IMAGE so the bench can compare its quality with ours.
"""

import io
import json
import statistics
import sys
import time

from PIL import Image, ImageOps, features


def steps(data: bytes) -> tuple[bytes, bytes]:
    im = Image.open(io.BytesIO(data))
    im.load()
    im = ImageOps.exif_transpose(im)
    out = io.BytesIO()
    # No exif= or icc_profile= argument: Pillow writes no metadata then.
    im.convert("RGB").save(out, "JPEG", quality=85)
    thumb = im.copy()
    thumb.thumbnail((256, 256))
    small = io.BytesIO()
    thumb.convert("RGB").save(small, "JPEG", quality=85)
    return out.getvalue(), small.getvalue()


def main() -> None:
    path, runs, out_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    data = open(path, "rb").read()
    steps(data)  # warm-up, as the Rust side does
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        image, _thumb = steps(data)
        times.append((time.perf_counter() - start) * 1e3)
    decode_times = []
    for _ in range(runs):
        start = time.perf_counter()
        Image.open(io.BytesIO(data)).load()
        decode_times.append((time.perf_counter() - start) * 1e3)
    open(out_path, "wb").write(image)
    print(
        json.dumps(
            {
                "median_ms": statistics.median(times),
                "decode_only_median_ms": statistics.median(decode_times),
                "runs_ms": times,
                "pillow": Image.__version__,
                "libjpeg_turbo": features.version("libjpeg_turbo"),
            }
        )
    )


if __name__ == "__main__":
    main()
