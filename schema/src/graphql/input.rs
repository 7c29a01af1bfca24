//! Input conventions shared by every area's mutations.
use async_graphql::MaybeUndefined;

/// An optional input field as a change: omitted keeps, null clears, a value sets.
pub fn change<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}
