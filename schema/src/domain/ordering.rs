//! Lists the user orders by hand (`sort_order`): where a new row goes, and checking the
//! ids a reorder lists.
use std::{collections::HashSet, hash::Hash};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QuerySelect, Select};

use super::{AppError, AppResult};

/// The most rows one reorder may list.
pub const MAX_REORDER: usize = 200;

/// Ids listed once each, at most `MAX_REORDER`; `field` names the input.
pub fn check_reorder<T: Eq + Hash>(ids: &[T], field: &str) -> AppResult<()> {
    if ids.len() > MAX_REORDER {
        return Err(AppError::bad_input(
            field,
            format!("at most {MAX_REORDER} at once"),
        ));
    }
    let mut seen = HashSet::new();
    if !ids.iter().all(|id| seen.insert(id)) {
        return Err(AppError::bad_input(field, "each at most once"));
    }
    Ok(())
}

/// The `sort_order` of the `i`-th row of a reorder.
pub fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

/// The `sort_order` after the last of `rows` (0 for the first).
pub async fn after_last<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    rows: Select<E>,
    sort_order: E::Column,
) -> AppResult<i32> {
    let last: Option<Option<i32>> = rows
        .select_only()
        .column_as(sort_order.max(), "last")
        .into_tuple()
        .one(conn)
        .await?;
    Ok(last.flatten().map_or(0, |n| n.saturating_add(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reorder_lists_each_id_once_and_not_too_many() {
        assert!(check_reorder(&[1, 2, 3], "ids").is_ok());
        assert!(check_reorder(&[1, 2, 1], "ids").is_err());
        assert!(check_reorder(&vec![0; MAX_REORDER + 1], "ids").is_err());
    }
}
