//! The thin HTTP host around the `schema` crate: configuration, routes, request
//! identity, metrics, and start-up and shutdown. No domain rule lives here.
// The merged GraphQL roots nest one level per area; their futures need the room.
#![recursion_limit = "256"]
pub mod auth;
pub mod config;
pub mod connection;
pub mod db;
pub mod drain;
pub mod jobs;
pub mod listen;
pub mod mail;
pub mod metrics;
pub mod routes;
pub mod serve;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;
