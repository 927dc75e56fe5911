//! The capability table: the 13 flags of the contract, their defaults, their
//! admin defaults and what each one gates. This is the only place they are
//! defined; everything else (login, profile, guards, the ops CLI, the README
//! table) reads them from here.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Capability {
    AccessPeople,
    AccessAttendance,
    AccessOperations,
    AccessHelpdesk,
    AccessJournal,
    AccessReports,
    AccessCalendar,
    AccessOnboarding,
    UseVoiceFeatures,
    UseVoiceBiometrics,
    ApproveJobs,
    ManageTeam,
    ViewAnalytics,
}

/// One row of the table.
pub struct CapabilityDef {
    pub capability: Capability,
    pub key: &'static str,
    pub default: bool,
    pub admin_default: bool,
    pub gates: &'static str,
}

use Capability::*;

/// In the contract's order (the order the apps' DTOs list them).
pub const TABLE: [CapabilityDef; 13] = [
    def(
        AccessPeople,
        "canAccessPeople",
        true,
        true,
        "People module in the apps",
    ),
    def(
        AccessAttendance,
        "canAccessAttendance",
        true,
        true,
        "Attendance module in the apps",
    ),
    def(
        AccessOperations,
        "canAccessOperations",
        true,
        true,
        "Operations module in the apps",
    ),
    def(
        AccessHelpdesk,
        "canAccessHelpdesk",
        true,
        true,
        "Helpdesk module in the apps",
    ),
    def(
        AccessJournal,
        "canAccessJournal",
        true,
        true,
        "Journal module in the apps",
    ),
    def(
        AccessReports,
        "canAccessReports",
        false,
        true,
        "Reports module in the apps",
    ),
    def(
        AccessCalendar,
        "canAccessCalendar",
        true,
        true,
        "Calendar module in the apps",
    ),
    def(
        AccessOnboarding,
        "canAccessOnboarding",
        false,
        true,
        "GET /profile/completion-status/, POST /profile/mark-onboarding-complete/, the onboarding conversation",
    ),
    def(
        UseVoiceFeatures,
        "canUseVoiceFeatures",
        false,
        true,
        "voice notes (AUDIO journal media), voice input",
    ),
    def(
        UseVoiceBiometrics,
        "canUseVoiceBiometrics",
        false,
        true,
        "voice biometric enrollment and verification",
    ),
    def(
        ApproveJobs,
        "canApproveJobs",
        false,
        false,
        "job approval in the apps",
    ),
    def(
        ManageTeam,
        "canManageTeam",
        false,
        false,
        "team management in the apps",
    ),
    def(
        ViewAnalytics,
        "canViewAnalytics",
        false,
        false,
        "analytics in the apps",
    ),
];

const fn def(
    capability: Capability,
    key: &'static str,
    default: bool,
    admin_default: bool,
    gates: &'static str,
) -> CapabilityDef {
    CapabilityDef {
        capability,
        key,
        default,
        admin_default,
        gates,
    }
}

impl Capability {
    fn index(self) -> usize {
        TABLE
            .iter()
            .position(|d| d.capability == self)
            .expect("every capability is in the table")
    }

    pub fn key(self) -> &'static str {
        TABLE[self.index()].key
    }

    pub fn from_key(key: &str) -> Option<Capability> {
        TABLE.iter().find(|d| d.key == key).map(|d| d.capability)
    }
}

/// The effective value of every flag for one user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities([bool; 13]);

impl Capabilities {
    /// What a new user gets.
    pub fn defaults() -> Self {
        Capabilities(TABLE.map(|d| d.default))
    }

    /// What an admin gets.
    pub fn admin_defaults() -> Self {
        Capabilities(TABLE.map(|d| d.admin_default))
    }

    /// The base for the user's role, with the stored values merged over it.
    /// Missing, `null` or non-boolean stored values fall back to the base, so
    /// legacy records with no or partial capabilities keep working.
    pub fn resolve(is_admin: bool, stored: Option<&HashMap<String, bool>>) -> Self {
        let mut caps = if is_admin {
            Self::admin_defaults()
        } else {
            Self::defaults()
        };
        if let Some(stored) = stored {
            for (i, d) in TABLE.iter().enumerate() {
                if let Some(v) = stored.get(d.key) {
                    caps.0[i] = *v;
                }
            }
        }
        caps
    }

    pub fn get(&self, capability: Capability) -> bool {
        self.0[capability.index()]
    }

    pub fn set(&mut self, capability: Capability, value: bool) {
        self.0[capability.index()] = value;
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'static str, bool)> + '_ {
        TABLE.iter().zip(self.0.iter()).map(|(d, v)| (d.key, *v))
    }
}

impl Serialize for Capabilities {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(TABLE.len()))?;
        for (key, value) in self.iter() {
            map.serialize_entry(key, &value)?;
        }
        map.end()
    }
}

impl<'de> serde::Deserialize<'de> for Capabilities {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = HashMap::<String, bool>::deserialize(deserializer)?;
        Ok(Capabilities::resolve(false, Some(&stored)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The contract's Test Suite 1.
    #[test]
    fn default_capabilities_exclude_onboarding() {
        let caps = Capabilities::defaults();
        assert!(!caps.get(AccessOnboarding));
        assert!(!caps.get(UseVoiceFeatures));
        assert!(!caps.get(UseVoiceBiometrics));
    }

    #[test]
    fn admin_capabilities_include_onboarding() {
        let caps = Capabilities::admin_defaults();
        assert!(caps.get(AccessOnboarding));
        assert!(caps.get(UseVoiceFeatures));
        assert!(caps.get(UseVoiceBiometrics));
        assert!(caps.get(AccessReports));
    }

    #[test]
    fn user_can_access_onboarding_when_capability_enabled() {
        let stored = HashMap::from([("canAccessOnboarding".to_string(), true)]);
        assert!(Capabilities::resolve(false, Some(&stored)).get(AccessOnboarding));
    }

    #[test]
    fn user_cannot_access_onboarding_without_capability() {
        let stored = HashMap::from([("canAccessOnboarding".to_string(), false)]);
        assert!(!Capabilities::resolve(false, Some(&stored)).get(AccessOnboarding));
    }

    #[test]
    fn user_with_null_capabilities_cannot_access_onboarding() {
        assert!(!Capabilities::resolve(false, None).get(AccessOnboarding));
    }

    #[test]
    fn stored_values_override_admin_defaults_too() {
        let stored = HashMap::from([("canUseVoiceBiometrics".to_string(), false)]);
        let caps = Capabilities::resolve(true, Some(&stored));
        assert!(!caps.get(UseVoiceBiometrics));
        assert!(caps.get(AccessOnboarding));
    }

    #[test]
    fn serialises_all_thirteen_keys_in_contract_order() {
        let json = serde_json::to_string(&Capabilities::defaults()).unwrap();
        assert_eq!(
            json,
            r#"{"canAccessPeople":true,"canAccessAttendance":true,"canAccessOperations":true,"canAccessHelpdesk":true,"canAccessJournal":true,"canAccessReports":false,"canAccessCalendar":true,"canAccessOnboarding":false,"canUseVoiceFeatures":false,"canUseVoiceBiometrics":false,"canApproveJobs":false,"canManageTeam":false,"canViewAnalytics":false}"#
        );
    }

    #[test]
    fn keys_round_trip() {
        for d in &TABLE {
            assert_eq!(Capability::from_key(d.key), Some(d.capability));
            assert_eq!(d.capability.key(), d.key);
        }
        assert_eq!(Capability::from_key("canFly"), None);
    }
}
