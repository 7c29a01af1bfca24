//! Users as identity sees them: found by id or email, created on first sign-in.
use chrono::{DateTime, Utc};
use entity::users;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::{AppError, AppResult};

/// An email as the service keeps it: trimmed and lower-cased, and plausibly an address.
pub fn normalise_email(raw: &str) -> AppResult<String> {
    let email = raw.trim().to_lowercase();
    let plausible = email.len() <= 254
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if plausible {
        Ok(email)
    } else {
        Err(AppError::bad_input("email", "not an email address"))
    }
}

pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<users::Model> {
    users::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("user", id))
}

pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    email: &str,
) -> AppResult<Option<users::Model>> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(conn)
        .await?)
}

/// The user owning a verified `email`, created on first sign-in; marks the email verified.
pub async fn find_or_create_verified(
    conn: &impl ConnectionTrait,
    email: &str,
    name: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    if let Some(user) = find_by_email(conn, email).await? {
        if user.email_verified.is_some() {
            return Ok(user);
        }
        let mut verified: users::ActiveModel = user.into();
        verified.email_verified = Set(Some(now.into()));
        verified.updated_at = Set(now.into());
        return Ok(verified.update(conn).await?);
    }
    insert(conn, email, name, Some(now), now).await
}

/// A new user whose email nobody has proven yet (a provider that does not vouch for it).
pub async fn create_unverified(
    conn: &impl ConnectionTrait,
    email: &str,
    name: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    insert(conn, email, name, None, now).await
}

async fn insert(
    conn: &impl ConnectionTrait,
    email: &str,
    name: Option<String>,
    verified_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let user = users::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name),
        email: Set(email.to_owned()),
        email_verified: Set(verified_at.map(Into::into)),
        image: Set(None),
        role: Set("user".to_owned()),
        approved: Set(false),
        age_verified: Set(false),
        tos_accepted: Set(false),
        tos_accepted_at: Set(None),
        tos_version: Set(None),
        last_activity_at: Set(Some(now.into())),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    }
    .insert(conn)
    .await?;
    crate::domain::rbac::grants::assign_default(conn, user.id, now).await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(
            normalise_email("  Ada@Example.COM ").ok().as_deref(),
            Some("ada@example.com")
        );
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "a b@example.com",
            "ada@localhost",
            "ada@.com",
        ] {
            assert!(normalise_email(bad).is_err(), "{bad}");
        }
    }
}
