//! `PlanTemplate` and the template mutations: create, update, delete, save a day's plan as
//! one, apply one to a date, and a moderator's unpublish. The author shows by display name
//! only (batched through the users loader), never by email.
use async_graphql::{Context, Enum, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    plan_mutations::{PlanItemFields, target},
    plans::{DailyPlan, PlanItemKind},
};
use crate::domain::{
    clock::utc,
    planning::{
        plans::{PlanItem, items::format_time},
        templates::{
            TemplateId, TemplateView,
            apply::{self, Mode},
            input::{NewPlanTemplate, PlanTemplateChanges},
            keeping,
        },
    },
};
use crate::graphql::{context::ContextExt, input::change, loaders::owned_error, scalars::Date};

/// A reusable list of items.
pub struct PlanTemplate(TemplateView);

impl From<TemplateView> for PlanTemplate {
    fn from(view: TemplateView) -> Self {
        Self(view)
    }
}

impl From<entity::plan_templates::Model> for PlanTemplate {
    fn from(row: entity::plan_templates::Model) -> Self {
        Self(row.into())
    }
}

/// A template's author as others see them.
#[derive(SimpleObject)]
pub struct PlanTemplateAuthor {
    /// Null when they set none.
    display_name: Option<String>,
}

/// One item of a template.
#[derive(SimpleObject)]
pub struct PlanTemplateItem {
    id: Uuid,
    kind: PlanItemKind,
    title: String,
    /// Local `HH:MM`; lands on the date the template is applied to, in the viewer's zone.
    start_time: Option<String>,
    duration_minutes: Option<i32>,
    position: usize,
}

impl PlanTemplateItem {
    fn new(item: &PlanItem, position: usize) -> Self {
        Self {
            id: item.id,
            kind: item.kind.into(),
            title: item.title.clone(),
            start_time: item.start_time.map(format_time),
            duration_minutes: item.duration_minutes,
            position,
        }
    }
}

#[Object]
impl PlanTemplate {
    async fn id(&self) -> Uuid {
        self.0.row.id
    }

    async fn name(&self) -> &str {
        &self.0.row.name
    }

    async fn description(&self) -> Option<&str> {
        self.0.row.description.as_deref()
    }

    async fn category(&self) -> Option<&str> {
        self.0.row.category.as_deref()
    }

    async fn is_public(&self) -> bool {
        self.0.row.is_public
    }

    /// How many times it was applied, by anyone.
    async fn use_count(&self) -> i32 {
        self.0.row.use_count
    }

    async fn items(&self) -> Vec<PlanTemplateItem> {
        self.0
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| PlanTemplateItem::new(item, i))
            .collect()
    }

    /// True for the viewer's own.
    async fn is_mine(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        Ok(ctx.actor()?.require_user()?.0 == self.0.row.user_id)
    }

    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<PlanTemplateAuthor> {
        let user = ctx
            .loaders()?
            .users()
            .load_one(self.0.row.user_id)
            .await
            .map_err(owned_error)?;
        Ok(PlanTemplateAuthor {
            display_name: user.and_then(|u| u.name),
        })
    }

    async fn created_at(&self) -> DateTime<Utc> {
        utc(&self.0.row.created_at)
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        utc(&self.0.row.updated_at)
    }
}

#[derive(InputObject)]
pub struct CreatePlanTemplateInput {
    /// 1–200 characters.
    name: String,
    description: Option<String>,
    category: Option<String>,
    #[graphql(default = false)]
    is_public: bool,
    /// At most 100; template items link to nothing (no `ref`).
    #[graphql(default)]
    items: Vec<PlanItemFields>,
}

#[derive(InputObject)]
pub struct UpdatePlanTemplateInput {
    template_id: Uuid,
    name: Option<String>,
    description: MaybeUndefined<String>,
    category: MaybeUndefined<String>,
    is_public: Option<bool>,
    /// Replaces every item.
    items: Option<Vec<PlanItemFields>>,
}

#[derive(InputObject)]
pub struct PlanTemplateIdInput {
    template_id: Uuid,
}

#[derive(InputObject)]
pub struct SavePlanAsTemplateInput {
    /// The viewer's today by default.
    date: Option<Date>,
    name: String,
}

/// How a template's items join the day.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PlanTemplateMode {
    /// After the day's own items; items this template already put there are not added again.
    Append,
    /// The day starts over with the template's items.
    Replace,
}

#[derive(InputObject)]
pub struct ApplyPlanTemplateInput {
    template_id: Uuid,
    /// The viewer's today by default.
    date: Option<Date>,
    #[graphql(default_with = "PlanTemplateMode::Append")]
    mode: PlanTemplateMode,
    expected_version: Option<String>,
}

