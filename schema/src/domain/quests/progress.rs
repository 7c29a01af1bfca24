//! Following the user's activity: each held quest starts a new period when its last one
//! is over (once, by a conditional update, paying a completion left unclaimed under its
//! claim's key), then counts its progress from the activity log of the current period,
//! since the later of the period start and the acceptance. Falling back below the target
//! (an undo) makes a completed quest active again and reverses a claim it carried.
use chrono::{DateTime, Utc};
use entity::{activity_events, universal_quests, user_quest_progress};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::Expr,
};

use super::{Period, Standing, Target, claims, period::Window, terms};
use crate::domain::{
    AppResult, UserId,
    auth::preferences::Preferences,
    clock::utc,
    gamification::{RewardEvent, RewardEventKind, reward_events},
};

/// A user's standing on a catalog quest, with the quest.
#[derive(Debug, Clone)]
pub struct Held {
    pub row: user_quest_progress::Model,
    pub quest: universal_quests::Model,
}

impl Held {
    pub fn period(&self) -> Period {
        Period::parse(&self.quest.r#type).unwrap_or(Period::OneTime)
    }

    /// The period holding `now` for this standing.
    pub fn window(&self, prefs: &Preferences, now: DateTime<Utc>) -> Window {
        self.period().window(prefs, utc(&self.row.accepted_at), now)
    }

    /// Whether the stored period is older than `window` (a reset is due).
    pub fn is_stale(&self, window: &Window) -> bool {
        self.period() != Period::OneTime
            && self
                .row
                .last_reset_at
                .as_ref()
                .is_none_or(|at| utc(at) < window.start)
    }

    /// Where this period's counting starts: the later of its start and the acceptance.
    pub fn counts_from(&self, window: &Window) -> DateTime<Utc> {
        window.start.max(utc(&self.row.accepted_at))
    }

    /// The key of the period the stored row belongs to.
    pub fn stored_period_key(&self, prefs: &Preferences) -> String {
        let at = self
            .row
            .last_reset_at
            .as_ref()
            .unwrap_or(&self.row.accepted_at);
        self.period().key_at(prefs, utc(at))
    }

    pub fn standing(&self) -> Standing {
        Standing::stored(&self.row.status)
    }
}

/// Every standing of `user`, with its quest and the rewards in force for its period (two
/// statements).
pub async fn held(conn: &impl ConnectionTrait, user: UserId) -> AppResult<Vec<Held>> {
    let mut held: Vec<Held> = user_quest_progress::Entity::find()
        .filter(user_quest_progress::Column::UserId.eq(user.0))
        .find_also_related(universal_quests::Entity)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(row, quest)| Some(Held { row, quest: quest? }))
        .collect();
    terms::in_force(conn, &mut held).await?;
    Ok(held)
}

pub async fn follow(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    now: DateTime<Utc>,
) -> AppResult<Vec<Held>> {
    let all = held(conn, user).await?;
    if all.is_empty() {
        return Ok(all);
    }
    let prefs = *prefs;
    let mut current = Vec::with_capacity(all.len());
    for held in all {
        let window = held.window(&prefs, now);
        if !held.is_stale(&window) {
            current.push((held, window));
        } else if let Some(fresh) = start_period(conn, user, held, &prefs, &window, now).await? {
            current.push((fresh, window));
        }
    }
    let Some(since) = current.iter().map(|(h, w)| h.counts_from(w)).min() else {
        return Ok(Vec::new());
    };
    let events = activity_events::Entity::find()
        .filter(activity_events::Column::UserId.eq(user.0))
        .filter(activity_events::Column::CreatedAt.gte(since))
        .all(conn)
        .await?;
    let mut followed = Vec::with_capacity(current.len());
    for (held, window) in current {
        followed.push(recount(conn, user, held, &window, &events, &prefs, now).await?);
    }
    Ok(followed)
}

