//! What a page's statement selects beside each row, so that neither costs a second
//! statement: the whole filtered list's count for `totalCount` (an uncorrelated scalar
//! subquery, which both backends run once), and a value its reader asks of each row (a
//! correlated expression, e.g. a habit's recent completions per date, read back as text).
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, QuerySelect, QueryTrait,
    Select,
    sea_query::{Asterisk, Expr, Func, SimpleExpr},
};

/// The columns the count and the per-row value come back in.
const TOTAL: &str = "total_count";
const PER_ROW: &str = "per_row";

/// An expression evaluated for each row of a page, whose value comes back as text.
#[derive(Debug, Clone)]
pub struct PerRow(pub SimpleExpr);

/// A row of a page and what its statement selected beside it.
pub(super) struct Row<M> {
    pub row: M,
    pub total: Option<i64>,
    pub per_row: Option<String>,
}

/// A row as read with the columns `TOTAL` and `PER_ROW` say were selected.
struct Read<M, const TOTAL_COLUMN: bool, const PER_ROW_COLUMN: bool>(Row<M>);

impl<M: FromQueryResult, const TOTAL_COLUMN: bool, const PER_ROW_COLUMN: bool> FromQueryResult
    for Read<M, TOTAL_COLUMN, PER_ROW_COLUMN>
{
    fn from_query_result(res: &QueryResult, pre: &str) -> Result<Self, DbErr> {
        Ok(Self(Row {
            row: M::from_query_result(res, pre)?,
            total: if TOTAL_COLUMN {
                Some(res.try_get(pre, TOTAL)?)
            } else {
                None
            },
            per_row: if PER_ROW_COLUMN {
                res.try_get(pre, PER_ROW)?
            } else {
                None
            },
        }))
    }
}

/// Runs `page`, with the count of every row of `all` beside each row when `all` is given,
/// and `per_row`'s value when that is.
pub(super) async fn fetch<E: EntityTrait>(
    db: &impl ConnectionTrait,
    page: Select<E>,
    all: Option<Select<E>>,
    per_row: Option<PerRow>,
) -> Result<Vec<Row<E::Model>>, DbErr> {
    let counted = all.is_some();
    let mut page = match all {
        Some(all) => {
            let count = all
                .select_only()
                .expr(Func::count(Expr::col(Asterisk)))
                .into_query();
            page.expr_as(Expr::SubQuery(None, Box::new(count.into())), TOTAL)
        }
        None => page,
    };
    let valued = per_row.is_some();
    if let Some(PerRow(expr)) = per_row {
        page = page.expr_as(expr, PER_ROW);
    }
    match (counted, valued) {
        (true, true) => read::<E, true, true>(db, page).await,
        (true, false) => read::<E, true, false>(db, page).await,
        (false, true) => read::<E, false, true>(db, page).await,
        (false, false) => read::<E, false, false>(db, page).await,
    }
}

async fn read<E: EntityTrait, const TOTAL_COLUMN: bool, const PER_ROW_COLUMN: bool>(
    db: &impl ConnectionTrait,
    page: Select<E>,
) -> Result<Vec<Row<E::Model>>, DbErr> {
    let rows = page
        .into_model::<Read<E::Model, TOTAL_COLUMN, PER_ROW_COLUMN>>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|read| read.0).collect())
}
