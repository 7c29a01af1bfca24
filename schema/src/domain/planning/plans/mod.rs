//! Daily plans: one per user and local date (their zone and day-start hour). `items` is a
//! typed list ([`PlanItem`]) the API never exposes raw: validated on write (at most
//! [`MAX_ITEMS`], bounded text, refs the viewer owns), parsed back leniently (a malformed
//! item is skipped and logged, never a panic). Item mutations lock the plan row and touch
//! only their item, so concurrent edits of different items all survive; a whole-plan change
//! may name the `version` it read (a hash of the content) and gets PLAN_CHANGED when the
//! plan moved on. Completing an item linked to a habit, goal or milestone completes it
//! through that area's own rules; planning itself pays a little, once per date.
pub mod carry;
pub mod completion;
pub mod input;
pub mod items;
pub mod keeping;
pub mod payments;
pub mod reads;
pub mod store;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz as Zone;
use uuid::Uuid;

use super::calendar::OccurrenceId;
use crate::domain::auth::preferences::Preferences;

/// The most items one day's plan holds.
pub const MAX_ITEMS: usize = 100;
/// The longest item title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest notes of a plan, in characters.
pub const MAX_NOTES: usize = 10_000;
/// The longest an item may last: a day.
pub const MAX_DURATION_MINUTES: i32 = 24 * 60;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Task,
    Habit,
    Goal,
    Milestone,
    Focus,
    Event,
    Break,
}

impl ItemKind {
    pub const ALL: [Self; 7] = [
        Self::Task,
        Self::Habit,
        Self::Goal,
        Self::Milestone,
        Self::Focus,
        Self::Event,
        Self::Break,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Task => "task",
            Self::Habit => "habit",
            Self::Goal => "goal",
            Self::Milestone => "milestone",
            Self::Focus => "focus",
            Self::Event => "event",
            Self::Break => "break",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// What an item links to: one of the viewer's habits, goals, milestones, or a calendar
/// occurrence. Read live; a deleted target reads as null and the item stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemRef {
    Habit(Uuid),
    Goal(Uuid),
    Milestone(Uuid),
    Occurrence(OccurrenceId),
}

/// Where an item came from when a template put it there: the template and its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TemplateSource {
    pub template: Uuid,
    pub item: Uuid,
}

/// What completing the item did to its linked habit, goal or milestone, so that
/// uncompleting undoes exactly that (and nothing the user did elsewhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LinkState {
    /// The habit completion this item logged, while it stands.
    pub completion: Option<Uuid>,
    /// This item's completion completed the linked goal or milestone.
    pub completed_target: bool,
    /// How many times this item logged its habit (the next key's occurrence).
    pub completions: u32,
}

/// One item of a day's plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanItem {
    pub id: Uuid,
    pub kind: ItemKind,
    pub title: String,
    /// A local wall-clock time on the plan's date.
    pub start_time: Option<NaiveTime>,
    pub duration_minutes: Option<i32>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub item_ref: Option<ItemRef>,
    /// The date it was carried over from, when it was.
    pub carried_from: Option<NaiveDate>,
    pub source: Option<TemplateSource>,
    pub link: LinkState,
}

/// A day's plan as the viewer reads it: a date with no row reads as an empty plan.
#[derive(Debug, Clone)]
pub struct PlanView {
    pub id: Option<Uuid>,
    pub date: NaiveDate,
    /// In their order: an item's position is its index.
    pub items: Vec<PlanItem>,
    pub notes: Option<String>,
    pub version: String,
    pub updated_at: Option<DateTime<Utc>>,
    pub prefs: Preferences,
}

impl PlanView {
    pub fn zone(&self) -> Zone {
        self.prefs.time_zone
    }

    pub fn item(&self, id: Uuid) -> Option<(usize, &PlanItem)> {
        self.items.iter().enumerate().find(|(_, i)| i.id == id)
    }
}

/// The instant a local `time` on the plan's `date` is, in the user's zone. A day starts at
/// the user's day-start hour, so a time before it belongs to the calendar day after
/// (`01:30` on a day starting at 04:00 is the next morning). A time a DST change skips is
/// read one hour later, one it repeats as the first.
pub fn starts_at(prefs: &Preferences, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    use chrono::{Days, TimeDelta, TimeZone};
    let day_start = NaiveTime::from_hms_opt(prefs.day_start_hour, 0, 0)?;
    let day = if time < day_start {
        date.checked_add_days(Days::new(1))?
    } else {
        date
    };
    let local = day.and_time(time);
    let zone = prefs.time_zone;
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + TimeDelta::hours(1)))
                .earliest()
        })
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_times_stay_local_and_follow_the_day_start_hour() {
        let berlin = Preferences {
            time_zone: chrono_tz::Europe::Berlin,
            day_start_hour: 0,
        };
        let dst = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        assert_eq!(
            starts_at(&berlin, dst, nine).map(|a| a.to_rfc3339()),
            Some("2026-03-29T07:00:00+00:00".into())
        );
        let before = dst.pred_opt().unwrap();
        assert_eq!(
            starts_at(&berlin, before, nine).map(|a| a.to_rfc3339()),
            Some("2026-03-28T08:00:00+00:00".into())
        );
        let skipped = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            starts_at(&berlin, dst, skipped).map(|a| a.to_rfc3339()),
            Some("2026-03-29T01:30:00+00:00".into())
        );
        let owl = Preferences {
            day_start_hour: 4,
            ..Preferences::default()
        };
        let late = NaiveTime::from_hms_opt(1, 30, 0).unwrap();
        assert_eq!(
            starts_at(&owl, before, late).map(|a| a.to_rfc3339()),
            Some("2026-03-29T01:30:00+00:00".into())
        );
    }

    #[test]
    fn kinds_read_back_from_their_names() {
        for kind in ItemKind::ALL {
            assert_eq!(ItemKind::parse(kind.as_str()), Some(kind));
        }
    }
}
