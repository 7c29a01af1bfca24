//! PostgreSQL: an award's ledger row, wallet, progress and skill, and the activity event
//! of the action it pays, written in one statement (data-modifying `WITH` clauses), where
//! SQLite sends one statement each. The balances and the event move only from the row the
//! ledger insert returned, so a repeated key moves nothing.
use chrono::{DateTime, Utc};
use entity::{points_ledger, user_progress, user_skills};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, QueryResult, Statement, Value};
use uuid::Uuid;

use super::{
    Action,
    ledger::{Award, Moved, first_to_next, first_with_key, total_limit},
    skills::SkillRule,
};
use crate::domain::{AppError, AppResult, UserId};

/// The ledger row; `$1`…`$11` are its columns, and the later clauses read them from it.
const ENTRY: &str = r#"WITH entry AS (
  INSERT INTO points_ledger (id, user_id, event_type, event_id, coins, xp, skill_stars,
                             skill_key, reason, idempotency_key, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
  ON CONFLICT (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
  RETURNING id AS e_id, user_id AS e_user_id, event_type AS e_event_type,
            event_id AS e_event_id, coins AS e_coins, xp AS e_xp,
            skill_stars AS e_skill_stars, skill_key AS e_skill_key, reason AS e_reason,
            idempotency_key AS e_idempotency_key, created_at AS e_created_at
)"#;

/// The wallet (`$12` a new one's id), refused past the INTEGER range as `move_wallet` does.
const WALLET: &str = r#", wallet AS (
  INSERT INTO user_wallet AS w (id, user_id, coins, total_earned, total_spent, created_at,
                                updated_at)
  SELECT $12, e_user_id, e_coins, e_coins, 0, e_created_at, e_created_at FROM entry
  ON CONFLICT (user_id) DO UPDATE SET coins = w.coins + excluded.coins,
    total_earned = w.total_earned + excluded.total_earned, updated_at = excluded.updated_at
  WHERE CAST(w.coins AS BIGINT) + excluded.coins BETWEEN -2147483648 AND 2147483647
    AND CAST(w.total_earned AS BIGINT) + excluded.coins BETWEEN -2147483648 AND 2147483647
  RETURNING 1
)"#;

/// Progress (`$13` a new row's id, `$14` its XP to level 2), when XP or stars move.
const PROGRESS: &str = r#", progress AS (
  INSERT INTO user_progress AS p (id, user_id, total_xp, current_level, xp_to_next_level,
                                  total_skill_stars, created_at, updated_at)
  SELECT $13, e_user_id, e_xp, 1, $14, e_skill_stars, e_created_at, e_created_at FROM entry
  WHERE e_xp <> 0 OR e_skill_stars <> 0
  ON CONFLICT (user_id) DO UPDATE SET total_xp = p.total_xp + excluded.total_xp,
    total_skill_stars = p.total_skill_stars + excluded.total_skill_stars,
    xp_to_next_level = p.xp_to_next_level - excluded.total_xp,
    updated_at = excluded.updated_at
  WHERE CAST(p.total_xp AS BIGINT) + excluded.total_xp BETWEEN -2147483648 AND 2147483647
    AND CAST(p.total_skill_stars AS BIGINT) + excluded.total_skill_stars
        BETWEEN -2147483648 AND 2147483647
  RETURNING id AS p_id, user_id AS p_user_id, total_xp AS p_total_xp,
            current_level AS p_current_level, xp_to_next_level AS p_xp_to_next_level,
            total_skill_stars AS p_total_skill_stars, created_at AS p_created_at,
            updated_at AS p_updated_at
)"#;

/// The skill's stars (`$15` a new row's id), for an award with a skill rule and stars.
const SKILL: &str = r#", skill AS (
  INSERT INTO user_skills AS s (id, user_id, skill_key, current_stars, current_level,
                                total_stars, created_at, updated_at)
  SELECT $15, e_user_id, e_skill_key, e_skill_stars, 1, e_skill_stars, e_created_at,
         e_created_at FROM entry
  ON CONFLICT (user_id, skill_key) DO UPDATE SET
    total_stars = s.total_stars + excluded.total_stars,
    current_stars = s.current_stars + excluded.current_stars,
    updated_at = excluded.updated_at
  RETURNING id AS s_id, user_id AS s_user_id, skill_key AS s_skill_key,
            current_stars AS s_current_stars, current_level AS s_current_level,
            total_stars AS s_total_stars, created_at AS s_created_at, updated_at AS s_updated_at
)"#;

