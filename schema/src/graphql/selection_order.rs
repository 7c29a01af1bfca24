//! Answers in the order their selection set asked (GraphQL spec § 6.3.2, CollectFields).
//! async-graphql 7 resolves a selection's fields concurrently and keeps each object's keys
//! in the order the fields *finished* (its container resolver inserts from a
//! `FuturesUnordered`), so nested objects come back shuffled. This extension keeps the
//! parsed document of each request and puts every object of the answer back in the order
//! of its response keys' first appearance, fragments expanded in place. (Type conditions
//! are not told apart: where two fragments on different types of a union select the same
//! keys in different orders, the first fragment's order is used.)
use std::sync::{Arc, Mutex};

use async_graphql::{
    Name, Response, ServerResult, Value, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery},
    indexmap::IndexMap,
    parser::types::{ExecutableDocument, Selection, SelectionSet},
};

/// Restores each answer's selection order.
#[derive(Debug, Clone, Copy)]
pub struct SelectionOrder;

impl ExtensionFactory for SelectionOrder {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Reorder::default())
    }
}

/// One request's document, kept from parsing to the end of execution.
#[derive(Default)]
struct Reorder {
    document: Mutex<Option<ExecutableDocument>>,
}

#[async_graphql::async_trait::async_trait]
impl Extension for Reorder {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        *self.document.lock().unwrap_or_else(|p| p.into_inner()) = Some(document.clone());
        Ok(document)
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        let document = self
            .document
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(document) = document {
            let operation = document.operations.iter().find(|(name, _)| {
                operation_name.is_none() || name.map(Name::as_str) == operation_name
            });
            if let Some((_, operation)) = operation {
                let root = [&operation.node.selection_set.node];
                order(&mut response.data, &root, &document);
            }
        }
        response
    }
}

/// Puts `value`'s keys (and, within, their values') in the order `sets` select them.
fn order(value: &mut Value, sets: &[&SelectionSet], document: &ExecutableDocument) {
    match value {
        Value::List(items) => items
            .iter_mut()
            .for_each(|item| order(item, sets, document)),
        Value::Object(object) => {
            let mut asked: IndexMap<&str, Vec<&SelectionSet>> = IndexMap::new();
            for set in sets {
                collect(set, document, &mut asked, &mut Vec::new());
            }
            let mut unordered = std::mem::take(object);
            for (key, subsets) in &asked {
                if let Some((name, mut field)) = unordered.shift_remove_entry(*key) {
                    order(&mut field, subsets, document);
                    object.insert(name, field);
                }
            }
            // Anything not found in the document (none expected) keeps its place at the end.
            object.extend(unordered);
        }
        _ => {}
    }
}

/// Each response key of `set`, in order of first appearance, with the sub-selections that
/// select into it; named fragments are expanded where they are spread, once each.
fn collect<'d>(
    set: &'d SelectionSet,
    document: &'d ExecutableDocument,
    asked: &mut IndexMap<&'d str, Vec<&'d SelectionSet>>,
    spread: &mut Vec<&'d str>,
) {
    for selection in &set.items {
        match &selection.node {
            Selection::Field(field) => {
                let subsets = asked
                    .entry(field.node.response_key().node.as_str())
                    .or_default();
                if !field.node.selection_set.node.items.is_empty() {
                    subsets.push(&field.node.selection_set.node);
                }
            }
            Selection::InlineFragment(fragment) => {
                collect(&fragment.node.selection_set.node, document, asked, spread);
            }
            Selection::FragmentSpread(spread_of) => {
                let name = spread_of.node.fragment_name.node.as_str();
                if spread.contains(&name) {
                    continue;
                }
                spread.push(name);
                if let Some(fragment) = document.fragments.get(&spread_of.node.fragment_name.node) {
                    collect(&fragment.node.selection_set.node, document, asked, spread);
                }
            }
        }
    }
}
