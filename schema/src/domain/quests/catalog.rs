//! The catalog as admins keep it: create, update, retire, reinstate, delete, each needing
//! its `universal_quests:*` entitlement and audited with the quest before and after.
//! Retiring hides a quest from the catalog and refuses new accepts, while holders finish
//! their current period; deleting a quest someone holds is CONFLICT `QUEST_IN_USE` (the
//! cascade would erase their history). Reward edits apply to claims made after them.
use chrono::{DateTime, Utc};
use entity::{universal_quests, user_quest_progress, user_quests};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use uuid::Uuid;

use super::{
    Period, QuestId, Target, TargetType,
    input::{QuestChanges, QuestForWrite},
    terms,
};
use crate::domain::{
    Actor, AppError, AppResult, Reason, RequestMeta,
    auth::audit::{self, AuditEntry},
    db::begin_write,
    rbac::{Entitlement, access},
};

/// Who acts, where from, and when.
#[derive(Debug, Clone, Copy)]
pub struct AdminCall<'a> {
    pub actor: &'a Actor,
    pub meta: &'a RequestMeta,
    pub now: DateTime<Utc>,
}

pub async fn create(
    db: &DatabaseConnection,
    call: AdminCall<'_>,
    changes: QuestChanges,
) -> AppResult<universal_quests::Model> {
    let admin = access::require(
        db,
        call.actor,
        Entitlement::UNIVERSAL_QUESTS_CREATE,
        call.now,
    )
    .await?;
    let quest = changes.for_create()?;
    let txn = begin_write(db).await?;
    if let Some(skill) = &quest.skill_key {
        crate::domain::gamification::skills::definition(&txn, skill)
            .await
            .map_err(|_| AppError::bad_input("skillKey", format!("no skill `{skill}`")))?;
    }
    let row = universal_quests::ActiveModel {
        id: Set(Uuid::now_v7()),
        created_by: Set(Some(admin.0)),
        is_active: Set(true),
        created_at: Set(call.now.into()),
        updated_at: Set(call.now.into()),
        ..written(&quest)
    }
    .insert(&txn)
    .await?;
    record(&txn, call, admin.0, "create", None, Some(&row)).await?;
    txn.commit().await?;
    Ok(row)
}

