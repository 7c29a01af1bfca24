//! Identity configuration: token secret, sign-in links, gates, rate limits, passkeys and
//! OAuth providers.
use schema::domain::auth::{
    AuthSettings,
    settings::{OAuthProvider, OAuthSettings, RateLimits},
};

use super::{ConfigError, settings::IdentitySettings};

pub(super) fn auth_settings(
    jwt_secret: Option<String>,
    settings: &IdentitySettings,
    bind: std::net::SocketAddr,
    get: &impl Fn(&str) -> Option<String>,
) -> Result<AuthSettings, ConfigError> {
    // Unset, tokens die with the process and differ between instances: fine for a laptop,
    // wrong for production (start-up warns).
    let jwt_secret = jwt_secret.unwrap_or_else(schema::domain::auth::tokens::generate);
    let mut auth = AuthSettings::with_secret(jwt_secret);
    // Unset, links and feeds point at this server as a browser on this machine reaches it.
    let mut reachable = bind;
    if reachable.ip().is_unspecified() {
        reachable.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let public_url = settings
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{reachable}"));
    auth.public_url = public_url.trim_end_matches('/').to_owned();
    auth.sign_in_url = settings
        .sign_in_url
        .clone()
        .unwrap_or_else(|| format!("http://{reachable}/sign-in"));
    auth.terms_version = settings.terms_version.clone();
    auth.passkeys.rp_id = settings.webauthn_rp_id.clone();
    auth.passkeys.origin = settings.webauthn_origin.clone();
    auth.passkeys.rp_name = settings.webauthn_rp_name.clone();
    auth.minimum_age = settings.minimum_age;
    auth.own_quest_claims_per_day = settings.own_quest_claims_per_day;
    auth.require_approval = settings.require_approval;
    auth.rate_limits = RateLimits {
        per_email: settings.sign_in_limit_per_email,
        per_ip: settings.sign_in_limit_per_ip,
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
            .ok_or_else(|| {
                ConfigError::new(
                    "APP_OAUTH_PROVIDERS",
                    format!("provider `{name}` needs {prefix}{key}"),
                )
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
