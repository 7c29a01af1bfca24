//! The GraphQL schema as a library: `domain` holds the rules and never imports async-graphql;
//! `graphql` holds the objects, inputs and roots that call into it.
pub mod domain;
pub mod graphql;

pub use graphql::{AppSchema, RequestContext, SchemaConfig, Services, build_schema, sdl};
