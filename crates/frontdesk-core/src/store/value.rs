//! What crosses the seam: values bound to a statement ([`ToSql`]) and values read from a row
//! ([`FromSql`]). Both are the project's own, so an area module never names an engine's types
//! and a second engine only has to convert to and from [`Value`] / [`ValueRef`].
//!
//! The stored subset is small on purpose: 64-bit integers, text and NULL (money is integer
//! fen, instants are integer milliseconds, flags are 0/1). A NULL carries the kind of column it
//! stands for, so an engine that must know a parameter's type (PostgreSQL) is told it.

use super::StoreError;

/// The kind of a bound value, also for a NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
}

/// A value bound to a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Null(Kind),
    Int(i64),
    Text(&'a str),
}

/// A value read from a row.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Int(i64),
    Real(f64),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Anything that can be bound to a statement's parameter.
pub trait ToSql {
    fn to_sql(&self) -> Value<'_>;
}

/// The column kind of a type, for its NULL (`Option<T>` bound as `None`).
pub trait SqlKind {
    const KIND: Kind;
}

/// Anything that can be read from a column.
pub trait FromSql: Sized {
    fn from_sql(v: ValueRef<'_>) -> Result<Self, StoreError>;
}

impl ToSql for i64 {
    fn to_sql(&self) -> Value<'_> {
        Value::Int(*self)
    }
}
impl SqlKind for i64 {
    const KIND: Kind = Kind::Int;
}
impl ToSql for bool {
    fn to_sql(&self) -> Value<'_> {
        Value::Int(i64::from(*self))
    }
}
impl SqlKind for bool {
    const KIND: Kind = Kind::Int;
}
impl ToSql for str {
    fn to_sql(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl ToSql for String {
    fn to_sql(&self) -> Value<'_> {
        Value::Text(self)
    }
}
impl SqlKind for String {
    const KIND: Kind = Kind::Text;
}
impl SqlKind for &str {
    const KIND: Kind = Kind::Text;
}
impl<T: ToSql + ?Sized> ToSql for &T {
    fn to_sql(&self) -> Value<'_> {
        (**self).to_sql()
    }
}
impl<T: ToSql + SqlKind> ToSql for Option<T> {
    fn to_sql(&self) -> Value<'_> {
        match self {
            Some(v) => v.to_sql(),
            None => Value::Null(T::KIND),
        }
    }
}

impl FromSql for i64 {
    fn from_sql(v: ValueRef<'_>) -> Result<Self, StoreError> {
        match v {
            ValueRef::Int(n) => Ok(n),
            other => Err(StoreError::kind("an integer", other)),
        }
    }
}
impl FromSql for bool {
    fn from_sql(v: ValueRef<'_>) -> Result<Self, StoreError> {
        i64::from_sql(v).map(|n| n != 0)
    }
}
impl FromSql for String {
    fn from_sql(v: ValueRef<'_>) -> Result<Self, StoreError> {
        match v {
            ValueRef::Text(s) => Ok(s.to_string()),
            other => Err(StoreError::kind("text", other)),
        }
    }
}
impl<T: FromSql> FromSql for Option<T> {
    fn from_sql(v: ValueRef<'_>) -> Result<Self, StoreError> {
        match v {
            ValueRef::Null => Ok(None),
            v => T::from_sql(v).map(Some),
        }
    }
}

/// Binds and reads a newtype over `i64` (typed IDs, [`crate::money::Fen`]) as its integer.
#[macro_export]
macro_rules! sql_integer {
    ($t:ty) => {
        impl $crate::store::ToSql for $t {
            fn to_sql(&self) -> $crate::store::Value<'_> {
                $crate::store::Value::Int(self.0)
            }
        }
        impl $crate::store::SqlKind for $t {
            const KIND: $crate::store::Kind = $crate::store::Kind::Int;
        }
        impl $crate::store::FromSql for $t {
            fn from_sql(
                v: $crate::store::ValueRef<'_>,
            ) -> std::result::Result<Self, $crate::store::StoreError> {
                <i64 as $crate::store::FromSql>::from_sql(v).map(Self)
            }
        }
    };
}

/// Binds and reads an enum stored as its text code (`as_str` / `parse`).
#[macro_export]
macro_rules! sql_text_enum {
    ($t:ty) => {
        impl $crate::store::ToSql for $t {
            fn to_sql(&self) -> $crate::store::Value<'_> {
                $crate::store::Value::Text(self.as_str())
            }
        }
        impl $crate::store::SqlKind for $t {
            const KIND: $crate::store::Kind = $crate::store::Kind::Text;
        }
        impl $crate::store::FromSql for $t {
            fn from_sql(
                v: $crate::store::ValueRef<'_>,
            ) -> std::result::Result<Self, $crate::store::StoreError> {
                match v {
                    $crate::store::ValueRef::Text(s) => <$t>::parse(s)
                        .ok_or_else(|| $crate::store::StoreError::unknown_code(stringify!($t), s)),
                    other => Err($crate::store::StoreError::kind("text", other)),
                }
            }
        }
    };
}