/// The action's activity event (`$n`…`$n+3` its id, type, category and metadata), with
/// what the ledger row paid; none when the row was not written (a repeated key).
fn event_clause(first: usize) -> String {
    let [id, kind, category, metadata] = [first, first + 1, first + 2, first + 3];
    format!(
        ", event AS (\n  INSERT INTO activity_events (id, user_id, event_type, category, \
         metadata, xp_earned, coins_earned, created_at)\n  SELECT ${id}, e_user_id, ${kind}, \
         ${category}, ${metadata}, e_xp, e_coins, e_created_at FROM entry\n)"
    )
}

const ANSWER: &str = "SELECT entry.*, (SELECT COUNT(*) FROM wallet) AS wallet_moved, progress.*";

/// Writes `award` for `user` inside the caller's transaction; `rule` is the skill's, when
/// the award has stars in one.
pub(super) async fn write(
    conn: &impl ConnectionTrait,
    user: UserId,
    award: &Award,
    event: Option<&Action>,
    rule: Option<&SkillRule>,
    now: DateTime<Utc>,
) -> AppResult<Moved> {
    let mut values: Vec<Value> = vec![
        Uuid::now_v7().into(),
        user.0.into(),
        award.source.as_str().into(),
        award.event_id.into(),
        award.coins.into(),
        award.xp.into(),
        award.stars().into(),
        award.skill.as_ref().map(|(key, _)| key.clone()).into(),
        award.reason.clone().into(),
        award.idempotency_key.clone().into(),
        now.into(),
        Uuid::now_v7().into(),
        Uuid::now_v7().into(),
        first_to_next(award.xp).into(),
    ];
    if rule.is_some() {
        values.push(Uuid::now_v7().into());
    }
    // A data-modifying clause runs whether or not the answer reads it.
    let event = match event {
        Some(action) => {
            let clause = event_clause(values.len() + 1);
            values.extend([
                Uuid::now_v7().into(),
                action.event_type.as_str().into(),
                action.category.clone().into(),
                action.metadata.clone().into(),
            ]);
            clause
        }
        None => String::new(),
    };
    let sql = if rule.is_some() {
        format!(
            "{ENTRY}{WALLET}{PROGRESS}{SKILL}{event} {ANSWER}, skill.* FROM entry \
             LEFT JOIN progress ON true LEFT JOIN skill ON true"
        )
    } else {
        format!("{ENTRY}{WALLET}{PROGRESS}{event} {ANSWER} FROM entry LEFT JOIN progress ON true")
    };
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, sql, values);
    let Some(row) = conn.query_one_raw(statement).await? else {
        // The ledger insert returned nothing: its key was used before.
        let key = award.idempotency_key.as_deref().ok_or_else(|| {
            AppError::Internal("a ledger row without a key was not written".into())
        })?;
        return Ok(Moved {
            entry: first_with_key(conn, user, key).await?,
            repeated: true,
            progress: None,
            skill: None,
        });
    };
    moved(&row, award, rule.is_some())
}

/// What the statement's one row says moved; a balance it refused to move is a conflict
/// (the caller's transaction then takes the ledger row back too).
fn moved(row: &QueryResult, award: &Award, with_skill: bool) -> AppResult<Moved> {
    if row.try_get::<i64>("", "wallet_moved")? == 0 {
        return Err(total_limit("coins"));
    }
    let progress = if row.try_get::<Option<Uuid>>("p_", "id")?.is_some() {
        Some(user_progress::Model::from_query_result(row, "p_")?)
    } else if award.xp != 0 || award.stars() != 0 {
        return Err(total_limit("XP or skill stars"));
    } else {
        None
    };
    let skill = if with_skill && row.try_get::<Option<Uuid>>("s_", "id")?.is_some() {
        Some(user_skills::Model::from_query_result(row, "s_")?)
    } else {
        None
    };
    Ok(Moved {
        entry: points_ledger::Model::from_query_result(row, "e_")?,
        repeated: false,
        progress,
        skill,
    })
}
