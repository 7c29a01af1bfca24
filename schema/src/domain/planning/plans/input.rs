//! What a client sends for a plan item, parsed: `NewPlanItem` → [`ItemFields`],
//! `PlanItemChanges` → the fields after the change. Titles 1–200 characters, start times
//! `HH:MM`, durations 1 minute to a day, a ref naming exactly one target of the item's own
//! kind (a habit for HABIT, …, an occurrence for EVENT). Ownership of refs is checked in
//! the write's transaction (`store::check_ref`).
use chrono::NaiveTime;
use uuid::Uuid;

use super::{ItemKind, ItemRef, MAX_DURATION_MINUTES, MAX_TITLE, PlanItem, items::parse_time};
use crate::domain::{AppError, AppResult, planning::calendar::OccurrenceId, text};

/// A ref as a client names it: exactly one field set.
#[derive(Debug, Clone, Default)]
pub struct NewRef {
    pub habit_id: Option<Uuid>,
    pub goal_id: Option<Uuid>,
    pub milestone_id: Option<Uuid>,
    pub occurrence_id: Option<String>,
}

impl NewRef {
    pub fn parse(self) -> AppResult<ItemRef> {
        let mut found = Vec::new();
        if let Some(id) = self.habit_id {
            found.push(ItemRef::Habit(id));
        }
        if let Some(id) = self.goal_id {
            found.push(ItemRef::Goal(id));
        }
        if let Some(id) = self.milestone_id {
            found.push(ItemRef::Milestone(id));
        }
        if let Some(id) = self.occurrence_id {
            found.push(ItemRef::Occurrence(OccurrenceId::parse(&id).map_err(
                |_| AppError::bad_input("ref.occurrenceId", "not an occurrence id"),
            )?));
        }
        match found.as_slice() {
            [one] => Ok(*one),
            _ => Err(AppError::bad_input(
                "ref",
                "name exactly one of habitId, goalId, milestoneId, occurrenceId",
            )),
        }
    }
}

/// A new item as a client writes it.
#[derive(Debug, Clone)]
pub struct NewPlanItem {
    pub kind: ItemKind,
    pub title: String,
    pub start_time: Option<String>,
    pub duration_minutes: Option<i32>,
    pub item_ref: Option<NewRef>,
}

/// An item's own fields, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemFields {
    pub kind: ItemKind,
    pub title: String,
    pub start_time: Option<NaiveTime>,
    pub duration_minutes: Option<i32>,
    pub item_ref: Option<ItemRef>,
}

impl ItemFields {
    /// A new, undone item with these fields.
    pub fn into_item(self, id: Uuid) -> PlanItem {
        PlanItem {
            id,
            kind: self.kind,
            title: self.title,
            start_time: self.start_time,
            duration_minutes: self.duration_minutes,
            done: false,
            done_at: None,
            item_ref: self.item_ref,
            carried_from: None,
            source: None,
            link: super::LinkState::default(),
        }
    }
}

pub fn title(value: &str) -> AppResult<String> {
    text::required("title", value, MAX_TITLE)
}

pub fn start_time(value: Option<&str>) -> AppResult<Option<NaiveTime>> {
    value
        .map(|t| {
            parse_time(t).ok_or_else(|| AppError::bad_input("startTime", "a local time HH:MM"))
        })
        .transpose()
}

pub fn duration(value: Option<i32>) -> AppResult<Option<i32>> {
    match value {
        Some(m) if !(1..=MAX_DURATION_MINUTES).contains(&m) => Err(AppError::bad_input(
            "durationMinutes",
            format!("from 1 to {MAX_DURATION_MINUTES} minutes"),
        )),
        other => Ok(other),
    }
}

/// A ref must name a target of the item's own kind.
fn check_kind(kind: ItemKind, item_ref: Option<ItemRef>) -> AppResult<()> {
    let fits = match item_ref {
        None => true,
        Some(ItemRef::Habit(_)) => kind == ItemKind::Habit,
        Some(ItemRef::Goal(_)) => kind == ItemKind::Goal,
        Some(ItemRef::Milestone(_)) => kind == ItemKind::Milestone,
        Some(ItemRef::Occurrence(_)) => kind == ItemKind::Event,
    };
    if fits {
        Ok(())
    } else {
        Err(AppError::bad_input(
            "ref",
            "a ref names a target of the item's kind (HABIT: habitId, GOAL: goalId, MILESTONE: milestoneId, EVENT: occurrenceId)",
        ))
    }
}

impl NewPlanItem {
    pub fn parse(self) -> AppResult<ItemFields> {
        let item_ref = self.item_ref.map(NewRef::parse).transpose()?;
        check_kind(self.kind, item_ref)?;
        Ok(ItemFields {
            kind: self.kind,
            title: title(&self.title)?,
            start_time: start_time(self.start_time.as_deref())?,
            duration_minutes: duration(self.duration_minutes)?,
            item_ref,
        })
    }
}

/// Changes to an item; `None` leaves a field as it is, `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct PlanItemChanges {
    pub kind: Option<ItemKind>,
    pub title: Option<String>,
    pub start_time: Option<Option<String>>,
    pub duration_minutes: Option<Option<i32>>,
    pub item_ref: Option<Option<NewRef>>,
}

impl PlanItemChanges {
    /// The item's fields after the change.
    pub fn parse(self, item: &PlanItem) -> AppResult<ItemFields> {
        let item_ref = match self.item_ref {
            Some(r) => r.map(NewRef::parse).transpose()?,
            None => item.item_ref,
        };
        let kind = self.kind.unwrap_or(item.kind);
        check_kind(kind, item_ref)?;
        Ok(ItemFields {
            kind,
            title: match self.title {
                Some(t) => title(&t)?,
                None => item.title.clone(),
            },
            start_time: match self.start_time {
                Some(t) => start_time(t.as_deref())?,
                None => item.start_time,
            },
            duration_minutes: match self.duration_minutes {
                Some(d) => duration(d)?,
                None => item.duration_minutes,
            },
            item_ref,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(kind: ItemKind, r: Option<NewRef>) -> NewPlanItem {
        NewPlanItem {
            kind,
            title: " Write ".into(),
            start_time: Some("09:30".into()),
            duration_minutes: Some(30),
            item_ref: r,
        }
    }

    #[test]
    fn items_are_checked_and_refs_fit_their_kind() {
        let parsed = new(ItemKind::Task, None).parse().unwrap();
        assert_eq!(parsed.title, "Write");
        assert_eq!(parsed.start_time, NaiveTime::from_hms_opt(9, 30, 0));
        let habit = NewRef {
            habit_id: Some(Uuid::nil()),
            ..NewRef::default()
        };
        assert!(new(ItemKind::Habit, Some(habit.clone())).parse().is_ok());
        assert!(new(ItemKind::Task, Some(habit)).parse().is_err());
        assert!(
            new(ItemKind::Habit, Some(NewRef::default()))
                .parse()
                .is_err()
        );
        let mut late = new(ItemKind::Task, None);
        late.start_time = Some("24:00".into());
        assert!(late.parse().is_err());
        let mut long = new(ItemKind::Task, None);
        long.duration_minutes = Some(0);
        assert!(long.parse().is_err());
    }
}
