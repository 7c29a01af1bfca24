//! Structured logs through `tracing`; each request's span carries its request id.
use std::io::IsTerminal;

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::LogConfig;

/// Installs the global subscriber once, in `main` (tests install none).
pub fn init(config: &LogConfig) {
    let filter = EnvFilter::try_new(&config.filter).unwrap_or_else(|err| {
        eprintln!(
            "APP_LOG `{}` is not a valid filter ({err}); using `info`",
            config.filter
        );
        EnvFilter::new("info")
    });
    let registry = tracing_subscriber::registry().with(filter);
    let result = if config.json {
        registry
            .with(fmt::layer().json().flatten_event(true))
            .try_init()
    } else {
        registry
            .with(fmt::layer().with_ansi(std::io::stdout().is_terminal()))
            .try_init()
    };
    if let Err(err) = result {
        eprintln!("logging was already initialised: {err}");
    }
}
