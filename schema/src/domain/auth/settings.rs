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
    /// Where clients reach this server (no trailing slash): secret links such as the
    /// calendar feed's `<public_url>/calendar/<token>.ics` start with it.
    pub public_url: String,
    /// The terms version a user must accept before using the product.
    pub terms_version: String,
    pub minimum_age: u32,
    /// When set, new users wait for an admin's approval.
    pub require_approval: bool,
    pub rate_limits: RateLimits,
    pub passkeys: PasskeySettings,
    pub oauth: OAuthSettings,
    /// Emails granted the `admin` role when they sign in (lower-case).
    pub admin_emails: Vec<String>,
    /// How long expired sessions, links and OAuth states are kept before the sweeper deletes them.
    pub retention: Duration,
    /// Rewarded own-quest claims a user gets per local day; past it a claim pays nothing.
    pub own_quest_claims_per_day: u32,
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

/// The WebAuthn relying party: passkeys are bound to `rp_id` and checked against `origin`.
#[derive(Debug, Clone)]
pub struct PasskeySettings {
    pub rp_id: String,
    pub rp_name: String,
    /// The web origin the SPA runs on, e.g. `https://app.example.com`.
    pub origin: String,
}

/// OAuth 2.0 / OIDC sign-in providers, and the client callback pages they may return to.
#[derive(Debug, Clone, Default)]
pub struct OAuthSettings {
    pub providers: Vec<OAuthProvider>,
    /// `redirectUri`s a client may ask for; anything else is refused.
    pub allowed_redirect_uris: Vec<String>,
}

/// One provider, by the name clients use (`github`, `google`, or any OIDC issuer's name).
#[derive(Clone)]
pub struct OAuthProvider {
    pub name: String,
    pub client_id: String,
    pub client_secret: String,
    pub authorize_url: String,
    pub token_url: String,
    /// Where the user's identity is read with the access token (OIDC userinfo, or
    /// GitHub's `/user`).
    pub userinfo_url: String,
    /// For providers whose userinfo may omit a verified email (GitHub's `/user/emails`).
    pub emails_url: Option<String>,
    pub scopes: Vec<String>,
}

impl std::fmt::Debug for OAuthProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthProvider")
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("authorize_url", &self.authorize_url)
            .field("token_url", &self.token_url)
            .field("userinfo_url", &self.userinfo_url)
            .finish()
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
            public_url: "http://127.0.0.1:8000".into(),
            terms_version: "2026-01-01".into(),
            minimum_age: 16,
            require_approval: false,
            rate_limits: RateLimits {
                per_email: 5,
                per_ip: 30,
                window: std::time::Duration::from_secs(15 * 60),
            },
            passkeys: PasskeySettings {
                rp_id: "localhost".into(),
                rp_name: "Productivity".into(),
                origin: "http://localhost:8000".into(),
            },
            oauth: OAuthSettings::default(),
            admin_emails: Vec::new(),
            retention: Duration::days(7),
            own_quest_claims_per_day:
                crate::domain::gamification::rewards::OWN_QUEST_REWARDED_CLAIMS_PER_DAY,
        }
    }
}
