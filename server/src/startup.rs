//! Building the application from its configuration and serving it until told to stop.
use std::{future::Future, net::SocketAddr, sync::Arc};

use migration::{Migrator, MigratorTrait};
use schema::{
    Services,
    domain::{
        auth::Identity,
        clock::SharedClock,
        focus::{FocusBroker, broker::BrokerTasks},
        gamification::RewardFeed,
        live, live_listener as listener,
    },
};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::{
    config::Config,
    db,
    drain::Drain,
    jobs,
    listen::{self, ServeLimits},
    mail::LettreMailer,
    metrics::Metrics,
    routes::{self, AppState},
};

/// How long start-up waits for the live listener before serving without it.
const LISTENER_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);

/// A built app: its database is migrated and its listener bound, so `port()` is known
/// before it serves (tests bind port 0).
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    db: DatabaseConnection,
    metrics: Arc<Metrics>,
    sweeper: tokio::task::JoinHandle<()>,
    focus: FocusBroker,
    rewards: RewardFeed,
    focus_tasks: BrokerTasks,
    /// The reward feed's drain and, on PostgreSQL, the live listener.
    live_tasks: Vec<tokio::task::JoinHandle<()>>,
    focus_expiry: tokio::task::JoinHandle<()>,
    drain: Drain,
    limits: ServeLimits,
}

impl Application {
    pub async fn build(config: Config, clock: SharedClock) -> anyhow::Result<Self> {
        let metrics = Arc::new(Metrics::new());
        let db = db::connect(
            &config.database_url,
            config.database_max_connections,
            config.timeouts,
            metrics.clone(),
        )
        .await?;
        tracing::info!(backend = db::backend_name(&db), "database connected");
        if config.ephemeral_jwt_secret {
            tracing::warn!(
                "JWT_SECRET is unset: a random secret signs tokens, so they end with this \
                 process and other instances reject them; set JWT_SECRET in production"
            );
        }
        if config.run_migrations {
            Migrator::up(&db, None).await?;
            tracing::info!("migrations applied");
        }
        let mailer = Arc::new(LettreMailer::from_config(&config.mail)?);
        mailer.log_destination();
        let documents = Arc::new(routes::graphql::persisted::Documents::from_config(
            &config.clients,
        )?);
        let identity = Arc::new(Identity::new(config.auth, mailer));
        let (focus, focus_tasks) = FocusBroker::spawn(db.clone());
        let (rewards, rewards_drain) = RewardFeed::spawn(db.clone());
        let feeds: Vec<Arc<dyn live::Feed>> = vec![
            Arc::new(focus.clone()),
            Arc::new(rewards.clone()),
            Arc::new(identity.sign_ins.clone()),
        ];
        let (listening, listener_task) = listener::spawn(&db, feeds);
        let live_tasks = std::iter::once(rewards_drain)
            .chain(listener_task)
            .collect();
        if !listening.wait(LISTENER_PATIENCE).await {
            tracing::warn!(
                "the live listener is not connected yet: focus and reward events from other \
                 instances arrive once it is"
            );
        }
        let services = Services {
            db: db.clone(),
            clock: clock.clone(),
            identity: identity.clone(),
            focus: focus.clone(),
            rewards: rewards.clone(),
        };
        let schema = schema::build_schema(services, config.limits);
        let sweeper = jobs::spawn_sweeper(db.clone(), identity.clone(), clock.clone());
        let focus_expiry = jobs::spawn_focus_expiry(
            db.clone(),
            focus.clone(),
            clock.clone(),
            config.focus_expiry_every,
        );
        let state = AppState {
            schema,
            db: db.clone(),
            clock,
            identity,
            metrics: metrics.clone(),
            ws_init_timeout: config.ws_init_timeout,
            max_body_bytes: config.max_body_bytes,
            write_probe: Arc::default(),
            drain: Drain::default(),
            body_read_timeout: config.timeouts.body_read,
            limits: config.cost,
            sockets: routes::ws::sockets::SocketCounts::new(config.cost.max_sockets_per_user),
            documents,
        };
        let pages = routes::Pages {
            cors_origins: config.clients.cors_origins.clone(),
            sign_in_page: config.clients.sign_in_page,
        };
        if !pages.cors_origins.is_empty() {
            tracing::info!(origins = ?pages.cors_origins, "browsers on these origins may call the API (CORS)");
        }
        let drain = state.drain.clone();
        let limits = ServeLimits {
            header_read: config.timeouts.header_read,
            idle: config.timeouts.idle,
            grace: config.timeouts.shutdown_grace,
        };
        let router = routes::router(state, config.max_body_bytes, &pages);
        let listener = TcpListener::bind(config.bind).await?;
        Ok(Self {
            listener,
            router,
            db,
            metrics,
            sweeper,
            focus,
            focus_tasks,
            live_tasks,
            rewards,
            focus_expiry,
            drain,
            limits,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// The reward feed: its subscribers.
    pub fn rewards(&self) -> &RewardFeed {
        &self.rewards
    }

    /// The focus broker: its subscribers, and what the expiry job announces through.
    pub fn focus(&self) -> &FocusBroker {
        &self.focus
    }

    /// Serves until `shutdown` resolves, then drains the requests in flight (up to the
    /// grace period), closes WebSockets with 1001, and closes the database pool.
    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let addr = self.listener.local_addr()?;
        tracing::info!(%addr, "serving GraphiQL at http://{addr}/ and the API at /graphql");
        listen::serve(
            self.listener,
            self.router,
            self.limits,
            self.drain,
            shutdown,
        )
        .await;
        self.sweeper.abort();
        self.focus_expiry.abort();
        self.focus_tasks.abort();
        self.live_tasks
            .iter()
            .for_each(tokio::task::JoinHandle::abort);
        // A request cut by the grace period may still hold a connection: do not wait on it.
        if tokio::time::timeout(std::time::Duration::from_secs(2), self.db.close())
            .await
            .is_err()
        {
            tracing::info!("database pool closed with connections still in use");
        }
        tracing::info!("stopped");
        Ok(())
    }
}
