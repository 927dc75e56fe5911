//! The encoder's fixed parameters: resemblyzer 0.1.4's `hparams.py`. They are
//! part of the model (it was trained on features made this way), not settings.

/// Sample rate the encoder works at (Hz).
pub const SAMPLE_RATE: u32 = 16_000;

/// Mel features: 25 ms window, 10 ms hop, 40 bands (librosa defaults otherwise).
pub(crate) const MEL_WINDOW: usize = 400;
pub(crate) const MEL_HOP: usize = 160;
pub(crate) const MEL_BANDS: usize = 40;

/// Frames in one partial utterance (1.6 s).
pub(crate) const PARTIAL_FRAMES: usize = 160;
/// Partial utterances per second and the share of the last one that must be
/// real audio for it to count (resemblyzer's `embed_utterance` defaults).
pub(crate) const PARTIALS_RATE: f64 = 1.3;
pub(crate) const PARTIALS_MIN_COVERAGE: f64 = 0.75;

/// Voice activity detection: 30 ms windows, a moving average over 8 windows,
/// and silences of up to 6 windows kept.
pub(crate) const VAD_WINDOW: usize = 480;
pub(crate) const VAD_AVERAGE_WIDTH: usize = 8;
pub(crate) const VAD_MAX_SILENCE: usize = 6;

/// Volume normalisation target (dBFS); quieter audio is raised to it.
pub(crate) const TARGET_DBFS: f64 = -30.0;

/// Model shape.
pub(crate) const HIDDEN_SIZE: usize = 256;
pub(crate) const LSTM_LAYERS: usize = 3;

/// Length of an embedding.
pub const EMBEDDING_DIM: usize = 256;
