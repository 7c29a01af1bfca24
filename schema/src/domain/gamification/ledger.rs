//! `award`: the one way XP, coins and skill stars are paid or taken back. Each award is
//! one `points_ledger` row; the wallet, the level and the skills move with it in the same
//! transaction, by increments, so at every commit the balances are the ledger's sums.
use chrono::{DateTime, Utc};
use entity::{points_ledger, user_progress, user_skills, user_wallet};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    Set,
    sea_query::{Expr, ExprTrait, OnConflict},
};
use uuid::Uuid;

use super::{
    Action, activity, award_statement, award_steps, levels,
    reward_events::{self, RewardEvent, RewardEventKind},
    rewards::LedgerSource,
    skills::{self, SkillRule},
};
use crate::domain::{AppError, AppResult, Reason, UserId};

/// What one award pays (negative amounts take back), under its ledger `source`; a repeat
/// of the same `idempotency_key` pays nothing more. Areas take theirs from the rewards
/// table (`rewards::focus_session`, `rewards::habit_completion`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub source: LedgerSource,
    pub event_id: Option<Uuid>,
    pub xp: i32,
    pub coins: i32,
    /// A skill and the stars it gains.
    pub skill: Option<(String, i32)>,
    pub reason: Option<String>,
    pub idempotency_key: Option<String>,
}

impl Award {
    /// Nothing yet, from `source`: the base the rewards table fills in.
    pub fn new(source: LedgerSource) -> Self {
        Self {
            source,
            event_id: None,
            xp: 0,
            coins: 0,
            skill: None,
            reason: None,
            idempotency_key: None,
        }
    }

    /// The award that takes this one back: the same amounts negated, as a new row.
    pub fn reversal(&self, idempotency_key: Option<String>) -> Award {
        Award {
            source: LedgerSource::Reversal,
            event_id: self.event_id,
            xp: -self.xp,
            coins: -self.coins,
            skill: self.skill.clone().map(|(key, stars)| (key, -stars)),
            reason: Some(format!("reversal of {}", self.source.as_str())),
            idempotency_key,
        }
    }

    pub(super) fn stars(&self) -> i32 {
        self.skill.as_ref().map_or(0, |(_, stars)| *stars)
    }
}

/// The ledger row an award wrote, or the earlier one a repeated key found.
#[derive(Debug, Clone)]
pub struct Awarded {
    pub entry: points_ledger::Model,
    pub repeated: bool,
    /// The level the user reached, when this award changed it.
    pub new_level: Option<i32>,
    /// Lifetime XP after this award, when it moved XP or stars.
    pub total_xp: Option<i64>,
}

/// Pays `award` to `user` inside the caller's transaction (open it with `begin_write`).
pub async fn award(
    conn: &impl ConnectionTrait,
    user: UserId,
    award: Award,
    now: DateTime<Utc>,
) -> AppResult<Awarded> {
    let rule = rule_of(conn, &award).await?;
    pay(conn, user, award, rule.as_ref(), now).await
}

/// [`award`] of an action's reward, with its activity event (see [`pay_for`]).
pub(super) async fn award_action(
    conn: &impl ConnectionTrait,
    user: UserId,
    action: &Action,
    now: DateTime<Utc>,
) -> AppResult<Awarded> {
    let rule = rule_of(conn, &action.award).await?;
    pay_for(conn, user, action, rule.as_ref(), now).await
}

/// The rule of the skill `award` pays stars in, when it names one.
async fn rule_of(conn: &impl ConnectionTrait, award: &Award) -> AppResult<Option<SkillRule>> {
    Ok(match &award.skill {
        Some((key, _)) => Some(skills::definition(conn, key).await?.into()),
        None => None,
    })
}

/// [`award`] with the rule of its skill already read (the engine's snapshot has it).
pub(super) async fn pay(
    conn: &impl ConnectionTrait,
    user: UserId,
    award: Award,
    rule: Option<&SkillRule>,
    now: DateTime<Utc>,
) -> AppResult<Awarded> {
    pay_with(conn, user, &award, None, rule, now).await
}

/// Pays `action`'s award and writes its activity event with what it paid (none when its
/// key was used before). On PostgreSQL the event is one more clause of the award's
/// statement.
pub(super) async fn pay_for(
    conn: &impl ConnectionTrait,
    user: UserId,
    action: &Action,
    rule: Option<&SkillRule>,
    now: DateTime<Utc>,
) -> AppResult<Awarded> {
    pay_with(conn, user, &action.award, Some(action), rule, now).await
}

async fn pay_with(
    conn: &impl ConnectionTrait,
    user: UserId,
    award: &Award,
    event: Option<&Action>,
    rule: Option<&SkillRule>,
    now: DateTime<Utc>,
) -> AppResult<Awarded> {
    let rule = rule.filter(|_| award.skill.is_some() && award.stars() != 0);
    if let (Some((key, _)), Some(rule)) = (&award.skill, rule) {
        debug_assert_eq!(key, &rule.key);
    }
    let moved = match conn.get_database_backend() {
        DbBackend::Postgres => award_statement::write(conn, user, award, event, rule, now).await?,
        _ => {
            let moved = award_steps::write(conn, user, award, rule, now).await?;
            if let Some(action) = event.filter(|_| !moved.repeated) {
                activity::write(conn, user, action, &moved.entry, now).await?;
            }
            moved
        }
    };
    if moved.repeated {
        return Ok(Awarded {
            entry: moved.entry,
            repeated: true,
            new_level: None,
            total_xp: None,
        });
    }
    let (new_level, total_xp) = match moved.progress {
        Some(progress) => settle_level(conn, progress).await?,
        None => (None, None),
    };
    if let (Some(skill), Some(rule)) = (moved.skill, rule) {
        skills::roll(conn, rule, skill).await?;
    }
    if let Some(level) = new_level.filter(|_| award.xp > 0) {
        let mut event = RewardEvent::new(
            user,
            RewardEventKind::LevelUp,
            format!("Level {level}"),
            now,
        );
        event.level = Some(level);
        reward_events::publish(conn, event).await?;
    }
    Ok(Awarded {
        entry: moved.entry,
        repeated: false,
        new_level,
        total_xp,
    })
}

