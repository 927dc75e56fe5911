//! The outcome, for the generator and the tests to print.

use crate::classify::Change;
use crate::rule::Needed;
use semver::Version;
use std::fmt;

#[derive(Clone, Debug)]
pub struct Report {
    pub old_version: Version,
    pub new_version: Version,
    pub change: Change,
    /// What the change needs.
    pub needed: Needed,
    /// Why the new version or the changelog does not satisfy the rule;
    /// empty when they do.
    pub problems: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The smallest version that satisfies the change, when the current one
    /// does not.
    pub fn suggested_version(&self) -> Option<Version> {
        (!self.needed.satisfied(&self.old_version, &self.new_version))
            .then(|| self.needed.target(&self.old_version))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "contract version: {} (old) -> {} (new)",
            self.old_version, self.new_version
        )?;
        let by = if self.change.checker.is_empty() {
            String::new()
        } else {
            format!(" (by {})", self.change.checker)
        };
        writeln!(
            f,
            "change: {}{by}; it needs {}",
            self.change.kind, self.needed
        )?;
        for finding in &self.change.findings {
            writeln!(f, "  {finding}")?;
        }
        for p in &self.problems {
            writeln!(f, "NOT OK: {p}")?;
        }
        if self.ok() {
            writeln!(f, "OK")?;
        }
        Ok(())
    }
}
