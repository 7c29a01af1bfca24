//! Plan templates: a named list of items (no refs, nothing done) a user applies to a date.
//! A template is its author's to write (anyone else: NOT_FOUND); `isPublic` ones are listed
//! to every signed-in user, their author shown by display name only. A moderator with
//! `plan_templates:update` may unpublish one. Applying copies the items with new ids,
//! each remembering the template item it came from, so applying the same template to a
//! date again adds nothing twice (APPEND) or starts the day over (REPLACE); `use_count`
//! rises by one per application, atomically.
pub mod apply;
pub mod input;
pub mod keeping;
pub mod reads;
pub mod store;

use entity::plan_templates;

use super::plans::{PlanItem, items};

/// A template's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TemplateId(pub uuid::Uuid);

/// A template with its items parsed.
#[derive(Debug, Clone)]
pub struct TemplateView {
    pub row: plan_templates::Model,
    pub items: Vec<PlanItem>,
}

impl From<plan_templates::Model> for TemplateView {
    fn from(row: plan_templates::Model) -> Self {
        let items = items::from_json(&row.items, row.id);
        Self { row, items }
    }
}
