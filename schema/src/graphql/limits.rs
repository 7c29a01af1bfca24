//! Bounds on what one operation may ask for, beyond async-graphql's depth and complexity
//! limits: a cap on aliases, the cheap way to multiply one expensive field, and one
//! complexity budget shared by the operations of an HTTP batch.
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use async_graphql::{
    ErrorExtensionValues, ServerError, ServerResult, ValidationResult, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation},
    parser::types::{DocumentOperations, ExecutableDocument, Selection, SelectionSet},
};

use crate::domain::{ErrorCode, Reason};

/// Refuses operations that use more than `max` aliases in all.
#[derive(Debug, Clone, Copy)]
pub struct AliasLimit {
    pub max: usize,
}

impl ExtensionFactory for AliasLimit {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for AliasLimit {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let aliases = count_aliases(&document);
        if aliases > self.max {
            let mut error = ServerError::new(
                format!(
                    "the operation uses {aliases} aliases; at most {} are allowed",
                    self.max
                ),
                None,
            );
            let mut extensions = ErrorExtensionValues::default();
            extensions.set("code", ErrorCode::BadUserInput.as_str());
            extensions.set("reason", Reason::TooManyAliases.as_str());
            error.extensions = Some(extensions);
            return Err(error);
        }
        Ok(document)
    }
}

/// The complexity the operations of one batch have spent so far (put in each one's data).
#[derive(Debug, Clone, Default)]
pub struct BatchBudget(Arc<AtomicUsize>);

/// Refuses a batch's operation once the batch's summed complexity would pass `max`
/// (the operations before it stay answered; it and later ones are BAD_USER_INPUT).
#[derive(Debug, Clone, Copy)]
pub struct BatchComplexity {
    pub max: usize,
}

impl ExtensionFactory for BatchComplexity {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for BatchComplexity {
    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let result = next.run(ctx).await?;
        let Some(budget) = ctx.data_opt::<BatchBudget>() else {
            return Ok(result);
        };
        let spent = budget
            .0
            .fetch_add(result.complexity, Ordering::SeqCst)
            .saturating_add(result.complexity);
        if spent > self.max {
            let mut error = ServerError::new(
                format!(
                    "the batch's operations together exceed the complexity limit of {}",
                    self.max
                ),
                None,
            );
            let mut extensions = ErrorExtensionValues::default();
            extensions.set("code", ErrorCode::BadUserInput.as_str());
            error.extensions = Some(extensions);
            return Err(vec![error]);
        }
        Ok(result)
    }
}

/// The aliases of `document`'s operations and fragments, in all.
pub fn count_aliases(document: &ExecutableDocument) -> usize {
    let operations: usize = match &document.operations {
        DocumentOperations::Single(op) => in_selection(&op.node.selection_set.node),
        DocumentOperations::Multiple(ops) => ops
            .values()
            .map(|op| in_selection(&op.node.selection_set.node))
            .sum(),
    };
    let fragments: usize = document
        .fragments
        .values()
        .map(|fragment| in_selection(&fragment.node.selection_set.node))
        .sum();
    operations + fragments
}

fn in_selection(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|item| match &item.node {
            Selection::Field(field) => {
                usize::from(field.node.alias.is_some())
                    + in_selection(&field.node.selection_set.node)
            }
            Selection::InlineFragment(fragment) => in_selection(&fragment.node.selection_set.node),
            Selection::FragmentSpread(_) => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_counted_in_operations_and_fragments() {
        let query = "query { a: __typename b: __typename ...F } \
                     fragment F on Query { c: __typename ... on Query { d: __typename } }";
        let document = async_graphql::parser::parse_query(query);
        assert_eq!(document.map(|d| count_aliases(&d)).ok(), Some(4));
    }
}