#[derive(SimpleObject)]
pub struct PlanTemplatePayload {
    template: PlanTemplate,
}

#[derive(SimpleObject)]
pub struct DeletePlanTemplatePayload {
    deleted_id: Uuid,
}

#[derive(SimpleObject)]
pub struct ApplyPlanTemplatePayload {
    plan: DailyPlan,
    template: PlanTemplate,
    /// Items the plan gained.
    added: usize,
}

#[derive(Default)]
pub struct PlanTemplatesMutation;

#[Object]
impl PlanTemplatesMutation {
    async fn create_plan_template(
        &self,
        ctx: &Context<'_>,
        input: CreatePlanTemplateInput,
    ) -> async_graphql::Result<PlanTemplatePayload> {
        let settings = &ctx.identity()?.settings;
        let new = NewPlanTemplate {
            name: input.name,
            description: input.description,
            category: input.category,
            is_public: input.is_public,
            items: input.items.into_iter().map(Into::into).collect(),
        };
        let view = keeping::create(ctx.db()?, ctx.actor()?, settings, new, ctx.now()?).await?;
        Ok(PlanTemplatePayload {
            template: view.into(),
        })
    }

    /// The author's only: anyone else's template is NOT_FOUND, public or not.
    async fn update_plan_template(
        &self,
        ctx: &Context<'_>,
        input: UpdatePlanTemplateInput,
    ) -> async_graphql::Result<PlanTemplatePayload> {
        let settings = &ctx.identity()?.settings;
        let changes = PlanTemplateChanges {
            name: input.name,
            description: change(input.description),
            category: change(input.category),
            is_public: input.is_public,
            items: input
                .items
                .map(|items| items.into_iter().map(Into::into).collect()),
        };
        let id = TemplateId(input.template_id);
        let view =
            keeping::update(ctx.db()?, ctx.actor()?, settings, id, changes, ctx.now()?).await?;
        Ok(PlanTemplatePayload {
            template: view.into(),
        })
    }

    async fn delete_plan_template(
        &self,
        ctx: &Context<'_>,
        input: PlanTemplateIdInput,
    ) -> async_graphql::Result<DeletePlanTemplatePayload> {
        let settings = &ctx.identity()?.settings;
        let id = TemplateId(input.template_id);
        let deleted = keeping::delete(ctx.db()?, ctx.actor()?, settings, id).await?;
        Ok(DeletePlanTemplatePayload {
            deleted_id: deleted.0,
        })
    }

    /// A day's items as a new private template (no refs, nothing done).
    async fn save_plan_as_template(
        &self,
        ctx: &Context<'_>,
        input: SavePlanAsTemplateInput,
    ) -> async_graphql::Result<PlanTemplatePayload> {
        let settings = &ctx.identity()?.settings;
        let date = input.date.map(|d| d.0);
        let view = keeping::save_plan(
            ctx.db()?,
            ctx.actor()?,
            settings,
            date,
            input.name,
            ctx.now()?,
        )
        .await?;
        Ok(PlanTemplatePayload {
            template: view.into(),
        })
    }

    /// Copies a template's items (the viewer's own, or a public one) into a day's plan.
    async fn apply_plan_template(
        &self,
        ctx: &Context<'_>,
        input: ApplyPlanTemplateInput,
    ) -> async_graphql::Result<ApplyPlanTemplatePayload> {
        let settings = &ctx.identity()?.settings;
        let mode = match input.mode {
            PlanTemplateMode::Append => Mode::Append,
            PlanTemplateMode::Replace => Mode::Replace,
        };
        let id = TemplateId(input.template_id);
        let target = target(input.date, input.expected_version);
        let applied = apply::apply(
            ctx.db()?,
            ctx.actor()?,
            settings,
            id,
            target,
            mode,
            ctx.now()?,
        )
        .await?;
        Ok(ApplyPlanTemplatePayload {
            plan: applied.plan.into(),
            template: applied.template.into(),
            added: applied.added,
        })
    }

    /// Takes a public template out of the shared list; needs `plan_templates:update`.
    async fn unpublish_plan_template(
        &self,
        ctx: &Context<'_>,
        input: PlanTemplateIdInput,
    ) -> async_graphql::Result<PlanTemplatePayload> {
        let id = TemplateId(input.template_id);
        let view = keeping::unpublish(ctx.db()?, ctx.actor()?, id, ctx.now()?).await?;
        Ok(PlanTemplatePayload {
            template: view.into(),
        })
    }
}
