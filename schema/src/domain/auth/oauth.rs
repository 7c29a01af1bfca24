//! OAuth 2.0 sign-in: authorization code with PKCE and a CSRF `state`. The state is kept
//! only as its digest (10 minutes, one use) with the client's callback page; the PKCE
//! verifier is never stored but derived from the state with the server secret.
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use entity::{accounts, oauth_states, users};
use hmac::{Hmac, Mac};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl, basic::BasicClient,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    Set,
};
use serde_json::json;
use sha2::Sha256;
use uuid::Uuid;

mod provider;

use provider::fetch_identity;

use super::{
    Identity,
    audit::{self, AuditEntry},
    sessions::{self, Method, SignedIn},
    settings::OAuthProvider,
    tokens, users as user_store,
};
use crate::domain::{AppError, AppResult, Reason, RequestMeta, db::begin_write};

const STATE_TTL_MINUTES: i64 = 10;

/// Where to send the user, and the state the client should expect back.
#[derive(Debug, Clone)]
pub struct Started {
    pub authorization_url: String,
    pub state: String,
}

/// Who the provider says the user is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderIdentity {
    pub account_id: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

fn provider<'a>(identity: &'a Identity, name: &str) -> AppResult<&'a OAuthProvider> {
    identity
        .settings
        .oauth
        .providers
        .iter()
        .find(|p| p.name == name)
        .ok_or_else(|| {
            AppError::bad_input(
                "provider",
                format!("`{name}` is not a configured sign-in provider"),
            )
        })
}

/// The PKCE verifier for `state`: base64url(HMAC-SHA256(server secret, state)).
fn verifier(identity: &Identity, state: &str) -> AppResult<PkceCodeVerifier> {
    let mut mac = Hmac::<Sha256>::new_from_slice(identity.settings.jwt_secret.as_bytes())
        .map_err(AppError::internal)?;
    mac.update(state.as_bytes());
    Ok(PkceCodeVerifier::new(
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()),
    ))
}

fn client(
    provider: &OAuthProvider,
    redirect_uri: &str,
) -> AppResult<
    BasicClient<
        oauth2::EndpointSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointNotSet,
        oauth2::EndpointSet,
    >,
> {
    let misconfigured = |err: url::ParseError| AppError::internal(err);
    Ok(BasicClient::new(ClientId::new(provider.client_id.clone()))
        .set_client_secret(ClientSecret::new(provider.client_secret.clone()))
        .set_auth_uri(AuthUrl::new(provider.authorize_url.clone()).map_err(misconfigured)?)
        .set_token_uri(TokenUrl::new(provider.token_url.clone()).map_err(misconfigured)?)
        .set_redirect_uri(
            RedirectUrl::new(redirect_uri.to_owned())
                .map_err(|_| AppError::bad_input("redirectUri", "not a URL"))?,
        ))
}

