//! Voice biometrics, on the user's own partition (`TENANT#<t>#USER#<u>`), so
//! another tenant's or user's voiceprint is not even addressable:
//!
//! | item | sk | holds |
//! |---|---|---|
//! | the voiceprint | `VOICE#PRINT` | the enrolled embedding (compact binary), model, when, consent |
//! | an enrollment in progress | `VOICE#ENROLLMENT` | each accepted sample's embedding, consent, a version |
//!
//! Raw audio is never stored: only embeddings. A new enrollment replaces the
//! voiceprint only once its set is complete (one transaction). Deleting
//! removes both items.

use super::attrs::{get_str, get_u64, n, s, AttributeValue, Item};
use super::users::user_pk;
use super::{classify, transaction_error, Store, StoreError};
use crate::auth::Principal;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem};

const PRINT_SK: &str = "VOICE#PRINT";
const ENROLLMENT_SK: &str = "VOICE#ENROLLMENT";

/// An enrolled voice.
#[derive(Clone, Debug, PartialEq)]
pub struct Voiceprint {
    /// `voiceprint::Embedding::to_bytes` of the mean of the samples.
    pub embedding: Vec<u8>,
    /// The encoder that made it (`voiceprint::MODEL_NAME`).
    pub model: String,
    pub enrolled_at: String,
    /// When the user consented to this enrollment.
    pub consent_at: String,
    pub samples: u64,
}

/// One accepted enrollment sample: its embedding, never its audio.
#[derive(Clone, Debug, PartialEq)]
pub struct EnrollmentSample {
    pub sample_id: String,
    pub embedding: Vec<u8>,
    pub speech_seconds: f64,
    pub created_at: String,
}

/// An enrollment in progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Enrollment {
    pub consent_at: Option<String>,
    pub samples: Vec<EnrollmentSample>,
    /// 0 when there is none yet; every write bumps it (conditional writes).
    pub version: u64,
}

/// What is stored for a user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct VoiceData {
    pub voiceprint: Option<Voiceprint>,
    pub enrollment: Enrollment,
}

fn blob(item: &Item, key: &str) -> Option<Vec<u8>> {
    item.get(key)
        .and_then(|v| v.as_b().ok())
        .map(|b| b.as_ref().to_vec())
}

fn key(principal: &Principal, sk: &str) -> [(String, AttributeValue); 2] {
    [
        (
            "pk".to_string(),
            s(user_pk(principal.tenant_id, principal.user_id)),
        ),
        ("sk".to_string(), s(sk)),
    ]
}

