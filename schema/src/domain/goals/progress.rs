//! A goal's progress: the share of its milestones done, in whole percent rounded down (100
//! only when every one is done); a goal without milestones keeps what was set by hand.
use chrono::{DateTime, Utc};
use entity::{goal_milestones, goals};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::domain::AppResult;

/// The percentage `done` of `total` milestones make; none without milestones.
pub fn share(done: usize, total: usize) -> Option<i32> {
    (total > 0).then(|| i32::try_from(done.min(total) * 100 / total).unwrap_or(100))
}

/// Recomputes a goal's progress from its milestones after they changed.
pub async fn refresh(
    conn: &impl ConnectionTrait,
    goal: goals::Model,
    now: DateTime<Utc>,
) -> AppResult<goals::Model> {
    let milestones = goal_milestones::Entity::find()
        .filter(goal_milestones::Column::GoalId.eq(goal.id))
        .all(conn)
        .await?;
    settle(conn, goal, &milestones, now).await
}

/// Stores the progress `milestones` (all of the goal's, as they now stand) make, when it
/// moved.
pub async fn settle(
    conn: &impl ConnectionTrait,
    goal: goals::Model,
    milestones: &[goal_milestones::Model],
    now: DateTime<Utc>,
) -> AppResult<goals::Model> {
    let done = milestones.iter().filter(|m| m.is_completed).count();
    match share(done, milestones.len()) {
        Some(progress) if progress != goal.progress => {
            let mut row: goals::ActiveModel = goal.into();
            row.progress = Set(progress);
            row.updated_at = Set(now.into());
            Ok(row.update(conn).await?)
        }
        _ => Ok(goal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_the_share_done_rounded_down() {
        assert_eq!(share(0, 0), None);
        assert_eq!(share(0, 3), Some(0));
        assert_eq!(share(1, 3), Some(33));
        assert_eq!(share(2, 3), Some(66));
        assert_eq!(share(199, 200), Some(99), "100 only when all are done");
        assert_eq!(share(4, 4), Some(100));
    }
}
