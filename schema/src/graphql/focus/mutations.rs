//! The focus timer's mutations: `startFocusSession`, then `pauseFocusSession`,
//! `resumeFocusSession`, `completeFocusSession` and `abandonFocusSession`, each on
//! `input.sessionId` or, by default, the viewer's active session.
use async_graphql::{Context, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::{FocusSession, Mode, broker};
use crate::domain::focus::{
    complete,
    lifecycle::{self, NewSession},
};
use crate::graphql::context::ContextExt;
use crate::graphql::gamification::reward::Reward;

#[derive(InputObject)]
pub struct StartFocusSessionInput {
    mode: Mode,
    /// From 60 (one minute) to 14400 (four hours).
    duration_seconds: i32,
    /// The task this session is for, if any.
    task_id: Option<Uuid>,
    task_title: Option<String>,
}

/// Which session a move applies to.
#[derive(InputObject, Default)]
pub struct FocusSessionTargetInput {
    /// Defaults to the viewer's active session.
    session_id: Option<Uuid>,
}

fn target(input: Option<FocusSessionTargetInput>) -> Option<Uuid> {
    input.and_then(|i| i.session_id)
}

#[derive(SimpleObject)]
pub struct FocusSessionPayload {
    session: FocusSession,
}

#[derive(SimpleObject)]
pub struct CompleteFocusSessionPayload {
    session: FocusSession,
    /// True when the session was already completed: nothing more was paid.
    repeated: bool,
    /// Keys of the achievements this completion unlocked (already paid); also in `reward`.
    unlocked_achievements: Vec<String>,
    /// What the completion earned (for a repeat, what the first completion paid).
    reward: Reward,
}

#[derive(Default)]
pub struct FocusMutation;

/// Runs one lifecycle move with what every move needs from the context.
macro_rules! moved {
    ($ctx:expr, $move:path, $input:expr) => {{
        let ctx = $ctx;
        let snapshot = $move(
            ctx.db()?,
            broker(ctx)?,
            ctx.actor()?,
            &ctx.identity()?.settings,
            target($input),
            ctx.now()?,
        )
        .await?;
        Ok(FocusSessionPayload {
            session: snapshot.into(),
        })
    }};
}

#[Object]
impl FocusMutation {
    /// Starts a session. CONFLICT (FOCUS_SESSION_ACTIVE) while another one is active.
    async fn start_focus_session(
        &self,
        ctx: &Context<'_>,
        input: StartFocusSessionInput,
    ) -> async_graphql::Result<FocusSessionPayload> {
        let new = NewSession {
            mode: input.mode.into(),
            duration_seconds: input.duration_seconds,
            task_id: input.task_id,
            task_title: input.task_title,
        };
        let snapshot = lifecycle::start(
            ctx.db()?,
            broker(ctx)?,
            ctx.actor()?,
            &ctx.identity()?.settings,
            new,
            ctx.now()?,
        )
        .await?;
        Ok(FocusSessionPayload {
            session: snapshot.into(),
        })
    }

    /// Pauses the clock; pausing a paused session changes nothing.
    async fn pause_focus_session(
        &self,
        ctx: &Context<'_>,
        input: Option<FocusSessionTargetInput>,
    ) -> async_graphql::Result<FocusSessionPayload> {
        moved!(ctx, lifecycle::pause, input)
    }

    /// Restarts the clock and moves `expiresAt` out; resuming a running session changes
    /// nothing.
    async fn resume_focus_session(
        &self,
        ctx: &Context<'_>,
        input: Option<FocusSessionTargetInput>,
    ) -> async_graphql::Result<FocusSessionPayload> {
        moved!(ctx, lifecycle::resume, input)
    }

    /// Ends a session without reward.
    async fn abandon_focus_session(
        &self,
        ctx: &Context<'_>,
        input: Option<FocusSessionTargetInput>,
    ) -> async_graphql::Result<FocusSessionPayload> {
        moved!(ctx, lifecycle::abandon, input)
    }

    /// Completes a session and pays it, for the minutes actually focused. CONFLICT
    /// (FOCUS_TIME_REMAINING) while more than 5 s remain; completing it again pays nothing
    /// (`repeated`).
    async fn complete_focus_session(
        &self,
        ctx: &Context<'_>,
        input: Option<FocusSessionTargetInput>,
    ) -> async_graphql::Result<CompleteFocusSessionPayload> {
        let done = complete::complete(
            ctx.db()?,
            broker(ctx)?,
            ctx.actor()?,
            &ctx.identity()?.settings,
            target(input),
            ctx.now()?,
        )
        .await?;
        Ok(CompleteFocusSessionPayload {
            session: done.snapshot.into(),
            repeated: done.repeated,
            unlocked_achievements: done.earned.achievements.clone(),
            reward: done.earned.into(),
        })
    }
}