/// What writing an award's row moved, before levels are settled.
pub(super) struct Moved {
    pub entry: points_ledger::Model,
    /// The key was used before: `entry` is the first row, and nothing moved.
    pub repeated: bool,
    /// The progress row after the move, when XP or stars moved.
    pub progress: Option<user_progress::Model>,
    /// The skill's row after the move, when the award has a skill rule and stars.
    pub skill: Option<user_skills::Model>,
}

/// Writes the ledger row for `award` unless its idempotency key was used before. Returns
/// the row that stands for it, and whether that row was already there. One statement for
/// a new row (its `RETURNING`); a repeat reads the first.
pub(super) async fn write_entry(
    conn: &impl ConnectionTrait,
    user: UserId,
    award: &Award,
    now: DateTime<Utc>,
) -> AppResult<(points_ledger::Model, bool)> {
    let inserted = points_ledger::Entity::insert(points_ledger::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        event_type: Set(award.source.as_str().to_owned()),
        event_id: Set(award.event_id),
        coins: Set(award.coins),
        xp: Set(award.xp),
        skill_stars: Set(Some(award.stars())),
        skill_key: Set(award.skill.as_ref().map(|(key, _)| key.clone())),
        reason: Set(award.reason.clone()),
        idempotency_key: Set(award.idempotency_key.clone()),
        created_at: Set(now.into()),
    })
    // Repeats the partial unique index's WHERE, or PostgreSQL finds no matching index.
    .on_conflict(
        OnConflict::columns([
            points_ledger::Column::UserId,
            points_ledger::Column::IdempotencyKey,
        ])
        .target_and_where(Expr::col(points_ledger::Column::IdempotencyKey).is_not_null())
        .do_nothing()
        .to_owned(),
    )
    .exec_with_returning(conn)
    .await;
    match (inserted, &award.idempotency_key) {
        (Ok(entry), _) => Ok((entry, false)),
        (Err(err), Some(key)) if returned_nothing(&err) => {
            Ok((first_with_key(conn, user, key).await?, true))
        }
        (Err(err), _) => Err(err.into()),
    }
}

/// The row that first used `key`: what a repeat of it answers.
pub(super) async fn first_with_key(
    conn: &impl ConnectionTrait,
    user: UserId,
    key: &str,
) -> AppResult<points_ledger::Model> {
    points_ledger::Entity::find()
        .filter(points_ledger::Column::UserId.eq(user.0))
        .filter(points_ledger::Column::IdempotencyKey.eq(key))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("the ledger row for a key is missing".into()))
}

/// Creates the user's wallet and progress rows on their first award.
pub(super) async fn ensure_balances(
    conn: &impl ConnectionTrait,
    user: UserId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    user_wallet::Entity::insert(user_wallet::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        coins: Set(0),
        total_earned: Set(0),
        total_spent: Set(0),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::column(user_wallet::Column::UserId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    user_progress::Entity::insert(user_progress::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        total_xp: Set(0),
        current_level: Set(1),
        xp_to_next_level: Set(levels::step(1) as i32),
        total_skill_stars: Set(0),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::column(user_progress::Column::UserId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Whether an insert with `RETURNING` wrote no row (its conflict did nothing, or its
/// update's condition failed): sea-orm says so in one of two ways.
pub(super) fn returned_nothing(err: &DbErr) -> bool {
    matches!(err, DbErr::RecordNotInserted | DbErr::RecordNotFound(_))
}

pub(super) fn total_limit(what: &str) -> AppError {
    AppError::conflict(
        Reason::TotalLimitReached,
        format!("this would take the user's {what} past the largest total kept"),
    )
}

/// The XP a brand-new progress row still misses for level 2 after its first `xp`.
pub(super) fn first_to_next(xp: i32) -> i32 {
    i32::try_from(levels::step(1)).unwrap_or(i32::MAX) - xp
}

/// Corrects the level of a progress row whose XP just moved: a second statement only when
/// the move crossed a level. Returns the new level when it changed, and the lifetime XP.
async fn settle_level(
    conn: &impl ConnectionTrait,
    progress: user_progress::Model,
) -> AppResult<(Option<i32>, Option<i64>)> {
    let total = i64::from(progress.total_xp);
    let standing = levels::standing(total);
    let to_next = i32::try_from(standing.to_next).unwrap_or(i32::MAX);
    if standing.level == progress.current_level && to_next == progress.xp_to_next_level {
        return Ok((None, Some(total)));
    }
    let changed = standing.level != progress.current_level;
    let mut leveled: user_progress::ActiveModel = progress.into();
    leveled.current_level = Set(standing.level);
    leveled.xp_to_next_level = Set(to_next);
    leveled.update(conn).await?;
    Ok((changed.then_some(standing.level), Some(total)))
}
