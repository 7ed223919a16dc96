//! Checks an event body against the current projections before it is appended:
//! references exist, unique keys are free, and state transitions are allowed.
//! [`lookups`] lists what the caller must load into the [`View`] first.
use crate::error::DomainError;
use crate::event::EventBody;
use crate::kinds::EntityKind;
use crate::projection::{View, ammo_stock_id};
use crate::records::{ItemRef, Key, Record};
use crate::vocab::{ItemStatus, PersonStatus};
use serde_json::Value;
use uuid::Uuid;

/// The documents and keys a check needs.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Lookups {
    /// Documents by kind and id.
    pub docs: Vec<(EntityKind, Uuid)>,
    /// Unique keys by kind.
    pub keys: Vec<(EntityKind, Key)>,
}

/// What must be loaded to check and project `body`.
pub fn lookups(body: &EventBody) -> Lookups {
    let mut l = Lookups {
        docs: body.subject_refs(),
        keys: Vec::new(),
    };
    match body {
        EventBody::RecordCreated { record } | EventBody::RecordCorrected { record } => {
            l.docs
                .extend(record.references().iter().map(|r| (r.kind, r.id)));
            l.keys.extend(
                record
                    .keys()
                    .into_iter()
                    .filter(|k| k.unique)
                    .map(|k| (record.kind(), k)),
            );
        }
        EventBody::ItemIssued { location_id, .. } | EventBody::ItemReturned { location_id, .. } => {
            l.docs.push((EntityKind::Location, *location_id));
        }
        EventBody::ItemStatusChanged {
            location_id: Some(loc),
            ..
        } => l.docs.push((EntityKind::Location, *loc)),
        EventBody::AmmoStockChanged {
            lot_id,
            location_id,
            ..
        } => {
            l.docs.push((EntityKind::Location, *location_id));
            l.docs
                .push((EntityKind::AmmoStock, ammo_stock_id(*lot_id, *location_id)));
        }
        EventBody::AccountCreated { username, .. } => {
            l.keys.push((
                EntityKind::Account,
                Key::unique("username", username.to_lowercase()),
            ));
        }
        _ => {}
    }
    l
}

fn require<'v>(
    view: &'v dyn View,
    field: &str,
    kind: EntityKind,
    id: Uuid,
) -> Result<&'v Value, DomainError> {
    view.doc(kind, id)
        .ok_or_else(|| DomainError::UnknownReference {
            field: field.to_owned(),
            kind,
            id,
        })
}

fn status_of(doc: &Value) -> Option<ItemStatus> {
    serde_json::from_value(doc["state"]["status"].clone()).ok()
}

fn item_status(view: &dyn View, field: &str, item: &ItemRef) -> Result<ItemStatus, DomainError> {
    item.validate(field)?;
    let doc = require(view, field, item.kind, item.id)?;
    status_of(doc).ok_or_else(|| {
        DomainError::InvalidState(format!("{} {} has no status", item.kind, item.id))
    })
}

fn check_keys(record: &Record, view: &dyn View) -> Result<(), DomainError> {
    for key in record.keys().into_iter().filter(|k| k.unique) {
        if let Some(owner) = view.key_owner(record.kind(), &key.name, &key.value)
            && owner != record.id()
        {
            return Err(DomainError::Duplicate {
                kind: record.kind(),
                key: key.name.clone(),
                value: key.value,
                owner,
            });
        }
    }
    Ok(())
}

fn check_references(record: &Record, view: &dyn View) -> Result<(), DomainError> {
    for r in record.references() {
        require(view, r.field, r.kind, r.id)?;
    }
    Ok(())
}

