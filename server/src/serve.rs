//! The command line: `serve` (configuration from the environment, logs, and the app until
//! SIGTERM or Ctrl-C), `export-schema`, `migrate`. In the library so the suite's process
//! tests run exactly what `main` runs.
use std::process::ExitCode;

use schema::domain::SystemClock;

use crate::{
    Application, Config,
    config::{self, Command, Migrate},
    telemetry,
};

/// Runs the command line's command with the environment's configuration; the exit code
/// says how it went (2 for a wrong setting or flag, or a busy port).
pub async fn from_env() -> ExitCode {
    let (command, config) =
        match config::parse_command_line(std::env::args_os(), |name| std::env::var(name).ok()) {
            Ok(parsed) => parsed,
            Err(err) => return err.report(),
        };
    match command.unwrap_or(Command::Serve) {
        Command::ExportSchema => {
            print!("{}", schema::sdl());
            ExitCode::SUCCESS
        }
        Command::Migrate { action } => migrate(config, action).await,
        Command::Serve => serve(config).await,
    }
}

/// Serves until a shutdown signal.
pub async fn serve(config: Config) -> ExitCode {
    telemetry::init(&config.log);
    let bind = config.bind;
    let result = async {
        let app = Application::build(config, std::sync::Arc::new(SystemClock)).await?;
        app.run_until_stopped(shutdown_signal()).await
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if is_address_in_use(&err) => {
            tracing::error!("{bind} is in use; set APP_BIND to another address");
            eprintln!("{bind} is in use; set APP_BIND to another address");
            ExitCode::from(2)
        }
        Err(err) => {
            tracing::error!(error = ?err, "server stopped with an error");
            ExitCode::FAILURE
        }
    }
}

fn is_address_in_use(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse)
    })
}

/// `migrate up|down|status` on `DATABASE_URL`.
async fn migrate(config: Config, action: Migrate) -> ExitCode {
    use migration::{Migrator, MigratorTrait};
    telemetry::init(&config.log);
    let result = async {
        let metrics = std::sync::Arc::new(crate::metrics::Metrics::new());
        let db = crate::db::connect(&config.database_url, 1, config.timeouts, metrics).await?;
        match action {
            Migrate::Up => Migrator::up(&db, None).await?,
            Migrate::Down { steps } => Migrator::down(&db, Some(steps)).await?,
            Migrate::Status => {
                for migration in Migrator::get_migration_with_status(&db).await? {
                    println!("{}\t{}", migration.name(), migration.status());
                }
            }
        }
        anyhow::Ok(())
    }
    .await;
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("migration failed: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; draining connections");
}
