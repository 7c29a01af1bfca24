//! Typed configuration, read once from the environment in `main` and passed down.
mod identity;

use std::{fmt, net::SocketAddr, path::PathBuf, str::FromStr, time::Duration};

use schema::{SchemaConfig, domain::auth::AuthSettings};

/// The SQLite database `cargo run -p server` creates when nothing else is configured.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://./data/app.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8000";

#[derive(Debug, Clone)]
pub struct Config {
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// `DATABASE_MAX_CONNECTIONS`.
    pub database_max_connections: u32,
    /// `APP_BIND`: the address to listen on.
    pub bind: SocketAddr,
    /// `RUN_MIGRATIONS`: apply pending migrations at start-up.
    pub run_migrations: bool,
    /// `APP_MAX_BODY_BYTES`: the largest request body accepted.
    pub max_body_bytes: usize,
    /// `APP_MAX_QUERY_DEPTH`, `APP_MAX_QUERY_COMPLEXITY`, `APP_MAX_ALIASES`.
    pub limits: SchemaConfig,
    /// `APP_MAX_BATCH`, `APP_MAX_SUBSCRIPTIONS_PER_SOCKET`, `APP_MAX_SOCKETS_PER_USER`.
    pub cost: CostLimits,
    /// `APP_WS_INIT_TIMEOUT_SECONDS`: how long a WebSocket may wait before `connection_init`.
    pub ws_init_timeout: Duration,
    /// `APP_HEADER_READ_TIMEOUT_SECONDS`, `APP_BODY_READ_TIMEOUT_SECONDS`,
    /// `APP_SHUTDOWN_GRACE_SECONDS`, `APP_DB_STATEMENT_TIMEOUT_SECONDS`,
    /// `APP_SQLITE_BUSY_TIMEOUT_SECONDS`.
    pub timeouts: Timeouts,
    /// `APP_FOCUS_EXPIRY_SECONDS`: how often focus sessions past their expiry are abandoned.
    pub focus_expiry_every: Duration,
    /// Identity: `JWT_SECRET` (random per start when unset), `APP_SIGN_IN_URL`,
    /// `APP_TERMS_VERSION`, `APP_MINIMUM_AGE`, `APP_REQUIRE_APPROVAL`,
    /// `APP_SIGN_IN_LIMIT_PER_EMAIL`, `APP_SIGN_IN_LIMIT_PER_IP` (per 15 minutes).
    pub auth: AuthSettings,
    /// No `JWT_SECRET` was given: a random one signs this process's tokens.
    pub ephemeral_jwt_secret: bool,
    pub mail: MailConfig,
    pub log: LogConfig,
}

/// What bounds a client's and a query's hold on the server.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// A request's line and headers must arrive within this (also the longest a kept-alive
    /// connection may wait idle for its next request: hyper runs one timer for both).
    pub header_read: Duration,
    /// A request's whole body must arrive within this (then 408).
    pub body_read: Duration,
    /// How long SIGTERM waits for requests in flight before cutting them.
    pub shutdown_grace: Duration,
    /// PostgreSQL's `statement_timeout` on every connection.
    pub db_statement: Duration,
    /// How long a SQLite writer waits for the lock before failing.
    pub sqlite_busy: Duration,
}

/// What one client may make the server hold or do at once.
#[derive(Debug, Clone, Copy)]
pub struct CostLimits {
    /// Operations in one HTTP batch (a JSON array); more is refused before any runs.
    pub max_batch: usize,
    /// Operations one WebSocket may run at once.
    pub max_subscriptions_per_socket: usize,
    /// WebSockets one user may hold open on this instance.
    pub max_sockets_per_user: usize,
}

/// Where mail goes: SMTP when `APP_SMTP_URL` is set (e.g.
/// `smtps://user:password@smtp.example.com`), otherwise one `.eml` file per mail in
/// `APP_OUTBOX_DIR`. `APP_MAIL_FROM` is the sender.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp_url: Option<Secret>,
    pub from: String,
    pub outbox_dir: PathBuf,
}

#[derive(Debug, Clone)]
pub struct LogConfig {
    /// `APP_LOG` (else `RUST_LOG`): a tracing filter such as `info,server=debug`.
    pub filter: String,
    /// `APP_LOG_FORMAT`: `text` or `json`.
    pub json: bool,
}

