//! `TestApp`: the real server on port 0 over a fresh database, and GraphQL over HTTP.
use std::{net::SocketAddr, sync::Arc};

use chrono::Utc;
use schema::domain::{ManualClock, focus::FocusBroker, gamification::RewardFeed};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use server::{Application, Config, metrics::Metrics};
use tokio::sync::oneshot;

use crate::{Backend, TestDatabase, outbox::Outbox, print_sql};

pub struct TestApp {
    pub addr: SocketAddr,
    /// Where the app's mail lands (its file outbox).
    pub outbox: Outbox,
    pub http: reqwest::Client,
    /// The app's clock: tests set and advance it instead of sleeping.
    pub clock: Arc<ManualClock>,
    /// Shared by every instance of the app on it; dropped with the last.
    pub database: Arc<TestDatabase>,
    /// The app's own connection pool, for what a background job of the app does.
    pub app_db: DatabaseConnection,
    /// The app's focus broker.
    pub focus: FocusBroker,
    /// The app's reward event feed.
    pub rewards: RewardFeed,
    config: Config,
    metrics: Arc<Metrics>,
    /// The admin `audit_events` reads with, and the instants it acted at.
    pub(crate) auditor: tokio::sync::Mutex<crate::audit::Auditor>,
    _stop: oneshot::Sender<()>,
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Spawns with the sign-in limits out of the way, for a test that signs in or refreshes
    /// many times (moving through days refreshes the session each time; a probe signs in
    /// for each case), where the limiter is not what it tests.
    pub async fn spawn_without_sign_in_limits(backend: Backend) -> Self {
        Self::spawn_with(backend, |config| {
            config.auth.rate_limits.per_ip = 100_000;
            config.auth.rate_limits.per_email = 100_000;
        })
        .await
    }

    /// Spawns with the configuration adjusted by `configure` (limits, flags…).
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> Self {
        let database = TestDatabase::fresh(backend).await;
        let mut config = Config::from_lookup(|_| None).expect("default configuration");
        config.database_url = database.url.clone();
        config.bind = SocketAddr::from(([127, 0, 0, 1], 0));
        config.database_max_connections = 5;
        let outbox = Outbox::fresh();
        config.mail.outbox_dir = outbox.dir.clone();
        config.auth.admin_emails = vec![crate::identity::ADMIN_EMAIL.to_owned()];
        // Tests run the focus expiry job themselves, at the clock they set.
        config.focus_expiry_every = std::time::Duration::from_secs(24 * 60 * 60);
        configure(&mut config);
        let clock = Arc::new(ManualClock::new(Utc::now()));
        Self::start(Arc::new(database), config, clock, outbox).await
    }

    /// A second server instance on this app's PostgreSQL database, with the same
    /// configuration (so the same token secret) and clock: a device on one and a device on
    /// the other are one user's two devices behind a load balancer.
    pub async fn another_instance(&self) -> Self {
        assert_eq!(
            self.backend(),
            Backend::Postgres,
            "instances share events through PostgreSQL only"
        );
        let outbox = Outbox::fresh();
        let mut config = self.config.clone();
        config.mail.outbox_dir = outbox.dir.clone();
        Self::start(self.database.clone(), config, self.clock.clone(), outbox).await
    }

    async fn start(
        database: Arc<TestDatabase>,
        config: Config,
        clock: Arc<ManualClock>,
        outbox: Outbox,
    ) -> Self {
        let app = Application::build(config.clone(), clock.clone())
            .await
            .expect("build the application");
        let addr = app.local_addr().expect("the bound address");
        let metrics = app.metrics();
        let (app_db, focus, rewards) =
            (app.db().clone(), app.focus().clone(), app.rewards().clone());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until_stopped(async {
            stopped.await.ok();
        }));
        Self {
            addr,
            outbox,
            http: reqwest::Client::new(),
            clock,
            database,
            app_db,
            focus,
            rewards,
            config,
            metrics,
            auditor: tokio::sync::Mutex::default(),
            _stop: stop,
        }
    }

    pub fn backend(&self) -> Backend {
        self.database.backend
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// SQL statements the app has run since it started.
    pub fn statements(&self) -> u64 {
        self.metrics.statements()
    }

    /// POSTs `query` with no variables.
    pub async fn graphql(&self, query: &str) -> GqlResponse {
        self.graphql_with(query, json!({})).await
    }

    pub async fn graphql_with(&self, query: &str, variables: Value) -> GqlResponse {
        self.post_graphql(None, query, variables).await
    }

    /// POSTs `query` as the holder of `access_token`.
    pub async fn graphql_as(
        &self,
        access_token: &str,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        self.post_graphql(Some(access_token), query, variables)
            .await
    }

    async fn post_graphql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> GqlResponse {
        let mut request = self
            .http
            .post(self.url("/graphql"))
            .header("user-agent", "apptest/1.0")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        GqlResponse::read(request.send().await.expect("POST /graphql")).await
    }

    /// Runs `query` and returns how many SQL statements answering it took.
    pub async fn graphql_counting(&self, query: &str, variables: Value) -> (GqlResponse, u64) {
        let before = self.statements();
        let response = self.graphql_with(query, variables).await;
        (response, self.statements() - before)
    }

    /// The same as the holder of `access_token`.
    pub async fn graphql_counting_as(
        &self,
        access_token: &str,
        query: &str,
        variables: Value,
    ) -> (GqlResponse, u64) {
        let before = self.statements();
        let printing = print_sql::start(query);
        let response = self.graphql_as(access_token, query, variables).await;
        print_sql::end(printing);
        (response, self.statements() - before)
    }

    /// GETs `/graphql` with the operation in the query string.
    pub async fn graphql_get(&self, query: &str) -> GqlResponse {
        let response = self
            .http
            .get(self.url("/graphql"))
            .query(&[("query", query)])
            .send()
            .await
            .expect("GET /graphql");
        GqlResponse::read(response).await
    }
}

/// An HTTP answer to a GraphQL request.
#[derive(Debug)]
pub struct GqlResponse {
    pub status: reqwest::StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    /// The body as sent, for what `body` does not keep (the order of an object's keys).
    pub text: String,
}

impl GqlResponse {
    pub async fn read(response: reqwest::Response) -> Self {
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("response body");
        let body = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("a JSON body, got {status}: {text}"));
        Self {
            status,
            headers,
            body,
            text,
        }
    }

    pub fn data(&self) -> &Value {
        &self.body["data"]
    }

    /// The first error's `extensions` (`code`, `reason`, `field`, …); `null` when none.
    pub fn extensions(&self) -> &Value {
        &self.body["errors"][0]["extensions"]
    }

    /// The `extensions.code` of each error, in order.
    pub fn error_codes(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        e["extensions"]["code"]
                            .as_str()
                            .unwrap_or("<none>")
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Panics with the errors unless the operation succeeded.
    #[track_caller]
    pub fn assert_ok(&self) -> &Value {
        assert!(
            self.status.is_success() && self.body.get("errors").is_none(),
            "expected success, got {}: {}",
            self.status,
            self.body
        );
        self.data()
    }
}
