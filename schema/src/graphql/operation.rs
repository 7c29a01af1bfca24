//! The schema the host runs, twice over the same types and data: *extended*, with the
//! checks as async-graphql extensions (batches, WebSocket operations), and *lean*, with no
//! extension at all, for one operation over HTTP. Once a schema has any extension,
//! async-graphql sends every field and every list item through the extensions' `resolve`
//! chain (a boxed future per extension and a type lookup per field), whatever the
//! extensions hook; for a 20-habit dashboard that is some 400 resolutions. So
//! [`AppSchema::execute`] does here what the extensions do, on the document it parses
//! once: the input and alias checks before execution (and whether rules may decide on the
//! sign-in row: `actor_row`), then a code on every error, the reward events delivered and
//! the answer in selection order. Documents are parsed once per text (`documents`). A
//! document that fails a check (or the parse) goes to the extended schema instead, which
//! refuses it exactly as it refuses it everywhere else.
use std::sync::Arc;

use async_graphql::{
    OutputType, Request, Response, Schema, SubscriptionType,
    parser::types::{ExecutableDocument, OperationType, Selection, SelectionSet},
    registry::Registry,
};
use sea_orm::DatabaseConnection;

use super::{
    MutationRoot, QueryRoot, SubscriptionRoot, actor_row, context::RequestContext,
    documents::ParsedDocuments, error, input_check, limits, reader::Reader, selection_order,
};
use crate::domain::gamification::RewardFeed;

/// The schema with every check as an extension.
pub type ExtendedSchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// How deep async-graphql lets selections nest (its default, which `build_schema` keeps).
const RECURSIVE_DEPTH: usize = 32;

/// Both schemas, and what the lean one's checks need.
#[derive(Clone)]
pub struct AppSchema {
    extended: ExtendedSchema,
    lean: ExtendedSchema,
    checks: Arc<Checks>,
}

struct Checks {
    /// The types of the roots' fields and arguments, for the input check.
    registry: Registry,
    max_aliases: usize,
    rewards: RewardFeed,
    documents: ParsedDocuments,
}

impl AppSchema {
    pub(super) fn new(
        extended: ExtendedSchema,
        lean: ExtendedSchema,
        max_aliases: usize,
        rewards: RewardFeed,
    ) -> Self {
        Self {
            extended,
            lean,
            checks: Arc::new(Checks {
                registry: roots_registry(),
                max_aliases,
                rewards,
                documents: ParsedDocuments::default(),
            }),
        }
    }

    /// The schema with the extensions, for batches and WebSockets.
    pub fn extended(&self) -> &ExtendedSchema {
        &self.extended
    }

    /// Attaches what one HTTP request needs: who asks, and what it reads through: a query
    /// one snapshot (`reader`), anything else the pool.
    pub fn prepare(
        &self,
        request: Request,
        context: RequestContext,
        db: &DatabaseConnection,
    ) -> Request {
        let query = self
            .checks
            .documents
            .parse(&request.query)
            .is_some_and(|document| runs_query(&document, request.operation_name.as_deref()));
        let reader = if query {
            Reader::snapshot(db)
        } else {
            Reader::pool(db)
        };
        super::prepare(request, context, reader)
    }

    /// Runs one operation: on the lean schema when its document passes the parse-time
    /// checks, else on the extended one (which answers with the refusal).
    pub async fn execute(&self, mut request: Request) -> Response {
        let document = match self.checks.documents.parse(&request.query) {
            Some(document) if self.passes_checks(&document, &request.variables) => document,
            _ => return self.extended.execute(request).await,
        };
        request.set_parsed_query(ExecutableDocument::clone(&document));
        let operation_name = request.operation_name.clone();
        let context = request_context(&request);
        let mutated = actor_row::before(&document, context.as_ref());
        let mut response = self.lean.execute(request).await;
        actor_row::after(mutated, context.as_ref());
        self.checks.rewards.after_request();
        selection_order::restore(&mut response.data, &document, operation_name.as_deref());
        error::with_codes(response)
    }

    fn passes_checks(
        &self,
        document: &ExecutableDocument,
        variables: &async_graphql::Variables,
    ) -> bool {
        nests_within(document, RECURSIVE_DEPTH)
            && limits::count_aliases(document) <= self.checks.max_aliases
            && matches!(
                input_check::check(&self.checks.registry, variables, document),
                Ok(input_check::Coverage::EveryField)
            )
    }
}

/// The host's per-request context in `request`'s data (the actor shares its sign-in read
/// across clones).
fn request_context(request: &Request) -> Option<RequestContext> {
    request
        .data
        .get(&std::any::TypeId::of::<RequestContext>())
        .and_then(|data| data.downcast_ref::<RequestContext>())
        .cloned()
}

/// Whether the operation `name` picks (the only one, when unnamed) is a query.
pub(super) fn runs_query(document: &ExecutableDocument, name: Option<&str>) -> bool {
    let mut picked = document
        .operations
        .iter()
        .filter(|(op_name, _)| name.is_none() || op_name.map(|n| n.as_str()) == name);
    match (picked.next(), picked.next()) {
        (Some((_, operation)), None) => operation.node.ty == OperationType::Query,
        _ => false,
    }
}

/// The registry of the three roots' types, as the schema builds it, for the input check.
/// Introspection's own fields (`__schema`, `__type(name:)`) are not in it: a document that
/// selects them goes to the extended schema, whose registry has them.
fn roots_registry() -> Registry {
    let mut registry = Registry {
        query_type: QueryRoot::type_name().to_string(),
        mutation_type: Some(MutationRoot::type_name().to_string()),
        subscription_type: Some(SubscriptionRoot::type_name().to_string()),
        ..Registry::default()
    };
    QueryRoot::create_type_info(&mut registry);
    MutationRoot::create_type_info(&mut registry);
    SubscriptionRoot::create_type_info(&mut registry);
    registry
}

/// Whether no selection nests deeper than `max` (async-graphql's recursion check, which
/// the lean schema runs again; here it bounds the walks of the checks before it).
fn nests_within(document: &ExecutableDocument, max: usize) -> bool {
    fn set_within(
        document: &ExecutableDocument,
        set: &SelectionSet,
        depth: usize,
        max: usize,
    ) -> bool {
        depth <= max
            && set.items.iter().all(|selection| match &selection.node {
                Selection::Field(field) => {
                    field.node.selection_set.node.items.is_empty()
                        || set_within(document, &field.node.selection_set.node, depth + 1, max)
                }
                Selection::FragmentSpread(spread) => document
                    .fragments
                    .get(&spread.node.fragment_name.node)
                    .is_none_or(|fragment| {
                        set_within(document, &fragment.node.selection_set.node, depth + 1, max)
                    }),
                Selection::InlineFragment(fragment) => {
                    set_within(document, &fragment.node.selection_set.node, depth + 1, max)
                }
            })
    }
    let mut operations = document.operations.iter();
    operations
        .all(|(_, operation)| set_within(document, &operation.node.selection_set.node, 0, max))
}
