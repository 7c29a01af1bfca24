//! Relay connections built from a domain `Page`: `edges { cursor node }`, `pageInfo` and a
//! `totalCount` read in the page's statement when the client selected it (`page_request`),
//! else counted on its own only if selected.
use std::{future::Future, pin::Pin};

use async_graphql::{
    Context, Object, OutputType,
    connection::{Connection, Edge, EmptyFields},
};
use sea_orm::{EntityTrait, Select};

use super::reader::Reader;
use crate::domain::{
    AppResult,
    pagination::{self, PageRequest},
};

type CountFuture = Pin<Box<dyn Future<Output = AppResult<u64>> + Send>>;

/// The extra connection field `totalCount`: read with the page, or counted lazily.
pub struct TotalCount(Total);

enum Total {
    Known(u64),
    Lazy(Box<dyn Fn() -> CountFuture + Send + Sync>),
}

impl TotalCount {
    /// Counts the rows of `select`, the same filtered query the page was cut from.
    pub fn of<E>(db: Reader, select: Select<E>) -> Self
    where
        E: EntityTrait,
        E::Model: Sync,
        Select<E>: Clone + Send + Sync + 'static,
    {
        Self(Total::Lazy(Box::new(move || {
            let (db, select) = (db.clone(), select.clone());
            Box::pin(async move { pagination::count(&db, select).await })
        })))
    }

    /// A count already read (with the page).
    pub fn known(total: u64) -> Self {
        Self(Total::Known(total))
    }
}

#[Object]
impl TotalCount {
    /// How many items the whole list holds, across all pages.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        match &self.0 {
            Total::Known(total) => Ok(*total),
            Total::Lazy(count) => Ok(count().await?),
        }
    }
}

/// The Relay arguments of a connection field, checked; the page's statement also counts
/// the whole list when the client selected `totalCount`.
pub fn page_request(
    ctx: &Context<'_>,
    first: Option<i32>,
    after: Option<&str>,
    last: Option<i32>,
    before: Option<&str>,
) -> AppResult<PageRequest> {
    let request = PageRequest::parse(first, after, last, before)?;
    Ok(request.with_total(ctx.look_ahead().field("totalCount").exists()))
}

/// A connection whose nodes are `N`.
pub type AppConnection<N> = Connection<String, N, TotalCount, EmptyFields>;

/// Turns a domain listing into a connection: its page as edges, its query as `totalCount`.
pub fn listing<E, N: OutputType>(
    db: &Reader,
    listing: pagination::Listing<E>,
    node: impl FnMut(E::Model) -> N,
) -> AppConnection<N>
where
    E: EntityTrait,
    E::Model: Sync,
    Select<E>: Clone + Send + Sync + 'static,
{
    let total = match listing.total {
        Some(total) => TotalCount::known(total),
        None => TotalCount::of(db.clone(), listing.all),
    };
    connection(listing.page, total, node)
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
