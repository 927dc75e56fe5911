#!/usr/bin/env python3
"""Golden outputs of the ORIGINAL resemblyzer for the voice fixtures.

Run with a Python that has resemblyzer 0.1.4 installed (torch, librosa,
webrtcvad come with it), in a throwaway virtualenv outside the repository:

    python3 -m venv /tmp/rzvenv
    /tmp/rzvenv/bin/pip install resemblyzer==0.1.4 'setuptools<70'
    /tmp/rzvenv/bin/python voiceprint/tests/golden/make_golden.py

(webrtcvad 2.0.10 imports pkg_resources, gone from setuptools >= 81.)

Writes one JSON file per case next to this script. A case is a fixture WAV
plus the sample rate declared to preprocess_wav: 16000 for the real rate, and
two cases that declare another rate for the same samples so that both
implementations resample the same input (librosa's soxr_hq in the original,
rubato in Rust).
"""

import json
import sys
import wave
from importlib.metadata import version
from pathlib import Path

import numpy as np
from resemblyzer import VoiceEncoder, preprocess_wav, wav_to_mel_spectrogram

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent.parent.parent / "tests" / "fixtures" / "voice"
CASES = [
    ("speaker_a_enroll_1.wav", 16000),
    ("speaker_a_verify.wav", 16000),
    ("speaker_b_enroll_1.wav", 16000),
    ("speaker_b_verify.wav", 16000),
    ("short_speech.wav", 16000),
    ("speaker_a_enroll_2.wav", 44100),
    ("speaker_b_enroll_2.wav", 8000),
]
# Mel frames kept for the feature check (the whole spectrogram would be large).
MEL_FRAMES = (0, 1, 50, 100, 200, 300, -1)


def read_wav(path: Path) -> np.ndarray:
    # Same conversion as soundfile (librosa.load): int16 / 32768.
    with wave.open(str(path)) as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0


def floats(a) -> list:
    return [float("%.7g" % x) for x in np.asarray(a, dtype=np.float64).ravel()]


def main() -> None:
    encoder = VoiceEncoder("cpu", verbose=False)
    for name, rate in CASES:
        wav = preprocess_wav(read_wav(FIXTURES / name), source_sr=rate)
        mel = wav_to_mel_spectrogram(wav)
        embed, partials, slices = encoder.embed_utterance(wav, return_partials=True)
        frames = sorted({i % len(mel) for i in MEL_FRAMES})
        golden = {
            "clip": name,
            "declared_rate": rate,
            "preprocessed_len": int(len(wav)),
            "mel_n_frames": int(len(mel)),
            "mel_frames": {str(i): floats(mel[i]) for i in frames},
            "partial_slices": [[int(s.start), int(s.stop)] for s in slices],
            "partial_embeddings": [floats(p) for p in partials],
            "embedding": floats(embed),
            "made_with": {p: version(p) for p in ("resemblyzer", "torch", "librosa", "numpy", "scipy", "webrtcvad", "soxr")},
        }
        out = HERE / f"{Path(name).stem}_{rate}.json"
        out.write_text(json.dumps(golden, indent=1) + "\n")
        print(f"{out.name}: {len(wav) / 16000:.2f} s of speech, {len(partials)} partials", file=sys.stderr)


if __name__ == "__main__":
    main()