pub async fn update(
    db: &DatabaseConnection,
    call: AdminCall<'_>,
    id: QuestId,
    changes: QuestChanges,
) -> AppResult<universal_quests::Model> {
    let admin = access::require(
        db,
        call.actor,
        Entitlement::UNIVERSAL_QUESTS_UPDATE,
        call.now,
    )
    .await?;
    let txn = begin_write(db).await?;
    let before = locked(&txn, id).await?;
    let quest = changes.apply(stored(&before))?;
    if let Some(skill) = quest
        .skill_key
        .as_ref()
        .filter(|k| before.skill_key.as_ref() != Some(*k))
    {
        crate::domain::gamification::skills::definition(&txn, skill)
            .await
            .map_err(|_| AppError::bad_input("skillKey", format!("no skill `{skill}`")))?;
    }
    let mut row = written(&quest);
    row.id = sea_orm::ActiveValue::Unchanged(before.id);
    row.updated_at = Set(call.now.into());
    let after = row.update(&txn).await?;
    terms::keep_replaced(&txn, &before, &after, call.now).await?;
    record(&txn, call, admin.0, "update", Some(&before), Some(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// Retires (`active = false`) or reinstates (`true`) a quest; asking for what stands
/// changes nothing.
pub async fn set_active(
    db: &DatabaseConnection,
    call: AdminCall<'_>,
    id: QuestId,
    active: bool,
) -> AppResult<universal_quests::Model> {
    let admin = access::require(
        db,
        call.actor,
        Entitlement::UNIVERSAL_QUESTS_UPDATE,
        call.now,
    )
    .await?;
    let txn = begin_write(db).await?;
    let before = locked(&txn, id).await?;
    if before.is_active == active {
        txn.commit().await?;
        return Ok(before);
    }
    let mut row: universal_quests::ActiveModel = before.clone().into();
    row.is_active = Set(active);
    row.updated_at = Set(call.now.into());
    let after = row.update(&txn).await?;
    let action = if active { "reinstate" } else { "retire" };
    record(&txn, call, admin.0, action, Some(&before), Some(&after)).await?;
    txn.commit().await?;
    Ok(after)
}

/// Deletes a quest nobody holds.
pub async fn delete(
    db: &DatabaseConnection,
    call: AdminCall<'_>,
    id: QuestId,
) -> AppResult<QuestId> {
    let admin = access::require(
        db,
        call.actor,
        Entitlement::UNIVERSAL_QUESTS_DELETE,
        call.now,
    )
    .await?;
    let txn = begin_write(db).await?;
    let before = locked(&txn, id).await?;
    let holders = user_quest_progress::Entity::find()
        .filter(user_quest_progress::Column::QuestId.eq(id.0))
        .count(&txn)
        .await?;
    let copies = user_quests::Entity::find()
        .filter(user_quests::Column::SourceQuestId.eq(id.0))
        .count(&txn)
        .await?;
    if holders + copies > 0 {
        return Err(AppError::conflict(
            Reason::QuestInUse,
            format!("{holders} user(s) hold this quest; retire it instead"),
        ));
    }
    universal_quests::Entity::delete_by_id(id.0)
        .exec(&txn)
        .await?;
    record(&txn, call, admin.0, "delete", Some(&before), None).await?;
    txn.commit().await?;
    Ok(id)
}

async fn locked(conn: &impl ConnectionTrait, id: QuestId) -> AppResult<universal_quests::Model> {
    universal_quests::Entity::find_by_id(id.0)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::not_found("quest", id.0))
}

/// A stored row as the base changes apply over.
fn stored(row: &universal_quests::Model) -> QuestForWrite {
    let kind = TargetType::parse(&row.target_type).unwrap_or(TargetType::XpEarned);
    QuestForWrite {
        title: row.title.clone(),
        description: row.description.clone(),
        period: Period::parse(&row.r#type).unwrap_or(Period::OneTime),
        target: Target::stored(&row.target_type, row.target_config.as_ref()).unwrap_or(Target {
            kind,
            min_session_minutes: None,
            habit: None,
        }),
        target_count: row.target,
        target_config: row.target_config.clone(),
        xp_reward: row.xp_reward,
        coin_reward: row.coin_reward,
        skill_key: row.skill_key.clone(),
        sort_order: row.sort_order,
    }
}

fn written(quest: &QuestForWrite) -> universal_quests::ActiveModel {
    universal_quests::ActiveModel {
        title: Set(quest.title.clone()),
        description: Set(quest.description.clone()),
        r#type: Set(quest.period.as_str().to_owned()),
        xp_reward: Set(quest.xp_reward),
        coin_reward: Set(quest.coin_reward),
        target: Set(quest.target_count),
        target_type: Set(quest.target.kind.as_str().to_owned()),
        target_config: Set(quest.target_config.clone()),
        skill_key: Set(quest.skill_key.clone()),
        sort_order: Set(quest.sort_order),
        ..Default::default()
    }
}

fn describe(row: &universal_quests::Model) -> serde_json::Value {
    json!({
        "title": row.title,
        "type": row.r#type,
        "targetType": row.target_type,
        "target": row.target,
        "targetConfig": row.target_config,
        "xpReward": row.xp_reward,
        "coinReward": row.coin_reward,
        "skillKey": row.skill_key,
        "isActive": row.is_active,
    })
}

async fn record(
    conn: &impl ConnectionTrait,
    call: AdminCall<'_>,
    admin: Uuid,
    action: &'static str,
    before: Option<&universal_quests::Model>,
    after: Option<&universal_quests::Model>,
) -> AppResult<()> {
    let quest = before.or(after).map(|q| q.id);
    let event = match action {
        "create" => "quest_created",
        "update" => "quest_updated",
        "retire" => "quest_retired",
        "reinstate" => "quest_reinstated",
        _ => "quest_deleted",
    };
    let entry = AuditEntry {
        resource_type: Some("universal_quests"),
        resource_id: quest,
        action: Some(action),
        ..AuditEntry::success(event).user(admin).details(json!({
            "before": before.map(describe),
            "after": after.map(describe),
        }))
    };
    audit::record(conn, call.meta, call.now, entry).await
}
