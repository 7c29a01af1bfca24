//! Identity configuration: token secret, sign-in links, gates, rate limits, passkeys and
//! OAuth providers.
use schema::domain::auth::{
    AuthSettings,
    settings::{OAuthProvider, OAuthSettings, RateLimits},
};

use super::{ConfigError, parse, parse_bool};

pub(super) fn auth_settings(
    get: &impl Fn(&str) -> Option<String>,
) -> Result<AuthSettings, ConfigError> {
    let jwt_secret = match get("JWT_SECRET") {
        Some(secret) if secret.len() < 32 => {
            return Err(ConfigError {
                name: "JWT_SECRET",
                problem: "must be at least 32 characters".into(),
            });
        }
        Some(secret) => secret,
        // Tokens then die with the process and differ between instances: fine for a
        // laptop, wrong for production (start-up warns).
        None => schema::domain::auth::tokens::generate(),
    };
    let mut auth = AuthSettings::with_secret(jwt_secret);
    if let Some(url) = get("APP_SIGN_IN_URL") {
        auth.sign_in_url = url;
    }
    if let Some(url) = get("APP_PUBLIC_URL") {
        auth.public_url = url.trim_end_matches('/').to_owned();
    }
    if let Some(version) = get("APP_TERMS_VERSION") {
        auth.terms_version = version;
    }
    if let Some(rp_id) = get("APP_WEBAUTHN_RP_ID") {
        auth.passkeys.rp_id = rp_id;
    }
    if let Some(origin) = get("APP_WEBAUTHN_ORIGIN") {
        auth.passkeys.origin = origin;
    }
    if let Some(name) = get("APP_WEBAUTHN_RP_NAME") {
        auth.passkeys.rp_name = name;
    }
    auth.minimum_age = parse(get, "APP_MINIMUM_AGE", auth.minimum_age)?;
    auth.own_quest_claims_per_day = parse(
        get,
        "APP_OWN_QUEST_CLAIMS_PER_DAY",
        auth.own_quest_claims_per_day,
    )?;
    auth.require_approval = parse_bool(get, "APP_REQUIRE_APPROVAL", auth.require_approval)?;
    auth.rate_limits = RateLimits {
        per_email: parse(
            get,
            "APP_SIGN_IN_LIMIT_PER_EMAIL",
            auth.rate_limits.per_email,
        )?,
        per_ip: parse(get, "APP_SIGN_IN_LIMIT_PER_IP", auth.rate_limits.per_ip)?,
        ..auth.rate_limits
    };
    auth.oauth = oauth_settings(get)?;
    auth.admin_emails = get("APP_ADMIN_EMAILS")
        .map(|emails| {
            emails
                .split([',', ' '])
                .map(|e| e.trim().to_lowercase())
                .filter(|e| !e.is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(auth)
}

/// `APP_OAUTH_PROVIDERS=github,google,acme`, each configured by
/// `APP_OAUTH_<NAME>_CLIENT_ID`, `_CLIENT_SECRET` and, where no preset exists,
/// `_AUTHORIZE_URL`, `_TOKEN_URL`, `_USERINFO_URL` (optional: `_EMAILS_URL`, `_SCOPES`);
/// `APP_OAUTH_REDIRECT_URIS` lists the client callback pages allowed.
fn oauth_settings(get: &impl Fn(&str) -> Option<String>) -> Result<OAuthSettings, ConfigError> {
    let list = |name: &str| -> Vec<String> {
        get(name)
            .map(|v| {
                v.split([',', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let providers = list("APP_OAUTH_PROVIDERS")
        .into_iter()
        .map(|name| provider(get, &name))
        .collect::<Result<_, _>>()?;
    Ok(OAuthSettings {
        providers,
        allowed_redirect_uris: list("APP_OAUTH_REDIRECT_URIS"),
    })
}

/// Endpoints and scopes of the providers that need no more than a client id and secret.
fn preset(
    name: &str,
) -> Option<(
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
)> {
    match name {
        "github" => Some((
            "https://github.com/login/oauth/authorize",
            "https://github.com/login/oauth/access_token",
            "https://api.github.com/user",
            Some("https://api.github.com/user/emails"),
            "read:user user:email",
        )),
        "google" => Some((
            "https://accounts.google.com/o/oauth2/v2/auth",
            "https://oauth2.googleapis.com/token",
            "https://openidconnect.googleapis.com/v1/userinfo",
            None,
            "openid email profile",
        )),
        _ => None,
    }
}

fn provider(
    get: &impl Fn(&str) -> Option<String>,
    name: &str,
) -> Result<OAuthProvider, ConfigError> {
    let prefix = format!(
        "APP_OAUTH_{}_",
        name.to_ascii_uppercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let preset = preset(name);
    let value = |key: &str, fallback: Option<&str>| -> Result<String, ConfigError> {
        get(&format!("{prefix}{key}"))
            .or_else(|| fallback.map(str::to_owned))
            .ok_or_else(|| ConfigError {
                name: "APP_OAUTH_PROVIDERS",
                problem: format!("provider `{name}` needs {prefix}{key}"),
            })
    };
    Ok(OAuthProvider {
        name: name.to_owned(),
        client_id: value("CLIENT_ID", None)?,
        client_secret: value("CLIENT_SECRET", None)?,
        authorize_url: value("AUTHORIZE_URL", preset.map(|p| p.0))?,
        token_url: value("TOKEN_URL", preset.map(|p| p.1))?,
        userinfo_url: value("USERINFO_URL", preset.map(|p| p.2))?,
        emails_url: get(&format!("{prefix}EMAILS_URL"))
            .or_else(|| preset.and_then(|p| p.3).map(str::to_owned)),
        scopes: value(
            "SCOPES",
            preset.map(|p| p.4).or(Some("openid email profile")),
        )?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn providers_come_from_presets_or_explicit_endpoints() {
        let settings = oauth_settings(&lookup(&[
            ("APP_OAUTH_PROVIDERS", "github, acme-id"),
            ("APP_OAUTH_GITHUB_CLIENT_ID", "gh"),
            ("APP_OAUTH_GITHUB_CLIENT_SECRET", "s1"),
            ("APP_OAUTH_ACME_ID_CLIENT_ID", "acme"),
            ("APP_OAUTH_ACME_ID_CLIENT_SECRET", "s2"),
            (
                "APP_OAUTH_ACME_ID_AUTHORIZE_URL",
                "https://id.acme.test/authorize",
            ),
            ("APP_OAUTH_ACME_ID_TOKEN_URL", "https://id.acme.test/token"),
            (
                "APP_OAUTH_ACME_ID_USERINFO_URL",
                "https://id.acme.test/userinfo",
            ),
            (
                "APP_OAUTH_REDIRECT_URIS",
                "https://app.example.com/callback",
            ),
        ]))
        .unwrap();
        assert_eq!(
            settings.providers[0].token_url,
            "https://github.com/login/oauth/access_token"
        );
        assert!(settings.providers[0].emails_url.is_some());
        assert_eq!(settings.providers[1].scopes, ["openid", "email", "profile"]);
        assert_eq!(
            settings.allowed_redirect_uris,
            ["https://app.example.com/callback"]
        );
    }

    #[test]
    fn a_provider_without_its_endpoints_is_a_configuration_error() {
        let err = oauth_settings(&lookup(&[
            ("APP_OAUTH_PROVIDERS", "acme"),
            ("APP_OAUTH_ACME_CLIENT_ID", "acme"),
            ("APP_OAUTH_ACME_CLIENT_SECRET", "s"),
        ]))
        .unwrap_err();
        assert!(
            err.to_string().contains("APP_OAUTH_ACME_AUTHORIZE_URL"),
            "{err}"
        );
    }
}
