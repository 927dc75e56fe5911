//! Configuration read from the environment once, at cold start.

use std::time::Duration;

/// Everything a function needs to know about its environment.
#[derive(Clone, Debug)]
pub struct Config {
    pub table_name: String,
    pub bucket_name: String,
    pub jwt: JwtConfig,
    /// `ONBOARDING_MODULE_ENABLED=false` closes the onboarding-gated routes for everyone.
    pub onboarding_module_enabled: bool,
    /// `VOICE_FEATURES_ENABLED=false` closes voice features for everyone.
    pub voice_features_enabled: bool,
    pub limits: Limits,
    /// Public base URL for stored media (a CDN in front of the bucket), if any.
    pub media_base_url: Option<String>,
    pub media: MediaUrls,
    pub voice: VoiceSettings,
}

/// Voice biometrics.
#[derive(Clone, Copy, Debug)]
pub struct VoiceSettings {
    /// Accepted samples that make an enrollment (`VOICE_ENROLLMENT_SAMPLES`).
    pub samples_required: u64,
    /// Cosine score at or above which a voice is the enrolled one
    /// (`VOICE_VERIFICATION_THRESHOLD`, calibrated by the voiceprint bench).
    pub threshold: f32,
}

/// Lifetimes of presigned URLs.
#[derive(Clone, Copy, Debug)]
pub struct MediaUrls {
    /// How long a client has to PUT an upload (`UPLOAD_URL_TTL_SECONDS`).
    pub upload_url_ttl: Duration,
    /// How long a displayed media URL works (`MEDIA_URL_TTL_SECONDS`).
    pub download_url_ttl: Duration,
}

#[derive(Clone)]
pub struct JwtConfig {
    pub issuer: String,
    pub audience: String,
    /// Ed25519 public key (PEM). Every function verifies with it.
    pub public_key_pem: String,
    /// Ed25519 private key (PEM). Only the functions that issue tokens have it.
    pub private_key_pem: Option<String>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// How long a rotated refresh token still returns the pair it was
    /// rotated to (`REFRESH_GRACE_SECONDS`): a retried refresh must not log
    /// the user out.
    pub refresh_grace: Duration,
}

// Never print key material, not even in a debug log of the configuration.
impl std::fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtConfig")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("public_key_pem", &"<set>")
            .field(
                "private_key_pem",
                &self.private_key_pem.as_ref().map(|_| "<redacted>"),
            )
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .field("refresh_grace", &self.refresh_grace)
            .finish()
    }
}

/// The size limits of the contract, in one place. Megabytes are decimal
/// (1 MB = 1,000,000 bytes), as the contract's own tests count them: its
/// "51MB" voice note of 51,000,000 bytes must exceed the 50 MB limit.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// `MAX_PROFILE_IMAGE_SIZE_MB`, default 5.
    pub max_profile_image_bytes: u64,
    /// Journal voice notes: `MAX_VOICE_NOTE_SIZE_MB`, default 50.
    pub max_voice_note_bytes: u64,
    /// Journal videos: `MAX_VIDEO_SIZE_MB`, default 100.
    pub max_journal_video_bytes: u64,
}

pub const MB: u64 = 1_000_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("missing required environment variable(s): {}", .0.join(", "))]
    Missing(Vec<String>),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: String, reason: String },
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the
    /// process environment. Every missing variable is reported at once.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut missing = Vec::new();
        let mut required = |name: &str| match lookup(name).filter(|v| !v.trim().is_empty()) {
            Some(v) => v,
            None => {
                missing.push(name.to_string());
                String::new()
            }
        };
        let table_name = required("TABLE_NAME");
        let bucket_name = required("BUCKET_NAME");
        let issuer = required("JWT_ISSUER");
        let audience = required("JWT_AUDIENCE");

        let public_key_pem = key_material(&lookup, "JWT_PUBLIC_KEY")?;
        if public_key_pem.is_none() {
            missing.push("JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE)".to_string());
        }
        if !missing.is_empty() {
            return Err(ConfigError::Missing(missing));
        }
        let private_key_pem = key_material(&lookup, "JWT_PRIVATE_KEY")?;

        Ok(Config {
            table_name,
            bucket_name,
            jwt: JwtConfig {
                issuer,
                audience,
                public_key_pem: public_key_pem.unwrap_or_default(),
                private_key_pem,
                access_ttl: Duration::from_secs(number(&lookup, "ACCESS_TOKEN_TTL_SECONDS", 900)?),
                refresh_ttl: Duration::from_secs(number(
                    &lookup,
                    "REFRESH_TOKEN_TTL_SECONDS",
                    14 * 24 * 3600,
                )?),
                refresh_grace: Duration::from_secs(number(&lookup, "REFRESH_GRACE_SECONDS", 30)?),
            },
            onboarding_module_enabled: flag(&lookup, "ONBOARDING_MODULE_ENABLED", true)?,
            voice_features_enabled: flag(&lookup, "VOICE_FEATURES_ENABLED", true)?,
            limits: Limits {
                max_profile_image_bytes: number(&lookup, "MAX_PROFILE_IMAGE_SIZE_MB", 5)? * MB,
                max_voice_note_bytes: number(&lookup, "MAX_VOICE_NOTE_SIZE_MB", 50)? * MB,
                max_journal_video_bytes: number(&lookup, "MAX_VIDEO_SIZE_MB", 100)? * MB,
            },
            media_base_url: lookup("MEDIA_BASE_URL").filter(|v| !v.trim().is_empty()),
            media: MediaUrls {
                upload_url_ttl: Duration::from_secs(number(
                    &lookup,
                    "UPLOAD_URL_TTL_SECONDS",
                    300,
                )?),
                download_url_ttl: Duration::from_secs(number(
                    &lookup,
                    "MEDIA_URL_TTL_SECONDS",
                    3600,
                )?),
            },
            voice: VoiceSettings {
                samples_required: number(&lookup, "VOICE_ENROLLMENT_SAMPLES", 3)?,
                threshold: match lookup("VOICE_VERIFICATION_THRESHOLD")
                    .filter(|v| !v.trim().is_empty())
                {
                    None => voiceprint::DEFAULT_THRESHOLD,
                    Some(v) => {
                        voiceprint::parse_threshold(&v).map_err(|e| ConfigError::Invalid {
                            name: "VOICE_VERIFICATION_THRESHOLD".into(),
                            reason: e.to_string(),
                        })?
                    }
                },
            },
        })
    }
}

