//! Checks allowed per login name, per client address and (voice) per user.
//!
//! Each check is reserved BEFORE the password (or voice) is verified, by one conditional
//! `UpdateItem` that counts it and refuses past the limit, so a burst of
//! concurrent guesses can never check more passwords than the limit allows.
//! The window's expiry is decided inside the condition (never from a stale
//! read), and nothing on the failure path ever clears a lock: only a correct
//! password releases its own reservation and the name's count.
//!
//! Names are counted whether or not they exist, so the answer does not tell
//! which names exist. Items expire through the table's TTL.

use super::attrs::{get_u64, n, s};
use super::users::username_pk;
use super::{classify, Store, StoreError};
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::ReturnValue;

/// How many password checks one key may have in a window, and how long it is
/// locked once it reached the limit with failures.
#[derive(Clone, Copy, Debug)]
pub struct AttemptLimit {
    pub max_attempts: u64,
    pub window_secs: u64,
    pub lock_secs: u64,
}

/// Per login name: 5 failed checks in 15 minutes lock the name for 15 minutes.
pub const NAME_LIMIT: AttemptLimit = AttemptLimit {
    max_attempts: 5,
    window_secs: 15 * 60,
    lock_secs: 15 * 60,
};

/// Per client address (API Gateway's `sourceIp`): one client cannot lock out
/// every known name, nor spray guesses over many names. Generous enough for
/// an office behind one NAT address.
pub const CLIENT_LIMIT: AttemptLimit = AttemptLimit {
    max_attempts: 30,
    window_secs: 15 * 60,
    lock_secs: 15 * 60,
};

/// Per user, voice verifications: 5 failures in 15 minutes lock voice
/// verification for 15 minutes (a voice cannot be guessed at length either).
pub const VERIFY_LIMIT: AttemptLimit = AttemptLimit {
    max_attempts: 5,
    window_secs: 15 * 60,
    lock_secs: 15 * 60,
};

/// What is being limited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttemptKey {
    /// A login name (lowercased, trimmed: the same name as the username item).
    Name(String),
    /// A client address.
    Client(String),
    /// A user's voice verifications.
    Verify(crate::auth::Principal),
}

impl AttemptKey {
    fn pk(&self) -> String {
        match self {
            AttemptKey::Name(name) => username_pk(name).replacen("USERNAME#", "LOGIN#", 1),
            AttemptKey::Client(ip) => format!("LOGINCLIENT#{}", ip.trim().to_ascii_lowercase()),
            AttemptKey::Verify(p) => {
                format!("VOICEVERIFY#TENANT#{}#USER#{}", p.tenant_id, p.user_id)
            }
        }
    }
}

const SK: &str = "ATTEMPTS";

/// A reserved password check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reservation {
    /// Checks reserved in the current window, this one included.
    pub attempts: u64,
    /// Whether this reservation used the last check the window allows.
    pub is_last: bool,
}

/// Why no check was reserved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Seconds until a check may be reserved again.
    pub retry_after_secs: u64,
}

/// How many rounds of "current window" / "new window" a reservation tries:
/// each round can only lose to a concurrent window change, which happens
/// once per window.
const RESERVE_ROUNDS: usize = 3;

