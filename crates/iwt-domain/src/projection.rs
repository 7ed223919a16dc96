//! The projection rules: how one event changes the current-state documents ("who holds
//! firearm X now"). Pure: the same function runs in the sequencer, inside the append
//! transaction, and in `iwt verify`, which replays the whole ledger into fresh
//! projections and compares them with the stored ones.
//!
//! A document is a JSON object:
//! `{kind, id, record, personal, state, created_index, updated_index, corrections}`.
use crate::error::DomainError;
use crate::event::{Event, EventBody};
use crate::kinds::EntityKind;
use crate::records::{ItemRef, Key, PersonalData, Record};
use crate::vocab::ItemStatus;
use serde_json::{Value, json};
use uuid::Uuid;

/// Read access to current projection documents and key owners.
pub trait View {
    /// The current document of a record, if it exists.
    fn doc(&self, kind: EntityKind, id: Uuid) -> Option<&Value>;
    /// The record of `kind` that holds unique key `name` = `value`, if any.
    fn key_owner(&self, kind: EntityKind, name: &str, value: &str) -> Option<Uuid>;
}

/// One projection row to write (replacing any previous row of the same kind and id).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Kind.
    pub kind: EntityKind,
    /// Id.
    pub id: Uuid,
    /// The full document.
    pub doc: Value,
    /// The keys the row claims (replacing the previous ones).
    pub keys: Vec<Key>,
}

/// The id of the ammunition stock row for a lot at a location.
pub fn ammo_stock_id(lot_id: Uuid, location_id: Uuid) -> Uuid {
    Uuid::new_v5(&lot_id, location_id.as_bytes())
}

/// Computes the rows an event writes, given the current documents.
pub fn project(
    event: &Event,
    index: u64,
    personal: Option<&PersonalData>,
    view: &dyn View,
) -> Result<Vec<Row>, DomainError> {
    let mut rows = Rows {
        view,
        index,
        out: Vec::new(),
    };
    match &event.body {
        EventBody::RecordCreated { record } => rows.record_created(record, personal)?,
        EventBody::RecordCorrected { record } => rows.record_corrected(record, personal)?,
        EventBody::TagUnbound { binding_id, item } => {
            rows.update(EntityKind::TagBinding, *binding_id, |d| {
                d["state"]["active"] = json!(false);
                d["state"]["ended_index"] = json!(index);
            })?;
            rows.update_item(item, |s| s["tag_epc"] = Value::Null)?;
        }
        EventBody::PartFitted {
            part_id,
            firearm_id,
        } => {
            rows.update(EntityKind::Part, *part_id, |d| {
                d["state"]["fitted_to"] = json!(firearm_id)
            })?;
            rows.update(EntityKind::Firearm, *firearm_id, |d| {
                push_unique(&mut d["state"]["parts"], json!(part_id))
            })?;
        }
        EventBody::PartRemoved {
            part_id,
            firearm_id,
        } => {
            rows.update(EntityKind::Part, *part_id, |d| {
                d["state"]["fitted_to"] = Value::Null
            })?;
            rows.update(EntityKind::Firearm, *firearm_id, |d| {
                remove(&mut d["state"]["parts"], &json!(part_id))
            })?;
        }
        EventBody::ItemIssued {
            item,
            person_id,
            long_term,
            ..
        } => {
            let status = if *long_term {
                ItemStatus::Assigned
            } else {
                ItemStatus::Issued
            };
            rows.update_item(item, |s| {
                s["status"] = json!(status);
                s["custodian_id"] = json!(person_id);
                s["location_id"] = Value::Null;
            })?;
        }
        EventBody::ItemReturned {
            item, location_id, ..
        } => {
            rows.update_item(item, |s| {
                s["status"] = json!(ItemStatus::InStore);
                s["custodian_id"] = Value::Null;
                s["location_id"] = json!(location_id);
            })?;
        }
        EventBody::ItemStatusChanged {
            item,
            status,
            location_id,
        } => {
            rows.update_item(item, |s| {
                s["status"] = json!(status);
                if let Some(l) = location_id {
                    s["location_id"] = json!(l);
                }
            })?;
        }
        EventBody::AmmoStockChanged {
            lot_id,
            location_id,
            delta,
            ..
        } => {
            rows.ammo_stock(*lot_id, *location_id, *delta)?;
        }
        EventBody::AccountCreated {
            account_id,
            username,
            role,
        } => rows.principal(
            *account_id,
            json!({"type": "account", "username": username, "role": role}),
            Some(username),
        ),
        EventBody::ApiTokenIssued {
            token_id,
            name,
            role,
        } => rows.principal(
            *token_id,
            json!({"type": "api_token", "name": name, "role": role}),
            None,
        ),
    }
    Ok(rows.out)
}

