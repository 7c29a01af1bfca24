//! The one hand-written piece of the entity crate: the type of the two array columns
//! (`authenticators.transports` TEXT[], `habits.custom_days` INTEGER[]). PostgreSQL stores a
//! real array; SQLite, which has none, stores the same list as JSON text.
//!
//! Reads work on both through `TryGetable`. Writes must say which backend they target,
//! because sea-query cannot bind an array on SQLite: set these columns with
//! `col_expr(Column::X, Expr::val(list.to_value(backend)))`; the plain `Into<Value>` used by
//! `Set(...)` yields the SQLite form.
use sea_orm::{
    ColIdx, DbBackend, DbErr, QueryResult, TryGetError, TryGetable,
    sea_query::{ArrayType, ColumnType, Nullable, Value, ValueType, ValueTypeErr},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// What a list column may hold.
pub trait Element: Clone + Serialize + DeserializeOwned + Into<Value> + ValueType {
    const ARRAY_TYPE: ArrayType;
    const COLUMN_TYPE: fn() -> ColumnType;
}

impl Element for String {
    const ARRAY_TYPE: ArrayType = ArrayType::String;
    const COLUMN_TYPE: fn() -> ColumnType = || ColumnType::Text;
}

impl Element for i32 {
    const ARRAY_TYPE: ArrayType = ArrayType::Int;
    const COLUMN_TYPE: fn() -> ColumnType = || ColumnType::Integer;
}

/// A list stored as a native array on PostgreSQL and as JSON text on SQLite.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DbList<T>(pub Vec<T>);

pub type TextList = DbList<String>;
pub type IntList = DbList<i32>;

impl<T: Element> DbList<T> {
    /// The value to write on `backend`.
    pub fn to_value(&self, backend: DbBackend) -> Value {
        match backend {
            DbBackend::Postgres => Value::Array(
                T::ARRAY_TYPE,
                Some(Box::new(self.0.iter().cloned().map(Into::into).collect())),
            ),
            _ => self.to_json_text(),
        }
    }

    fn to_json_text(&self) -> Value {
        Value::String(serde_json::to_string(&self.0).ok())
    }
}

impl<T: Element> From<DbList<T>> for Value {
    fn from(list: DbList<T>) -> Self {
        list.to_json_text()
    }
}

impl<T: Element> Nullable for DbList<T> {
    fn null() -> Value {
        Value::String(None)
    }
}

impl<T: Element> ValueType for DbList<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        match value {
            Value::Array(_, Some(items)) => items
                .into_iter()
                .map(T::try_from)
                .collect::<Result<Vec<T>, _>>()
                .map(DbList),
            Value::String(Some(text)) => serde_json::from_str(&text)
                .map(DbList)
                .map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        "DbList".to_owned()
    }

    fn array_type() -> ArrayType {
        T::ARRAY_TYPE
    }

    fn column_type() -> ColumnType {
        ColumnType::Array(std::sync::Arc::new((T::COLUMN_TYPE)()))
    }
}

impl<T> TryGetable for DbList<T>
where
    T: Element,
    Vec<T>: TryGetable,
{
    fn try_get_by<I: ColIdx>(res: &QueryResult, index: I) -> Result<Self, TryGetError> {
        match Vec::<T>::try_get_by(res, index) {
            Ok(items) => Ok(DbList(items)),
            Err(TryGetError::Null(column)) => Err(TryGetError::Null(column)),
            // Not a native array: the backend stores JSON text.
            Err(TryGetError::DbErr(_)) => {
                let text = String::try_get_by(res, index)?;
                serde_json::from_str(&text).map(DbList).map_err(|err| {
                    TryGetError::DbErr(DbErr::Type(format!(
                        "column {index:?} holds no JSON list: {err}"
                    )))
                })
            }
        }
    }
}
