//! Domain errors. Every variant has a stable machine-readable code; messages name the
//! rule and the fact that failed, never internal details.
use crate::kinds::EntityKind;
use uuid::Uuid;

/// A violated domain rule or malformed input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A field is missing, malformed or out of bounds.
    #[error("invalid field `{field}`: {reason}")]
    InvalidField {
        /// The field's name as in the API.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The addressed record does not exist.
    #[error("{kind} {id} not found")]
    NotFound {
        /// The kind of record looked for.
        kind: EntityKind,
        /// Its id.
        id: Uuid,
    },
    /// A field references a record that does not exist or is of another kind.
    #[error("field `{field}` references unknown {kind} {id}")]
    UnknownReference {
        /// The referencing field.
        field: String,
        /// The kind expected.
        kind: EntityKind,
        /// The referenced id.
        id: Uuid,
    },
    /// A unique key is already taken by another record.
    #[error("duplicate {kind}: {key} `{value}` is already used by {owner}")]
    Duplicate {
        /// The record kind.
        kind: EntityKind,
        /// The key's name, e.g. `manufacturer+serial`.
        key: String,
        /// The offending value.
        value: String,
        /// The record that holds it.
        owner: Uuid,
    },
    /// The command does not fit the current state of a record.
    #[error("{0}")]
    InvalidState(String),
    /// A correction does not name a valid original event.
    #[error("invalid correction: {0}")]
    InvalidCorrection(String),
    /// Bytes are not the one canonical encoding of an event.
    #[error("non-canonical or malformed event encoding: {0}")]
    Encoding(String),
}

impl DomainError {
    /// The stable error code, part of the public API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidField { .. } => "invalid_field",
            Self::NotFound { .. } => "not_found",
            Self::UnknownReference { .. } => "unknown_reference",
            Self::Duplicate { .. } => "duplicate",
            Self::InvalidState(_) => "invalid_state",
            Self::InvalidCorrection(_) => "invalid_correction",
            Self::Encoding(_) => "non_canonical_encoding",
        }
    }

    /// Shorthand for [`DomainError::InvalidField`].
    pub fn field(field: &str, reason: impl Into<String>) -> Self {
        Self::InvalidField {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }
}
