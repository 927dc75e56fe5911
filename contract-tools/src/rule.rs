//! The version rule: what a change needs, and whether the new version and
//! the changelog give it.

use crate::changelog::changelog_versions;
use crate::classify::{Change, ChangeKind};
use crate::report::Report;
use semver::Version;
use std::fmt;

/// The version bump a change needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needed {
    /// Unchanged, or no wire effect (a patch bump is welcome, not required).
    Nothing,
    Minor,
    Major,
}

impl Needed {
    pub fn of(kind: ChangeKind) -> Needed {
        match kind {
            ChangeKind::Breaking => Needed::Major,
            ChangeKind::Additive => Needed::Minor,
            ChangeKind::Unchanged | ChangeKind::NoWireEffect => Needed::Nothing,
        }
    }

    /// The smallest version after `old` that gives this bump.
    pub fn target(self, old: &Version) -> Version {
        match self {
            Needed::Major => Version::new(old.major + 1, 0, 0),
            Needed::Minor => Version::new(old.major, old.minor + 1, 0),
            Needed::Nothing => old.clone(),
        }
    }

    /// Whether going from `old` to `new` gives this bump.
    pub fn satisfied(self, old: &Version, new: &Version) -> bool {
        match self {
            Needed::Major => new.major > old.major,
            Needed::Minor => (new.major, new.minor) > (old.major, old.minor),
            Needed::Nothing => new >= old,
        }
    }
}

impl fmt::Display for Needed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Needed::Nothing => "no version bump",
            Needed::Minor => "a minor version bump",
            Needed::Major => "a major version bump",
        })
    }
}

/// Applies the rule to a classified change, the old and new
/// `info.version` and the changelog text.
pub fn judge(change: Change, old: Version, new: Version, changelog: &str) -> Report {
    let needed = Needed::of(change.kind);
    let mut problems = Vec::new();
    if new < old {
        problems.push(format!("the version went backwards: {old} -> {new}"));
    } else if !needed.satisfied(&old, &new) {
        problems.push(format!(
            "a {} change needs {needed}: the version must go from {old} to {} or later (it is {new})",
            change.kind,
            needed.target(&old)
        ));
    }
    if new != old {
        let versions = changelog_versions(changelog);
        if !versions.contains(&new) {
            problems.push(format!(
                "the changelog has no `## {new}` entry for the new version"
            ));
        } else if versions.first() != Some(&new) {
            problems.push(format!(
                "the changelog's first entry must be the new version {new} (newest first)"
            ));
        }
        if versions.windows(2).any(|w| w[0] <= w[1]) {
            problems.push("the changelog's entries must be newest first, one per version".into());
        }
    }
    Report {
        old_version: old,
        new_version: new,
        change,
        needed,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn change(kind: ChangeKind) -> Change {
        Change {
            kind,
            ..Change::unchanged()
        }
    }

    const LOG: &str = "## 2.0.0\n\n## 1.1.0\n\n## 1.0.1\n\n## 1.0.0\n";

    fn ok(kind: ChangeKind, old: &str, new: &str, log: &str) -> bool {
        judge(change(kind), v(old), v(new), log).ok()
    }

    #[test]
    fn each_kind_needs_its_bump() {
        let log = |top: &str| format!("## {top}\n\n## 1.0.0\n");
        for (kind, patch, minor, major) in [
            (ChangeKind::Unchanged, true, true, true),
            (ChangeKind::NoWireEffect, true, true, true),
            (ChangeKind::Additive, false, true, true),
            (ChangeKind::Breaking, false, false, true),
        ] {
            let same = ok(kind, "1.0.0", "1.0.0", "");
            assert_eq!(
                same,
                kind <= ChangeKind::NoWireEffect,
                "{kind}: same version"
            );
            assert_eq!(ok(kind, "1.0.0", "1.0.1", &log("1.0.1")), patch, "{kind}");
            assert_eq!(ok(kind, "1.0.0", "1.1.0", &log("1.1.0")), minor, "{kind}");
            assert_eq!(ok(kind, "1.0.0", "2.0.0", &log("2.0.0")), major, "{kind}");
        }
    }

    #[test]
    fn a_new_version_needs_the_newest_changelog_entry() {
        assert!(!ok(ChangeKind::Additive, "1.0.0", "1.1.0", "## 1.0.0\n"));
        assert!(
            !ok(ChangeKind::Additive, "1.0.0", "1.1.0", LOG),
            "2.0.0 is listed above 1.1.0"
        );
        assert!(!ok(
            ChangeKind::Additive,
            "1.0.0",
            "1.1.0",
            "## 1.0.0\n## 1.1.0\n"
        ));
        assert!(!ok(
            ChangeKind::Additive,
            "1.0.0",
            "1.1.0",
            "## 1.1.0\n## 1.1.0\n"
        ));
        assert!(ok(
            ChangeKind::Additive,
            "1.0.0",
            "1.1.0",
            "## 1.1.0 (2026-12-01)\n## 1.0.0\n"
        ));
    }

    #[test]
    fn the_version_never_goes_backwards() {
        let r = judge(
            change(ChangeKind::Unchanged),
            v("1.2.0"),
            v("1.1.9"),
            "## 1.1.9\n",
        );
        assert!(!r.ok());
        assert!(r.problems[0].contains("backwards"), "{r}");
    }

    #[test]
    fn targets() {
        assert_eq!(Needed::Minor.target(&v("1.10.3")).to_string(), "1.11.0");
        assert_eq!(Needed::Major.target(&v("1.10.3")).to_string(), "2.0.0");
    }
}