/// A value that must never reach a log line.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub(crate) name: &'static str,
    pub(crate) problem: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let defaults = SchemaConfig::default();
        Ok(Self {
            database_url: get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            database_max_connections: parse(&get, "DATABASE_MAX_CONNECTIONS", 10)?,
            bind: parse(&get, "APP_BIND", SocketAddr::from(([127, 0, 0, 1], 8000)))?,
            run_migrations: parse_bool(&get, "RUN_MIGRATIONS", true)?,
            max_body_bytes: parse(&get, "APP_MAX_BODY_BYTES", 1024 * 1024)?,
            limits: SchemaConfig {
                max_depth: parse(&get, "APP_MAX_QUERY_DEPTH", defaults.max_depth)?,
                max_complexity: parse(&get, "APP_MAX_QUERY_COMPLEXITY", defaults.max_complexity)?,
                max_aliases: parse(&get, "APP_MAX_ALIASES", defaults.max_aliases)?,
            },
            cost: CostLimits {
                max_batch: parse(&get, "APP_MAX_BATCH", 10)?,
                max_subscriptions_per_socket: parse(&get, "APP_MAX_SUBSCRIPTIONS_PER_SOCKET", 50)?,
                max_sockets_per_user: parse(&get, "APP_MAX_SOCKETS_PER_USER", 20)?,
            },
            ws_init_timeout: Duration::from_secs(parse(&get, "APP_WS_INIT_TIMEOUT_SECONDS", 10)?),
            focus_expiry_every: Duration::from_secs(parse(&get, "APP_FOCUS_EXPIRY_SECONDS", 15)?),
            timeouts: Timeouts {
                header_read: seconds(&get, "APP_HEADER_READ_TIMEOUT_SECONDS", 10)?,
                body_read: seconds(&get, "APP_BODY_READ_TIMEOUT_SECONDS", 30)?,
                shutdown_grace: seconds(&get, "APP_SHUTDOWN_GRACE_SECONDS", 30)?,
                db_statement: seconds(&get, "APP_DB_STATEMENT_TIMEOUT_SECONDS", 30)?,
                sqlite_busy: seconds(&get, "APP_SQLITE_BUSY_TIMEOUT_SECONDS", 10)?,
            },
            auth: identity::auth_settings(&get)?,
            ephemeral_jwt_secret: get("JWT_SECRET").is_none(),
            mail: MailConfig {
                smtp_url: get("APP_SMTP_URL").map(Secret),
                from: get("APP_MAIL_FROM")
                    .unwrap_or_else(|| "Productivity <no-reply@localhost>".into()),
                outbox_dir: get("APP_OUTBOX_DIR")
                    .map_or_else(|| PathBuf::from("./data/outbox"), PathBuf::from),
            },
            log: LogConfig {
                filter: get("APP_LOG")
                    .or_else(|| get("RUST_LOG"))
                    .unwrap_or_else(|| "info".into()),
                json: match get("APP_LOG_FORMAT").as_deref() {
                    None | Some("text") => false,
                    Some("json") => true,
                    Some(other) => {
                        return Err(ConfigError {
                            name: "APP_LOG_FORMAT",
                            problem: format!("`{other}` is neither `text` nor `json`"),
                        });
                    }
                },
            },
        })
    }
}

/// A positive whole number of seconds.
fn seconds(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<Duration, ConfigError> {
    match parse(get, name, default)? {
        0 => Err(ConfigError {
            name,
            problem: "must be at least 1 second".into(),
        }),
        n => Ok(Duration::from_secs(n)),
    }
}

pub(crate) fn parse<T: FromStr>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
) -> Result<T, ConfigError>
where
    T::Err: fmt::Display,
{
    match get(name) {
        None => Ok(default),
        Some(text) => text.trim().parse().map_err(|err: T::Err| ConfigError {
            name,
            problem: format!("`{text}`: {err}"),
        }),
    }
}

pub(crate) fn parse_bool(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match get(name).map(|v| v.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError {
            name,
            problem: format!("`{other}` is not a boolean"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_lookup(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn nothing_configured_means_embedded_sqlite_on_port_8000() {
        let config = config(&[]).unwrap();
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.bind.to_string(), DEFAULT_BIND);
        assert!(config.run_migrations);
    }

    #[test]
    fn malformed_values_name_their_variable() {
        let err = config(&[("APP_BIND", "nowhere")]).unwrap_err();
        assert!(err.to_string().starts_with("APP_BIND:"), "{err}");
        let err = config(&[("RUN_MIGRATIONS", "perhaps")]).unwrap_err();
        assert!(err.to_string().starts_with("RUN_MIGRATIONS:"), "{err}");
    }

    #[test]
    fn secrets_never_print() {
        let config = config(&[("JWT_SECRET", "0123456789abcdef0123456789abcdef-secret")]).unwrap();
        assert!(!format!("{config:?}").contains("0123456789abcdef"));
    }
}
