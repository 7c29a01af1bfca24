//! The stored form of a plan's (and a template's) `items`: a JSON array of camelCase
//! objects. Writing always produces what reading accepts; reading is lenient: a value that
//! is not an array reads as no items, and an item that does not parse (a hand-edited row, an
//! older shape) is skipped and logged with `tracing::warn`, never a panic.
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{ItemKind, ItemRef, LinkState, PlanItem, TemplateSource};
use crate::domain::planning::calendar::OccurrenceId;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRef {
    #[serde(rename = "type")]
    kind: String,
    id: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredItem {
    id: Uuid,
    kind: String,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    duration_minutes: Option<i32>,
    #[serde(default)]
    done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    done_at: Option<DateTime<Utc>>,
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    item_ref: Option<StoredRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    carried_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    template_item_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    completion_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    completed_target: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    completions: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

const TIME: &str = "%H:%M";

/// A local time written `HH:MM`.
pub fn format_time(time: NaiveTime) -> String {
    time.format(TIME).to_string()
}

pub fn parse_time(text: &str) -> Option<NaiveTime> {
    (text.len() == 5)
        .then(|| NaiveTime::parse_from_str(text, TIME).ok())
        .flatten()
}

fn stored_ref(r: ItemRef) -> StoredRef {
    let (kind, id) = match r {
        ItemRef::Habit(id) => ("habit", id.to_string()),
        ItemRef::Goal(id) => ("goal", id.to_string()),
        ItemRef::Milestone(id) => ("milestone", id.to_string()),
        ItemRef::Occurrence(id) => ("occurrence", id.to_string()),
    };
    StoredRef {
        kind: kind.to_owned(),
        id,
    }
}

fn read_ref(r: &StoredRef) -> Result<ItemRef, String> {
    let uuid = || Uuid::parse_str(&r.id).map_err(|e| e.to_string());
    Ok(match r.kind.as_str() {
        "habit" => ItemRef::Habit(uuid()?),
        "goal" => ItemRef::Goal(uuid()?),
        "milestone" => ItemRef::Milestone(uuid()?),
        "occurrence" => ItemRef::Occurrence(OccurrenceId::parse(&r.id).map_err(|e| e.to_string())?),
        other => return Err(format!("unknown ref type `{other}`")),
    })
}

fn to_stored(item: &PlanItem) -> StoredItem {
    StoredItem {
        id: item.id,
        kind: item.kind.as_str().to_owned(),
        title: item.title.clone(),
        start_time: item.start_time.map(format_time),
        duration_minutes: item.duration_minutes,
        done: item.done,
        done_at: item.done_at,
        item_ref: item.item_ref.map(stored_ref),
        carried_from: item.carried_from,
        template_id: item.source.map(|s| s.template),
        template_item_id: item.source.map(|s| s.item),
        completion_id: item.link.completion,
        completed_target: item.link.completed_target,
        completions: item.link.completions,
    }
}

fn from_stored(s: StoredItem) -> Result<PlanItem, String> {
    let kind = ItemKind::parse(&s.kind).ok_or_else(|| format!("unknown kind `{}`", s.kind))?;
    let start_time = match s.start_time.as_deref() {
        Some(text) => Some(parse_time(text).ok_or_else(|| format!("bad startTime `{text}`"))?),
        None => None,
    };
    let item_ref = s.item_ref.as_ref().map(read_ref).transpose()?;
    let source = match (s.template_id, s.template_item_id) {
        (Some(template), Some(item)) => Some(TemplateSource { template, item }),
        _ => None,
    };
    Ok(PlanItem {
        id: s.id,
        kind,
        title: s.title,
        start_time,
        duration_minutes: s.duration_minutes,
        done: s.done,
        done_at: s.done_at,
        item_ref,
        carried_from: s.carried_from,
        source,
        link: LinkState {
            completion: s.completion_id,
            completed_target: s.completed_target,
            completions: s.completions,
        },
    })
}

/// The items as stored.
pub fn to_json(items: &[PlanItem]) -> Value {
    Value::Array(
        items
            .iter()
            .map(|item| serde_json::to_value(to_stored(item)).unwrap_or(Value::Null))
            .collect(),
    )
}

/// The items a stored value holds; what does not parse is skipped and logged. `row` names
/// the row for the log.
pub fn from_json(value: &Value, row: Uuid) -> Vec<PlanItem> {
    let Some(list) = value.as_array() else {
        tracing::warn!(%row, "stored plan items are not a list; read as none");
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    list.iter()
        .enumerate()
        .filter_map(|(index, raw)| {
            let parsed = serde_json::from_value::<StoredItem>(raw.clone())
                .map_err(|e| e.to_string())
                .and_then(from_stored);
            match parsed {
                Ok(item) if seen.insert(item.id) => Some(item),
                Ok(item) => {
                    tracing::warn!(%row, index, item = %item.id, "duplicate plan item id skipped");
                    None
                }
                Err(error) => {
                    tracing::warn!(%row, index, %error, "malformed plan item skipped");
                    None
                }
            }
        })
        .collect()
}

/// A plan's version: a hash of its items and notes as stored. It changes with every change
/// (and only then), on both backends alike.
pub fn version(items: &[PlanItem], notes: Option<&str>) -> String {
    let mut hash = Sha256::new();
    hash.update(to_json(items).to_string());
    hash.update([0]);
    hash.update(notes.unwrap_or_default());
    hex::encode(&hash.finalize()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn malformed_items_are_skipped_and_good_ones_survive() {
        let good = json!({ "id": Uuid::nil(), "kind": "task", "title": "Write" });
        let stored = json!([
            good,
            { "id": "not a uuid", "kind": "task", "title": "x" },
            { "id": Uuid::from_u128(2), "kind": "spaceship", "title": "x" },
            { "id": Uuid::from_u128(3), "kind": "task", "title": "x", "startTime": "25:99" },
            42,
            null,
            { "id": Uuid::nil(), "kind": "task", "title": "again" }
        ]);
        let items = from_json(&stored, Uuid::nil());
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].title, "Write");
        assert!(from_json(&json!({"not": "a list"}), Uuid::nil()).is_empty());
        let round = from_json(&to_json(&items), Uuid::nil());
        assert_eq!(round, items);
    }
}
