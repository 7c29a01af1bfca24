//! Typed configuration, read once from the environment in `main` and passed down.
mod identity;
pub mod settings;

use std::{fmt, net::SocketAddr, path::PathBuf, time::Duration};

use clap::{CommandFactory, FromArgMatches};
use schema::{SchemaConfig, domain::auth::AuthSettings};

pub use settings::{Cli, Command, LogFormat, Migrate, Settings};

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
    /// `APP_CORS_ORIGINS`, `APP_TRUSTED_DOCUMENTS`, `APP_APQ_CACHE_SIZE`, `APP_SIGN_IN_PAGE`.
    pub clients: ClientConfig,
    pub log: LogConfig,
}

/// What the clients a browser, Apollo or Relay runs may do.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Exact origins allowed by CORS (none: no cross-origin browser access).
    pub cors_origins: Vec<String>,
    /// A trusted-documents manifest: only its operations run.
    pub trusted_documents: Option<PathBuf>,
    /// With trusted documents, GraphiQL and introspection-only operations still work.
    pub trusted_documents_allow_explorer: bool,
    /// Automatic persisted queries remembered (0: APQ off).
    pub apq_cache_size: usize,
    /// `/sign-in` serves the page a mailed link opens.
    pub sign_in_page: bool,
}

/// What bounds a client's and a query's hold on the server.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// A request's line and headers must arrive within this, counted from its first byte.
    pub header_read: Duration,
    /// How long a kept-alive connection may wait, no request in flight, for its next one.
    pub idle: Duration,
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
    pub(crate) name: String,
    pub(crate) problem: String,
    /// clap's own error (help, an unknown flag), printed as clap prints it.
    clap: Option<clap::Error>,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let (_, config) = parse_command_line(["server"], lookup)?;
        Ok(config)
    }

    fn from_settings(
        settings: Settings,
        get: &impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let secs = Duration::from_secs;
        Ok(Self {
            database_url: settings.database_url,
            database_max_connections: settings.database_max_connections,
            bind: settings.bind,
            run_migrations: settings.run_migrations,
            max_body_bytes: settings.max_body_bytes,
            limits: SchemaConfig {
                max_depth: settings.max_query_depth,
                max_complexity: settings.max_query_complexity,
                max_aliases: settings.max_aliases,
            },
            cost: CostLimits {
                max_batch: settings.max_batch,
                max_subscriptions_per_socket: settings.max_subscriptions_per_socket,
                max_sockets_per_user: settings.max_sockets_per_user,
            },
            ws_init_timeout: secs(settings.ws_init_timeout_seconds),
            focus_expiry_every: secs(settings.focus_expiry_seconds),
            timeouts: Timeouts {
                header_read: secs(settings.header_read_timeout_seconds),
                idle: secs(settings.idle_timeout_seconds),
                body_read: secs(settings.body_read_timeout_seconds),
                shutdown_grace: secs(settings.shutdown_grace_seconds),
                db_statement: secs(settings.db_statement_timeout_seconds),
                sqlite_busy: secs(settings.sqlite_busy_timeout_seconds),
            },
            ephemeral_jwt_secret: settings.jwt_secret.is_none(),
            auth: identity::auth_settings(
                settings.jwt_secret,
                &settings.identity,
                settings.bind,
                get,
            )?,
            mail: MailConfig {
                smtp_url: settings.identity.smtp_url.map(Secret),
                from: settings.identity.mail_from,
                outbox_dir: settings.identity.outbox_dir,
            },
            clients: ClientConfig {
                cors_origins: settings.cors_origins,
                trusted_documents: settings.trusted_documents,
                trusted_documents_allow_explorer: settings.trusted_documents_allow_explorer,
                apq_cache_size: settings.apq_cache_size,
                sign_in_page: settings.sign_in_page,
            },
            log: LogConfig {
                filter: settings
                    .log
                    .or_else(|| get("RUST_LOG"))
                    .unwrap_or_else(|| "info".into()),
                json: settings.log_format == LogFormat::Json,
            },
        })
    }
}

