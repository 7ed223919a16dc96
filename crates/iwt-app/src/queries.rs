//! Read use cases: records, lists, firearm search and event history.
use crate::App;
use crate::auth::Principal;
use crate::error::AppError;
use iwt_domain::codec::decode_event;
use iwt_domain::records::normalize_epc;
use iwt_domain::text::norm_key;
use iwt_domain::{DomainError, EntityKind};
use iwt_store::{Page, PageReq, StoreError, StoredEntry};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// How to find firearms; exactly one criterion is used.
#[derive(Debug, Clone, Default)]
pub struct FirearmQuery {
    /// Exact serial (normalised: case, spaces and dashes ignored).
    pub serial: Option<String>,
    /// Serial prefix.
    pub serial_prefix: Option<String>,
    /// Text of a marking, exact (normalised).
    pub marking: Option<String>,
    /// EPC of an active tag binding.
    pub epc: Option<String>,
}

/// One event of a record's history, decoded from its leaf.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// Ledger index.
    pub index: u64,
    /// Event id.
    pub event_id: Uuid,
    /// Event type name.
    pub event_type: String,
    /// When it happened (RFC 3339, UTC).
    pub occurred_at: String,
    /// Account or token that recorded it (nil = local console).
    pub actor: Uuid,
    /// Index of the corrected event.
    pub corrects: Option<u64>,
    /// Reason given.
    pub reason: Option<String>,
    /// Per-subject link to the previous event of that subject.
    #[schema(value_type = Vec<Object>)]
    pub subjects: Vec<Value>,
    /// The event body.
    #[schema(value_type = Object)]
    pub body: Value,
    /// RFC 6962 leaf hash, hex.
    pub leaf_hash: String,
}

fn require_read(who: &Principal) -> Result<(), AppError> {
    if who.role.may_read_registry() {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "role {} may not read the registry",
            who.role.as_str()
        )))
    }
}

/// Decodes a stored entry for display.
pub fn history_entry(e: &StoredEntry) -> Result<HistoryEntry, AppError> {
    let ev = decode_event(&e.leaf)
        .map_err(|err| StoreError::Corrupt(format!("entry {}: {err}", e.idx)))?;
    let body =
        serde_json::to_value(&ev.body).map_err(|err| StoreError::Corrupt(err.to_string()))?;
    let subjects = ev
        .subjects
        .iter()
        .map(|s| serde_json::json!({"kind": s.kind, "id": s.id, "prev": s.prev}))
        .collect();
    let occurred_at = ev
        .occurred_at
        .format(&time::format_description::well_known::Rfc3339)
        .map_err(|err| StoreError::Corrupt(err.to_string()))?;
    Ok(HistoryEntry {
        index: e.idx,
        event_id: ev.event_id,
        event_type: ev.body.type_name().to_owned(),
        occurred_at,
        actor: ev.actor,
        corrects: ev.corrects,
        reason: ev.reason,
        subjects,
        body,
        leaf_hash: hex::encode(e.leaf_hash),
    })
}

impl App {
    /// One record's current view.
    pub async fn get_doc(
        &self,
        who: &Principal,
        kind: EntityKind,
        id: Uuid,
    ) -> Result<Value, AppError> {
        require_read(who)?;
        self.store
            .doc(kind, id)
            .await?
            .ok_or_else(|| DomainError::NotFound { kind, id }.into())
    }

    /// A page of records of one kind.
    pub async fn list_docs(
        &self,
        who: &Principal,
        kind: EntityKind,
        page: PageReq,
    ) -> Result<Page<Value>, AppError> {
        require_read(who)?;
        Ok(self.store.list_docs(kind, page).await?)
    }

    /// Finds firearms by serial, serial prefix, marking or EPC.
    pub async fn search_firearms(
        &self,
        who: &Principal,
        q: &FirearmQuery,
        page: PageReq,
    ) -> Result<Page<Value>, AppError> {
        require_read(who)?;
        let kind = EntityKind::Firearm;
        let store = &self.store;
        if let Some(s) = &q.serial {
            return Ok(store
                .find_by_key(kind, "serial", &norm_key(s), false, page)
                .await?);
        }
        if let Some(s) = &q.serial_prefix {
            if norm_key(s).is_empty() {
                return Err(
                    DomainError::field("serial_prefix", "must contain a letter or digit").into(),
                );
            }
            return Ok(store
                .find_by_key(kind, "serial", &norm_key(s), true, page)
                .await?);
        }
        if let Some(m) = &q.marking {
            return Ok(store
                .find_by_key(kind, "marking", &norm_key(m), false, page)
                .await?);
        }
        if let Some(epc) = &q.epc {
            let epc = normalize_epc(epc);
            let bindings = store
                .find_by_key(
                    EntityKind::TagBinding,
                    "active_epc",
                    &epc,
                    false,
                    PageReq::default(),
                )
                .await?;
            let mut items = Vec::new();
            for b in bindings.items {
                let item = &b["record"]["item"];
                if item["kind"] == "firearm"
                    && let Some(id) = item["id"].as_str().and_then(|s| Uuid::parse_str(s).ok())
                {
                    items.extend(store.doc(kind, id).await?);
                }
            }
            // At most one active binding per EPC, but the page still applies.
            let total = items.len() as u64;
            let skip = usize::try_from(page.offset).unwrap_or(usize::MAX);
            let items = items
                .into_iter()
                .skip(skip)
                .take(page.limit as usize)
                .collect();
            return Ok(Page { items, total });
        }
        Err(DomainError::field("query", "give one of serial, serial_prefix, marking or epc").into())
    }

    /// The events of a record, oldest first.
    pub async fn history(
        &self,
        who: &Principal,
        kind: EntityKind,
        id: Uuid,
        page: PageReq,
    ) -> Result<Vec<HistoryEntry>, AppError> {
        require_read(who)?;
        if self.store.doc(kind, id).await?.is_none() {
            return Err(DomainError::NotFound { kind, id }.into());
        }
        let entries = self.store.subject_entries(id, page).await?;
        entries.iter().map(history_entry).collect()
    }
}
