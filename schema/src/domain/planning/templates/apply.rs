//! Applying a template to a date (today when absent): its items copied into the day's plan
//! with new ids, each remembering its template item (`TemplateSource`). APPEND adds, after
//! the day's own items, only the template items the plan does not hold yet, so applying
//! the same template twice yields its items once; REPLACE starts the day over with the
//! template's items. Start times are local `HH:MM`, so they land on the target date in the
//! user's zone (`plans::starts_at`). `use_count` rises by one per application in the same
//! transaction (`use_count = use_count + 1`), for another user's public template too.
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::plan_templates;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{TemplateId, TemplateView, store};
use crate::domain::{
    Actor, AppResult,
    auth::AuthSettings,
    planning::plans::{
        PlanItem, PlanView, TemplateSource,
        keeping::{Target, open},
    },
};

/// How a template's items join the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Append,
    Replace,
}

/// The plan after applying, and the template as it now stands.
#[derive(Debug, Clone)]
pub struct Applied {
    pub plan: PlanView,
    pub template: TemplateView,
    /// Items added to the plan.
    pub added: usize,
    /// What planning newly paid.
    pub paid: Vec<crate::domain::gamification::Recorded>,
}

pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    settings: &AuthSettings,
    id: TemplateId,
    target: Target,
    mode: Mode,
    now: DateTime<Utc>,
) -> AppResult<Applied> {
    let mut open = open(db, actor, settings, &target, now).await?;
    let template: TemplateView = store::readable_one(&open.txn, open.user, id).await?.into();
    let copies = template.items.iter().map(|item| PlanItem {
        id: Uuid::now_v7(),
        source: Some(TemplateSource {
            template: id.0,
            item: item.id,
        }),
        ..item.clone()
    });
    let added = match mode {
        Mode::Replace => {
            open.plan.items = copies.collect();
            open.plan.items.len()
        }
        Mode::Append => {
            let held: HashSet<_> = open.plan.items.iter().filter_map(|i| i.source).collect();
            let before = open.plan.items.len();
            open.plan
                .items
                .extend(copies.filter(|c| c.source.is_none_or(|s| !held.contains(&s))));
            open.plan.items.len() - before
        }
    };
    plan_templates::Entity::update_many()
        .col_expr(
            plan_templates::Column::UseCount,
            Expr::col(plan_templates::Column::UseCount).add(1),
        )
        .filter(plan_templates::Column::Id.eq(id.0))
        .exec(&open.txn)
        .await?;
    let plan = open.save(now).await?;
    let template = store::readable_one(&open.txn, open.user, id).await?.into();
    open.txn.commit().await?;
    Ok(Applied {
        plan,
        template,
        added,
        paid: open.paid,
    })
}
