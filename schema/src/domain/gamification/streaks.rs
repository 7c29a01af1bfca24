//! Streaks of consecutive local days: `daily` (any rewarded action), `focus` (a completed
//! work session), `habit` (any habit completion). Days are the user's local dates (time
//! zone and day-start hour from their settings), so DST never doubles or skips a day, and
//! after a time-zone move a date already counted is not counted again.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::user_streaks;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict};
use uuid::Uuid;

use crate::domain::{Actor, AppResult, UserId, auth::preferences};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreakType {
    Daily,
    Focus,
    Habit,
}

impl StreakType {
    pub const ALL: [Self; 3] = [Self::Daily, Self::Focus, Self::Habit];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Focus => "focus",
            Self::Habit => "habit",
        }
    }
}

/// A streak's numbers after activity on `date`, given what was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Streak {
    pub current: i32,
    pub longest: i32,
    pub last: Option<NaiveDate>,
}

impl Streak {
    /// No activity yet.
    pub const NONE: Streak = Streak {
        current: 0,
        longest: 0,
        last: None,
    };

    /// Counts activity on `date`: the next day extends, a gap restarts at 1, the same or an
    /// earlier date (a move west across time zones) changes nothing.
    pub fn with_activity_on(self, date: NaiveDate) -> Streak {
        let current = match self.last {
            Some(last) if date <= last => return self,
            Some(last) if last.succ_opt() == Some(date) => self.current + 1,
            _ => 1,
        };
        Streak {
            current,
            longest: self.longest.max(current),
            last: Some(date),
        }
    }

    /// The current length as seen on `today`: a missed day means it is broken, even before
    /// the next activity is stored.
    pub fn current_on(&self, today: NaiveDate) -> i32 {
        match self.last {
            Some(last) if last >= today.pred_opt().unwrap_or(today) => self.current,
            _ => 0,
        }
    }
}

impl From<&user_streaks::Model> for Streak {
    fn from(row: &user_streaks::Model) -> Self {
        Self {
            current: row.current_streak,
            longest: row.longest_streak,
            last: row.last_activity_date,
        }
    }
}

/// A user's streaks as the engine holds them while it records an action: read with its
/// snapshot, moved in memory, and the changed ones written back in one upsert.
#[derive(Debug, Clone, Default)]
pub struct Book {
    streaks: HashMap<StreakType, Streak>,
    changed: HashSet<StreakType>,
}

impl Book {
    pub fn new(stored: HashMap<StreakType, Streak>) -> Self {
        Self {
            streaks: stored,
            changed: HashSet::new(),
        }
    }

    pub fn get(&self, kind: StreakType) -> Streak {
        self.streaks.get(&kind).copied().unwrap_or(Streak::NONE)
    }

    /// Counts activity of `kind` on `date`.
    pub fn count(&mut self, kind: StreakType, date: NaiveDate) {
        let before = self.get(kind);
        let after = before.with_activity_on(date);
        if after != before || !self.streaks.contains_key(&kind) {
            self.streaks.insert(kind, after);
            self.changed.insert(kind);
        }
    }

    /// Counts a habit completion for `date` on the user's `habit` streak when it only moves
    /// the streak forward; false when the date lies before the last one counted (a grace
    /// completion after today's), which only a recount of the completions can settle.
    pub fn count_habit(&mut self, date: NaiveDate) -> bool {
        match self.get(StreakType::Habit).last {
            Some(last) if date < last => false,
            _ => {
                self.count(StreakType::Habit, date);
                true
            }
        }
    }

    /// Each streak type as of `today` (broken ones read 0), with its numbers.
    pub fn as_of(&self, today: NaiveDate) -> Vec<(StreakType, Streak, i32)> {
        StreakType::ALL
            .into_iter()
            .map(|kind| {
                let streak = self.get(kind);
                (kind, streak, streak.current_on(today))
            })
            .collect()
    }

    /// Writes the streaks that changed, in one statement.
    pub async fn save(
        &mut self,
        conn: &impl ConnectionTrait,
        user: UserId,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut changed: Vec<StreakType> = self.changed.drain().collect();
        changed.sort_by_key(|kind| kind.as_str());
        let streaks: Vec<(StreakType, Streak)> = changed
            .into_iter()
            .map(|kind| (kind, self.get(kind)))
            .collect();
        upsert(conn, user, &streaks, now).await
    }
}

