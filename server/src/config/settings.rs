//! Every setting as a `clap` argument with its environment variable, default and meaning:
//! `server --help` lists them, the README's table is rendered from them (a test keeps the two
//! equal), and a wrong value is reported with the variable's name and what it expects.
use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The productivity API: GraphQL over HTTP and WebSocket, GraphiQL at `/`.
#[derive(Debug, Parser)]
#[command(
    name = "server",
    about = "The productivity API: GraphQL at /graphql, subscriptions at /graphql/ws, GraphiQL at /",
    after_long_help = AFTER_HELP,
    after_help = AFTER_HELP,
    args_override_self = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

const AFTER_HELP: &str = "Every setting is read from its environment variable (a command-line flag \
wins over it). OAuth providers named in APP_OAUTH_PROVIDERS are configured by \
APP_OAUTH_<NAME>_CLIENT_ID and _CLIENT_SECRET; providers other than github and google also need \
_AUTHORIZE_URL, _TOKEN_URL and _USERINFO_URL (optional: _EMAILS_URL, _SCOPES).";

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve the API until SIGINT or SIGTERM (the default).
    Serve,
    /// Print the GraphQL schema (SDL) to standard output.
    ExportSchema,
    /// Apply, roll back or list the database migrations on DATABASE_URL.
    Migrate {
        #[command(subcommand)]
        action: Migrate,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum Migrate {
    /// Apply every pending migration.
    Up,
    /// Roll back the newest migrations.
    Down {
        /// How many migrations to roll back.
        #[arg(long, default_value_t = 1)]
        steps: u32,
    },
    /// List each migration and whether it is applied.
    Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The settings; each field's doc comment is its meaning in `--help` and the README.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Settings")]
pub struct Settings {
    /// `sqlite://…` or `postgres://…`; a PostgreSQL URL on loopback (`localhost`, `127.0.0.1`, `::1`, a socket) that names no `sslmode` connects without TLS, any other keeps the driver's `prefer`
    #[arg(long, env = "DATABASE_URL", default_value = super::DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
    /// size of the connection pool
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub database_max_connections: u32,
    /// address to listen on
    #[arg(long, env = "APP_BIND", default_value = super::DEFAULT_BIND, value_parser = socket_addr)]
    pub bind: SocketAddr,
    /// signs access tokens (at least 32 characters); unset: random per start, so set it for tokens to survive restarts
    #[arg(long, env = "JWT_SECRET", hide_env_values = true, value_parser = jwt_secret)]
    pub jwt_secret: Option<String>,
    /// apply pending migrations at start-up
    #[arg(long, env = "RUN_MIGRATIONS", default_value = "true", value_parser = boolean, action = clap::ArgAction::Set)]
    pub run_migrations: bool,
    /// tracing filter, e.g. `info,server=debug` (unset: `RUST_LOG`, else `info`)
    #[arg(long, env = "APP_LOG")]
    pub log: Option<String>,
    /// log lines as `text` or `json`
    #[arg(long, env = "APP_LOG_FORMAT", default_value = "text", value_enum)]
    pub log_format: LogFormat,
    /// largest request body accepted (larger: 413)
    #[arg(long, env = "APP_MAX_BODY_BYTES", default_value_t = 1024 * 1024, value_parser = positive_usize)]
    pub max_body_bytes: usize,
    /// deepest selection nesting an operation may use
    #[arg(long, env = "APP_MAX_QUERY_DEPTH", default_value_t = 15, value_parser = positive_usize)]
    pub max_query_depth: usize,
    /// most fields an operation may select
    #[arg(long, env = "APP_MAX_QUERY_COMPLEXITY", default_value_t = 1000, value_parser = positive_usize)]
    pub max_query_complexity: usize,
    /// most aliases an operation may use
    #[arg(long, env = "APP_MAX_ALIASES", default_value_t = 30, value_parser = positive_usize)]
    pub max_aliases: usize,
    /// most operations in one HTTP batch (a JSON array); more is `BAD_USER_INPUT` (`field: "batch"`) before any runs; the complexity limit holds for the batch's sum
    #[arg(long, env = "APP_MAX_BATCH", default_value_t = 10, value_parser = positive_usize)]
    pub max_batch: usize,
    /// most operations one WebSocket runs at once; the next `subscribe` gets an `error` for its id and the socket stays open
    #[arg(long, env = "APP_MAX_SUBSCRIPTIONS_PER_SOCKET", default_value_t = 50, value_parser = positive_usize)]
    pub max_subscriptions_per_socket: usize,
    /// most WebSockets one user holds open on one instance; the next `connection_init` is closed with 4403
    #[arg(long, env = "APP_MAX_SOCKETS_PER_USER", default_value_t = 20, value_parser = positive_usize)]
    pub max_sockets_per_user: usize,
    /// how long a WebSocket may stay open without `connection_init` (then closed with 4408)
    #[arg(long, env = "APP_WS_INIT_TIMEOUT_SECONDS", default_value_t = 10, value_parser = seconds)]
    pub ws_init_timeout_seconds: u64,
    /// a request's line and headers must arrive within this once its first byte has, else the connection closes
    #[arg(long, env = "APP_HEADER_READ_TIMEOUT_SECONDS", default_value_t = 10, value_parser = seconds)]
    pub header_read_timeout_seconds: u64,
    /// how long a kept-alive connection may wait idle, no request in flight, for its next request before it is closed
    #[arg(long, env = "APP_IDLE_TIMEOUT_SECONDS", default_value_t = 60, value_parser = seconds)]
    pub idle_timeout_seconds: u64,
    /// a request's whole body must arrive within this (else 408 and the connection closes)
    #[arg(long, env = "APP_BODY_READ_TIMEOUT_SECONDS", default_value_t = 30, value_parser = seconds)]
    pub body_read_timeout_seconds: u64,
    /// how long SIGTERM waits for requests in flight before cutting them and exiting
    #[arg(long, env = "APP_SHUTDOWN_GRACE_SECONDS", default_value_t = 30, value_parser = seconds)]
    pub shutdown_grace_seconds: u64,
    /// PostgreSQL `statement_timeout`: a slower statement is cancelled
    #[arg(long, env = "APP_DB_STATEMENT_TIMEOUT_SECONDS", default_value_t = 30, value_parser = seconds)]
    pub db_statement_timeout_seconds: u64,
    /// how long a SQLite writer waits for the lock before failing
    #[arg(long, env = "APP_SQLITE_BUSY_TIMEOUT_SECONDS", default_value_t = 10, value_parser = seconds)]
    pub sqlite_busy_timeout_seconds: u64,
    /// how often each instance abandons focus sessions left past their expiry
    #[arg(long, env = "APP_FOCUS_EXPIRY_SECONDS", default_value_t = 15, value_parser = seconds)]
    pub focus_expiry_seconds: u64,
    /// origins a browser app may call the API from (comma-separated, exact, e.g. `http://localhost:5173`; for development `http://localhost:*` allows any port there); unset: none
    #[arg(long, env = "APP_CORS_ORIGINS", value_delimiter = ',', value_parser = origin)]
    pub cors_origins: Vec<String>,
    /// a manifest (`{"<sha256>": "<document>"}`, as Relay, GraphQL Codegen and Apollo's generators emit): only its operations run
    #[arg(long, env = "APP_TRUSTED_DOCUMENTS")]
    pub trusted_documents: Option<PathBuf>,
    /// with trusted documents: still serve GraphiQL and answer introspection-only operations
    #[arg(long, env = "APP_TRUSTED_DOCUMENTS_ALLOW_EXPLORER", default_value = "false", value_parser = boolean, action = clap::ArgAction::Set)]
    pub trusted_documents_allow_explorer: bool,
    /// automatic persisted queries (APQ) this instance remembers (least recently used go first); 0 turns APQ off
    #[arg(long, env = "APP_APQ_CACHE_SIZE", default_value_t = 1000)]
    pub apq_cache_size: usize,
    /// serve the sign-in page the mailed link opens (it signs in and lands in GraphiQL); a convenience for local use
    #[arg(long, env = "APP_SIGN_IN_PAGE", default_value = "true", value_parser = boolean, action = clap::ArgAction::Set)]
    pub sign_in_page: bool,
    #[command(flatten)]
    pub identity: IdentitySettings,
}

/// Identity and mail.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Identity and mail")]
pub struct IdentitySettings {
    /// the page a mailed link opens: `<url>?token=<token>`; unset: this server's own sign-in page, `http://<APP_BIND>/sign-in` (`http://127.0.0.1:8000/sign-in`)
    #[arg(long, env = "APP_SIGN_IN_URL")]
    pub sign_in_url: Option<String>,
    /// where clients reach this server; the calendar feed URL starts with it; unset: `http://<APP_BIND>`
    #[arg(long, env = "APP_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// SMTP server, e.g. `smtps://user:password@smtp.example.com`; unset: mail goes to the outbox and each sign-in link is logged
    #[arg(long, env = "APP_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// one `.eml` file per mail when no SMTP server is set, named so that `ls` lists them oldest first
    #[arg(long, env = "APP_OUTBOX_DIR", default_value = "./data/outbox")]
    pub outbox_dir: PathBuf,
    /// sender of sign-in mail
    #[arg(
        long,
        env = "APP_MAIL_FROM",
        default_value = "Productivity <no-reply@localhost>"
    )]
    pub mail_from: String,
    /// the terms version users must accept before using the product
    #[arg(long, env = "APP_TERMS_VERSION", default_value = "2026-01-01")]
    pub terms_version: String,
    /// the age `confirmAge` checks
    #[arg(long, env = "APP_MINIMUM_AGE", default_value_t = 16)]
    pub minimum_age: u32,
    /// rewarded own-quest claims per user and local day; past it a claim pays nothing (`rewarded: false`)
    #[arg(long, env = "APP_OWN_QUEST_CLAIMS_PER_DAY", default_value_t = schema::domain::gamification::rewards::OWN_QUEST_REWARDED_CLAIMS_PER_DAY)]
    pub own_quest_claims_per_day: u32,
    /// new users wait for an admin's approval
    #[arg(long, env = "APP_REQUIRE_APPROVAL", default_value = "false", value_parser = boolean, action = clap::ArgAction::Set)]
    pub require_approval: bool,
    /// sign-in requests allowed per email per 15 minutes
    #[arg(long, env = "APP_SIGN_IN_LIMIT_PER_EMAIL", default_value_t = 5)]
    pub sign_in_limit_per_email: u32,
    /// sign-in requests allowed per IP per 15 minutes
    #[arg(long, env = "APP_SIGN_IN_LIMIT_PER_IP", default_value_t = 30)]
    pub sign_in_limit_per_ip: u32,
    /// OAuth providers, e.g. `github,google,acme` (each configured as below); unset: none
    #[arg(long, env = "APP_OAUTH_PROVIDERS")]
    pub oauth_providers: Option<String>,
    /// the client callback pages OAuth may return to (comma-separated); unset: none
    #[arg(long, env = "APP_OAUTH_REDIRECT_URIS")]
    pub oauth_redirect_uris: Option<String>,
    /// emails granted the `admin` role when they sign in (audited); unset: none
    #[arg(long, env = "APP_ADMIN_EMAILS")]
    pub admin_emails: Option<String>,
    /// the passkey relying party's ID
    #[arg(long, env = "APP_WEBAUTHN_RP_ID", default_value = "localhost")]
    pub webauthn_rp_id: String,
    /// the passkey relying party's origin
    #[arg(
        long,
        env = "APP_WEBAUTHN_ORIGIN",
        default_value = "http://localhost:8000"
    )]
    pub webauthn_origin: String,
    /// the passkey relying party's name
    #[arg(long, env = "APP_WEBAUTHN_RP_NAME", default_value = "Productivity")]
    pub webauthn_rp_name: String,
}

