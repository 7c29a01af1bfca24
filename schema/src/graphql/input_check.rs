//! The one gate every input value passes before an operation runs: each string argument
//! (literal or variable, at any depth of an input object) goes through `text::check`, each
//! `Date` and `DateTime` through the strict `dates` parsers, each `JSON` string is
//! free of control characters. A refusal is BAD_USER_INPUT naming the input field, the
//! same on every backend, before any resolver or database sees the value.
use std::{collections::HashSet, sync::Arc};

use async_graphql::{
    ServerResult, Value, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::{
        DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
    },
    registry::{MetaType, MetaTypeName, Registry},
};

use crate::domain::{AppResult, dates, text};

/// Checks every input value of an operation against the text and date rules.
#[derive(Debug, Clone, Copy)]
pub struct InputCheck;

impl ExtensionFactory for InputCheck {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(*self)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for InputCheck {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        check(&ctx.schema_env.registry, variables, &document)?;
        Ok(document)
    }
}

/// What the check found besides a refusal: whether every field it met is in the registry
/// (validation reports the others; a registry of the roots alone lacks introspection's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    EveryField,
    SomeFieldsUnknown,
}

/// Checks every input value of `document` against the text and date rules.
pub fn check(
    registry: &Registry,
    variables: &Variables,
    document: &ExecutableDocument,
) -> ServerResult<Coverage> {
    let mut walk = Walk {
        registry,
        variables,
        document,
        fragments_seen: HashSet::new(),
        coverage: Coverage::EveryField,
    };
    walk.document()?;
    Ok(walk.coverage)
}

struct Walk<'a> {
    registry: &'a Registry,
    variables: &'a Variables,
    document: &'a ExecutableDocument,
    fragments_seen: HashSet<&'a str>,
    coverage: Coverage,
}

impl<'a> Walk<'a> {
    fn document(&mut self) -> ServerResult<()> {
        let operations: Vec<_> = match &self.document.operations {
            DocumentOperations::Single(op) => vec![op],
            DocumentOperations::Multiple(ops) => ops.values().collect(),
        };
        for op in operations {
            let root = match op.node.ty {
                OperationType::Query => Some(self.registry.query_type.as_str()),
                OperationType::Mutation => self.registry.mutation_type.as_deref(),
                OperationType::Subscription => self.registry.subscription_type.as_deref(),
            };
            if let Some(root) = root {
                self.selection_set(&op.node.selection_set.node, root)?;
            }
        }
        Ok(())
    }

    fn selection_set(&mut self, set: &'a SelectionSet, parent: &'a str) -> ServerResult<()> {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let field = &field.node;
                    let Some(meta) = self
                        .registry
                        .types
                        .get(parent)
                        .and_then(|ty| ty.field_by_name(field.name.node.as_str()))
                    else {
                        if field.name.node != "__typename" {
                            self.coverage = Coverage::SomeFieldsUnknown;
                        }
                        continue;
                    };
                    for (name, value) in &field.arguments {
                        let Some(arg) = meta.args.get(name.node.as_str()) else {
                            continue;
                        };
                        let resolved = value
                            .node
                            .clone()
                            .into_const_with(|var| {
                                Ok::<_, ()>(self.variables.get(&var).cloned().unwrap_or_default())
                            })
                            .unwrap_or_default();
                        self.value(name.node.as_str(), &arg.ty, &resolved)
                            .map_err(|err| {
                                async_graphql::Error::from(err).into_server_error(value.pos)
                            })?;
                    }
                    let child = MetaTypeName::concrete_typename(&meta.ty);
                    self.selection_set(&field.selection_set.node, child)?;
                }
                Selection::InlineFragment(fragment) => {
                    let on = fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map_or(parent, |condition| condition.node.on.node.as_str());
                    self.selection_set(&fragment.node.selection_set.node, on)?;
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if !self.fragments_seen.insert(name) {
                        continue;
                    }
                    if let Some(fragment) = self.document.fragments.get(name) {
                        let on = fragment.node.type_condition.node.on.node.as_str();
                        self.selection_set(&fragment.node.selection_set.node, on)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Checks `value`, given for the input field `field` of GraphQL type `ty`.
    fn value(&self, field: &str, ty: &str, value: &Value) -> AppResult<()> {
        match MetaTypeName::create(ty) {
            MetaTypeName::NonNull(inner) => self.value(field, inner, value),
            MetaTypeName::List(inner) => match value {
                Value::List(items) => items
                    .iter()
                    .try_for_each(|item| self.value(field, inner, item)),
                single => self.value(field, inner, single),
            },
            MetaTypeName::Named(name) => {
                match (name, value) {
                    (_, Value::Null) => Ok(()),
                    ("String" | "ID", Value::String(s)) => text::check(field, s),
                    ("Date", Value::String(s)) => dates::parse_date(field, s).map(drop),
                    ("DateTime", Value::String(s)) => dates::parse_instant(field, s).map(drop),
                    ("JSON", json) => json_text(field, json),
                    (_, Value::Object(fields)) => match self.registry.types.get(name) {
                        Some(MetaType::InputObject { input_fields, .. }) => fields
                            .iter()
                            .try_for_each(|(key, item)| match input_fields.get(key.as_str()) {
                                Some(meta) => self.value(key.as_str(), &meta.ty, item),
                                None => Ok(()),
                            }),
                        _ => Ok(()),
                    },
                    // Anything else is a type mismatch that validation reports.
                    _ => Ok(()),
                }
            }
        }
    }
}

/// JSON inputs (passkey credentials) carry no control characters in keys or strings.
fn json_text(field: &str, value: &Value) -> AppResult<()> {
    match value {
        Value::String(s) => text::check_characters(field, s, false),
        Value::List(items) => items.iter().try_for_each(|item| json_text(field, item)),
        Value::Object(map) => map.iter().try_for_each(|(key, item)| {
            text::check_characters(field, key.as_str(), false)?;
            json_text(field, item)
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::AppError;

    fn refusal(error: &AppError) -> Option<&str> {
        match error {
            AppError::BadUserInput { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    #[test]
    fn json_strings_refuse_nul() {
        let json = Value::from_json(serde_json::json!({ "id": "a\u{0}b" }));
        let err = json
            .ok()
            .and_then(|json| json_text("credential", &json).err());
        assert_eq!(err.as_ref().and_then(refusal), Some("credential"));
    }
}
