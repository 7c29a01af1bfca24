//! Keyset pagination for Relay connections: a cursor names a row by (timestamp, id), or by
//! (rank, timestamp, id) in lists the user orders by hand, so rows inserted while a client
//! pages never shift or repeat what it sees. A page can bring the list's total along
//! (`page_columns`), and a value asked of each row.
use std::collections::HashMap;

use super::page_columns;
pub use super::{cursor::Cursor, page_columns::PerRow};

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, ModelTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, sea_query,
};
use uuid::Uuid;

use super::error::{AppError, AppResult};

/// The page size when a client names none, and the most one page may hold.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
pub const MAX_PAGE_SIZE: u64 = 100;

/// Which way a list runs. Feeds and logs run newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    NewestFirst,
    OldestFirst,
}

/// The Relay arguments, checked: one of `first` / `last`, sizes within bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub after: Option<Cursor>,
    pub before: Option<Cursor>,
    size: u64,
    backward: bool,
    /// Read the whole list's count in the page's statement.
    with_total: bool,
}

impl PageRequest {
    pub fn parse(
        first: Option<i32>,
        after: Option<&str>,
        last: Option<i32>,
        before: Option<&str>,
    ) -> AppResult<Self> {
        if first.is_some() && last.is_some() {
            return Err(AppError::bad_input(
                "last",
                "pass either first or last, not both",
            ));
        }
        let size = |n: i32, field: &str| match u64::try_from(n) {
            Ok(n) if n <= MAX_PAGE_SIZE => Ok(n),
            _ => Err(AppError::bad_input(
                field,
                format!("must be between 0 and {MAX_PAGE_SIZE}"),
            )),
        };
        let (size, backward) = match (first, last) {
            (Some(n), _) => (size(n, "first")?, false),
            (None, Some(n)) => (size(n, "last")?, true),
            (None, None) => (DEFAULT_PAGE_SIZE, before.is_some() && after.is_none()),
        };
        Ok(Self {
            after: after.map(|c| Cursor::decode(c, "after")).transpose()?,
            before: before.map(|c| Cursor::decode(c, "before")).transpose()?,
            size,
            backward,
            with_total: false,
        })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    /// The same request, asking for the list's total beside the page (`Listing::total`).
    pub fn with_total(self, with_total: bool) -> Self {
        Self { with_total, ..self }
    }
}

/// One page of rows, each with its cursor, in list order.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<(Cursor, T)>,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

impl<T> Page<T> {
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(|(c, t)| (c, f(t))).collect(),
            has_previous_page: self.has_previous_page,
            has_next_page: self.has_next_page,
        }
    }
}

/// The two columns a list is ordered by and the way it runs.
#[derive(Debug, Clone, Copy)]
pub struct Keyset<C> {
    pub at: C,
    pub id: C,
    pub direction: Direction,
}

impl<C: ColumnTrait> Keyset<C> {
    /// The usual order of feeds and logs: `at` (a timestamp) then `id`, newest first.
    pub fn newest_first(at: C, id: C) -> Self {
        Self {
            at,
            id,
            direction: Direction::NewestFirst,
        }
    }

    /// Oldest first: the tie-break of lists the user orders by hand.
    pub fn oldest_first(at: C, id: C) -> Self {
        Self {
            at,
            id,
            direction: Direction::OldestFirst,
        }
    }
}

/// How a list is ordered: its columns, a row's cursor, and the rows past a cursor.
pub trait ListOrder<E: EntityTrait> {
    fn direction(&self) -> Direction;
    /// The columns the list is sorted by, most significant first.
    fn columns(&self) -> Vec<E::Column>;
    /// A row's position, read from the order's own columns.
    fn cursor_of(&self, row: &E::Model) -> AppResult<Cursor>;
    /// Rows strictly past `cursor` when walking in `order`.
    fn past(&self, cursor: Cursor, order: Order) -> Condition;
}

fn unreadable() -> AppError {
    AppError::Internal("a list's order columns hold no timestamp, UUID or integer".into())
}

impl<E: EntityTrait> ListOrder<E> for Keyset<E::Column> {
    fn direction(&self) -> Direction {
        self.direction
    }

    fn columns(&self) -> Vec<E::Column> {
        vec![self.at, self.id]
    }

    fn cursor_of(&self, row: &E::Model) -> AppResult<Cursor> {
        let at = <DateTime<FixedOffset> as sea_query::ValueType>::try_from(row.get(self.at))
            .map_err(|_| unreadable())?;
        let id =
            <Uuid as sea_query::ValueType>::try_from(row.get(self.id)).map_err(|_| unreadable())?;
        Ok(Cursor {
            at: at.with_timezone(&Utc),
            id,
            rank: None,
        })
    }

    fn past(&self, cursor: Cursor, order: Order) -> Condition {
        let (at_past, id_past) = match order {
            Order::Desc => (self.at.lt(cursor.at), self.id.lt(cursor.id)),
            _ => (self.at.gt(cursor.at), self.id.gt(cursor.id)),
        };
        Condition::any()
            .add(at_past)
            .add(Condition::all().add(self.at.eq(cursor.at)).add(id_past))
    }
}

/// A list the user orders by hand: an integer `rank` (e.g. `sort_order`) first, ties
/// broken by the keyset.
#[derive(Debug, Clone, Copy)]
pub struct Ranked<C> {
    pub rank: C,
    pub then: Keyset<C>,
}