fn push_unique(list: &mut Value, v: Value) {
    if !list.is_array() {
        *list = json!([]);
    }
    if let Some(items) = list.as_array_mut()
        && !items.contains(&v)
    {
        items.push(v);
    }
}

fn remove(list: &mut Value, v: &Value) {
    if let Some(items) = list.as_array_mut() {
        items.retain(|x| x != v);
    }
}

/// The derived state a freshly created record starts with.
fn initial_state(record: &Record) -> Value {
    match record {
        Record::Firearm(f) => json!({
            "status": ItemStatus::InStore, "location_id": f.location_id,
            "custodian_id": null, "tag_epc": null, "parts": [],
        }),
        Record::Part(p) => json!({
            "status": ItemStatus::InStore, "location_id": p.location_id,
            "custodian_id": null, "tag_epc": null, "fitted_to": null,
        }),
        Record::Equipment(e) => json!({
            "status": ItemStatus::InStore, "location_id": e.location_id,
            "custodian_id": null, "tag_epc": null,
        }),
        Record::TagBinding(_) => json!({"active": true, "ended_index": null}),
        _ => json!({}),
    }
}

struct Rows<'a> {
    view: &'a dyn View,
    index: u64,
    out: Vec<Row>,
}

impl Rows<'_> {
    /// The latest document: one written earlier by this event, else the stored one.
    fn current(&self, kind: EntityKind, id: Uuid) -> Option<Value> {
        self.out
            .iter()
            .rev()
            .find(|r| r.kind == kind && r.id == id)
            .map(|r| r.doc.clone())
            .or_else(|| self.view.doc(kind, id).cloned())
    }

    fn keys_of(&self, kind: EntityKind, id: Uuid) -> Vec<Key> {
        self.out
            .iter()
            .rev()
            .find(|r| r.kind == kind && r.id == id)
            .map(|r| r.keys.clone())
            .unwrap_or_default()
    }

    fn put(&mut self, kind: EntityKind, id: Uuid, doc: Value, keys: Vec<Key>) {
        self.out.retain(|r| !(r.kind == kind && r.id == id));
        self.out.push(Row {
            kind,
            id,
            doc,
            keys,
        });
    }

    fn record_created(
        &mut self,
        record: &Record,
        personal: Option<&PersonalData>,
    ) -> Result<(), DomainError> {
        let doc = json!({
            "kind": record.kind(), "id": record.id(),
            "record": record_json(record)?,
            "personal": personal,
            "state": initial_state(record),
            "created_index": self.index, "updated_index": self.index, "corrections": [],
        });
        self.put(record.kind(), record.id(), doc, record_keys(record, true));
        if let Record::TagBinding(b) = record {
            let epc = b.epc.clone();
            self.update_item(&b.item, |s| s["tag_epc"] = json!(epc))?;
        }
        Ok(())
    }

    fn record_corrected(
        &mut self,
        record: &Record,
        personal: Option<&PersonalData>,
    ) -> Result<(), DomainError> {
        let (kind, id) = (record.kind(), record.id());
        let mut doc = self
            .current(kind, id)
            .ok_or(DomainError::NotFound { kind, id })?;
        doc["record"] = record_json(record)?;
        if let Some(p) = personal {
            doc["personal"] = json!(p);
        }
        doc["updated_index"] = json!(self.index);
        push_unique(&mut doc["corrections"], json!(self.index));
        let active = doc["state"]["active"].as_bool().unwrap_or(true);
        self.put(kind, id, doc, record_keys(record, active));
        // A corrected EPC of an active binding is the item's tag from now on.
        if let (Record::TagBinding(b), true) = (record, active) {
            let epc = b.epc.clone();
            self.update_item(&b.item, |s| s["tag_epc"] = json!(epc))?;
        }
        Ok(())
    }

    fn update(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        f: impl FnOnce(&mut Value),
    ) -> Result<(), DomainError> {
        let mut doc = self
            .current(kind, id)
            .ok_or(DomainError::NotFound { kind, id })?;
        let keys = match self.out.iter().any(|r| r.kind == kind && r.id == id) {
            true => self.keys_of(kind, id),
            false => stored_keys(&doc)?,
        };
        f(&mut doc);
        doc["updated_index"] = json!(self.index);
        let keys = if doc["state"]["active"] == json!(false) {
            keys.into_iter().filter(|k| !k.unique).collect()
        } else {
            keys
        };
        self.put(kind, id, doc, keys);
        Ok(())
    }

    fn update_item(
        &mut self,
        item: &ItemRef,
        f: impl FnOnce(&mut Value),
    ) -> Result<(), DomainError> {
        self.update(item.kind, item.id, |d| f(&mut d["state"]))
    }

    fn ammo_stock(
        &mut self,
        lot_id: Uuid,
        location_id: Uuid,
        delta: i64,
    ) -> Result<(), DomainError> {
        let id = ammo_stock_id(lot_id, location_id);
        let kind = EntityKind::AmmoStock;
        let mut doc = self.current(kind, id).unwrap_or_else(|| {
            json!({
                "kind": kind, "id": id, "record": {"lot_id": lot_id, "location_id": location_id},
                "personal": null, "state": {"quantity": 0},
                "created_index": self.index, "updated_index": self.index, "corrections": [],
            })
        });
        let have = doc["state"]["quantity"].as_i64().unwrap_or(0);
        let qty = match have.checked_add(delta) {
            Some(q) if q >= 0 => q,
            _ => {
                return Err(DomainError::InvalidState(format!(
                    "ammunition stock of {have} rounds cannot change by {delta}"
                )));
            }
        };
        doc["state"]["quantity"] = json!(qty);
        doc["updated_index"] = json!(self.index);
        let keys = vec![
            Key::search("lot", lot_id.to_string()),
            Key::search("location", location_id.to_string()),
        ];
        self.put(kind, id, doc, keys);
        Ok(())
    }

    fn principal(&mut self, id: Uuid, record: Value, username: Option<&String>) {
        let doc = json!({
            "kind": EntityKind::Account, "id": id, "record": record, "personal": null,
            "state": {}, "created_index": self.index, "updated_index": self.index, "corrections": [],
        });
        let keys = username
            .map(|u| vec![Key::unique("username", u.to_lowercase())])
            .unwrap_or_default();
        self.put(EntityKind::Account, id, doc, keys);
    }
}

