//! Sign-in throttling per email and per IP address, in memory per instance (DESIGN.md).
use std::num::NonZeroU32;

use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};

use super::settings::RateLimits;
use crate::domain::{AppError, AppResult};

pub struct SignInLimiter {
    per_email: DefaultKeyedRateLimiter<String>,
    per_ip: DefaultKeyedRateLimiter<String>,
}

fn quota(burst: u32, window: std::time::Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(window / burst.get())
        .unwrap_or_else(|| Quota::per_second(burst))
        .allow_burst(burst)
}

impl SignInLimiter {
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            per_email: RateLimiter::keyed(quota(limits.per_email, limits.window)),
            per_ip: RateLimiter::keyed(quota(limits.per_ip, limits.window)),
        }
    }

    /// Counts one sign-in request for `email` and refuses it past the quota.
    pub fn check_email(&self, email: &str) -> AppResult<()> {
        verdict(self.per_email.check_key(&email.to_owned()))
    }

    /// Counts one sign-in request or attempt from `ip` (none known: not limited here).
    pub fn check_ip(&self, ip: Option<&str>) -> AppResult<()> {
        match ip {
            Some(ip) => verdict(self.per_ip.check_key(&ip.to_owned())),
            None => Ok(()),
        }
    }

    /// Forgets keys whose quota has fully recovered, so memory stays bounded.
    pub fn forget_idle(&self) {
        self.per_email.retain_recent();
        self.per_ip.retain_recent();
    }
}

fn verdict(
    result: Result<(), governor::NotUntil<<DefaultClock as Clock>::Instant>>,
) -> AppResult<()> {
    result.map_err(|not_until| AppError::RateLimited {
        retry_after_seconds: not_until
            .wait_time_from(DefaultClock::default().now())
            .as_secs()
            .max(1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_past_the_burst_are_refused_per_key() {
        let limiter = SignInLimiter::new(&RateLimits {
            per_email: 2,
            per_ip: 3,
            window: std::time::Duration::from_secs(900),
        });
        assert!(limiter.check_email("a@example.com").is_ok());
        assert!(limiter.check_email("a@example.com").is_ok());
        assert!(matches!(
            limiter.check_email("a@example.com"),
            Err(AppError::RateLimited { .. })
        ));
        assert!(
            limiter.check_email("b@example.com").is_ok(),
            "another email has its own quota"
        );
        assert!(limiter.check_ip(None).is_ok());
    }
}
