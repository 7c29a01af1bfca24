//! Who the provider says the user is: its userinfo endpoint (`sub` or `id`, `email`,
//! `email_verified`, `name`) and, for providers that list emails apart (GitHub), the
//! primary verified address.
use super::{ProviderIdentity, refused};
use crate::domain::{
    AppResult, Reason,
    auth::{Identity, settings::OAuthProvider},
};

/// Reads the user's identity with the provider's access token: the userinfo endpoint
/// (`sub` or `id`, `email`, `email_verified`, `name`), and for providers that list emails
/// separately (GitHub), the primary verified one.
pub(super) async fn fetch_identity(
    identity: &Identity,
    provider: &OAuthProvider,
    access_token: &str,
) -> AppResult<ProviderIdentity> {
    let info = get_json(identity, provider, &provider.userinfo_url, access_token).await?;
    let mut who = identity_from_userinfo(&info).ok_or_else(|| {
        refused(
            Reason::OAuthExchangeFailed,
            "the provider did not name the account",
        )
    })?;
    if let Some(emails_url) = &provider.emails_url {
        let emails = get_json(identity, provider, emails_url, access_token).await?;
        if let Some(primary) = primary_verified_email(&emails) {
            who.email = Some(primary);
            who.email_verified = true;
        }
    }
    Ok(who)
}

async fn get_json(
    identity: &Identity,
    provider: &OAuthProvider,
    url: &str,
    access_token: &str,
) -> AppResult<serde_json::Value> {
    let unreadable = |err: &dyn std::fmt::Display| {
        tracing::warn!(provider = %provider.name, error = %err, "cannot read the OAuth user");
        refused(
            Reason::OAuthExchangeFailed,
            "the provider did not say who you are",
        )
    };
    let body = identity
        .http
        .get(url)
        .bearer_auth(access_token)
        .header("accept", "application/json")
        .header("user-agent", "productivity-api")
        .send()
        .await
        .and_then(|r| r.error_for_status())
        .map_err(|err| unreadable(&err))?
        .bytes()
        .await
        .map_err(|err| unreadable(&err))?;
    serde_json::from_slice(&body).map_err(|err| unreadable(&err))
}

fn identity_from_userinfo(info: &serde_json::Value) -> Option<ProviderIdentity> {
    let account_id = match (info.get("sub"), info.get("id")) {
        (Some(serde_json::Value::String(sub)), _) => sub.clone(),
        (_, Some(serde_json::Value::Number(id))) => id.to_string(),
        (_, Some(serde_json::Value::String(id))) => id.clone(),
        _ => return None,
    };
    Some(ProviderIdentity {
        account_id,
        email: info
            .get("email")
            .and_then(|e| e.as_str())
            .map(str::to_owned),
        email_verified: info
            .get("email_verified")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        name: info.get("name").and_then(|n| n.as_str()).map(str::to_owned),
    })
}

fn primary_verified_email(emails: &serde_json::Value) -> Option<String> {
    emails.as_array()?.iter().find_map(|entry| {
        let primary = entry.get("primary")?.as_bool()?;
        let verified = entry.get("verified")?.as_bool()?;
        (primary && verified).then(|| entry.get("email")?.as_str().map(str::to_owned))?
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn identities_are_read_from_oidc_and_github_shapes() {
        let oidc = json!({ "sub": "abc", "email": "a@example.com", "email_verified": true });
        let who = identity_from_userinfo(&oidc);
        assert_eq!(
            who.as_ref()
                .map(|w| (w.account_id.as_str(), w.email_verified)),
            Some(("abc", true))
        );
        let github = json!({ "id": 42, "email": null, "name": "Octo" });
        assert_eq!(
            identity_from_userinfo(&github).map(|w| w.account_id),
            Some("42".to_owned())
        );
        assert_eq!(
            identity_from_userinfo(&json!({ "email": "x@example.com" })),
            None
        );
        let emails = json!([
            { "email": "old@example.com", "primary": false, "verified": true },
            { "email": "main@example.com", "primary": true, "verified": true },
        ]);
        assert_eq!(
            primary_verified_email(&emails).as_deref(),
            Some("main@example.com")
        );
    }
}
