//! Failed logins per login name (known or not, so the answer does not tell
//! which names exist).

use super::attrs::{get_u64, n, s};
use super::users::username_pk;
use super::{classify, Store, StoreError};
use aws_sdk_dynamodb::types::ReturnValue;

#[derive(Clone, Copy, Debug, Default)]
pub struct LoginAttempts {
    pub failures: u64,
    pub window_start: u64,
    pub locked_until: u64,
}

fn attempts_pk(username: &str) -> String {
    username_pk(username).replacen("USERNAME#", "LOGIN#", 1)
}

impl Store {
    pub async fn login_attempts(&self, username: &str) -> Result<LoginAttempts, StoreError> {
        Ok(match self.get(attempts_pk(username), "ATTEMPTS").await? {
            Some(item) => LoginAttempts {
                failures: get_u64(&item, "failures").unwrap_or(0),
                window_start: get_u64(&item, "window_start").unwrap_or(0),
                locked_until: get_u64(&item, "locked_until").unwrap_or(0),
            },
            None => LoginAttempts::default(),
        })
    }

    /// Counts one failure atomically. A stale window starts again at one.
    /// Returns the failures in the current window.
    pub async fn record_login_failure(
        &self,
        username: &str,
        now: u64,
        window_secs: u64,
        previous: &LoginAttempts,
    ) -> Result<u64, StoreError> {
        let fresh = previous.window_start + window_secs <= now;
        let req = self
            .client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(attempts_pk(username)))
            .key("sk", s("ATTEMPTS"))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":exp", n(now + 2 * window_secs))
            .return_values(ReturnValue::AllNew);
        let req = if fresh {
            req.update_expression(
                "SET failures = :one, window_start = :now, locked_until = :zero, expires_at = :exp",
            )
            .expression_attribute_values(":zero", n(0))
        } else {
            req.update_expression(
                "ADD failures :one SET window_start = if_not_exists(window_start, :now), expires_at = :exp",
            )
        };
        let out = req.send().await.map_err(classify)?;
        Ok(out
            .attributes
            .as_ref()
            .and_then(|a| get_u64(a, "failures"))
            .unwrap_or(1))
    }

    pub async fn lock_login(&self, username: &str, until: u64) -> Result<(), StoreError> {
        self.client
            .update_item()
            .table_name(&self.table)
            .key("pk", s(attempts_pk(username)))
            .key("sk", s("ATTEMPTS"))
            .update_expression(
                "SET locked_until = :u, failures = :zero, window_start = :zero, expires_at = :u",
            )
            .expression_attribute_values(":u", n(until))
            .expression_attribute_values(":zero", n(0))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    pub async fn clear_login_failures(&self, username: &str) -> Result<(), StoreError> {
        self.client
            .delete_item()
            .table_name(&self.table)
            .key("pk", s(attempts_pk(username)))
            .key("sk", s("ATTEMPTS"))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
