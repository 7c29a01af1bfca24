//! Answers in the order their selection set asked (GraphQL spec § 6.3.2, CollectFields).
//! async-graphql 7 resolves a selection's fields concurrently and keeps each object's keys
//! in the order the fields *finished* (its container resolver inserts from a
//! `FuturesUnordered`), so nested objects come back shuffled. [`restore`] puts every object
//! of an answer back in the order of its response keys' first appearance, fragments
//! expanded in place. (Type conditions are not told apart: where two fragments on different
//! types of a union select the same keys in different orders, the first fragment's order
//! is used.) The keys a selection asks for are collected once per selection, however many
//! objects of the answer it shapes, and an object already in order is left as it is.
//! One HTTP operation calls [`restore`] itself (`graphql::operation`); batches and WebSocket
//! operations through the [`SelectionOrder`] extension.
use std::{
    collections::HashMap,
    rc::Rc,
    sync::{Arc, Mutex},
};

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
            restore(&mut response.data, &document, operation_name);
        }
        response
    }
}

/// Puts every object of `data`, the answer to `document`'s operation `operation_name`, in
/// the order its selection asks for its keys.
pub fn restore(data: &mut Value, document: &ExecutableDocument, operation_name: Option<&str>) {
    let operation = document
        .operations
        .iter()
        .find(|(name, _)| operation_name.is_none() || name.map(Name::as_str) == operation_name);
    if let Some((_, operation)) = operation {
        let mut orders = Orders {
            document,
            known: HashMap::new(),
            key: Vec::new(),
        };
        orders.order(data, &[&operation.node.selection_set.node]);
    }
}

/// Each response key of a selection, in order of first appearance, with the sub-selections
/// that select into it.
type Asked<'d> = IndexMap<&'d str, Vec<&'d SelectionSet>>;

/// The keys asked by each combination of selection sets met so far in one answer.
struct Orders<'d> {
    document: &'d ExecutableDocument,
    /// By the sets' addresses.
    known: HashMap<Vec<usize>, Rc<Asked<'d>>>,
    /// A reused buffer for the lookup key.
    key: Vec<usize>,
}

impl<'d> Orders<'d> {
    /// Puts `value`'s keys (and, within, their values') in the order `sets` select them.
    fn order(&mut self, value: &mut Value, sets: &[&'d SelectionSet]) {
        match value {
            Value::List(items) => items.iter_mut().for_each(|item| self.order(item, sets)),
            Value::Object(object) => {
                let asked = self.asked(sets);
                // Keys found nowhere in the document (none expected) keep their place at the end.
                let place = |key: &Name| asked.get_index_of(key.as_str()).unwrap_or(usize::MAX);
                if !object.keys().map(place).is_sorted() {
                    object.sort_by(|a, _, b, _| place(a).cmp(&place(b)));
                }
                for (key, field) in object.iter_mut() {
                    if let Some(subsets) = asked.get(key.as_str())
                        && !subsets.is_empty()
                    {
                        self.order(field, subsets);
                    }
                }
            }
            _ => {}
        }
    }

    /// The keys `sets` ask for together, collected on first use.
    fn asked(&mut self, sets: &[&'d SelectionSet]) -> Rc<Asked<'d>> {
        self.key.clear();
        self.key
            .extend(sets.iter().map(|set| std::ptr::from_ref(*set) as usize));
        if let Some(asked) = self.known.get(self.key.as_slice()) {
            return asked.clone();
        }
        let mut asked = Asked::new();
        for set in sets {
            collect(set, self.document, &mut asked, &mut Vec::new());
        }
        let asked = Rc::new(asked);
        self.known.insert(self.key.clone(), asked.clone());
        asked
    }
}

/// Each response key of `set`, in order of first appearance, with the sub-selections that
/// select into it; named fragments are expanded where they are spread, once each.
fn collect<'d>(
    set: &'d SelectionSet,
    document: &'d ExecutableDocument,
    asked: &mut Asked<'d>,
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
