//! A user's settings that shape their day: IANA time zone and the hour a day starts,
//! kept as `user_settings` rows (`time_zone`, `day_start_hour`).
use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use entity::user_settings;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    sea_query::OnConflict,
};
use uuid::Uuid;

use super::sign_in_cache::SignInCache;
use crate::domain::{Actor, AppError, AppResult, UserId, db::begin_write};

const TIME_ZONE: &str = "time_zone";
const DAY_START_HOUR: &str = "day_start_hour";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preferences {
    pub time_zone: Tz,
    pub day_start_hour: u32,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            time_zone: Tz::UTC,
            day_start_hour: 0,
        }
    }
}

impl Preferences {
    /// The user's calendar date at `now`: their local date, a day starting at their hour.
    pub fn local_date(&self, now: DateTime<Utc>) -> NaiveDate {
        let local = now.with_timezone(&self.time_zone).naive_local();
        (local - Duration::hours(i64::from(self.day_start_hour))).date()
    }
}

/// Changes to settings; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct PreferencesChanges {
    pub time_zone: Option<String>,
    pub day_start_hour: Option<i32>,
}

pub async fn load(conn: &impl ConnectionTrait, user: UserId) -> AppResult<Preferences> {
    let rows = user_settings::Entity::find()
        .filter(user_settings::Column::UserId.eq(user.0))
        .filter(user_settings::Column::Key.is_in([TIME_ZONE, DAY_START_HOUR]))
        .all(conn)
        .await?;
    let value = |key: &str| rows.iter().find(|r| r.key == key).map(|r| &r.value);
    Ok(Preferences::stored(value(TIME_ZONE), value(DAY_START_HOUR)))
}

/// The actor's settings as the sign-in check read them while rules may decide on them,
/// else as stored now.
pub async fn of_actor(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    user: UserId,
) -> AppResult<Preferences> {
    match actor.deciding() {
        Some(signed_in) if signed_in.row.id == user.0 => Ok(signed_in.preferences),
        _ => load(conn, user).await,
    }
}

impl Preferences {
    /// The settings from their stored values (`user_settings.value` of each key); a missing
    /// or unreadable one keeps its default.
    pub fn stored(
        time_zone: Option<&serde_json::Value>,
        day_start_hour: Option<&serde_json::Value>,
    ) -> Self {
        let mut preferences = Preferences::default();
        if let Some(zone) = time_zone
            .and_then(serde_json::Value::as_str)
            .and_then(|zone| zone.parse().ok())
        {
            preferences.time_zone = zone;
        }
        if let Some(hour) = day_start_hour
            .and_then(serde_json::Value::as_u64)
            .and_then(|h| u32::try_from(h).ok())
            .filter(|h| *h < 24)
        {
            preferences.day_start_hour = hour;
        }
        preferences
    }

    /// The subquery reading one setting's stored value for the user in `user_column`
    /// (the sign-in check selects both beside the user's row).
    pub fn setting_subquery(
        key: &'static str,
        user_column: impl sea_orm::sea_query::IntoColumnRef,
    ) -> sea_orm::sea_query::SelectStatement {
        use sea_orm::sea_query::{Expr, ExprTrait, Query};
        Query::select()
            .column(user_settings::Column::Value)
            .from(user_settings::Entity)
            .and_where(Expr::col(user_settings::Column::UserId).equals(user_column))
            .and_where(Expr::col(user_settings::Column::Key).eq(key))
            .limit(1)
            .to_owned()
    }
}

/// The setting keys the day follows.
pub const KEYS: [&str; 2] = [TIME_ZONE, DAY_START_HOUR];

pub async fn update(
    db: &DatabaseConnection,
    sign_ins: &SignInCache,
    actor: &Actor,
    update: PreferencesChanges,
    now: DateTime<Utc>,
) -> AppResult<Preferences> {
    let user = actor.require_user()?;
    let mut changes = Vec::new();
    if let Some(zone) = update.time_zone {
        let zone: Tz = zone.parse().map_err(|_| {
            AppError::bad_input("timeZone", format!("`{zone}` is not an IANA time zone"))
        })?;
        changes.push((TIME_ZONE, serde_json::Value::String(zone.name().to_owned())));
    }
    if let Some(hour) = update.day_start_hour {
        if !(0..24).contains(&hour) {
            return Err(AppError::bad_input("dayStartHour", "an hour from 0 to 23"));
        }
        changes.push((DAY_START_HOUR, serde_json::Value::from(hour)));
    }
    let txn = begin_write(db).await?;
    for (key, value) in changes {
        user_settings::Entity::insert(user_settings::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.0),
            key: Set(key.to_owned()),
            value: Set(value),
            created_at: Set(now.into()),
            updated_at: Set(now.into()),
        })
        .on_conflict(
            OnConflict::columns([user_settings::Column::UserId, user_settings::Column::Key])
                .update_columns([
                    user_settings::Column::Value,
                    user_settings::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec(&txn)
        .await?;
    }
    let preferences = load(&txn, user).await?;
    txn.commit().await?;
    sign_ins.forget_user(user);
    Ok(preferences)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_local_date_follows_the_zone_and_the_day_start_hour() {
        let auckland = Preferences {
            time_zone: chrono_tz::Pacific::Auckland,
            day_start_hour: 0,
        };
        // 10:30 UTC on 25 Nov is 23:30 in Auckland (NZDT, +13).
        let at = Utc
            .with_ymd_and_hms(2026, 11, 25, 10, 30, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            auckland.local_date(at),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default()
        );
        let night_owl = Preferences {
            day_start_hour: 4,
            ..Preferences::default()
        };
        let at = Utc
            .with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
            .single()
            .unwrap_or_default();
        assert_eq!(
            night_owl.local_date(at),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default()
        );
    }
}
