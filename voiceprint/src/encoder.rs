//! The GE2E speaker encoder: 3-layer LSTM over 160-frame mel partials, the
//! last layer's final hidden state through Linear + ReLU, L2-normalised; the
//! utterance embedding is the normalised mean of its partial embeddings
//! (resemblyzer's `VoiceEncoder.embed_utterance`). Runs on candle, CPU only.

use std::path::Path;

use candle_core::{DType, Device, Tensor};
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
    layers: Vec<LstmLayer>,
    linear: Linear,
}

/// One PyTorch-layout LSTM layer (gates i, f, g, o), weights stored
/// transposed for the matmuls.
struct LstmLayer {
    w_ih_t: Tensor,
    w_hh_t: Tensor,
    /// bias_ih + bias_hh.
    bias: Tensor,
}

impl LstmLayer {
    fn load(vb: &VarBuilder, layer: usize, input: usize) -> candle_core::Result<LstmLayer> {
        let gates = 4 * HIDDEN_SIZE;
        let w_ih = vb.get((gates, input), &format!("weight_ih_l{layer}"))?;
        let w_hh = vb.get((gates, HIDDEN_SIZE), &format!("weight_hh_l{layer}"))?;
        let b_ih = vb.get(gates, &format!("bias_ih_l{layer}"))?;
        let b_hh = vb.get(gates, &format!("bias_hh_l{layer}"))?;
        Ok(LstmLayer {
            w_ih_t: w_ih.t()?.contiguous()?,
            w_hh_t: w_hh.t()?.contiguous()?,
            bias: (b_ih + b_hh)?,
        })
    }

    /// (batch, steps, input) to the hidden states (batch, steps, hidden).
    /// Same recurrence as torch.nn.LSTM (and candle-nn's LSTM), but the input
    /// projection of every step is done in one matmul up front, which makes
    /// the whole pass several times faster than candle-nn's step by step one.
    fn run(&self, xs: &Tensor) -> candle_core::Result<Tensor> {
        let (batch, steps, input) = xs.dims3()?;
        let projected = xs
            .reshape((batch * steps, input))?
            .matmul(&self.w_ih_t)?
            .broadcast_add(&self.bias)?
            .reshape((batch, steps, 4 * HIDDEN_SIZE))?;
        let mut h = Tensor::zeros((batch, HIDDEN_SIZE), DType::F32, xs.device())?;
        let mut c = h.clone();
        let mut outputs = Vec::with_capacity(steps);
        for step in 0..steps {
            let gates = (projected.narrow(1, step, 1)?.squeeze(1)? + h.matmul(&self.w_hh_t)?)?;
            let sig = candle_nn::ops::sigmoid(&gates)?;
            let input_gate = sig.narrow(1, 0, HIDDEN_SIZE)?;
            let forget_gate = sig.narrow(1, HIDDEN_SIZE, HIDDEN_SIZE)?;
            let cell = gates.narrow(1, 2 * HIDDEN_SIZE, HIDDEN_SIZE)?.tanh()?;
            let output_gate = sig.narrow(1, 3 * HIDDEN_SIZE, HIDDEN_SIZE)?;
            c = ((forget_gate * &c)? + (input_gate * cell)?)?;
            h = (output_gate * c.tanh()?)?;
            outputs.push(h.clone());
        }
        Tensor::stack(&outputs, 1)
    }
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
                LstmLayer::load(&vb.pp("lstm"), layer, input)
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
        for layer in &self.layers {
            sequence = layer.run(&sequence)?;
        }
        // The last layer's final hidden state.
        let steps = sequence.dim(1)?;
        let hidden = sequence.narrow(1, steps - 1, 1)?.squeeze(1)?;
        // Normalisation happens per row, in Embedding::from_vector.
        Ok(self.linear.forward(&hidden)?.relu()?)
    }
}