impl<E: EntityTrait> ListOrder<E> for Ranked<E::Column> {
    fn direction(&self) -> Direction {
        self.then.direction
    }

    fn columns(&self) -> Vec<E::Column> {
        vec![self.rank, self.then.at, self.then.id]
    }

    fn cursor_of(&self, row: &E::Model) -> AppResult<Cursor> {
        let rank = match row.get(self.rank) {
            sea_query::Value::Int(Some(n)) => i64::from(n),
            sea_query::Value::BigInt(Some(n)) => n,
            _ => return Err(unreadable()),
        };
        Ok(Cursor {
            rank: Some(rank),
            ..ListOrder::<E>::cursor_of(&self.then, row)?
        })
    }

    fn past(&self, cursor: Cursor, order: Order) -> Condition {
        // A cursor of an unranked list sorts before every rank.
        let rank = cursor.rank.unwrap_or(i64::MIN);
        let rank_past = match order {
            Order::Desc => self.rank.lt(rank),
            _ => self.rank.gt(rank),
        };
        Condition::any().add(rank_past).add(
            Condition::all()
                .add(self.rank.eq(rank))
                .add(ListOrder::<E>::past(&self.then, cursor, order)),
        )
    }
}

/// One page of a list, and the whole list's query (for `totalCount`), and its count when
/// the request asked for it and the page's statement could tell.
#[derive(Debug)]
pub struct Listing<E: EntityTrait> {
    pub page: Page<E::Model>,
    pub all: Select<E>,
    pub total: Option<u64>,
    /// The value of the per-row expression a reader asked for, by row id (rows where it
    /// came back NULL left out).
    pub per_row: HashMap<Uuid, String>,
}

/// Fetches one page of `select` (already filtered to what the actor may see).
pub async fn paginate<E, C>(
    db: &C,
    select: Select<E>,
    keyset: impl ListOrder<E>,
    request: PageRequest,
) -> AppResult<Listing<E>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    paginate_with(db, select, keyset, request, None).await
}

/// The same, with `per_row`'s value of each row of the page, in the page's statement.
pub async fn paginate_with<E, C>(
    db: &C,
    select: Select<E>,
    keyset: impl ListOrder<E>,
    request: PageRequest,
    per_row: Option<PerRow>,
) -> AppResult<Listing<E>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let all = select.clone();
    let forward = match keyset.direction() {
        Direction::NewestFirst => Order::Desc,
        Direction::OldestFirst => Order::Asc,
    };
    let backward = match forward {
        Order::Desc => Order::Asc,
        _ => Order::Desc,
    };
    let walk = if request.backward {
        backward.clone()
    } else {
        forward.clone()
    };

    let mut query = select;
    if let Some(after) = request.after {
        query = query.filter(keyset.past(after, forward.clone()));
    }
    if let Some(before) = request.before {
        query = query.filter(keyset.past(before, backward));
    }
    for column in keyset.columns() {
        query = query.order_by(column, walk.clone());
    }
    let query = query.limit(request.size + 1);
    let counted = request.with_total.then(|| all.clone());
    let read = page_columns::fetch(db, query, counted, per_row).await?;
    let total = read
        .first()
        .and_then(|row| row.total)
        .map(|total| u64::try_from(total).unwrap_or(0));
    let mut values = Vec::new();
    let mut rows = Vec::with_capacity(read.len());
    for row in read {
        if let Some(value) = row.per_row {
            values.push((rows.len(), value));
        }
        rows.push(row.row);
    }
    // No row at all and no cursor: the list is empty. Past a cursor, an empty page tells
    // nothing about the rest (`totalCount` then counts on its own).
    let total = match total {
        None if request.with_total && request.after.is_none() && request.before.is_none() => {
            Some(0)
        }
        total => total,
    };

    let has_more = rows.len() as u64 > request.size;
    rows.truncate(request.size as usize);
    let mut items = rows
        .into_iter()
        .map(|row| Ok((keyset.cursor_of(&row)?, row)))
        .collect::<AppResult<Vec<_>>>()?;
    let per_row = values
        .into_iter()
        .filter_map(|(at, value)| Some((items.get(at)?.0.id, value)))
        .collect();
    if request.backward {
        items.reverse();
    }
    let page = if request.backward {
        Page {
            items,
            has_previous_page: has_more,
            has_next_page: request.before.is_some(),
        }
    } else {
        Page {
            items,
            has_previous_page: request.after.is_some(),
            has_next_page: has_more,
        }
    };
    Ok(Listing {
        page,
        all,
        total,
        per_row,
    })
}

/// How many rows `select` holds in all, for `totalCount`.
pub async fn count<E, C>(db: &C, select: Select<E>) -> AppResult<u64>
where
    E: EntityTrait,
    E::Model: Sync,
    C: ConnectionTrait,
{
    Ok(select.count(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_are_bounded_and_first_excludes_last() {
        assert!(PageRequest::parse(Some(101), None, None, None).is_err());
        assert!(PageRequest::parse(Some(-1), None, None, None).is_err());
        assert!(PageRequest::parse(Some(5), None, Some(5), None).is_err());
        let default = PageRequest::parse(None, None, None, None).ok();
        assert_eq!(default.map(|r| r.size()), Some(DEFAULT_PAGE_SIZE));
    }
}