/// What `server [SETTINGS] [COMMAND]` asks for: the command (`None`: serve) and the
/// configuration, each setting from `args` if given there, else from `lookup` (its
/// environment variable), else its default. `--help` is an `Err` that prints the help.
pub fn parse_command_line<I, T>(
    args: I,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<(Option<Command>, Config), ConfigError>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    let mut args = args.into_iter().map(Into::into);
    let program = args.next().unwrap_or_else(|| "server".into());
    // The environment's values become flags before the real ones (which then win), so
    // what `lookup` says is parsed, checked and reported exactly as a flag would be.
    let documented = Cli::command();
    let mut argv = vec![program];
    for arg in documented.get_arguments() {
        if let (Some(env), Some(long)) = (arg.get_env(), arg.get_long())
            && let Some(value) = get(&env.to_string_lossy())
        {
            argv.push(format!("--{long}={value}").into());
        }
    }
    let args: Vec<std::ffi::OsString> = args.collect();
    // Help is rendered from the documented command, so it names each variable.
    if let Err(err) = documented
        .clone()
        .try_get_matches_from(argv.iter().take(1).chain(&args))
        && matches!(
            err.kind(),
            clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                | clap::error::ErrorKind::DisplayVersion
        )
    {
        return Err(ConfigError::from_clap(&documented, err));
    }
    argv.extend(args);
    let command = documented.clone().mut_args(|arg| arg.env(None::<&str>));
    let matches = command
        .try_get_matches_from(argv)
        .map_err(|err| ConfigError::from_clap(&documented, err))?;
    let cli =
        Cli::from_arg_matches(&matches).map_err(|err| ConfigError::from_clap(&documented, err))?;
    Ok((cli.command, Config::from_settings(cli.settings, &get)?))
}

impl ConfigError {
    /// Names the variable behind a refused value (`APP_BIND: …`), or passes clap's own
    /// message on (help, an unknown flag) whole.
    fn from_clap(command: &clap::Command, err: clap::Error) -> Self {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        let context = |kind| match err.get(kind) {
            Some(ContextValue::String(text)) => Some(text.clone()),
            _ => None,
        };
        if matches!(
            err.kind(),
            ErrorKind::InvalidValue | ErrorKind::ValueValidation
        ) && let Some(flag) = context(ContextKind::InvalidArg)
            && let Some(arg) = command.get_arguments().find(|arg| {
                arg.get_long().is_some_and(|long| {
                    flag.starts_with(&format!("--{long} ")) || flag == format!("--{long}")
                })
            })
            && let Some(env) = arg.get_env()
        {
            let value = context(ContextKind::InvalidValue).unwrap_or_default();
            let expected = match std::error::Error::source(&err) {
                Some(source) => source.to_string(),
                None => match err.get(ContextKind::ValidValue) {
                    Some(ContextValue::Strings(valid)) => {
                        format!("expected one of {}", valid.join(", "))
                    }
                    _ => "a different value".into(),
                },
            };
            return Self {
                name: env.to_string_lossy().into_owned(),
                problem: format!("`{value}` is not accepted: {expected}"),
                clap: None,
            };
        }
        Self {
            name: "command line".into(),
            problem: err.render().to_string(),
            clap: Some(err),
        }
    }

    pub(crate) fn new(name: &str, problem: String) -> Self {
        Self {
            name: name.to_owned(),
            problem,
            clap: None,
        }
    }

    /// Prints the error (or the help it stands for) and gives the exit code: 0 for help,
    /// 2 for a wrong value or flag.
    pub fn report(&self) -> std::process::ExitCode {
        match &self.clap {
            Some(err) => {
                let code = err.exit_code();
                err.print().ok();
                std::process::ExitCode::from(u8::try_from(code).unwrap_or(2))
            }
            None => {
                eprintln!("configuration error: {self}");
                std::process::ExitCode::from(2)
            }
        }
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