/// Starts the period `window` for a stale standing, once: the conditional update lets one
/// of any racing instances win, and only the winner pays a completion left unclaimed. A
/// retired quest starts no new period; what it completed is paid all the same. Returns
/// the standing as it now stands, when it has a current period.
async fn start_period(
    conn: &impl ConnectionTrait,
    user: UserId,
    held: Held,
    prefs: &Preferences,
    window: &Window,
    now: DateTime<Utc>,
) -> AppResult<Option<Held>> {
    let old_key = held.stored_period_key(prefs);
    let unclaimed = held.standing() == Standing::Completed;
    let id = held.row.id;
    let mut update = user_quest_progress::Entity::update_many()
        .col_expr(user_quest_progress::Column::UpdatedAt, Expr::value(now))
        .filter(user_quest_progress::Column::Id.eq(id));
    if held.quest.is_active {
        update = update
            .col_expr(
                user_quest_progress::Column::Status,
                Expr::value(Standing::Active.as_str()),
            )
            .col_expr(user_quest_progress::Column::Progress, Expr::value(0))
            .col_expr(
                user_quest_progress::Column::CompletedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                user_quest_progress::Column::ClaimedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(
                user_quest_progress::Column::LastResetAt,
                Expr::value(window.start),
            )
            .filter(
                Condition::any()
                    .add(user_quest_progress::Column::LastResetAt.is_null())
                    .add(user_quest_progress::Column::LastResetAt.lt(window.start)),
            );
    } else if unclaimed {
        // Retired: the period is over for good; its completion is paid and shows claimed.
        update = update
            .col_expr(
                user_quest_progress::Column::Status,
                Expr::value(Standing::Claimed.as_str()),
            )
            .col_expr(user_quest_progress::Column::ClaimedAt, Expr::value(now))
            .filter(user_quest_progress::Column::Status.eq(Standing::Completed.as_str()));
    } else {
        return Ok(None);
    }
    let won = update.exec(conn).await?.rows_affected == 1;
    if won && unclaimed {
        claims::pay(conn, user, prefs, &held, &old_key, now).await?;
    }
    if !held.quest.is_active {
        return Ok(None);
    }
    let row = user_quest_progress::Entity::find_by_id(id)
        .one(conn)
        .await?;
    Ok(row.map(|row| Held {
        row,
        quest: held.quest,
    }))
}

/// Counts a standing's progress in `window` again and moves its status with it; returns
/// the standing as it now stands.
async fn recount(
    conn: &impl ConnectionTrait,
    user: UserId,
    held: Held,
    window: &Window,
    events: &[activity_events::Model],
    prefs: &Preferences,
    now: DateTime<Utc>,
) -> AppResult<Held> {
    let Some(target) = Target::stored(&held.quest.target_type, held.quest.target_config.as_ref())
    else {
        return Ok(held);
    };
    let goal = i64::from(held.quest.target.max(1));
    let count = target.count(events, held.counts_from(window), prefs);
    let progress = i32::try_from(count.min(goal)).unwrap_or(i32::MAX);
    let reached = count >= goal;
    let standing = held.standing();
    let next = match (standing, reached) {
        (Standing::Active, true) => Standing::Completed,
        (Standing::Completed | Standing::Claimed, false) => Standing::Active,
        (same, _) => same,
    };
    if next == standing && progress == held.row.progress {
        return Ok(held);
    }
    if standing == Standing::Claimed && next == Standing::Active {
        claims::take_back(conn, user, &held, &window.key, now).await?;
    }
    let times = held.row.times_completed;
    let mut row: user_quest_progress::ActiveModel = held.row.into();
    row.progress = Set(progress);
    row.updated_at = Set(now.into());
    if next != standing {
        row.status = Set(next.as_str().to_owned());
        if next == Standing::Completed {
            row.completed_at = Set(Some(now.into()));
            row.times_completed = Set(times + 1);
            let completed = RewardEvent::quest(
                user,
                RewardEventKind::QuestCompleted,
                held.quest.id,
                &held.quest.title,
                now,
            );
            reward_events::publish(conn, completed).await?;
        } else {
            row.completed_at = Set(None);
            row.claimed_at = Set(None);
            row.times_completed = Set((times - 1).max(0));
        }
    }
    let row = row.update(conn).await?;
    Ok(Held {
        row,
        quest: held.quest,
    })
}