/// Writes `streaks` as the user's, inserting the ones never stored, in one statement.
async fn upsert(
    conn: &impl ConnectionTrait,
    user: UserId,
    streaks: &[(StreakType, Streak)],
    now: DateTime<Utc>,
) -> AppResult<()> {
    use user_streaks::Column as C;
    if streaks.is_empty() {
        return Ok(());
    }
    let rows = streaks
        .iter()
        .map(|(kind, streak)| user_streaks::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user.0),
            streak_type: Set(kind.as_str().to_owned()),
            current_streak: Set(streak.current),
            longest_streak: Set(streak.longest),
            last_activity_date: Set(streak.last),
            created_at: Set(now.into()),
            updated_at: Set(now.into()),
        });
    user_streaks::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::columns([C::UserId, C::StreakType])
                .update_columns([
                    C::CurrentStreak,
                    C::LongestStreak,
                    C::LastActivityDate,
                    C::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The user's stored streak of `kind`, if any activity was ever counted.
pub async fn stored(
    conn: &impl ConnectionTrait,
    user: UserId,
    kind: StreakType,
) -> AppResult<Option<user_streaks::Model>> {
    Ok(user_streaks::Entity::find()
        .filter(user_streaks::Column::UserId.eq(user.0))
        .filter(user_streaks::Column::StreakType.eq(kind.as_str()))
        .one(conn)
        .await?)
}

/// Replaces the user's streak of `kind` with a recomputed one (e.g. after an undo took
/// back the activity it counted).
pub async fn store(
    conn: &impl ConnectionTrait,
    user: UserId,
    kind: StreakType,
    streak: Streak,
    now: DateTime<Utc>,
) -> AppResult<()> {
    upsert(conn, user, &[(kind, streak)], now).await
}

/// The signed-in user's streaks, as of their local today.
pub async fn of_viewer(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    now: DateTime<Utc>,
) -> AppResult<Vec<(StreakType, Streak, i32)>> {
    let user = actor.require_user()?;
    let today = preferences::of_actor(conn, actor, user)
        .await?
        .local_date(now);
    of_user(conn, user, today).await
}

/// Every streak type of the user, as of their local `today` (broken ones read 0).
pub async fn of_user(
    conn: &impl ConnectionTrait,
    user: UserId,
    today: NaiveDate,
) -> AppResult<Vec<(StreakType, Streak, i32)>> {
    let stored = user_streaks::Entity::find()
        .filter(user_streaks::Column::UserId.eq(user.0))
        .all(conn)
        .await?;
    let book = Book::new(
        stored
            .iter()
            .filter_map(|row| {
                let kind = StreakType::ALL
                    .into_iter()
                    .find(|k| k.as_str() == row.streak_type)?;
                Some((kind, Streak::from(row)))
            })
            .collect(),
    );
    Ok(book.as_of(today))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap_or_default()
    }

    const NONE: Streak = Streak::NONE;

    #[test]
    fn consecutive_days_extend_and_a_gap_restarts() {
        let s = NONE
            .with_activity_on(day(1))
            .with_activity_on(day(2))
            .with_activity_on(day(3));
        assert_eq!((s.current, s.longest), (3, 3));
        let s = s.with_activity_on(day(5));
        assert_eq!(
            (s.current, s.longest),
            (1, 3),
            "a missed day restarts, the best is kept"
        );
    }

    #[test]
    fn the_same_day_or_an_earlier_one_never_counts_twice() {
        let s = NONE.with_activity_on(day(2));
        assert_eq!(s.with_activity_on(day(2)), s);
        assert_eq!(
            s.with_activity_on(day(1)),
            s,
            "a move west back into yesterday"
        );
    }

    #[test]
    fn a_read_after_a_missed_day_reports_the_streak_broken() {
        let s = NONE.with_activity_on(day(1)).with_activity_on(day(2));
        assert_eq!(s.current_on(day(2)), 2);
        assert_eq!(s.current_on(day(3)), 2, "today is not over yet");
        assert_eq!(s.current_on(day(4)), 0);
    }
}
