//! GraphQL glue, one folder per area mirroring `domain/` (auth, rbac, gamification, focus,
//! habits, goals, quests, planning): the GraphQL of a rule in `domain/<area>/<file>.rs` sits in
//! `graphql/<area>/`. Beside them: the roots (here), `viewer`, scalars, errors, Relay
//! connections, loaders, input conventions and limits. Resolvers read the context, call
//! one domain function and convert the result.
mod actor_row;
pub mod auth;
pub mod batch;
pub mod connection;
pub mod context;
mod documents;
pub mod error;
pub mod focus;
pub mod gamification;
pub mod goals;
pub mod habits;
pub mod input;
mod input_check;
pub mod limits;
pub mod loaders;
pub mod operation;
pub mod planning;
pub mod quests;
pub mod rbac;
pub mod read_retry;
pub mod reader;
pub mod scalars;
pub mod selection_order;
pub mod viewer;

use std::sync::Arc;

use async_graphql::{MergedObject, MergedSubscription, Request, Schema};
use sea_orm::DatabaseConnection;

pub use context::{ContextExt, RequestContext};
pub use operation::{AppSchema, ExtendedSchema};

use crate::domain::{
    auth::Identity, clock::SharedClock, focus::FocusBroker, gamification::RewardFeed,
};

// The query root: each area contributes its own `…Query` (merged in this order).
/// Reads. Start with `viewer`: the signed-in user and everything they own (habits, goals,
/// focus sessions, quests, calendar, progress, wallet, ledger, achievements). Without a
/// token `viewer` is null: sign in with `requestSignInLink`, then `signInWithLink`, and send
/// `Authorization: Bearer <accessToken>`. Admins also read `users`, `auditLog`,
/// `roles` and `entitlements`.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    viewer::ViewerQuery,
    auth::profile::ProfileQuery,
    auth::oauth::OAuthQuery,
    rbac::admin_users::AdminUsersQuery,
    rbac::admin_audit::AdminAuditQuery,
    rbac::roles::RolesQuery,
    rbac::entitlements::EntitlementsQuery,
);

// The mutation root: each area contributes its own `…Mutation` (merged in this order).
/// Changes. Signing in first: `requestSignInLink` mails a link whose token
/// `signInWithLink` trades for an access token (15 minutes) and a session token
/// (`refreshSession` renews both). Then `acceptTerms` and `confirmAge` open the product:
/// habits, goals and milestones, the focus timer, quests, the calendar. Every mutation that
/// pays answers with `reward { xp coins stars skill levelUp unlockedAchievements }`; keyed
/// ones (`idempotencyKey`) apply once, so a retry is safe.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    auth::sessions::SessionsMutation,
    auth::profile::ProfileMutation,
    auth::oauth::OAuthMutation,
    rbac::admin_users::AdminUsersMutation,
    rbac::grants::GrantsMutation,
    rbac::roles::RolesMutation,
    rbac::entitlements::EntitlementsMutation,
    gamification::mutations::GamificationMutation,
    auth::passkeys::PasskeysMutation,
    gamification::achievements::AchievementsMutation,
    focus::mutations::FocusMutation,
    focus::libraries::LibrariesMutation,
    focus::tracks::TracksMutation,
    habits::mutations::HabitsMutation,
    goals::mutations::GoalsMutation,
    goals::milestones::MilestonesMutation,
    quests::mutations::QuestsMutation,
    quests::own::OwnQuestsMutation,
    planning::mutations::CalendarMutation,
    planning::feeds::CalendarFeedMutation,
    planning::plan_mutations::PlansMutation,
    planning::templates::PlanTemplatesMutation,
);

// The subscription root: each area contributes its own `…Subscription`.
/// Live updates over WebSocket (graphql-transport-ws or the legacy graphql-ws), signed in
/// with `{"authorization": "Bearer <accessToken>"}` in `connection_init`: the focus timer
/// on every device (`focusSession`), and what was just earned (`rewardEvents`).
#[derive(MergedSubscription, Default)]
#[graphql(name = "Subscription")]
pub struct SubscriptionRoot(
    focus::subscriptions::FocusSubscription,
    gamification::live::RewardSubscription,
);

