//! The four required profile fields, the gender values and the view of the
//! profile the integrator passes in fresh every turn.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A required profile field. Serialized as its profile key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Field {
    #[serde(rename = "dateofbirth")]
    DateOfBirth,
    #[serde(rename = "gender")]
    Gender,
    #[serde(rename = "dateofjoin")]
    DateOfJoin,
    #[serde(rename = "peopleimg")]
    ProfileImage,
}

impl Field {
    /// The contract's order (completion status, `missing_fields`).
    pub const CONTRACT_ORDER: [Field; 4] = [
        Field::ProfileImage,
        Field::DateOfBirth,
        Field::DateOfJoin,
        Field::Gender,
    ];

    /// The order the conversation asks in: the image last, because it cannot
    /// be given in the chat.
    pub const ASK_ORDER: [Field; 4] = [
        Field::DateOfBirth,
        Field::Gender,
        Field::DateOfJoin,
        Field::ProfileImage,
    ];

    /// The profile key: `dateofbirth`, `gender`, `dateofjoin`, `peopleimg`.
    pub fn key(self) -> &'static str {
        match self {
            Field::DateOfBirth => "dateofbirth",
            Field::Gender => "gender",
            Field::DateOfJoin => "dateofjoin",
            Field::ProfileImage => "peopleimg",
        }
    }

    /// What the apps show.
    pub fn display_name(self) -> &'static str {
        match self {
            Field::DateOfBirth => "Date of Birth",
            Field::Gender => "Gender",
            Field::DateOfJoin => "Date of Joining",
            Field::ProfileImage => "Profile Image",
        }
    }

    /// The field whose key is `key`; `profile.`-prefixed keys (as a nested
    /// PATCH error might name them) are accepted too.
    pub fn from_key(key: &str) -> Option<Field> {
        let key = key.strip_prefix("profile.").unwrap_or(key);
        Field::ASK_ORDER.into_iter().find(|f| f.key() == key)
    }

    /// True for the two date fields.
    pub fn is_date(self) -> bool {
        matches!(self, Field::DateOfBirth | Field::DateOfJoin)
    }
}

/// Gender, with the contract's wire values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Gender {
    Male,
    Female,
    Other,
}

impl Gender {
    /// `MALE`, `FEMALE` or `OTHER`.
    pub fn as_wire(self) -> &'static str {
        match self {
            Gender::Male => "MALE",
            Gender::Female => "FEMALE",
            Gender::Other => "OTHER",
        }
    }

    /// The wire form only.
    pub fn from_wire(s: &str) -> Option<Gender> {
        [Gender::Male, Gender::Female, Gender::Other]
            .into_iter()
            .find(|g| g.as_wire() == s)
    }

    /// How a reply names it.
    pub fn display(self) -> &'static str {
        match self {
            Gender::Male => "Male",
            Gender::Female => "Female",
            Gender::Other => "Other",
        }
    }
}

/// The profile as stored, read fresh by the integrator for every turn.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProfileView {
    pub dateofbirth: Option<NaiveDate>,
    pub dateofjoin: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub has_image: bool,
}

impl ProfileView {
    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::DateOfBirth => self.dateofbirth.is_some(),
            Field::Gender => self.gender.is_some(),
            Field::DateOfJoin => self.dateofjoin.is_some(),
            Field::ProfileImage => self.has_image,
        }
    }

    /// The missing fields in the contract's order.
    pub fn missing(&self) -> Vec<Field> {
        Field::CONTRACT_ORDER
            .into_iter()
            .filter(|f| !self.has(*f))
            .collect()
    }

    /// 25 per present field.
    pub fn completion_percentage(&self) -> u8 {
        let present = Field::CONTRACT_ORDER
            .into_iter()
            .filter(|f| self.has(*f))
            .count();
        (present * 25) as u8
    }

    pub fn is_complete(&self) -> bool {
        self.missing().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_names_round_trip() {
        for f in Field::ASK_ORDER {
            assert_eq!(Field::from_key(f.key()), Some(f));
            assert_eq!(
                Field::from_key(&format!("profile.{}", f.key())),
                Some(f),
                "{f:?}"
            );
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.key()));
        }
        assert_eq!(Field::from_key("email"), None);
        assert_eq!(Field::DateOfJoin.display_name(), "Date of Joining");
    }

    #[test]
    fn gender_wire_values() {
        for (g, w) in [
            (Gender::Male, "MALE"),
            (Gender::Female, "FEMALE"),
            (Gender::Other, "OTHER"),
        ] {
            assert_eq!(g.as_wire(), w);
            assert_eq!(Gender::from_wire(w), Some(g));
            assert_eq!(serde_json::to_string(&g).unwrap(), format!("\"{w}\""));
        }
        assert_eq!(Gender::from_wire("M"), None);
    }

    #[test]
    fn missing_in_contract_order_and_quarters() {
        let mut p = ProfileView::default();
        assert_eq!(p.completion_percentage(), 0);
        assert_eq!(p.missing(), Field::CONTRACT_ORDER.to_vec());
        p.gender = Some(Gender::Other);
        p.dateofbirth = NaiveDate::from_ymd_opt(1990, 1, 15);
        assert_eq!(p.completion_percentage(), 50);
        assert_eq!(p.missing(), vec![Field::ProfileImage, Field::DateOfJoin]);
        p.has_image = true;
        p.dateofjoin = NaiveDate::from_ymd_opt(2020, 1, 15);
        assert_eq!(p.completion_percentage(), 100);
        assert!(p.is_complete());
    }
}
