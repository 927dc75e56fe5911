//! The three permission guards of the contract. Each reads the capabilities
//! of the stored user record (so an admin's change applies on the next
//! request) and logs every denial as a structured audit event.

use crate::auth::Principal;
use crate::capabilities::{Capabilities, Capability};
use crate::config::Config;
use crate::errors::ApiError;
use crate::http::RequestMeta;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guard {
    OnboardingAccess,
    VoiceFeatures,
    VoiceBiometrics,
}

/// Every guard, so the module switches can be applied to a set of flags.
pub const ALL: [Guard; 3] = [
    Guard::OnboardingAccess,
    Guard::VoiceFeatures,
    Guard::VoiceBiometrics,
];

/// The flags a client should act on: the user's, with every capability whose
/// module is switched off (`ONBOARDING_MODULE_ENABLED=false`,
/// `VOICE_FEATURES_ENABLED=false`) reported as false, so the apps never open
/// a feature whose routes answer 403. Login, the token and the profile all
/// report these.
pub fn effective(mut capabilities: Capabilities, cfg: &Config) -> Capabilities {
    for guard in ALL {
        if !guard.module_enabled(cfg) {
            capabilities.set(guard.capability(), false);
        }
    }
    capabilities
}

impl Guard {
    pub fn capability(self) -> Capability {
        match self {
            Guard::OnboardingAccess => Capability::AccessOnboarding,
            Guard::VoiceFeatures => Capability::UseVoiceFeatures,
            Guard::VoiceBiometrics => Capability::UseVoiceBiometrics,
        }
    }

    /// The contract's 403 message.
    pub fn message(self) -> &'static str {
        match self {
            Guard::OnboardingAccess => "You do not have permission to access onboarding features.",
            Guard::VoiceFeatures => "You do not have permission to use voice features.",
            Guard::VoiceBiometrics => "You do not have permission to use voice biometric features.",
        }
    }

    /// Whether the module behind the guard is switched on for everyone.
    fn module_enabled(self, cfg: &Config) -> bool {
        match self {
            Guard::OnboardingAccess => cfg.onboarding_module_enabled,
            Guard::VoiceFeatures | Guard::VoiceBiometrics => cfg.voice_features_enabled,
        }
    }

    /// The decision alone. `None` is an unauthenticated caller: always denied.
    pub fn allows(self, capabilities: Option<&Capabilities>, module_enabled: bool) -> bool {
        module_enabled && capabilities.is_some_and(|c| c.get(self.capability()))
    }

    /// The decision, with the audit event on a denial.
    pub fn enforce(
        self,
        cfg: &Config,
        principal: &Principal,
        capabilities: &Capabilities,
        meta: &RequestMeta,
    ) -> Result<(), ApiError> {
        let module_enabled = self.module_enabled(cfg);
        if self.allows(Some(capabilities), module_enabled) {
            return Ok(());
        }
        crate::metrics::permission_denied(self.capability());
        tracing::warn!(
            target: "audit",
            event = "permission_denied",
            user_id = principal.user_id,
            tenant_id = principal.tenant_id,
            capability = self.capability().key(),
            module_enabled,
            route = %meta.route,
            request_id = %meta.request_id,
            "capability check failed"
        );
        Err(ApiError::CapabilityDenied(self.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn caps(key: &str, value: bool) -> Capabilities {
        Capabilities::resolve(false, Some(&HashMap::from([(key.to_string(), value)])))
    }

    // The contract's Test Suite 4.
    #[test]
    fn has_onboarding_access_permission_granted() {
        let c = caps("canAccessOnboarding", true);
        assert!(Guard::OnboardingAccess.allows(Some(&c), true));
    }

    #[test]
    fn has_onboarding_access_permission_denied() {
        let c = caps("canAccessOnboarding", false);
        assert!(!Guard::OnboardingAccess.allows(Some(&c), true));
    }

    #[test]
    fn has_voice_feature_access_permission_granted() {
        let c = caps("canUseVoiceFeatures", true);
        assert!(Guard::VoiceFeatures.allows(Some(&c), true));
    }

    #[test]
    fn has_voice_biometric_access_permission_denied() {
        let c = caps("canUseVoiceBiometrics", false);
        assert!(!Guard::VoiceBiometrics.allows(Some(&c), true));
    }

    #[test]
    fn permission_denied_for_unauthenticated() {
        for g in [
            Guard::OnboardingAccess,
            Guard::VoiceFeatures,
            Guard::VoiceBiometrics,
        ] {
            assert!(!g.allows(None, true));
        }
    }

    #[test]
    fn a_disabled_module_denies_even_admins() {
        let admin = Capabilities::admin_defaults();
        assert!(!Guard::OnboardingAccess.allows(Some(&admin), false));
        assert!(Guard::OnboardingAccess.allows(Some(&admin), true));
    }

    #[test]
    fn messages_are_the_contracts() {
        assert_eq!(
            Guard::OnboardingAccess.message(),
            "You do not have permission to access onboarding features."
        );
        assert_eq!(
            Guard::VoiceFeatures.message(),
            "You do not have permission to use voice features."
        );
        assert_eq!(
            Guard::VoiceBiometrics.message(),
            "You do not have permission to use voice biometric features."
        );
    }
}