/// A key is given inline (`NAME`) or as a file path (`NAME_FILE`, handy for
/// the local stack and `cargo lambda watch`).
fn key_material(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
) -> Result<Option<String>, ConfigError> {
    if let Some(v) = lookup(name).filter(|v| !v.trim().is_empty()) {
        // SAM parameters cannot hold newlines comfortably; accept "\n" escapes.
        return Ok(Some(v.replace("\\n", "\n")));
    }
    let file_var = format!("{name}_FILE");
    match lookup(&file_var).filter(|v| !v.trim().is_empty()) {
        Some(path) => std::fs::read_to_string(&path)
            .map(Some)
            .map_err(|e| ConfigError::Invalid {
                name: file_var,
                reason: format!("cannot read {path}: {e}"),
            }),
        None => Ok(None),
    }
}

fn flag(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: bool,
) -> Result<bool, ConfigError> {
    match lookup(name).map(|v| v.trim().to_ascii_lowercase()) {
        None => Ok(default),
        Some(v) if v.is_empty() => Ok(default),
        Some(v) => match v.as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError::Invalid {
                name: name.to_string(),
                reason: format!("expected true or false, got {v:?}"),
            }),
        },
    }
}

fn number(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &str,
    default: u64,
) -> Result<u64, ConfigError> {
    match lookup(name).filter(|v| !v.trim().is_empty()) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| ConfigError::Invalid {
                name: name.to_string(),
                reason: format!("expected a positive whole number, got {v:?}"),
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    const BASE: &[(&str, &str)] = &[
        ("TABLE_NAME", "t"),
        ("BUCKET_NAME", "b"),
        ("JWT_ISSUER", "i"),
        ("JWT_AUDIENCE", "a"),
        ("JWT_PUBLIC_KEY", "pem"),
    ];

    #[test]
    fn every_missing_variable_is_named_at_once() {
        let err = Config::from_lookup(lookup(&[("TABLE_NAME", "t")])).unwrap_err();
        let ConfigError::Missing(names) = err else {
            panic!("expected Missing")
        };
        assert_eq!(
            names,
            vec![
                "BUCKET_NAME",
                "JWT_ISSUER",
                "JWT_AUDIENCE",
                "JWT_PUBLIC_KEY (or JWT_PUBLIC_KEY_FILE)"
            ]
        );
    }

    #[test]
    fn defaults_follow_the_contract() {
        let cfg = Config::from_lookup(lookup(BASE)).unwrap();
        assert!(cfg.onboarding_module_enabled);
        assert!(cfg.voice_features_enabled);
        assert_eq!(cfg.limits.max_profile_image_bytes, 5 * MB);
        assert_eq!(cfg.limits.max_voice_note_bytes, 50 * MB);
        assert!(cfg.jwt.private_key_pem.is_none());
    }

    #[test]
    fn toggles_and_limits_are_read_and_checked() {
        let mut pairs = BASE.to_vec();
        pairs.push(("ONBOARDING_MODULE_ENABLED", "False"));
        pairs.push(("MAX_PROFILE_IMAGE_SIZE_MB", "2"));
        let cfg = Config::from_lookup(lookup(&pairs)).unwrap();
        assert!(!cfg.onboarding_module_enabled);
        assert_eq!(cfg.limits.max_profile_image_bytes, 2 * MB);

        let mut bad = BASE.to_vec();
        bad.push(("VOICE_FEATURES_ENABLED", "maybe"));
        assert!(matches!(
            Config::from_lookup(lookup(&bad)),
            Err(ConfigError::Invalid { .. })
        ));
    }

    #[test]
    fn debug_output_never_shows_keys() {
        let mut pairs = BASE.to_vec();
        pairs.push(("JWT_PRIVATE_KEY", "super-secret-material"));
        let cfg = Config::from_lookup(lookup(&pairs)).unwrap();
        let printed = format!("{cfg:?}");
        assert!(!printed.contains("super-secret-material"));
    }
}