/// Checks `body` against the current state.
pub fn check(body: &EventBody, view: &dyn View) -> Result<(), DomainError> {
    match body {
        EventBody::RecordCreated { record } => {
            record.validate()?;
            if view.doc(record.kind(), record.id()).is_some() {
                return Err(DomainError::InvalidState(format!(
                    "{} {} already exists",
                    record.kind(),
                    record.id()
                )));
            }
            check_references(record, view)?;
            check_keys(record, view)?;
            if let Record::TagBinding(b) = record
                && !matches!(
                    b.item.kind,
                    EntityKind::Firearm | EntityKind::Part | EntityKind::Equipment
                )
            {
                return Err(DomainError::field(
                    "item",
                    "must be a firearm, part or equipment item",
                ));
            }
            Ok(())
        }
        EventBody::RecordCorrected { record } => {
            record.validate()?;
            let doc = view
                .doc(record.kind(), record.id())
                .ok_or(DomainError::NotFound {
                    kind: record.kind(),
                    id: record.id(),
                })?;
            if let Record::TagBinding(b) = record
                && doc["record"]["item"] != serde_json::json!(b.item)
            {
                return Err(DomainError::InvalidCorrection(
                    "a tag binding's item cannot be corrected; unbind and bind again".into(),
                ));
            }
            check_references(record, view)?;
            // An ended tag binding claims no unique key (see `projection`), so its
            // EPC may meanwhile belong to another binding.
            if doc["state"]["active"] == Value::Bool(false) {
                return Ok(());
            }
            check_keys(record, view)
        }
        EventBody::TagUnbound { binding_id, item } => {
            let doc = require(view, "binding_id", EntityKind::TagBinding, *binding_id)?;
            if doc["state"]["active"] != Value::Bool(true) {
                return Err(DomainError::InvalidState(format!(
                    "tag binding {binding_id} has already ended"
                )));
            }
            if doc["record"]["item"] != serde_json::json!(item) {
                return Err(DomainError::field(
                    "item",
                    "is not the item of this binding",
                ));
            }
            Ok(())
        }
        EventBody::PartFitted {
            part_id,
            firearm_id,
        } => {
            let part = require(view, "part_id", EntityKind::Part, *part_id)?;
            let firearm = require(view, "firearm_id", EntityKind::Firearm, *firearm_id)?;
            if !part["state"]["fitted_to"].is_null() {
                return Err(DomainError::InvalidState(format!(
                    "part {part_id} is already fitted to firearm {}",
                    part["state"]["fitted_to"]
                )));
            }
            if matches!(
                status_of(firearm),
                Some(ItemStatus::Destroyed | ItemStatus::TransferredOut)
            ) {
                return Err(DomainError::InvalidState(format!(
                    "firearm {firearm_id} is no longer held"
                )));
            }
            Ok(())
        }
        EventBody::PartRemoved {
            part_id,
            firearm_id,
        } => {
            let part = require(view, "part_id", EntityKind::Part, *part_id)?;
            if part["state"]["fitted_to"] != serde_json::json!(firearm_id) {
                return Err(DomainError::InvalidState(format!(
                    "part {part_id} is not fitted to firearm {firearm_id}"
                )));
            }
            Ok(())
        }
        EventBody::ItemIssued {
            item,
            person_id,
            location_id,
            ..
        } => {
            let status = item_status(view, "item", item)?;
            if status != ItemStatus::InStore {
                return Err(DomainError::InvalidState(format!(
                    "{} {} is not in store (status {status:?})",
                    item.kind, item.id
                )));
            }
            let person = require(view, "person_id", EntityKind::Person, *person_id)?;
            let active: Option<PersonStatus> =
                serde_json::from_value(person["record"]["status"].clone()).ok();
            if active != Some(PersonStatus::Active) {
                return Err(DomainError::InvalidState(format!(
                    "person {person_id} is not active"
                )));
            }
            require(view, "location_id", EntityKind::Location, *location_id).map(|_| ())
        }
        EventBody::ItemReturned {
            item,
            person_id,
            location_id,
            ..
        } => {
            let status = item_status(view, "item", item)?;
            if !matches!(status, ItemStatus::Issued | ItemStatus::Assigned) {
                return Err(DomainError::InvalidState(format!(
                    "{} {} is not issued",
                    item.kind, item.id
                )));
            }
            require(view, "person_id", EntityKind::Person, *person_id)?;
            require(view, "location_id", EntityKind::Location, *location_id).map(|_| ())
        }
        EventBody::ItemStatusChanged {
            item,
            status,
            location_id,
        } => {
            let current = item_status(view, "item", item)?;
            if current == ItemStatus::Destroyed {
                return Err(DomainError::InvalidState(format!(
                    "{} {} is destroyed",
                    item.kind, item.id
                )));
            }
            if matches!(status, ItemStatus::Issued | ItemStatus::Assigned) {
                return Err(DomainError::field(
                    "status",
                    "use an issue to hand an item out",
                ));
            }
            if let Some(loc) = location_id {
                require(view, "location_id", EntityKind::Location, *loc)?;
            }
            Ok(())
        }
        EventBody::AmmoStockChanged {
            lot_id,
            location_id,
            delta,
            person_id,
            ..
        } => {
            require(view, "lot_id", EntityKind::AmmoLot, *lot_id)?;
            require(view, "location_id", EntityKind::Location, *location_id)?;
            if let Some(p) = person_id {
                require(view, "person_id", EntityKind::Person, *p)?;
            }
            if *delta == 0 {
                return Err(DomainError::field("delta", "must not be zero"));
            }
            let have = view
                .doc(EntityKind::AmmoStock, ammo_stock_id(*lot_id, *location_id))
                .and_then(|d| d["state"]["quantity"].as_i64())
                .unwrap_or(0);
            if have.checked_add(*delta).is_none_or(|q| q < 0) {
                return Err(DomainError::InvalidState(format!(
                    "only {have} rounds of lot {lot_id} at location {location_id}"
                )));
            }
            Ok(())
        }
        EventBody::AccountCreated {
            account_id,
            username,
            ..
        } => {
            crate::text::required("username", username)?;
            if let Some(owner) =
                view.key_owner(EntityKind::Account, "username", &username.to_lowercase())
            {
                return Err(DomainError::Duplicate {
                    kind: EntityKind::Account,
                    key: "username".into(),
                    value: username.clone(),
                    owner,
                });
            }
            if view.doc(EntityKind::Account, *account_id).is_some() {
                return Err(DomainError::InvalidState(format!(
                    "account {account_id} already exists"
                )));
            }
            Ok(())
        }
        EventBody::ApiTokenIssued { name, .. } => crate::text::required("name", name),
    }
}
