//! Relay connections built from a domain `Page`: `edges { cursor node }`, `pageInfo` and a
//! `totalCount` that runs its count only when a client asks for it.
use std::{future::Future, pin::Pin};

use async_graphql::{
    Object, OutputType,
    connection::{Connection, Edge, EmptyFields},
};
use sea_orm::{DatabaseConnection, EntityTrait, Select};

use crate::domain::{AppResult, pagination};

type CountFuture = Pin<Box<dyn Future<Output = AppResult<u64>> + Send>>;

/// The extra connection field `totalCount`, counted lazily.
pub struct TotalCount {
    count: Box<dyn Fn() -> CountFuture + Send + Sync>,
}

impl TotalCount {
    /// Counts the rows of `select`, the same filtered query the page was cut from.
    pub fn of<E>(db: DatabaseConnection, select: Select<E>) -> Self
    where
        E: EntityTrait,
        E::Model: Sync,
        Select<E>: Clone + Send + Sync + 'static,
    {
        Self {
            count: Box::new(move || {
                let (db, select) = (db.clone(), select.clone());
                Box::pin(async move { pagination::count(&db, select).await })
            }),
        }
    }
}

#[Object]
impl TotalCount {
    /// How many items the whole list holds, across all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok((self.count)().await?)
    }
}

/// A connection whose nodes are `N`.
pub type AppConnection<N> = Connection<String, N, TotalCount, EmptyFields>;

/// Turns a domain listing into a connection: its page as edges, its query as `totalCount`.
pub fn listing<E, N: OutputType>(
    db: &DatabaseConnection,
    listing: pagination::Listing<E>,
    node: impl FnMut(E::Model) -> N,
) -> AppConnection<N>
where
    E: EntityTrait,
    E::Model: Sync,
    Select<E>: Clone + Send + Sync + 'static,
{
    connection(listing.page, TotalCount::of(db.clone(), listing.all), node)
}

/// Turns a page of domain rows into a connection of GraphQL nodes.
pub fn connection<T, N: OutputType>(
    page: pagination::Page<T>,
    total: TotalCount,
    mut node: impl FnMut(T) -> N,
) -> AppConnection<N> {
    let mut connection =
        Connection::with_additional_fields(page.has_previous_page, page.has_next_page, total);
    connection.edges.extend(
        page.items
            .into_iter()
            .map(|(cursor, item)| Edge::new(cursor.encode(), node(item))),
    );
    connection
}