fn sample_item(sample: &EnrollmentSample) -> AttributeValue {
    AttributeValue::M(
        [
            ("sample_id", s(sample.sample_id.clone())),
            (
                "embedding",
                AttributeValue::B(Blob::new(sample.embedding.clone())),
            ),
            (
                "speech_seconds",
                AttributeValue::N(format!("{:.3}", sample.speech_seconds)),
            ),
            ("created_at", s(sample.created_at.clone())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    )
}

fn parse_sample(v: &AttributeValue) -> Option<EnrollmentSample> {
    let m = v.as_m().ok()?;
    Some(EnrollmentSample {
        sample_id: get_str(m, "sample_id")?.to_string(),
        embedding: blob(m, "embedding")?,
        speech_seconds: m.get("speech_seconds")?.as_n().ok()?.parse().ok()?,
        created_at: get_str(m, "created_at")?.to_string(),
    })
}

impl Store {
    /// The voiceprint and the enrollment in progress: one Query on the
    /// user's partition.
    pub async fn voice_data(&self, principal: &Principal) -> Result<VoiceData, StoreError> {
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .key_condition_expression("pk = :pk AND begins_with(sk, :voice)")
            .expression_attribute_values(":pk", s(user_pk(principal.tenant_id, principal.user_id)))
            .expression_attribute_values(":voice", s("VOICE#"))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        let mut data = VoiceData::default();
        for item in out.items() {
            match get_str(item, "sk") {
                Some(PRINT_SK) => {
                    data.voiceprint = Some(Voiceprint {
                        embedding: blob(item, "embedding")
                            .ok_or_else(|| StoreError::Malformed("voiceprint".into()))?,
                        model: get_str(item, "model").unwrap_or_default().to_string(),
                        enrolled_at: get_str(item, "enrolled_at").unwrap_or_default().to_string(),
                        consent_at: get_str(item, "consent_at").unwrap_or_default().to_string(),
                        samples: get_u64(item, "samples").unwrap_or(0),
                    })
                }
                Some(ENROLLMENT_SK) => {
                    data.enrollment = Enrollment {
                        consent_at: get_str(item, "consent_at").map(str::to_string),
                        samples: item
                            .get("samples")
                            .and_then(|v| v.as_l().ok())
                            .map(|l| l.iter().filter_map(parse_sample).collect())
                            .unwrap_or_default(),
                        version: get_u64(item, "version").unwrap_or(0),
                    }
                }
                _ => {}
            }
        }
        Ok(data)
    }

    /// Adds one sample to the enrollment in progress, if nobody changed it
    /// since `current` was read (a lost race is `StoreError::Conflict`).
    pub async fn add_enrollment_sample(
        &self,
        principal: &Principal,
        current: &Enrollment,
        consent_at: &str,
        sample: &EnrollmentSample,
    ) -> Result<(), StoreError> {
        let mut samples: Vec<AttributeValue> = current.samples.iter().map(sample_item).collect();
        samples.push(sample_item(sample));
        let put = self.enrollment_put(principal, current, consent_at, samples)?;
        self.client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put).build())
            .send()
            .await
            .map_err(transaction_error)?;
        Ok(())
    }

    /// The last sample completes the set: the voiceprint replaces any old one
    /// and the enrollment in progress goes, in one transaction conditional on
    /// the enrollment's version.
    pub async fn complete_enrollment(
        &self,
        principal: &Principal,
        current: &Enrollment,
        voiceprint: &Voiceprint,
    ) -> Result<(), StoreError> {
        let build = |e: aws_sdk_dynamodb::error::BuildError| StoreError::Other(e.to_string());
        let mut item: Item = key(principal, PRINT_SK).into_iter().collect();
        for (k, v) in [
            ("entity", s("VOICEPRINT")),
            ("tenant_id", n(principal.tenant_id)),
            ("user_id", n(principal.user_id)),
            (
                "embedding",
                AttributeValue::B(Blob::new(voiceprint.embedding.clone())),
            ),
            ("model", s(voiceprint.model.clone())),
            ("enrolled_at", s(voiceprint.enrolled_at.clone())),
            ("consent_at", s(voiceprint.consent_at.clone())),
            ("samples", n(voiceprint.samples)),
        ] {
            item.insert(k.to_string(), v);
        }
        let put_print = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .build()
            .map_err(build)?;
        let mut delete = Delete::builder().table_name(&self.table);
        for (k, v) in key(principal, ENROLLMENT_SK) {
            delete = delete.key(k, v);
        }
        let delete = if current.version == 0 {
            delete.condition_expression("attribute_not_exists(pk)")
        } else {
            delete
                .condition_expression("version = :v")
                .expression_attribute_values(":v", n(current.version))
        }
        .build()
        .map_err(build)?;
        self.client
            .transact_write_items()
            .transact_items(TransactWriteItem::builder().put(put_print).build())
            .transact_items(TransactWriteItem::builder().delete(delete).build())
            .send()
            .await
            .map_err(transaction_error)?;
        Ok(())
    }

    /// Removes the voiceprint and every sample embedding, together.
    pub async fn delete_voice_data(&self, principal: &Principal) -> Result<(), StoreError> {
        let mut tx = self.client.transact_write_items();
        for sk in [PRINT_SK, ENROLLMENT_SK] {
            let mut delete = Delete::builder().table_name(&self.table);
            for (k, v) in key(principal, sk) {
                delete = delete.key(k, v);
            }
            let delete = delete
                .build()
                .map_err(|e| StoreError::Other(e.to_string()))?;
            tx = tx.transact_items(TransactWriteItem::builder().delete(delete).build());
        }
        tx.send().await.map_err(transaction_error)?;
        Ok(())
    }

    fn enrollment_put(
        &self,
        principal: &Principal,
        current: &Enrollment,
        consent_at: &str,
        samples: Vec<AttributeValue>,
    ) -> Result<Put, StoreError> {
        let mut item: Item = key(principal, ENROLLMENT_SK).into_iter().collect();
        for (k, v) in [
            ("entity", s("VOICE_ENROLLMENT")),
            ("tenant_id", n(principal.tenant_id)),
            ("user_id", n(principal.user_id)),
            ("consent_at", s(consent_at)),
            ("samples", AttributeValue::L(samples)),
            ("version", n(current.version + 1)),
        ] {
            item.insert(k.to_string(), v);
        }
        let put = Put::builder().table_name(&self.table).set_item(Some(item));
        let put = if current.version == 0 {
            put.condition_expression("attribute_not_exists(pk)")
        } else {
            put.condition_expression("version = :v")
                .expression_attribute_values(":v", n(current.version))
        };
        put.build().map_err(|e| StoreError::Other(e.to_string()))
    }
}