impl Store {
    /// Reserves one password check for `key`, or says when to come back.
    pub async fn reserve_attempt(
        &self,
        key: &AttemptKey,
        limit: AttemptLimit,
        now: u64,
    ) -> Result<Result<Reservation, Refused>, StoreError> {
        let floor = now.saturating_sub(limit.window_secs);
        for _ in 0..RESERVE_ROUNDS {
            // 1. One more check in the current window, if it has room and no lock.
            let current = self
                .update_attempts(key)
                .update_expression("SET attempts = attempts + :one, expires_at = :exp")
                .condition_expression(
                    "attribute_exists(pk) AND window_start > :floor AND attempts < :max \
                     AND (attribute_not_exists(locked_until) OR locked_until <= :now)",
                )
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":floor", n(floor))
                .expression_attribute_values(":max", n(limit.max_attempts))
                .expression_attribute_values(":now", n(now))
                .expression_attribute_values(":exp", n(now + limit.window_secs + limit.lock_secs))
                .send()
                .await;
            match current {
                Ok(out) => return Ok(Ok(reservation(out.attributes.as_ref(), limit))),
                Err(e) if is_condition_failure(&e) => {}
                Err(e) => return Err(classify(e)),
            }
            // 2. A new window, if the old one is over (or there is none) and no lock.
            let fresh = self
                .update_attempts(key)
                .update_expression(
                    "SET attempts = :one, window_start = :now, expires_at = :exp \
                     REMOVE locked_until",
                )
                .condition_expression(
                    "(attribute_not_exists(pk) OR window_start <= :floor) \
                     AND (attribute_not_exists(locked_until) OR locked_until <= :now)",
                )
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":floor", n(floor))
                .expression_attribute_values(":now", n(now))
                .expression_attribute_values(":exp", n(now + limit.window_secs + limit.lock_secs))
                .send()
                .await;
            match fresh {
                Ok(out) => return Ok(Ok(reservation(out.attributes.as_ref(), limit))),
                Err(e) if is_condition_failure(&e) => {}
                Err(e) => return Err(classify(e)),
            }
            // Neither: locked, or the window is full. Unless a concurrent
            // request just opened a new window, refuse.
            let item = self.get(key.pk(), SK).await?.unwrap_or_default();
            let window_start = get_u64(&item, "window_start").unwrap_or(0);
            let locked_until = get_u64(&item, "locked_until").unwrap_or(0);
            let attempts = get_u64(&item, "attempts").unwrap_or(0);
            if locked_until > now {
                return Ok(Err(Refused {
                    retry_after_secs: locked_until - now,
                }));
            }
            if window_start > floor && attempts >= limit.max_attempts {
                return Ok(Err(Refused {
                    retry_after_secs: (window_start + limit.window_secs)
                        .saturating_sub(now)
                        .max(1),
                }));
            }
        }
        // The window kept changing under us: treat as busy, never as allowed.
        Ok(Err(Refused {
            retry_after_secs: 1,
        }))
    }

    /// A failed check used the window's last attempt: lock the key. Only ever
    /// sets or extends a lock.
    pub async fn lock_attempts(
        &self,
        key: &AttemptKey,
        limit: AttemptLimit,
        now: u64,
    ) -> Result<(), StoreError> {
        let until = now + limit.lock_secs;
        let out = self
            .update_attempts(key)
            .update_expression("SET locked_until = :until, expires_at = :exp")
            .condition_expression("attribute_not_exists(locked_until) OR locked_until < :until")
            .expression_attribute_values(":until", n(until))
            .expression_attribute_values(":exp", n(until + limit.window_secs))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    /// A correct password: the name's failures are forgiven, unless a lock
    /// was set meanwhile (then it stays).
    pub async fn forgive_attempts(&self, key: &AttemptKey, now: u64) -> Result<(), StoreError> {
        let out = self
            .update_attempts(key)
            .update_expression("SET attempts = :zero")
            .condition_expression(
                "attribute_exists(pk) AND (attribute_not_exists(locked_until) OR locked_until <= :now)",
            )
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":now", n(now))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    /// Gives back one reserved check that did not end in a failure (a correct
    /// password, or a check that was never made). Never below zero.
    pub async fn release_attempt(&self, key: &AttemptKey) -> Result<(), StoreError> {
        let out = self
            .update_attempts(key)
            .update_expression("SET attempts = attempts - :one")
            .condition_expression("attribute_exists(pk) AND attempts > :zero")
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await;
        match out {
            Ok(_) => Ok(()),
            Err(e) if is_condition_failure(&e) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    fn update_attempts(
        &self,
        key: &AttemptKey,
    ) -> aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(key.pk()))
            .key("sk", s(SK))
            .return_values(ReturnValue::AllNew)
    }
}

fn reservation(attrs: Option<&super::Item>, limit: AttemptLimit) -> Reservation {
    let attempts = attrs.and_then(|a| get_u64(a, "attempts")).unwrap_or(1);
    Reservation {
        attempts,
        is_last: attempts >= limit.max_attempts,
    }
}

fn is_condition_failure<R>(e: &aws_sdk_dynamodb::error::SdkError<UpdateItemError, R>) -> bool {
    matches!(
        e.as_service_error(),
        Some(UpdateItemError::ConditionalCheckFailedException(_))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_clients_have_their_own_items() {
        assert_eq!(AttemptKey::Name(" Jane.Doe ".into()).pk(), "LOGIN#jane.doe");
        assert_eq!(
            AttemptKey::Client("203.0.113.9".into()).pk(),
            "LOGINCLIENT#203.0.113.9"
        );
    }
}
