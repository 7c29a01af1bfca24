//! What identity rules are configured with; the host fills it from the environment.
use chrono::Duration;

#[derive(Clone)]
pub struct AuthSettings {
    /// Signs access tokens.
    pub jwt_secret: String,
    pub access_token_ttl: Duration,
    pub session_ttl: Duration,
    pub sign_in_link_ttl: Duration,
    /// The page a sign-in link opens: `<sign_in_url>?token=<token>`.
    pub sign_in_url: String,
    /// The terms version a user must accept before using the product.
    pub terms_version: String,
    pub minimum_age: u32,
    /// When set, new users wait for an admin's approval.
    pub require_approval: bool,
    pub rate_limits: RateLimits,
    /// How long expired sessions, links and OAuth states are kept before the sweeper deletes them.
    pub retention: Duration,
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_secret", &"***")
            .field("sign_in_url", &self.sign_in_url)
            .field("terms_version", &self.terms_version)
            .field("minimum_age", &self.minimum_age)
            .field("require_approval", &self.require_approval)
            .field("rate_limits", &self.rate_limits)
            .finish_non_exhaustive()
    }
}

/// Sign-in requests allowed per email and per IP address within `window`.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub per_email: u32,
    pub per_ip: u32,
    pub window: std::time::Duration,
}

impl AuthSettings {
    /// Defaults for everything but the secret.
    pub fn with_secret(jwt_secret: String) -> Self {
        Self {
            jwt_secret,
            access_token_ttl: Duration::minutes(15),
            session_ttl: Duration::days(30),
            sign_in_link_ttl: Duration::minutes(15),
            sign_in_url: "http://127.0.0.1:8000/sign-in".into(),
            terms_version: "2026-01-01".into(),
            minimum_age: 16,
            require_approval: false,
            rate_limits: RateLimits {
                per_email: 5,
                per_ip: 30,
                window: std::time::Duration::from_secs(15 * 60),
            },
            retention: Duration::days(7),
        }
    }
}
