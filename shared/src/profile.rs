//! Profile rules: the required fields, the completion percentage, the
//! onboarding steps and the gender codes.

use serde::Serialize;

/// The four fields that make a profile complete, in the contract's order,
/// with the display names the apps show.
pub const REQUIRED_FIELDS: [(&str, &str); 4] = [
    ("peopleimg", "Profile Image"),
    ("dateofbirth", "Date of Birth"),
    ("dateofjoin", "Date of Joining"),
    ("gender", "Gender"),
];

/// The onboarding steps a client may report.
pub const ONBOARDING_STEPS: [&str; 6] = [
    "welcome",
    "permissions",
    "profile_setup",
    "safety_briefing",
    "feature_tour",
    "voice_enrollment",
];

/// Older names of steps, accepted and stored under the current name: the
/// contract's own sample test sends `profile`.
pub const STEP_ALIASES: [(&str, &str); 1] = [("profile", "profile_setup")];

/// The step a client's name stands for, if it is one.
pub fn canonical_step(name: &str) -> Option<&'static str> {
    ONBOARDING_STEPS
        .iter()
        .find(|s| **s == name)
        .copied()
        .or_else(|| {
            STEP_ALIASES
                .iter()
                .find(|(old, _)| *old == name)
                .map(|(_, new)| *new)
        })
}

/// Version tag of the `people_extras.onboarding` record.
pub const ONBOARDING_RECORD_VERSION: &str = "1.0";

/// A user may skip onboarding once the profile is at least this complete.
pub const SKIP_THRESHOLD_PERCENT: u8 = 50;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Gender {
    Male,
    Female,
    Other,
}

impl Gender {
    /// The wire form only: `MALE`, `FEMALE`, `OTHER`.
    pub fn from_wire(s: &str) -> Option<Self> {
        match s {
            "MALE" => Some(Gender::Male),
            "FEMALE" => Some(Gender::Female),
            "OTHER" => Some(Gender::Other),
            _ => None,
        }
    }

    /// Stored data: the wire form, or the legacy one-letter codes.
    pub fn from_stored(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "M" | "MALE" => Some(Gender::Male),
            "F" | "FEMALE" => Some(Gender::Female),
            "O" | "OTHER" => Some(Gender::Other),
            _ => None,
        }
    }

    pub fn as_wire(self) -> &'static str {
        match self {
            Gender::Male => "MALE",
            Gender::Female => "FEMALE",
            Gender::Other => "OTHER",
        }
    }
}

/// Which of the required fields are present.
#[derive(Clone, Copy, Debug, Default)]
pub struct RequiredPresence {
    pub peopleimg: bool,
    pub dateofbirth: bool,
    pub dateofjoin: bool,
    pub gender: bool,
}

impl RequiredPresence {
    fn flags(&self) -> [bool; 4] {
        [
            self.peopleimg,
            self.dateofbirth,
            self.dateofjoin,
            self.gender,
        ]
    }

    /// 0, 25, 50, 75 or 100.
    pub fn percentage(&self) -> u8 {
        let present = self.flags().iter().filter(|p| **p).count();
        (present * 100 / REQUIRED_FIELDS.len()) as u8
    }

    /// `(field, display_name)` of each missing field, in the contract's order.
    pub fn missing(&self) -> Vec<(&'static str, &'static str)> {
        REQUIRED_FIELDS
            .iter()
            .zip(self.flags())
            .filter(|(_, present)| !present)
            .map(|(f, _)| *f)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentage_counts_quarters() {
        let mut p = RequiredPresence::default();
        assert_eq!(p.percentage(), 0);
        p.dateofbirth = true;
        p.dateofjoin = true;
        assert_eq!(p.percentage(), 50);
        assert_eq!(
            p.missing(),
            vec![("peopleimg", "Profile Image"), ("gender", "Gender")]
        );
        p.peopleimg = true;
        p.gender = true;
        assert_eq!(p.percentage(), 100);
        assert!(p.missing().is_empty());
    }

    #[test]
    fn step_names_and_their_older_spellings() {
        assert_eq!(canonical_step("welcome"), Some("welcome"));
        assert_eq!(canonical_step("profile"), Some("profile_setup"));
        assert_eq!(canonical_step("invalid_step"), None);
    }

    #[test]
    fn legacy_gender_codes_read_as_long_form() {
        assert_eq!(Gender::from_stored("M"), Some(Gender::Male));
        assert_eq!(Gender::from_stored("f"), Some(Gender::Female));
        assert_eq!(Gender::from_stored("O"), Some(Gender::Other));
        assert_eq!(Gender::from_stored("X"), None);
        assert_eq!(Gender::from_wire("M"), None);
        assert_eq!(Gender::from_wire("FEMALE"), Some(Gender::Female));
    }
}
