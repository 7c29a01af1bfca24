//! When rules may decide on what the sign-in check read (the user's row for the gates,
//! their day settings for the local date): only while nothing in the request can have
//! changed them. An operation of one root mutation field (or any query) leaves them
//! deciding; a second root mutation field, or a later operation of an HTTP batch after a
//! mutation, reads them afresh.
use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};

use async_graphql::{
    Response, ServerResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery},
    parser::types::{ExecutableDocument, OperationType, Selection},
};

use super::context::RequestContext;

/// Keeps the gates and the local date from deciding on a row an earlier field changed.
#[derive(Debug, Clone, Copy)]
pub struct ActorRow;

impl ExtensionFactory for ActorRow {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Watch::default())
    }
}

/// One operation's watch: whether its document holds a mutation.
#[derive(Default)]
struct Watch {
    mutates: AtomicBool,
}

/// Before execution: whether `document` holds a mutation, and if it holds more than one
/// root mutation field (a fragment counts as more), rules read afresh from the start.
pub fn before(document: &ExecutableDocument, request: Option<&RequestContext>) -> bool {
    let mutations = document
        .operations
        .iter()
        .filter(|(_, op)| op.node.ty == OperationType::Mutation);
    let mut mutates = false;
    let mut fields = 0;
    for (_, operation) in mutations {
        mutates = true;
        fields += operation
            .node
            .selection_set
            .node
            .items
            .iter()
            .map(|item| match item.node {
                Selection::Field(_) => 1,
                _ => 2,
            })
            .sum::<usize>();
    }
    if fields > 1 {
        stop_deciding(request);
    }
    mutates
}

/// After execution: a later operation of the same request reads afresh.
pub fn after(mutated: bool, request: Option<&RequestContext>) {
    if mutated {
        stop_deciding(request);
    }
}

fn stop_deciding(request: Option<&RequestContext>) {
    if let Some(request) = request {
        request.actor.stop_deciding_on_sign_in();
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Watch {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let mutates = before(&document, ctx.data_opt::<RequestContext>());
        self.mutates.store(mutates, Ordering::Relaxed);
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        after(
            self.mutates.load(Ordering::Relaxed),
            ctx.data_opt::<RequestContext>(),
        );
        response
    }
}
