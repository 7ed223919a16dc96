//! RFID tag bindings: an EPC bound to one item. At most one active binding per tag and
//! per item; a binding ends with a `tag_unbound` event, never by deletion.
use super::{Key, RecordRules, Reference, id_accessors};
use crate::error::DomainError;
use crate::kinds::EntityKind;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A reference to a physical item: firearm, part or equipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemRef {
    /// The item's kind.
    pub kind: EntityKind,
    /// The item's id.
    pub id: Uuid,
}

impl ItemRef {
    /// Checks that the kind is a taggable item kind.
    pub fn validate(&self, field: &str) -> Result<(), DomainError> {
        match self.kind {
            EntityKind::Firearm | EntityKind::Part | EntityKind::Equipment => Ok(()),
            _ => Err(DomainError::field(
                field,
                "must be a firearm, part or equipment item",
            )),
        }
    }
}

/// An EPC (hexadecimal, upper case) bound to an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagBinding {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// The tag's EPC in hexadecimal.
    pub epc: String,
    /// The tagged item.
    pub item: ItemRef,
}

/// Normalises an EPC: upper-case hex without separators.
pub fn normalize_epc(epc: &str) -> String {
    epc.chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != ':')
        .flat_map(char::to_uppercase)
        .collect()
}

impl RecordRules for TagBinding {
    const KIND: EntityKind = EntityKind::TagBinding;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        let ok = (8..=124).contains(&self.epc.len())
            && self.epc.len().is_multiple_of(4)
            && self
                .epc
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b));
        if !ok {
            return Err(DomainError::field(
                "epc",
                "must be 8-124 upper-case hexadecimal digits, a whole number of 16-bit words",
            ));
        }
        self.item.validate("item")
    }
    fn references(&self) -> Vec<Reference> {
        vec![Reference::new("item", self.item.kind, self.item.id)]
    }
    fn keys(&self) -> Vec<Key> {
        vec![
            Key::unique("active_epc", self.epc.clone()),
            Key::unique(
                "active_item",
                format!("{}|{}", self.item.kind, self.item.id),
            ),
        ]
    }
}
