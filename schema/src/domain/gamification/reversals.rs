//! Undoing a rewarded action. What it paid is taken back by new negative ledger rows
//! (`Award::reversal`, never a delete), each payment once, and its activity event leaves
//! the feed. Doing the thing again pays again under the next occurrence's key, so the net
//! is one reward for what stands done, while a retried request (the same key) pays once.
use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Utc};
use entity::points_ledger;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{Award, Awarded, EventType, activity, award};
use crate::domain::{AppResult, UserId};

const REVERSAL_PREFIX: &str = "reversal:";

/// The ledger rows paid for one subject (a completion, a milestone, a goal, a habit's
/// streak bonuses): `event_id` names the subject, `event_type` the kind of payment.
#[derive(Debug, Clone, Default)]
pub struct Payments {
    pays: Vec<points_ledger::Model>,
    reversed: HashSet<Uuid>,
}

impl Payments {
    /// Reads what `source` paid `user` for `subject`, oldest first, and what was taken back.
    pub async fn of(
        conn: &impl ConnectionTrait,
        user: UserId,
        source: &str,
        subject: Uuid,
    ) -> AppResult<Self> {
        let rows = points_ledger::Entity::find()
            .filter(points_ledger::Column::UserId.eq(user.0))
            .filter(points_ledger::Column::EventId.eq(subject))
            .order_by_asc(points_ledger::Column::CreatedAt)
            .order_by_asc(points_ledger::Column::Id)
            .all(conn)
            .await?;
        let reversed = rows
            .iter()
            .filter_map(|row| {
                row.idempotency_key
                    .as_deref()?
                    .strip_prefix(REVERSAL_PREFIX)
            })
            .filter_map(|id| Uuid::parse_str(id).ok())
            .collect();
        Ok(Self {
            pays: rows
                .into_iter()
                .filter(|r| r.event_type == source)
                .collect(),
            reversed,
        })
    }

    /// The payments not taken back, oldest first.
    pub fn standing(&self) -> impl Iterator<Item = &points_ledger::Model> {
        self.pays.iter().filter(|p| !self.reversed.contains(&p.id))
    }

    /// How many times the subject was paid, taken back or not: the next doing is one more.
    pub fn occurrences(&self) -> usize {
        self.pays.len()
    }

    /// The key of the next doing: `<prefix>#<occurrence>`. Two racing requests compute the
    /// same key, so the ledger's unique index lets one of them pay.
    pub fn next_key(&self, prefix: &str) -> String {
        format!("{prefix}#{}", self.occurrences() + 1)
    }
}

/// Takes back one payment exactly, once however often it is asked (`reversal:<row id>`).
pub async fn reverse(
    conn: &impl ConnectionTrait,
    user: UserId,
    paid: &points_ledger::Model,
    now: DateTime<Utc>,
) -> AppResult<Awarded> {
    let original = Award {
        event_type: paid.event_type.clone(),
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
    let reversal = original.reversal(Some(format!("{REVERSAL_PREFIX}{}", paid.id)));
    award(conn, user, reversal, now).await
}

/// An action to undo: what paid for it, and the activity event it wrote.
#[derive(Debug, Clone)]
pub struct Undo<'a> {
    /// The ledger `event_type` of its payment, e.g. `habit`, `milestone`, `goal`.
    pub source: &'a str,
    pub subject: Uuid,
    pub event_type: EventType,
    /// When it was done: its activity event's timestamp.
    pub done_at: DateTime<FixedOffset>,
    /// The metadata key its activity event names the subject under.
    pub subject_key: &'a str,
}

/// Takes back everything still standing that `undo.source` paid for the subject and
/// retracts the action's activity event.
pub async fn undo_action(
    conn: &impl ConnectionTrait,
    user: UserId,
    undo: Undo<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let payments = Payments::of(conn, user, undo.source, undo.subject).await?;
    for paid in payments.standing() {
        reverse(conn, user, paid, now).await?;
    }
    activity::retract(
        conn,
        user,
        undo.event_type,
        undo.done_at,
        undo.subject_key,
        undo.subject,
    )
    .await
}
