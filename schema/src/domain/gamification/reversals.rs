//! Undoing a rewarded action. What it paid is taken back by new negative ledger rows
//! (`Award::reversal`, never a delete), each payment once, and its activity event leaves
//! the feed. Doing the thing again pays again under the next occurrence's key, so the net
//! is one reward for what stands done, while a retried request (the same key) pays once.
use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Utc};
use entity::{points_ledger, skill_definitions};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect,
    RelationDef,
};
use uuid::Uuid;

use super::{
    Award, Awarded, EventType, activity, ledger,
    rewards::{LedgerSource, keys},
    skills::SkillRule,
};
use crate::domain::{AppError, AppResult, UserId, auth::preferences::Preferences};

/// The ledger rows paid for one subject (a completion, a milestone, a goal, a habit's
/// streak bonuses): `event_id` names the subject, `event_type` the kind of payment. Each
/// row comes with the rule of the skill it paid stars to, so taking it back reads nothing
/// more.
#[derive(Debug, Clone, Default)]
pub struct Payments {
    pays: Vec<points_ledger::Model>,
    reversed: HashSet<Uuid>,
    rules: Vec<SkillRule>,
}

/// A ledger row's skill, by key (the spec's schema has no foreign key there to name).
fn skill_of_payment() -> RelationDef {
    points_ledger::Entity::belongs_to(skill_definitions::Entity)
        .from(points_ledger::Column::SkillKey)
        .to(skill_definitions::Column::Key)
        .into()
}

impl Payments {
    /// Reads what `source` paid `user` for `subject`, oldest first, and what was taken back.
    pub async fn of(
        conn: &impl ConnectionTrait,
        user: UserId,
        source: LedgerSource,
        subject: Uuid,
    ) -> AppResult<Self> {
        let found = points_ledger::Entity::find()
            .select_also(skill_definitions::Entity)
            .join(JoinType::LeftJoin, skill_of_payment())
            .filter(points_ledger::Column::UserId.eq(user.0))
            .filter(points_ledger::Column::EventId.eq(subject))
            .order_by_asc(points_ledger::Column::CreatedAt)
            .order_by_asc(points_ledger::Column::Id)
            .all(conn)
            .await?;
        let mut payments = Self::default();
        for (row, skill) in found {
            if let Some(reversed) = row.idempotency_key.as_deref().and_then(keys::reversed_row) {
                payments.reversed.insert(reversed);
            }
            if let Some(skill) = skill.filter(|d| payments.rule(&d.key).is_none()) {
                payments.rules.push(skill.into());
            }
            if row.event_type == source.as_str() {
                payments.pays.push(row);
            }
        }
        Ok(payments)
    }

    fn rule(&self, skill: &str) -> Option<&SkillRule> {
        self.rules.iter().find(|r| r.key == skill)
    }

    /// The payments not taken back, oldest first.
    pub fn standing(&self) -> impl Iterator<Item = &points_ledger::Model> {
        self.pays.iter().filter(|p| !self.reversed.contains(&p.id))
    }

    /// Every payment, taken back or not, oldest first.
    pub fn all(&self) -> impl Iterator<Item = &points_ledger::Model> {
        self.pays.iter()
    }

    /// How many times the subject was paid, taken back or not: the next doing is one more.
    pub fn occurrences(&self) -> usize {
        self.pays.len()
    }

    /// The occurrence the next doing is (from 1). Two racing requests compute the same
    /// one, so the ledger's unique index on its key lets one of them pay.
    pub fn next_occurrence(&self) -> usize {
        self.occurrences() + 1
    }

    /// Takes back one of these payments exactly, once however often it is asked
    /// (`reversal:<row id>`).
    pub async fn reverse(
        &self,
        conn: &impl ConnectionTrait,
        user: UserId,
        paid: &points_ledger::Model,
        now: DateTime<Utc>,
    ) -> AppResult<Awarded> {
        let source = LedgerSource::parse(&paid.event_type).unwrap_or(LedgerSource::Adjustment);
        let rule = match paid.skill_key.as_deref() {
            Some(key) => Some(
                self.rule(key)
                    .ok_or_else(|| AppError::not_found("skill", key))?,
            ),
            None => None,
        };
        let original = Award {
            source,
            event_id: paid.event_id,
            xp: paid.xp,
            coins: paid.coins,
            skill: paid
                .skill_key
                .clone()
                .map(|key| (key, paid.skill_stars.unwrap_or_default())),
            reason: paid.reason.clone(),
            idempotency_key: paid.idempotency_key.clone(),
        };
        let reversal = original.reversal(Some(keys::reversal(paid.id)));
        ledger::pay(conn, user, reversal, rule, now).await
    }
}

/// An action to undo: what paid for it, and the activity event it wrote.
#[derive(Debug, Clone)]
pub struct Undo<'a> {
    /// The ledger source of its payment, e.g. `Habit`, `Milestone`, `Goal`.
    pub source: LedgerSource,
    pub subject: Uuid,
    pub event_type: EventType,
    /// When it was done: its activity event's timestamp.
    pub done_at: DateTime<FixedOffset>,
    /// The metadata key its activity event names the subject under.
    pub subject_key: &'a str,
}

/// Takes back everything still standing that `undo.source` paid for the subject,
/// retracts the action's activity event and counts the user's quests again (progress the
/// action made goes, with a claim it carried).
pub async fn undo_action(
    conn: &impl ConnectionTrait,
    user: UserId,
    prefs: &Preferences,
    undo: Undo<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let payments = Payments::of(conn, user, undo.source, undo.subject).await?;
    for paid in payments.standing() {
        payments.reverse(conn, user, paid, now).await?;
    }
    activity::retract(
        conn,
        user,
        undo.event_type,
        undo.done_at,
        undo.subject_key,
        undo.subject,
    )
    .await?;
    crate::domain::quests::follow(conn, user, prefs, now).await
}