fn record_json(record: &Record) -> Result<Value, DomainError> {
    let v = serde_json::to_value(record).map_err(|e| DomainError::Encoding(e.to_string()))?;
    Ok(v.get("data").cloned().unwrap_or(Value::Null))
}

/// Keys of a record; an ended tag binding keeps only its search keys.
fn record_keys(record: &Record, active: bool) -> Vec<Key> {
    let mut keys = record.keys();
    if !active {
        keys.retain(|k| !k.unique);
    }
    if let Record::TagBinding(b) = record {
        keys.push(Key::search("epc", b.epc.clone()));
    }
    keys
}

/// Recomputes the keys of a stored document from its record.
pub fn stored_keys(doc: &Value) -> Result<Vec<Key>, DomainError> {
    let kind: EntityKind = serde_json::from_value(doc["kind"].clone())
        .map_err(|e| DomainError::Encoding(format!("stored document has no kind: {e}")))?;
    match kind {
        EntityKind::AmmoStock => Ok(vec![
            Key::search(
                "lot",
                doc["record"]["lot_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            Key::search(
                "location",
                doc["record"]["location_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
        ]),
        EntityKind::Account => Ok(doc["record"]["username"]
            .as_str()
            .map(|u| vec![Key::unique("username", u.to_lowercase())])
            .unwrap_or_default()),
        _ => {
            let record = Record::from_json(kind, doc["record"].clone())?;
            Ok(record_keys(
                &record,
                doc["state"]["active"].as_bool().unwrap_or(true),
            ))
        }
    }
}
