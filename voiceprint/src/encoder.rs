//! The GE2E speaker encoder: 3-layer LSTM over 160-frame mel partials, the
//! last layer's final hidden state through Linear + ReLU, L2-normalised; the
//! utterance embedding is the normalised mean of its partial embeddings
//! (resemblyzer's `VoiceEncoder.embed_utterance`). Runs on candle, CPU only.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
use candle_nn::rnn::{LSTMConfig, LSTM, RNN};
use candle_nn::{Linear, Module, VarBuilder};

use crate::embedding::Embedding;
use crate::error::VoiceError;
use crate::mel::mel_spectrogram;
use crate::model_dir::{model_dir, MODEL_FILE};
use crate::params::{HIDDEN_SIZE, LSTM_LAYERS, MEL_BANDS, MEL_HOP, PARTIAL_FRAMES};
use crate::partials::partial_slices;
use crate::preprocess::Speech;

/// Partials run through the network together; bounds the memory of one pass
/// (the LSTM keeps every step's state) whatever the audio length.
const MAX_BATCH: usize = 32;

/// The loaded encoder. Immutable and `Send + Sync`: load once, share across
/// requests.
pub struct Encoder {
    layers: Vec<LSTM>,
    linear: Linear,
}

impl Encoder {
    /// Loads `encoder.safetensors` from `dir`.
    pub fn load(dir: &Path) -> Result<Encoder, VoiceError> {
        let path = dir.join(MODEL_FILE);
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => VoiceError::ModelMissing { path: path.clone() },
            _ => VoiceError::ModelInvalid {
                path: path.clone(),
                reason: e.to_string(),
            },
        })?;
        let invalid = |e: candle_core::Error| VoiceError::ModelInvalid {
            path: path.clone(),
            reason: e.to_string(),
        };
        let vb = VarBuilder::from_buffered_safetensors(bytes, DType::F32, &Device::Cpu)
            .map_err(invalid)?;
        let layers = (0..LSTM_LAYERS)
            .map(|layer| {
                let input = if layer == 0 { MEL_BANDS } else { HIDDEN_SIZE };
                let config = LSTMConfig {
                    layer_idx: layer,
                    ..Default::default()
                };
                candle_nn::rnn::lstm(input, HIDDEN_SIZE, config, vb.pp("lstm"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(invalid)?;
        let linear =
            candle_nn::linear(HIDDEN_SIZE, HIDDEN_SIZE, vb.pp("linear")).map_err(invalid)?;
        Ok(Encoder { layers, linear })
    }

    /// Loads from `VOICEPRINT_MODEL_DIR`, else from `.models/voiceprint` at
    /// the repository root.
    pub fn from_env() -> Result<Encoder, VoiceError> {
        Encoder::load(&model_dir())
    }

    /// The speaker embedding of preprocessed speech.
    pub fn embed(&self, speech: &Speech) -> Result<Embedding, VoiceError> {
        Ok(self.embed_with_partials(speech)?.0)
    }

    /// The embedding and the embeddings of the partial utterances it averages.
    pub fn embed_with_partials(
        &self,
        speech: &Speech,
    ) -> Result<(Embedding, Vec<Embedding>), VoiceError> {
        if speech.samples.is_empty() {
            return Err(VoiceError::NoSpeech);
        }
        if speech.samples.iter().any(|x| !x.is_finite()) {
            return Err(VoiceError::NonFiniteSamples);
        }
        let slices = partial_slices(speech.samples.len());
        // Zero-pad to cover the last partial, as the original does.
        let padded_len = slices.last().map_or(0, |s| s.end * MEL_HOP);
        let mut wav = speech.samples.clone();
        if wav.len() < padded_len {
            wav.resize(padded_len, 0.0);
        }
        let mel = mel_spectrogram(&wav);
        let mut partials = Vec::with_capacity(slices.len());
        for batch in slices.chunks(MAX_BATCH) {
            let mut flat = Vec::with_capacity(batch.len() * PARTIAL_FRAMES * MEL_BANDS);
            for slice in batch {
                for frame in &mel[slice.clone()] {
                    flat.extend_from_slice(frame);
                }
            }
            let input =
                Tensor::from_vec(flat, (batch.len(), PARTIAL_FRAMES, MEL_BANDS), &Device::Cpu)?;
            let rows: Vec<Vec<f32>> = self.forward(&input)?.to_vec2()?;
            for row in rows {
                partials.push(Embedding::from_vector(&row).map_err(|_| {
                    VoiceError::Inference("a partial utterance gave an empty embedding".into())
                })?);
            }
        }
        Ok((Embedding::mean(&partials)?, partials))
    }

    /// (batch, frames, bands) mel partials to raw (un-normalised) embeddings.
    fn forward(&self, mels: &Tensor) -> Result<Tensor, VoiceError> {
        let mut sequence = mels.clone();
        let mut last_hidden = None;
        for (i, layer) in self.layers.iter().enumerate() {
            let states = layer.seq(&sequence)?;
            last_hidden = states.last().map(|s| s.h.clone());
            if i + 1 < self.layers.len() {
                sequence = layer.states_to_tensor(&states)?;
            }
        }
        let hidden = last_hidden.ok_or_else(|| VoiceError::Inference("empty sequence".into()))?;
        // Normalisation happens per row, in Embedding::from_vector.
        Ok(self.linear.forward(&hidden)?.relu()?)
    }
}