/// Begins a sign-in with `provider_name`, returning to the client's `redirect_uri`
/// (which must be on the allow-list).
pub async fn start(
    db: &DatabaseConnection,
    identity: &Identity,
    provider_name: &str,
    redirect_uri: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<Started> {
    let provider = provider(identity, provider_name)?;
    if !identity
        .settings
        .oauth
        .allowed_redirect_uris
        .iter()
        .any(|allowed| allowed == redirect_uri)
    {
        return Err(AppError::bad_input(
            "redirectUri",
            "this callback page is not allowed",
        ));
    }
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    let state = tokens::generate();
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier(identity, &state)?);
    let (url, _) = client(provider, redirect_uri)?
        .authorize_url(|| CsrfToken::new(state.clone()))
        .add_scopes(provider.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .url();
    oauth_states::ActiveModel {
        id: Set(Uuid::now_v7()),
        state: Set(tokens::digest(&state)),
        provider: Set(provider.name.clone()),
        redirect_uri: Set(Some(redirect_uri.to_owned())),
        created_at: Set(now.into()),
        expires_at: Set((now + Duration::minutes(STATE_TTL_MINUTES)).into()),
    }
    .insert(db)
    .await?;
    Ok(Started {
        authorization_url: url.to_string(),
        state,
    })
}

/// Finishes a sign-in: consumes the state, trades the code (with the PKCE verifier) for
/// the provider's token, reads the user's identity and signs them in, linking the
/// provider account to an existing user with the same verified email.
pub async fn complete(
    db: &DatabaseConnection,
    identity: &Identity,
    state: &str,
    code: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    let result = complete_checked(db, identity, state, code, meta, now).await;
    if let Err(err) = &result
        && !matches!(err, AppError::Internal(_) | AppError::RateLimited { .. })
    {
        let entry = AuditEntry::failure("sign_in_failed").details(json!({
            "method": Method::OAuth.as_str(),
            "reason": err.reason().map(|r| r.as_str()),
        }));
        audit::record(db, meta, now, entry).await?;
    }
    result
}

async fn complete_checked(
    db: &DatabaseConnection,
    identity: &Identity,
    state: &str,
    code: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    let pending = consume_state(db, state, now).await?;
    let provider = provider(identity, &pending.provider)?;
    let redirect_uri = pending.redirect_uri.unwrap_or_default();
    let token = client(provider, &redirect_uri)?
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .set_pkce_verifier(verifier(identity, state)?)
        .request_async(&identity.http)
        .await
        .map_err(|err| {
            tracing::info!(provider = %provider.name, error = %err, "OAuth code exchange refused");
            refused(
                Reason::OAuthExchangeFailed,
                "the provider refused the sign-in code",
            )
        })?;
    let who = fetch_identity(identity, provider, token.access_token().secret()).await?;

    let txn = begin_write(db).await?;
    let user = link(&txn, &provider.name, &who, now).await?;
    let signed_in = sessions::open(&txn, identity, user, Method::OAuth, meta, now).await?;
    txn.commit().await?;
    Ok(signed_in)
}

/// Deletes the state's row (one use) and returns it if it was live.
async fn consume_state(
    db: &DatabaseConnection,
    state: &str,
    now: DateTime<Utc>,
) -> AppResult<oauth_states::Model> {
    let digest = tokens::digest(state);
    let txn = begin_write(db).await?;
    let found = oauth_states::Entity::find()
        .filter(oauth_states::Column::State.eq(digest.clone()))
        .one(&txn)
        .await?;
    let deleted = oauth_states::Entity::delete_many()
        .filter(oauth_states::Column::State.eq(digest))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    txn.commit().await?;
    match found {
        Some(pending) if deleted && pending.expires_at.with_timezone(&Utc) > now => Ok(pending),
        Some(_) if deleted => Err(refused(
            Reason::OAuthStateInvalid,
            "the sign-in took too long; start again",
        )),
        _ => Err(refused(
            Reason::OAuthStateInvalid,
            "unknown or already used sign-in state",
        )),
    }
}

fn refused(reason: Reason, message: &str) -> AppError {
    AppError::unauthenticated(reason, message)
}

/// The user behind a provider account: already linked, or the owner of the same verified
/// email (linked now), or a new user. Provider tokens are not kept.
async fn link(
    conn: &impl ConnectionTrait,
    provider: &str,
    who: &ProviderIdentity,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let linked = accounts::Entity::find()
        .filter(accounts::Column::Provider.eq(provider))
        .filter(accounts::Column::ProviderAccountId.eq(who.account_id.clone()))
        .one(conn)
        .await?;
    if let Some(account) = linked {
        return user_store::find(conn, account.user_id).await;
    }
    let email = who
        .email
        .as_deref()
        .map(user_store::normalise_email)
        .transpose()
        .ok()
        .flatten()
        .ok_or_else(|| {
            refused(
                Reason::OAuthEmailMissing,
                "the provider shared no email address",
            )
        })?;
    let user = match user_store::find_by_email(conn, &email).await? {
        Some(_) if !who.email_verified => {
            return Err(AppError::Conflict {
                reason: Some(Reason::OAuthEmailUnverified),
                message: "an account with this email exists; sign in with a link to connect this provider".into(),
            });
        }
        Some(_) => user_store::find_or_create_verified(conn, &email, None, now).await?,
        None if who.email_verified => {
            user_store::find_or_create_verified(conn, &email, who.name.clone(), now).await?
        }
        None => user_store::create_unverified(conn, &email, who.name.clone(), now).await?,
    };
    accounts::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        r#type: Set("oauth".into()),
        provider: Set(provider.to_owned()),
        provider_account_id: Set(who.account_id.clone()),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(user)
}