fn socket_addr(text: &str) -> Result<SocketAddr, String> {
    text.trim().parse().map_err(|_| {
        format!(
            "expected an IP address and port, such as {}",
            super::DEFAULT_BIND
        )
    })
}

fn jwt_secret(text: &str) -> Result<String, String> {
    if text.len() < 32 {
        return Err("expected at least 32 characters".into());
    }
    Ok(text.to_owned())
}

pub(crate) fn boolean(text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err("expected true or false".into()),
    }
}

fn positive_usize(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a whole number of at least 1".into()),
    }
}

fn seconds(text: &str) -> Result<u64, String> {
    match text.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("expected a whole number of seconds, at least 1".into()),
    }
}

fn origin(text: &str) -> Result<String, String> {
    let origin = text.trim().trim_end_matches('/');
    // A development pattern, only when configured: any port of a loopback host.
    if let Some(host) = origin
        .strip_suffix(":*")
        .and_then(|rest| rest.strip_prefix("http://"))
    {
        return match host {
            "localhost" | "127.0.0.1" | "[::1]" => Ok(origin.to_owned()),
            _ => Err("a port wildcard is for loopback hosts only: http://localhost:*, http://127.0.0.1:* or http://[::1]:*".into()),
        };
    }
    let valid = url::Url::parse(origin).is_ok_and(|url| {
        matches!(url.scheme(), "http" | "https")
            && url.host().is_some()
            && url.path() == "/"
            && url.query().is_none()
    });
    if valid && origin != "*" {
        Ok(origin.to_owned())
    } else {
        Err("expected exact origins such as http://localhost:5173 (scheme, host and port; no path; a wildcard only as http://localhost:*)".into())
    }
}

/// The README's settings table, rendered from the arguments: `| variable | default | meaning |`.
pub fn markdown_table() -> String {
    use clap::CommandFactory;
    let command = Cli::command();
    let mut out = String::from("| variable | default | meaning |\n|---|---|---|\n");
    for arg in command.get_arguments() {
        let Some(env) = arg.get_env() else { continue };
        let default = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(",");
        let default = if default.is_empty() {
            "unset".to_owned()
        } else {
            format!("`{default}`")
        };
        let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | {default} | {help} |\n",
            env.to_string_lossy()
        ));
    }
    out
}
