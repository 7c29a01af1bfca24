//! Identity: signing in (magic link, OAuth, passkeys), sessions and their rotation, the
//! gates a user passes before using the product, their profile and settings, and the audit
//! trail of it all.
pub mod access_token;
pub mod activity;
pub mod audit;
pub mod gates;
pub mod magic_link;
pub mod mailer;
pub mod oauth;
pub mod passkeys;
pub mod preferences;
pub mod profile;
pub mod rate_limit;
pub mod revocations;
pub mod rotation;
pub mod sessions;
pub mod settings;
pub mod sign_in_cache;
pub mod sweeper;
pub mod tokens;
pub mod users;

use std::sync::Arc;

pub use access_token::AccessKeys;
pub use mailer::{Mail, Mailer};
pub use rate_limit::SignInLimiter;
pub use revocations::Revocations;
pub use settings::AuthSettings;

/// Everything identity rules need besides the database and the clock, built once at start.
pub struct Identity {
    pub settings: AuthSettings,
    pub keys: AccessKeys,
    pub mailer: Arc<dyn Mailer>,
    pub limiter: SignInLimiter,
    pub revocations: Revocations,
    /// What the sign-in check read, per session, for a few seconds (PostgreSQL).
    pub sign_ins: sign_in_cache::SignInCache,
    pub activity: activity::ActivityThrottle,
    /// The WebAuthn relying party passkeys are registered with and checked against.
    pub passkeys: passkeys::RelyingParty,
    /// Talks to OAuth providers; never follows redirects (a token endpoint must answer).
    pub http: oauth2::reqwest::Client,
}

impl Identity {
    pub fn new(settings: AuthSettings, mailer: Arc<dyn Mailer>) -> Self {
        let sign_ins = sign_in_cache::SignInCache::default();
        Self {
            keys: AccessKeys::new(settings.jwt_secret.as_bytes(), settings.access_token_ttl),
            limiter: SignInLimiter::new(&settings.rate_limits),
            revocations: Revocations::new(sign_ins.clone()),
            sign_ins,
            activity: activity::ActivityThrottle::default(),
            passkeys: passkeys::RelyingParty::new(
                &settings.passkeys,
                settings.jwt_secret.as_bytes(),
            ),
            http: oauth2::reqwest::Client::builder()
                .redirect(oauth2::reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            settings,
            mailer,
        }
    }
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").finish_non_exhaustive()
    }
}
