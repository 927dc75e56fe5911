//! Ed25519 key pairs for the local stack (AWS deployments get theirs from
//! the template's parameters).

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::SigningKey;
use std::path::Path;

pub struct KeyPair {
    pub private_pem: String,
    pub public_pem: String,
}

pub fn generate() -> KeyPair {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    KeyPair {
        private_pem: key
            .to_pkcs8_pem(LineEnding::LF)
            .expect("an Ed25519 key always encodes")
            .to_string(),
        public_pem: key
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("an Ed25519 key always encodes"),
    }
}

/// Keys kept in `dir` so tokens stay valid across restarts; created once.
pub fn load_or_create(dir: &Path) -> std::io::Result<KeyPair> {
    let private = dir.join("jwt-private.pem");
    let public = dir.join("jwt-public.pem");
    if private.exists() && public.exists() {
        return Ok(KeyPair {
            private_pem: std::fs::read_to_string(private)?,
            public_pem: std::fs::read_to_string(public)?,
        });
    }
    let pair = generate();
    std::fs::create_dir_all(dir)?;
    std::fs::write(&private, &pair.private_pem)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600))?;
    }
    std::fs::write(&public, &pair.public_pem)?;
    Ok(pair)
}