/// Bounds on one operation.
#[derive(Debug, Clone, Copy)]
pub struct SchemaConfig {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_aliases: usize,
}

impl Default for SchemaConfig {
    fn default() -> Self {
        Self {
            max_depth: 15,
            max_complexity: 1_000,
            max_aliases: 30,
        }
    }
}

/// What the schema's resolvers reach besides the request: built once at start-up.
#[derive(Clone)]
pub struct Services {
    pub db: DatabaseConnection,
    pub clock: SharedClock,
    pub identity: Arc<Identity>,
    /// Focus session changes, to this instance's subscribers.
    pub focus: FocusBroker,
    /// Reward events, to this instance's subscribers.
    pub rewards: RewardFeed,
}

/// Builds the schema over the app's services: with every check as an extension, and the
/// same without extensions for one HTTP operation (see `operation`).
pub fn build_schema(services: Services, config: SchemaConfig) -> AppSchema {
    let rewards = services.rewards.clone();
    let extended = configured(&services, config)
        .extension(limits::AliasLimit {
            max: config.max_aliases,
        })
        .extension(limits::BatchComplexity {
            max: config.max_complexity,
        })
        .extension(actor_row::ActorRow)
        .extension(input_check::InputCheck)
        .extension(error::CodeEveryError)
        .extension(gamification::live::DeliverRewardEvents)
        .extension(selection_order::SelectionOrder)
        .finish();
    let lean = configured(&services, config).finish();
    AppSchema::new(extended, lean, config.max_aliases, rewards)
}

/// The schema's data and async-graphql's own limits.
fn configured(
    services: &Services,
    config: SchemaConfig,
) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    builder()
        .data(services.db.clone())
        .data(services.clock.clone())
        .data(services.identity.clone())
        .data(services.focus.clone())
        .data(services.rewards.clone())
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity)
}

fn builder() -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, SubscriptionRoot> {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .override_input_type_description::<chrono::DateTime<chrono::Utc>>(
        scalars::DATE_TIME_DESCRIPTION,
    )
}

/// The SDL clients build against (checked in as `schema.graphql`).
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// Attaches what one request needs: who asks, what it reads through, and fresh loaders
/// over that ([`AppSchema::prepare`] decides which `reader`).
fn prepare(request: Request, context: RequestContext, reader: reader::Reader) -> Request {
    request
        .data(loaders::Loaders::new(reader.clone()))
        .data(reader)
        .data(context)
}

/// The same, for a WebSocket connection: set once at `connection_init`, shared by every
/// operation on it (the loaders batch but never cache, so nothing goes stale; they read
/// through the pool, as a subscription must). Each operation then gets its own actor, and
/// a query its own snapshot, through [`prepare_on_connection`].
pub fn connection_data(context: RequestContext, db: &DatabaseConnection) -> async_graphql::Data {
    let reader = reader::Reader::pool(db);
    let mut data = async_graphql::Data::default();
    data.insert(loaders::Loaders::new(reader.clone()));
    data.insert(reader);
    data.insert(context);
    data
}

/// One operation on a WebSocket connection: the connection's caller, with access computed
/// for this operation (not once per socket), so a role edit or an expired grant applies
/// from the socket's next operation; a query reads through one snapshot of its own (and
/// loaders over it), as over HTTP.
pub fn prepare_on_connection(mut request: Request, connection: &async_graphql::Data) -> Request {
    let context = connection
        .get(&std::any::TypeId::of::<RequestContext>())
        .and_then(|data| data.downcast_ref::<RequestContext>());
    if let Some(context) = context {
        request = request.data(RequestContext {
            actor: context.actor.renewed(),
            meta: context.meta.clone(),
        });
    }
    let pool = connection
        .get(&std::any::TypeId::of::<reader::Reader>())
        .and_then(|data| data.downcast_ref::<reader::Reader>());
    let query = async_graphql::parser::parse_query(&request.query)
        .is_ok_and(|document| operation::runs_query(&document, request.operation_name.as_deref()));
    match pool {
        Some(pool) if query => {
            let snapshot = pool.snapshot_beside();
            request
                .data(loaders::Loaders::new(snapshot.clone()))
                .data(snapshot)
        }
        _ => request,
    }
}
