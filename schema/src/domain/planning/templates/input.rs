//! What a client sends for a template, parsed: a name (1–200), an optional description,
//! category (1–50) and at most 100 items, each checked like a plan item but without refs
//! (a template is shared; its items link to nothing).
use uuid::Uuid;

use crate::domain::{
    AppError, AppResult,
    planning::plans::{MAX_ITEMS, PlanItem, input::NewPlanItem},
    text,
};

/// The longest category.
const MAX_CATEGORY: usize = 50;

pub fn name(value: &str) -> AppResult<String> {
    text::required("name", value, 200)
}

pub fn description(value: Option<String>) -> AppResult<Option<String>> {
    text::optional("description", value, 2_000)
}

pub fn category(value: Option<String>) -> AppResult<Option<String>> {
    text::optional("category", value, MAX_CATEGORY)
}

/// A template's items: checked, refs refused, each with a new id.
pub fn items(values: Vec<NewPlanItem>) -> AppResult<Vec<PlanItem>> {
    if values.len() > MAX_ITEMS {
        return Err(AppError::bad_input(
            "items",
            format!("a template holds at most {MAX_ITEMS} items"),
        ));
    }
    values
        .into_iter()
        .map(|value| {
            if value.item_ref.is_some() {
                return Err(AppError::bad_input(
                    "ref",
                    "template items link to nothing (a template may be shared)",
                ));
            }
            Ok(value.parse()?.into_item(Uuid::now_v7()))
        })
        .collect()
}

/// A new template.
#[derive(Debug, Clone)]
pub struct NewPlanTemplate {
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub is_public: bool,
    pub items: Vec<NewPlanItem>,
}

/// Changes to a template; `None` leaves a field as it is (`Some(None)` clears it).
#[derive(Debug, Clone, Default)]
pub struct PlanTemplateChanges {
    pub name: Option<String>,
    pub description: Option<Option<String>>,
    pub category: Option<Option<String>>,
    pub is_public: Option<bool>,
    pub items: Option<Vec<NewPlanItem>>,
}

/// A template's fields, checked.
#[derive(Debug, Clone)]
pub struct TemplateFields {
    pub name: String,
    pub description: Option<String>,
    pub category: Option<String>,
    pub is_public: bool,
    pub items: Vec<PlanItem>,
}

impl NewPlanTemplate {
    pub fn parse(self) -> AppResult<TemplateFields> {
        Ok(TemplateFields {
            name: name(&self.name)?,
            description: description(self.description)?,
            category: category(self.category)?,
            is_public: self.is_public,
            items: items(self.items)?,
        })
    }
}

/// A plan's items as a template's: new ids, nothing done, no refs, no history.
pub fn from_plan(plan_items: &[PlanItem]) -> Vec<PlanItem> {
    plan_items
        .iter()
        .map(|item| PlanItem {
            id: Uuid::now_v7(),
            done: false,
            done_at: None,
            item_ref: None,
            carried_from: None,
            source: None,
            link: Default::default(),
            ..item.clone()
        })
        .collect()
}
