//! Skills: stars earned in a skill roll over into its levels, `stars_per_level` each, up
//! to `max_level`.
use chrono::{DateTime, Utc};
use entity::{skill_definitions, user_skills};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, OnConflict},
};
use uuid::Uuid;

use crate::domain::{AppError, AppResult, UserId};

pub async fn definition(
    conn: &impl ConnectionTrait,
    key: &str,
) -> AppResult<skill_definitions::Model> {
    skill_definitions::Entity::find()
        .filter(skill_definitions::Column::Key.eq(key))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("skill", key))
}

/// A skill's level and the stars into it, from its lifetime stars.
/// How a skill's stars roll into levels: the part of its definition paying needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillRule {
    pub key: String,
    pub stars_per_level: i32,
    pub max_level: i32,
}

impl From<skill_definitions::Model> for SkillRule {
    fn from(definition: skill_definitions::Model) -> Self {
        Self {
            key: definition.key,
            stars_per_level: definition.stars_per_level,
            max_level: definition.max_level,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkillStanding {
    pub level: i32,
    pub current_stars: i32,
}

pub fn standing(total_stars: i32, stars_per_level: i32, max_level: i32) -> SkillStanding {
    let per = stars_per_level.max(1);
    let max = max_level.max(1);
    let total = total_stars.max(0);
    let level = (1 + total / per).min(max);
    SkillStanding {
        level,
        // At the top level the stars keep counting up to one level's worth.
        current_stars: (total - (level - 1) * per).min(if level == max { per } else { per - 1 }),
    }
}

/// Adds `stars` (negative takes back) to the user's skill of `definition`: one upsert that
/// creates the row on the first stars, moving the lifetime and the current stars together.
/// Returns the row as it stands; [`roll`] then settles its level.
pub(super) async fn add_stars(
    conn: &impl ConnectionTrait,
    user: UserId,
    definition: &SkillRule,
    stars: i32,
    now: DateTime<Utc>,
) -> AppResult<user_skills::Model> {
    use sea_orm::sea_query::ExprTrait;
    use user_skills::Column as C;
    let stored = |column| Expr::col((user_skills::Entity, column));
    let skill = user_skills::Entity::insert(user_skills::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.0),
        skill_key: Set(definition.key.clone()),
        current_stars: Set(stars),
        current_level: Set(1),
        total_stars: Set(stars),
        created_at: Set(now.into()),
        updated_at: Set(now.into()),
    })
    .on_conflict(
        OnConflict::columns([C::UserId, C::SkillKey])
            .values([
                (C::TotalStars, stored(C::TotalStars).add(stars)),
                (C::CurrentStars, stored(C::CurrentStars).add(stars)),
                (C::UpdatedAt, Expr::value(now)),
            ])
            .to_owned(),
    )
    .exec_with_returning(conn)
    .await?;
    Ok(skill)
}

/// Rolls a skill whose stars just moved into the level its lifetime stars give: a
/// statement only when the move crossed a level.
pub(super) async fn roll(
    conn: &impl ConnectionTrait,
    definition: &SkillRule,
    skill: user_skills::Model,
) -> AppResult<()> {
    let at = standing(
        skill.total_stars,
        definition.stars_per_level,
        definition.max_level,
    );
    if (at.level, at.current_stars) == (skill.current_level, skill.current_stars) {
        return Ok(());
    }
    let mut rolled: user_skills::ActiveModel = skill.into();
    rolled.current_level = Set(at.level);
    rolled.current_stars = Set(at.current_stars);
    rolled.update(conn).await?;
    Ok(())
}

/// Every skill in catalog order, with the user's progress in it (none yet: level 1).
pub async fn of_user(
    conn: &impl ConnectionTrait,
    user: UserId,
) -> AppResult<Vec<(skill_definitions::Model, Option<user_skills::Model>)>> {
    let definitions = skill_definitions::Entity::find()
        .order_by_asc(skill_definitions::Column::SortOrder)
        .all(conn)
        .await?;
    let mine = user_skills::Entity::find()
        .filter(user_skills::Column::UserId.eq(user.0))
        .all(conn)
        .await?;
    Ok(definitions
        .into_iter()
        .map(|d| {
            let progress = mine.iter().find(|s| s.skill_key == d.key).cloned();
            (d, progress)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_roll_over_into_levels_and_stop_at_the_cap() {
        assert_eq!(
            standing(0, 10, 100),
            SkillStanding {
                level: 1,
                current_stars: 0
            }
        );
        assert_eq!(
            standing(9, 10, 100),
            SkillStanding {
                level: 1,
                current_stars: 9
            }
        );
        assert_eq!(
            standing(10, 10, 100),
            SkillStanding {
                level: 2,
                current_stars: 0
            }
        );
        assert_eq!(
            standing(25, 10, 100),
            SkillStanding {
                level: 3,
                current_stars: 5
            }
        );
        assert_eq!(
            standing(45, 10, 3),
            SkillStanding {
                level: 3,
                current_stars: 10
            },
            "capped"
        );
        assert_eq!(
            standing(-4, 10, 100),
            SkillStanding {
                level: 1,
                current_stars: 0
            }
        );
    }
}
