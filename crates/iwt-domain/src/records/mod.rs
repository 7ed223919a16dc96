//! Registry records: the data an administrator or armorer enters. Each record type knows
//! how to validate itself, which other records it references and which keys it claims
//! (unique keys such as manufacturer+serial, and search keys such as markings).
mod armory;
mod org;
mod people;
mod tag;

pub use armory::{AmmoLot, Equipment, Firearm, FirearmModel, Marking, Part};
pub use org::{AssignmentType, Location, Post, ReadPoint, Shift, Site, Unit};
pub use people::{Person, PersonalData, Qualification, QualificationType};
pub use tag::{ItemRef, TagBinding, normalize_epc};

use crate::error::DomainError;
use crate::kinds::EntityKind;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A reference from one record to another, checked before an event is appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The referencing field.
    pub field: &'static str,
    /// The kind the field must point at.
    pub kind: EntityKind,
    /// The referenced id.
    pub id: Uuid,
}

impl Reference {
    /// A reference from `field` to a record of `kind`.
    pub fn new(field: &'static str, kind: EntityKind, id: Uuid) -> Self {
        Self { field, kind, id }
    }
}

/// A key a record claims in the projection index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    /// Key name, e.g. `serial` or `manufacturer_serial`.
    pub name: String,
    /// Normalised value.
    pub value: String,
    /// Whether no two records of this kind may share the value.
    pub unique: bool,
}

impl Key {
    /// A unique key.
    pub fn unique(name: &'static str, value: String) -> Self {
        Self {
            name: name.to_owned(),
            value,
            unique: true,
        }
    }
    /// A search key.
    pub fn search(name: &'static str, value: String) -> Self {
        Self {
            name: name.to_owned(),
            value,
            unique: false,
        }
    }
}

/// Rules every record type follows.
pub trait RecordRules {
    /// The record's kind.
    const KIND: EntityKind;
    /// The record's id.
    fn id(&self) -> Uuid;
    /// Sets the id (the application assigns one when the client did not).
    fn set_id(&mut self, id: Uuid);
    /// Checks field formats and bounds.
    fn validate(&self) -> Result<(), DomainError>;
    /// Other records this one points at.
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }
    /// Keys this record claims.
    fn keys(&self) -> Vec<Key> {
        Vec::new()
    }
}

macro_rules! record_enum {
    ($($variant:ident),* $(,)?) => {
        /// Any registry record, tagged with its kind.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "kind", content = "data", rename_all = "snake_case")]
        pub enum Record {
            $(
                #[doc = concat!("A [`", stringify!($variant), "`].")]
                $variant($variant),
            )*
        }

        impl Record {
            /// The record's kind.
            pub fn kind(&self) -> EntityKind {
                match self { $(Record::$variant(_) => <$variant as RecordRules>::KIND),* }
            }
            /// The record's id.
            pub fn id(&self) -> Uuid {
                match self { $(Record::$variant(r) => r.id()),* }
            }
            /// Sets the record's id.
            pub fn set_id(&mut self, id: Uuid) {
                match self { $(Record::$variant(r) => r.set_id(id)),* }
            }
            /// Validates the record's fields.
            pub fn validate(&self) -> Result<(), DomainError> {
                match self { $(Record::$variant(r) => r.validate()),* }
            }
            /// The record's references.
            pub fn references(&self) -> Vec<Reference> {
                match self { $(Record::$variant(r) => r.references()),* }
            }
            /// The record's keys.
            pub fn keys(&self) -> Vec<Key> {
                match self { $(Record::$variant(r) => r.keys()),* }
            }
            /// Parses a record of `kind` from its JSON form.
            pub fn from_json(kind: EntityKind, json: serde_json::Value) -> Result<Self, DomainError> {
                let bad = |e: serde_json::Error| DomainError::field("body", e.to_string());
                match kind {
                    $(k if k == <$variant as RecordRules>::KIND =>
                        Ok(Record::$variant(serde_json::from_value(json).map_err(bad)?)),)*
                    other => Err(DomainError::InvalidState(format!("{other} records are not created directly"))),
                }
            }
        }
    };
}

record_enum!(
    FirearmModel,
    Firearm,
    Part,
    Equipment,
    AmmoLot,
    Site,
    Location,
    ReadPoint,
    Unit,
    Post,
    Shift,
    AssignmentType,
    Person,
    QualificationType,
    Qualification,
    TagBinding,
);

/// Implements the id accessors of [`RecordRules`] for a struct with an `id` field.
macro_rules! id_accessors {
    () => {
        fn id(&self) -> uuid::Uuid {
            self.id
        }
        fn set_id(&mut self, id: uuid::Uuid) {
            self.id = id;
        }
    };
}
pub(crate) use id_accessors;

/// Adds a reference for an optional field.
pub(crate) fn opt_ref(
    out: &mut Vec<Reference>,
    field: &'static str,
    kind: EntityKind,
    id: Option<Uuid>,
) {
    if let Some(id) = id {
        out.push(Reference::new(field, kind, id));
    }
}
