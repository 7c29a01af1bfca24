//! `viewer { dailyPlan dailyPlans planTemplates planTemplate planCarryOver }`.
use async_graphql::{Context, InputObject, Object};
use uuid::Uuid;

use super::{plans::DailyPlan, templates::PlanTemplate};
use crate::domain::planning::{
    plans::{carry, reads},
    templates::{
        TemplateId,
        reads::{self as template_reads, TemplateFilter},
    },
};
use crate::graphql::{
    connection::{AppConnection, listing, page_request},
    context::ContextExt,
    scalars::Date,
};

#[derive(InputObject, Default)]
pub struct PlanTemplateFilter {
    /// True: the viewer's own only; false: other people's (public) only.
    mine: Option<bool>,
    /// True: public ones only; false: private ones (the viewer's) only.
    public: Option<bool>,
    category: Option<String>,
}

/// `viewer { dailyPlan dailyPlans planTemplates planTemplate planCarryOver }`.
pub struct ViewerPlans;

#[Object]
impl ViewerPlans {
    /// The plan of a local date (the viewer's today by default); a date without one reads
    /// as an empty plan.
    async fn daily_plan(
        &self,
        ctx: &Context<'_>,
        date: Option<Date>,
    ) -> async_graphql::Result<DailyPlan> {
        let plan =
            reads::daily_plan(ctx.reader()?, ctx.actor()?, date.map(|d| d.0), ctx.now()?).await?;
        Ok(plan.into())
    }

    /// One plan per date from `from` to `to` (both included, at most 366 days), empty
    /// where none is stored.
    async fn daily_plans(
        &self,
        ctx: &Context<'_>,
        from: Date,
        to: Date,
    ) -> async_graphql::Result<Vec<DailyPlan>> {
        let plans = reads::daily_plans(ctx.reader()?, ctx.actor()?, from.0, to.0).await?;
        Ok(plans.into_iter().map(DailyPlan::from).collect())
    }

    /// The templates the viewer may use: their own and every public one, newest first.
    async fn plan_templates(
        &self,
        ctx: &Context<'_>,
        filter: Option<PlanTemplateFilter>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<AppConnection<PlanTemplate>> {
        let request = page_request(ctx, first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let filter = TemplateFilter {
            mine: filter.mine,
            public: filter.public,
            category: filter.category,
        };
        let db = ctx.reader()?;
        let found = template_reads::list(db, ctx.actor()?, filter, request).await?;
        Ok(listing(db, found, PlanTemplate::from))
    }

    /// One template the viewer may use (NOT_FOUND for another user's private one).
    async fn plan_template(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> async_graphql::Result<PlanTemplate> {
        let found = template_reads::find(ctx.reader()?, ctx.actor()?, TemplateId(id)).await?;
        Ok(found.into())
    }

    /// Whether the first read of today's plan carries yesterday's unfinished items over.
    async fn plan_carry_over(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let user = ctx.actor()?.require_user()?;
        Ok(carry::auto_enabled(ctx.reader()?, user).await?)
    }
}
