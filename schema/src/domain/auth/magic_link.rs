//! Email magic links: a one-time token, stored only as its digest, mailed as a link; the
//! link signs its holder in (creating the account on first use).
use chrono::{DateTime, Utc};
use entity::verification_tokens;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

use super::{
    Identity, Mail,
    audit::{self, AuditEntry},
    sessions::{self, Method, SignedIn},
    tokens, users,
};
use crate::domain::{AppError, AppResult, Reason, RequestMeta, db::begin_write};

/// Mails a sign-in link to `email`. It answers the same whether or not an account exists.
pub async fn request(
    db: &DatabaseConnection,
    identity: &Identity,
    email: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let email = users::normalise_email(email)?;
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    identity.limiter.check_email(&email)?;
    let token = tokens::generate();
    verification_tokens::ActiveModel {
        identifier: Set(email.clone()),
        token: Set(tokens::digest(&token)),
        expires: Set((now + identity.settings.sign_in_link_ttl).into()),
        created_at: Set(now.into()),
    }
    .insert(db)
    .await?;
    let link = format!("{}?token={token}", identity.settings.sign_in_url);
    let minutes = identity.settings.sign_in_link_ttl.num_minutes();
    identity
        .mailer
        .send(Mail {
            to: email,
            subject: "Your sign-in link".into(),
            text: format!(
                "Open this link to sign in:\r\n\r\n{link}\r\n\r\n\
                 It works once, within {minutes} minutes. If you did not ask for it, ignore this mail.\r\n"
            ),
            link: Some(link),
        })
        .await
        .map_err(AppError::Internal)?;
    Ok(())
}

/// Consumes a link's token (once) and signs its holder in.
pub async fn sign_in(
    db: &DatabaseConnection,
    identity: &Identity,
    token: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<SignedIn> {
    identity.limiter.check_ip(meta.ip_address.as_deref())?;
    let digest = tokens::digest(token);
    let txn = begin_write(db).await?;
    let found = verification_tokens::Entity::find()
        .filter(verification_tokens::Column::Token.eq(digest.clone()))
        .one(&txn)
        .await?;
    // Deleting is the consumption: of two racing uses, one deletes the row.
    let consumed = verification_tokens::Entity::delete_many()
        .filter(verification_tokens::Column::Token.eq(digest))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    let link = match found {
        Some(link) if consumed && link.expires.with_timezone(&Utc) > now => link,
        other => {
            let (reason, message) = match other {
                Some(_) if consumed => (
                    Reason::SignInLinkExpired,
                    "this sign-in link has expired; ask for a new one",
                ),
                _ => (
                    Reason::InvalidSignInLink,
                    "this sign-in link is not valid or was already used",
                ),
            };
            // Keep the deletion of an expired link; the failure is audited either way.
            txn.commit().await?;
            let entry = AuditEntry::failure("sign_in_failed").details(json!({
                "method": Method::MagicLink.as_str(),
                "reason": reason.as_str(),
            }));
            audit::record(db, meta, now, entry).await?;
            return Err(AppError::bad_input_because("token", reason, message));
        }
    };
    let user = users::find_or_create_verified(&txn, &link.identifier, None, now).await?;
    let signed_in = sessions::open(&txn, identity, user, Method::MagicLink, meta, now).await?;
    txn.commit().await?;
    Ok(signed_in)
}
