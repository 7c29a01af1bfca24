//! `totalCount` in the page's own statement: beside each row of the page, a scalar
//! subquery counting the whole filtered list (uncorrelated, so both backends run it once),
//! so a page asked for its total costs no second statement.
use sea_orm::{
    DbErr, EntityTrait, FromQueryResult, QueryResult, QuerySelect, QueryTrait, Select,
    sea_query::{Asterisk, Expr, Func},
};

/// The column the count comes back in.
const TOTAL: &str = "total_count";

/// A row and the number of rows in the whole list it was read from.
pub(super) struct Counted<M> {
    pub row: M,
    pub total: i64,
}

impl<M: FromQueryResult> FromQueryResult for Counted<M> {
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self {
            row: M::from_query_result(res, pre)?,
            total: res.try_get(pre, TOTAL)?,
        })
    }
}

/// `page` with the count of every row of `all` beside each of its rows.
pub(super) fn beside<E: EntityTrait>(page: Select<E>, all: Select<E>) -> Select<E> {
    let count = all
        .select_only()
        .expr(Func::count(Expr::col(Asterisk)))
        .into_query();
    page.expr_as(Expr::SubQuery(None, Box::new(count.into())), TOTAL)
}
