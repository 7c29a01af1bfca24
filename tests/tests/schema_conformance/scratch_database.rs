//! A throw-away PostgreSQL database, `conformance_<uuid>`, created beside the one the test URL
//! names and dropped with `WITH (FORCE)` when the test is done with it.

use std::time::Duration;

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

/// An unreachable server fails the test after this long instead of sqlx's 30 s default.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct ScratchDatabase {
    admin: DatabaseConnection,
    name: String,
    connection: DatabaseConnection,
}

impl ScratchDatabase {
    /// Connects to `admin_url`, creates a fresh database and connects to it.
    pub async fn create(admin_url: &str) -> Result<Self, DbErr> {
        let admin = connect(admin_url.to_owned()).await?;
        let name = format!("conformance_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        let connection = match connect(with_database(admin_url, &name)).await {
            Ok(connection) => connection,
            Err(error) => {
                drop_database(&admin, &name).await?;
                return Err(error);
            }
        };
        Ok(Self {
            admin,
            name,
            connection,
        })
    }

    pub fn connection(&self) -> &DatabaseConnection {
        &self.connection
    }

    /// Closes the connection and drops the database, even if others still hold connections.
    pub async fn destroy(self) -> Result<(), DbErr> {
        self.connection.close().await?;
        drop_database(&self.admin, &self.name).await?;
        self.admin.close().await
    }
}

async fn connect(url: String) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url);
    options
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(CONNECT_TIMEOUT);
    Database::connect(options).await
}

async fn drop_database(admin: &DatabaseConnection, name: &str) -> Result<(), DbErr> {
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .map(|_| ())
}

/// `url` with its database path replaced by `database`, keeping credentials, host and query.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |scheme_end| scheme_end + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |slash| authority + slash);
    let mut replaced = format!("{}/{database}", &base[..path]);
    if let Some(query) = query {
        replaced.push('?');
        replaced.push_str(query);
    }
    replaced
}

#[test]
fn the_scratch_url_keeps_credentials_host_and_query() {
    let url = |from| with_database(from, "conformance_x");
    assert_eq!(
        url("postgres://postgres@127.0.0.1:5432/test"),
        "postgres://postgres@127.0.0.1:5432/conformance_x"
    );
    assert_eq!(
        url("postgres://u:p@db/test?sslmode=disable"),
        "postgres://u:p@db/conformance_x?sslmode=disable"
    );
    assert_eq!(
        url("postgres://db:5432"),
        "postgres://db:5432/conformance_x"
    );
}
