//! A user's own profile: name and avatar, and passing the terms and age gates.
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entity::users;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use super::{
    Identity,
    audit::{self, AuditEntry},
    preferences,
    sign_in_cache::SignInCache,
    users as user_store,
};
use crate::domain::{Actor, AppError, AppResult, Reason, RequestMeta, db::begin_write};

/// Changes to a profile; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    pub name: Option<Option<String>>,
    pub image: Option<Option<String>>,
}

pub async fn update(
    db: &DatabaseConnection,
    sign_ins: &SignInCache,
    actor: &Actor,
    update: ProfileChanges,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let user_id = actor.require_user()?;
    let name = update
        .name
        .map(|n| n.map(parse_name).transpose())
        .transpose()?;
    let image = update
        .image
        .map(|i| i.map(parse_image).transpose())
        .transpose()?;
    let txn = begin_write(db).await?;
    let mut user: users::ActiveModel = user_store::find(&txn, user_id.0).await?.into();
    if let Some(name) = name {
        user.name = Set(name);
    }
    if let Some(image) = image {
        user.image = Set(image);
    }
    user.updated_at = Set(now.into());
    let user = user.update(&txn).await?;
    txn.commit().await?;
    sign_ins.forget_user(user_id);
    Ok(user)
}

fn parse_name(name: String) -> AppResult<String> {
    let name = name.trim().to_owned();
    match name.chars().count() {
        0 => Err(AppError::bad_input(
            "name",
            "a name cannot be blank; pass null to clear it",
        )),
        1..=100 => Ok(name),
        _ => Err(AppError::bad_input(
            "name",
            "a name has at most 100 characters",
        )),
    }
}

fn parse_image(image: String) -> AppResult<String> {
    let image = image.trim().to_owned();
    let web = image.starts_with("https://") || image.starts_with("http://");
    if web && image.len() <= 2_048 && !image.chars().any(char::is_whitespace) {
        Ok(image)
    } else {
        Err(AppError::bad_input(
            "image",
            "an image is an http(s) URL of at most 2048 characters",
        ))
    }
}

/// Records that the user accepted the current terms; an outdated version is refused.
pub async fn accept_terms(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    version: &str,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let user_id = actor.require_user()?;
    let current = &identity.settings.terms_version;
    if version != current {
        return Err(AppError::bad_input_because(
            "version",
            Reason::TermsVersionMismatch,
            format!("the current terms are version {current}"),
        ));
    }
    let txn = begin_write(db).await?;
    let mut user: users::ActiveModel = user_store::find(&txn, user_id.0).await?.into();
    user.tos_accepted = Set(true);
    user.tos_accepted_at = Set(Some(now.into()));
    user.tos_version = Set(Some(current.clone()));
    user.updated_at = Set(now.into());
    let user = user.update(&txn).await?;
    let entry = AuditEntry::success("terms_accepted")
        .user(user.id)
        .details(serde_json::json!({ "version": current }));
    audit::record(&txn, meta, now, entry).await?;
    txn.commit().await?;
    identity.sign_ins.forget_user(user_id);
    Ok(user)
}

/// Confirms the user is old enough, from a birth date that is checked and not stored.
pub async fn confirm_age(
    db: &DatabaseConnection,
    identity: &Identity,
    actor: &Actor,
    birth_date: NaiveDate,
    meta: &RequestMeta,
    now: DateTime<Utc>,
) -> AppResult<users::Model> {
    let user_id = actor.require_user()?;
    crate::domain::dates::in_range("birthDate", birth_date)?;
    let txn = begin_write(db).await?;
    let today = preferences::load(&txn, user_id).await?.local_date(now);
    let Some(age) = age_on(birth_date, today) else {
        return Err(AppError::bad_input(
            "birthDate",
            "a birth date cannot be in the future",
        ));
    };
    let minimum = identity.settings.minimum_age;
    if age < minimum {
        return Err(AppError::bad_input_because(
            "birthDate",
            Reason::TooYoung,
            format!("you must be at least {minimum} to use this service"),
        ));
    }
    let mut user: users::ActiveModel = user_store::find(&txn, user_id.0).await?.into();
    user.age_verified = Set(true);
    user.updated_at = Set(now.into());
    let user = user.update(&txn).await?;
    audit::record(
        &txn,
        meta,
        now,
        AuditEntry::success("age_confirmed").user(user.id),
    )
    .await?;
    txn.commit().await?;
    identity.sign_ins.forget_user(user_id);
    Ok(user)
}

/// Whole years from `birth` to `today`; `None` for a birth in the future.
fn age_on(birth: NaiveDate, today: NaiveDate) -> Option<u32> {
    if birth > today {
        return None;
    }
    let had_birthday = (today.month(), today.day()) >= (birth.month(), birth.day());
    let years = today.year() - birth.year() - i32::from(!had_birthday);
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn age_counts_whole_years_up_to_the_birthday() {
        assert_eq!(age_on(date(2010, 11, 25), date(2026, 11, 25)), Some(16));
        assert_eq!(age_on(date(2010, 11, 26), date(2026, 11, 25)), Some(15));
        assert_eq!(age_on(date(2008, 2, 29), date(2026, 2, 28)), Some(17));
        assert_eq!(age_on(date(2027, 1, 1), date(2026, 11, 25)), None);
    }

    #[test]
    fn names_and_images_are_checked() {
        assert_eq!(parse_name("  Ada ".into()).ok().as_deref(), Some("Ada"));
        assert!(parse_name("   ".into()).is_err());
        assert!(parse_image("javascript:alert(1)".into()).is_err());
        assert!(parse_image("https://example.com/a.png".into()).is_ok());
    }
}
