//! Tokens. Access tokens are EdDSA-signed JWTs (the algorithm is pinned; `exp`,
//! `iss`, `aud` and `sub` are required); refresh tokens are opaque random
//! strings stored only as their SHA-256 hash.

use crate::capabilities::Capabilities;
use crate::config::JwtConfig;
use crate::errors::ApiError;
use base64::Engine;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lambda_http::http::HeaderMap;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Who is calling, as proven by a verified access token. The tenant and user
/// come from here and nowhere else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub tenant_id: u64,
    pub user_id: u64,
}

const ACCESS: &str = "access";
/// Clock skew tolerated on `exp`, `nbf` and `iat`.
const LEEWAY_SECS: u64 = 30;

#[derive(Debug, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    /// Checked when present (tokens we issue set it to `iat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    pub jti: String,
    pub token_use: String,
    pub tenant_id: u64,
    pub username: String,
    /// All 13 flags, for the app to read after login. Never trusted for
    /// authorization: guards read the stored user record.
    pub capabilities: Capabilities,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("JWT public key is not a valid Ed25519 PEM key")]
    Public,
    #[error("JWT private key is not a valid Ed25519 PEM key")]
    Private,
}

/// Verifies access tokens. Built once at cold start.
pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
}

impl Verifier {
    pub fn new(cfg: &JwtConfig) -> Result<Self, KeyError> {
        let key = DecodingKey::from_ed_pem(cfg.public_key_pem.as_bytes())
            .map_err(|_| KeyError::Public)?;
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.algorithms = vec![Algorithm::EdDSA];
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_audience(&[&cfg.audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECS;
        Ok(Verifier { key, validation })
    }

    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let data = decode::<AccessClaims>(token, &self.key, &self.validation)
            .map_err(|_| ApiError::invalid_token())?;
        let claims = data.claims;
        // A token issued in the future was not issued by us.
        if claims.iat > now_epoch() + LEEWAY_SECS {
            return Err(ApiError::invalid_token());
        }
        if claims.token_use != ACCESS {
            return Err(ApiError::invalid_token());
        }
        let user_id = claims.sub.parse().map_err(|_| ApiError::invalid_token())?;
        Ok(Principal {
            tenant_id: claims.tenant_id,
            user_id,
        })
    }

    /// The caller's principal from the `Authorization: Bearer` header.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, ApiError> {
        let token = bearer_token(headers).ok_or_else(ApiError::no_credentials)?;
        self.verify(token)
    }
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Issues access tokens. Only the login and refresh functions build one.
pub struct Signer {
    key: EncodingKey,
    issuer: String,
    audience: String,
    access_ttl_secs: u64,
}

pub struct AccessTokenFor<'a> {
    pub principal: Principal,
    pub username: &'a str,
    pub capabilities: Capabilities,
}

impl Signer {
    pub fn new(cfg: &JwtConfig) -> Result<Option<Self>, KeyError> {
        let Some(pem) = &cfg.private_key_pem else {
            return Ok(None);
        };
        let key = EncodingKey::from_ed_pem(pem.as_bytes()).map_err(|_| KeyError::Private)?;
        Ok(Some(Signer {
            key,
            issuer: cfg.issuer.clone(),
            audience: cfg.audience.clone(),
            access_ttl_secs: cfg.access_ttl.as_secs(),
        }))
    }

    pub fn access_token(&self, who: AccessTokenFor<'_>) -> Result<String, ApiError> {
        let now = now_epoch();
        let claims = AccessClaims {
            sub: who.principal.user_id.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: now + self.access_ttl_secs,
            iat: now,
            nbf: Some(now),
            jti: random_token(16),
            token_use: ACCESS.to_string(),
            tenant_id: who.principal.tenant_id,
            username: who.username.to_string(),
            capabilities: who.capabilities,
        };
        encode(&Header::new(Algorithm::EdDSA), &claims, &self.key).map_err(|e| {
            tracing::error!(error = %e, "could not sign an access token");
            ApiError::Internal
        })
    }
}

fn now_epoch() -> u64 {
    chrono::Utc::now().timestamp().max(0) as u64
}

/// `bytes` random bytes, URL-safe base64 without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// The pair a refresh returned, sealed for the grace window with a key that
/// only the refresh token it replaced gives: the store holds the sealed
/// bytes and the old token's hash, never a usable token.
pub fn seal_successor(old_refresh: &str, access: &str, refresh: &str) -> Vec<u8> {
    use chacha20poly1305::aead::{Aead, AeadCore, OsRng};
    let cipher = successor_cipher(old_refresh);
    let nonce = chacha20poly1305::ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let plain = serde_json::json!([access, refresh]).to_string();
    let mut sealed = nonce.to_vec();
    sealed.extend(
        cipher
            .encrypt(&nonce, plain.as_bytes())
            .expect("sealing a short message cannot fail"),
    );
    sealed
}

/// The `(access, refresh)` pair sealed by [`seal_successor`], if `old_refresh`
/// is the token it was sealed for.
pub fn open_successor(old_refresh: &str, sealed: &[u8]) -> Option<(String, String)> {
    use chacha20poly1305::aead::Aead;
    if sealed.len() < 12 {
        return None;
    }
    let (nonce, body) = sealed.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    let plain = successor_cipher(old_refresh)
        .decrypt(&nonce.into(), body)
        .ok()?;
    let (access, refresh): (String, String) = serde_json::from_slice(&plain).ok()?;
    Some((access, refresh))
}

fn successor_cipher(old_refresh: &str) -> chacha20poly1305::ChaCha20Poly1305 {
    use chacha20poly1305::KeyInit;
    let mut key = [0u8; 32];
    hkdf::Hkdf::<Sha256>::new(None, old_refresh.as_bytes())
        .expand(b"refresh-successor-v1", &mut key)
        .expect("32 bytes is a valid HKDF-SHA256 output length");
    chacha20poly1305::ChaCha20Poly1305::new(&key.into())
}

/// What the store keeps of a refresh token: its SHA-256, hex.
pub fn refresh_token_hash(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_http::http::HeaderValue;

    #[test]
    fn bearer_header_is_parsed_strictly() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer_token(&h), None);
        h.insert("authorization", HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer_token(&h), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("bearer   abc "));
        assert_eq!(bearer_token(&h), Some("abc"));
        h.insert("authorization", HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer_token(&h), None);
        h.insert("authorization", HeaderValue::from_static("Bearer "));
        assert_eq!(bearer_token(&h), None);
    }

    #[test]
    fn a_successor_opens_only_with_the_token_it_was_sealed_for() {
        let sealed = seal_successor("old-token", "access-x", "refresh-y");
        assert_eq!(
            open_successor("old-token", &sealed),
            Some(("access-x".to_string(), "refresh-y".to_string()))
        );
        assert_eq!(open_successor("other-token", &sealed), None);
        assert_eq!(open_successor("old-token", &sealed[..10]), None);
        assert!(!String::from_utf8_lossy(&sealed).contains("refresh-y"));
    }

    #[test]
    fn refresh_hash_is_stable_hex() {
        let h = refresh_token_hash("abc");
        assert_eq!(h.len(), 64);
        assert_eq!(h, refresh_token_hash("abc"));
        assert_ne!(h, refresh_token_hash("abd"));
    }
}
