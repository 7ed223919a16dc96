//! The sequencer: the single writer of the ledger. Commands arrive on a channel; it
//! takes whatever is waiting (up to `max_batch`) into one transaction, checks each
//! command against the projections as they stand after the earlier ones, appends the
//! leaves with their stored tree hashes, writes the projections, commits once, and only
//! then answers each caller.
use crate::error::AppError;
use iwt_domain::codec::{encode_event, pii_commitment};
use iwt_domain::event::{Subject, to_micros};
use iwt_domain::projection::{Row, View, project, stored_keys};
use iwt_domain::records::Key;
use iwt_domain::records::PersonalData;
use iwt_domain::validate::{check, lookups};
use iwt_domain::{DomainError, EntityKind, Event, EventBody};
use iwt_ledger::{Frontier, leaf_hash, stored_hash_index, stored_hashes_from_frontier};
use iwt_store::{
    BatchWrite, Credential, LogState, NewEntry, PersonalRecord, Store, StoreError, WriteTx,
};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// Sequencer tuning.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Most commands in one transaction.
    pub max_batch: usize,
    /// Queue length before callers wait (back-pressure).
    pub queue: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_batch: 512,
            queue: 4096,
        }
    }
}

/// A command to append one event.
#[derive(Debug, Clone)]
pub struct Command {
    /// What happened.
    pub body: EventBody,
    /// Who records it.
    pub actor: Uuid,
    /// Idempotency key; a retried command with the same id is answered, not repeated.
    pub event_id: Uuid,
    /// When it happened.
    pub occurred_at: OffsetDateTime,
    /// The corrected event (for corrections; defaults to the subject's latest event).
    pub corrects: Option<u64>,
    /// Why.
    pub reason: Option<String>,
    /// Personal data to keep off the ledger and commit to.
    pub personal: Option<PersonalData>,
    /// A credential created together with the event (account or token).
    pub credential: Option<Credential>,
}

impl Command {
    /// A command with a fresh UUIDv7 id.
    pub fn new(body: EventBody, actor: Uuid, occurred_at: OffsetDateTime) -> Self {
        Self {
            body,
            actor,
            event_id: Uuid::now_v7(),
            occurred_at,
            corrects: None,
            reason: None,
            personal: None,
            credential: None,
        }
    }
}

/// The durable result of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    /// Ledger index.
    pub index: u64,
    /// RFC 6962 leaf hash.
    pub leaf_hash: [u8; 32],
    /// Event id.
    pub event_id: Uuid,
    /// True when the event id had already been appended (idempotent retry).
    pub duplicate: bool,
}

type Reply = oneshot::Sender<Result<Appended, AppError>>;

/// Handle to the sequencer task.
#[derive(Clone)]
pub struct Sequencer {
    tx: mpsc::Sender<(Command, Reply)>,
}

impl Sequencer {
    /// Starts the sequencer task on the current Tokio runtime.
    pub fn spawn(store: Arc<dyn Store>, config: Config) -> Self {
        let (tx, rx) = mpsc::channel(config.queue);
        tokio::spawn(run(store, rx, config));
        Self { tx }
    }

    /// Appends one event; answers after it is durable.
    pub async fn submit(&self, cmd: Command) -> Result<Appended, AppError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((cmd, reply))
            .await
            .map_err(|_| AppError::ShuttingDown)?;
        answer.await.map_err(|_| AppError::ShuttingDown)?
    }
}

async fn run(store: Arc<dyn Store>, mut rx: mpsc::Receiver<(Command, Reply)>, config: Config) {
    let mut batch = Vec::with_capacity(config.max_batch);
    while rx.recv_many(&mut batch, config.max_batch).await > 0 {
        let jobs = std::mem::take(&mut batch);
        let (cmds, replies): (Vec<_>, Vec<_>) = jobs.into_iter().unzip();
        match append_batch(store.as_ref(), cmds).await {
            Ok(results) => {
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "ledger batch failed; nothing of it was stored");
                for reply in replies {
                    let _ =
                        reply.send(Err(AppError::Store(StoreError::Unavailable(e.to_string()))));
                }
            }
        }
    }
}

/// Appends a batch in one transaction. Everything the batch reads is loaded up front in
/// a few queries into an overlay that each command's writes update, so later commands
/// see earlier ones; the writes go back in multi-row statements and one commit. A
/// command refused by a domain rule gets its error and writes nothing; a storage error
/// aborts the whole batch.
pub async fn append_batch(
    store: &dyn Store,
    cmds: Vec<Command>,
) -> Result<Vec<Result<Appended, AppError>>, StoreError> {
    let mut tx = store.begin_write().await?;
    let state = tx.log_state().await?;
    let mut frontier = Frontier::from_bytes(&state.frontier)
        .map_err(|e| StoreError::Corrupt(format!("stored frontier: {e}")))?;
    if frontier.size() != state.size {
        return Err(StoreError::Corrupt(
            "stored frontier disagrees with the tree size".into(),
        ));
    }
    let cmds: Vec<Result<Command, AppError>> = cmds
        .into_iter()
        .map(|c| nfc_command(c).map_err(AppError::from))
        .collect();
    let mut overlay =
        Overlay::load(tx.as_mut(), cmds.iter().filter_map(|c| c.as_ref().ok())).await?;
    let mut pending = Pending::default();
    let mut results = Vec::with_capacity(cmds.len());
    for cmd in cmds {
        results.push(match cmd {
            Ok(cmd) => {
                append_one(tx.as_mut(), &mut overlay, &mut pending, &mut frontier, cmd).await?
            }
            Err(e) => Err(e),
        });
    }
    if !pending.entries.is_empty() {
        tx.write_batch(&pending.batch(overlay.final_rows(), overlay.replaced()))
            .await?;
        let root = frontier.root();
        let new_state = LogState {
            size: frontier.size(),
            root,
            frontier: frontier.to_bytes(),
        };
        tx.set_log_state(&new_state).await?;
        tx.commit().await?;
    }
    Ok(results)
}

/// The projections as the batch sees them: loaded from the store, then updated in
/// memory by each appended command.
#[derive(Default)]
struct Overlay {
    docs: HashMap<(EntityKind, Uuid), Value>,
    owners: HashMap<(EntityKind, String, String), Uuid>,
    heads: HashMap<Uuid, u64>,
    events: HashMap<Uuid, (u64, [u8; 32])>,
    row_keys: HashMap<(EntityKind, Uuid), Vec<Key>>,
    written: Vec<(EntityKind, Uuid)>,
    /// Rows loaded from the store (as opposed to created by this batch).
    loaded: std::collections::HashSet<(EntityKind, Uuid)>,
}

impl View for Overlay {
    fn doc(&self, kind: EntityKind, id: Uuid) -> Option<&Value> {
        self.docs.get(&(kind, id))
    }
    fn key_owner(&self, kind: EntityKind, name: &str, value: &str) -> Option<Uuid> {
        self.owners
            .get(&(kind, name.to_owned(), value.to_owned()))
            .copied()
    }
}

impl Overlay {
    async fn load<'a>(
        tx: &mut dyn WriteTx,
        cmds: impl Iterator<Item = &'a Command>,
    ) -> Result<Self, StoreError> {
        let (mut ids, mut values, mut subjects, mut events) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for cmd in cmds {
            let need = lookups(&cmd.body);
            ids.extend(need.docs);
            values.extend(
                need.keys
                    .into_iter()
                    .map(|(kind, k)| (kind, k.name, k.value)),
            );
            subjects.extend(cmd.body.subject_refs().into_iter().map(|(_, id)| id));
            events.push(cmd.event_id);
        }
        for v in [&mut subjects, &mut events] {
            v.sort();
            v.dedup();
        }
        ids.sort();
        ids.dedup();
        values.sort();
        values.dedup();
        let mut o = Overlay::default();
        for (kind, id, doc) in tx.load_docs(&ids).await? {
            o.docs.insert((kind, id), doc);
            o.loaded.insert((kind, id));
        }
        for (kind, name, value, owner) in tx.load_unique_keys(&values).await? {
            o.owners.insert((kind, name, value), owner);
        }
        o.heads.extend(tx.load_heads(&subjects).await?);
        for (id, idx, hash) in tx.load_event_indices(&events).await? {
            o.events.insert(id, (idx, hash));
        }
        Ok(o)
    }

    /// Applies one event's projection rows and subject links.
    fn apply(
        &mut self,
        rows: &[Row],
        event: &Event,
        index: u64,
        hash: [u8; 32],
    ) -> Result<(), DomainError> {
        for row in rows {
            let key = (row.kind, row.id);
            let old_keys = match (self.row_keys.get(&key), self.docs.get(&key)) {
                (Some(k), _) => k.clone(),
                (None, Some(doc)) => stored_keys(doc)?,
                (None, None) => Vec::new(),
            };
            for k in old_keys.iter().filter(|k| k.unique) {
                let owner_key = (row.kind, k.name.clone(), k.value.clone());
                if self.owners.get(&owner_key) == Some(&row.id) {
                    self.owners.remove(&owner_key);
                }
            }
            for k in row.keys.iter().filter(|k| k.unique) {
                self.owners
                    .insert((row.kind, k.name.clone(), k.value.clone()), row.id);
            }
            if !self.row_keys.contains_key(&key) {
                self.written.push(key);
            }
            self.row_keys.insert(key, row.keys.clone());
            self.docs.insert(key, row.doc.clone());
        }
        for s in &event.subjects {
            self.heads.insert(s.id, index);
        }
        self.events.insert(event.event_id, (index, hash));
        Ok(())
    }

    /// The final version of every row written by the batch.
    /// Rows written by the batch that existed before it.
    fn replaced(&self) -> Vec<(EntityKind, Uuid)> {
        self.written
            .iter()
            .filter(|k| self.loaded.contains(k))
            .copied()
            .collect()
    }

    fn final_rows(&self) -> Vec<Row> {
        self.written
            .iter()
            .map(|key| Row {
                kind: key.0,
                id: key.1,
                doc: self.docs.get(key).cloned().unwrap_or(Value::Null),
                keys: self.row_keys.get(key).cloned().unwrap_or_default(),
            })
            .collect()
    }
}

/// One entry waiting for the batch's commit.
struct PendingEntry {
    idx: u64,
    event_id: Uuid,
    event_type: u16,
    occurred_at_us: i64,
    leaf: Vec<u8>,
    leaf_hash: [u8; 32],
    subjects: Vec<(&'static str, Uuid)>,
}

/// What the batch will write.
#[derive(Default)]
struct Pending {
    entries: Vec<PendingEntry>,
    personal: Vec<PersonalRecord>,
    credentials: Vec<Credential>,
    /// New stored tree hashes (position, hash), computed from the frontier.
    hashes: Vec<(u64, [u8; 32])>,
}

impl Pending {
    fn batch(&self, rows: Vec<Row>, replaced: Vec<(EntityKind, Uuid)>) -> BatchWrite<'_> {
        let entries = self
            .entries
            .iter()
            .map(|e| NewEntry {
                idx: e.idx,
                event_id: e.event_id,
                event_type: e.event_type,
                occurred_at_us: e.occurred_at_us,
                leaf: &e.leaf,
                leaf_hash: e.leaf_hash,
                subjects: e.subjects.clone(),
            })
            .collect();
        BatchWrite {
            entries,
            rows,
            replaced,
            personal: self.personal.clone(),
            credentials: self.credentials.clone(),
            hashes: self.hashes.clone(),
        }
    }

    fn has_subject_at(&self, subject: Uuid, idx: u64) -> bool {
        self.entries
            .iter()
            .any(|e| e.idx == idx && e.subjects.iter().any(|(_, id)| *id == subject))
    }
}

async fn append_one(
    tx: &mut dyn WriteTx,
    overlay: &mut Overlay,
    pending: &mut Pending,
    frontier: &mut Frontier,
    mut cmd: Command,
) -> Result<Result<Appended, AppError>, StoreError> {
    if let Some(&(index, leaf_hash)) = overlay.events.get(&cmd.event_id) {
        let event_id = cmd.event_id;
        return Ok(Ok(Appended {
            index,
            leaf_hash,
            event_id,
            duplicate: true,
        }));
    }
    if let Err(e) = check(&cmd.body, overlay) {
        return Ok(Err(e.into()));
    }
    if let Err(e) = resolve_correction(tx, overlay, pending, &mut cmd).await? {
        return Ok(Err(e.into()));
    }
    let index = frontier.size();
    let subjects = cmd
        .body
        .subject_refs()
        .into_iter()
        .map(|(kind, id)| Subject {
            kind,
            id,
            prev: overlay.heads.get(&id).copied(),
        })
        .collect();
    let personal = match cmd.personal.as_ref().map(seal_personal).transpose() {
        Ok(p) => p,
        Err(e) => return Ok(Err(e.into())),
    };
    let event = Event {
        event_id: cmd.event_id,
        occurred_at: to_micros(cmd.occurred_at),
        actor: cmd.actor,
        subjects,
        corrects: cmd.corrects,
        reason: cmd.reason.clone(),
        attachments: Vec::new(),
        pii_commitment: personal.map(|(_, c)| c),
        body: cmd.body.clone(),
    };
    let prepared = encode_event(&event).and_then(|leaf| {
        project(&event, index, cmd.personal.as_ref(), overlay).map(|rows| (leaf, rows))
    });
    let (leaf, rows) = match prepared {
        Ok(p) => p,
        Err(e) => return Ok(Err(e.into())),
    };
    let leaf_hash = leaf_hash(&leaf);
    overlay
        .apply(&rows, &event, index, leaf_hash)
        .map_err(|e| StoreError::Corrupt(format!("stored projection: {e}")))?;
    if let (Some((salt, _)), Some(p)) = (personal, &cmd.personal) {
        let subject_id = event.subjects.first().map(|s| s.id).unwrap_or_default();
        let data = serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        pending.personal.push(PersonalRecord {
            event_id: event.event_id,
            subject_id,
            salt,
            data,
        });
    }
    if let Some(cred) = cmd.credential {
        pending.credentials.push(cred);
    }
    pending.entries.push(PendingEntry {
        idx: index,
        event_id: event.event_id,
        event_type: event.body.type_code(),
        occurred_at_us: event.occurred_at_us(),
        leaf,
        leaf_hash,
        subjects: event
            .subjects
            .iter()
            .map(|s| (s.kind.as_str(), s.id))
            .collect(),
    });
    let start = stored_hash_index(0, index);
    pending
        .hashes
        .extend((start..).zip(stored_hashes_from_frontier(frontier, leaf_hash)));
    frontier.push(leaf_hash);
    Ok(Ok(Appended {
        index,
        leaf_hash,
        event_id: event.event_id,
        duplicate: false,
    }))
}

/// A correction names an earlier event of the same record and gives a reason.
async fn resolve_correction(
    tx: &mut dyn WriteTx,
    overlay: &Overlay,
    pending: &Pending,
    cmd: &mut Command,
) -> Result<Result<(), DomainError>, StoreError> {
    let EventBody::RecordCorrected { record } = &cmd.body else {
        if cmd.corrects.is_some() {
            return Ok(Err(DomainError::InvalidCorrection(
                "only a correction event may name a corrected event".into(),
            )));
        }
        return Ok(Ok(()));
    };
    if cmd.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Ok(Err(DomainError::InvalidCorrection(
            "a correction needs a reason".into(),
        )));
    }
    let target = match cmd.corrects {
        Some(i) => i,
        None => match overlay.heads.get(&record.id()).copied() {
            Some(i) => i,
            None => {
                return Ok(Err(DomainError::NotFound {
                    kind: record.kind(),
                    id: record.id(),
                }));
            }
        },
    };
    let known =
        pending.has_subject_at(record.id(), target) || tx.subject_has(record.id(), target).await?;
    if !known {
        return Ok(Err(DomainError::InvalidCorrection(format!(
            "event {target} is not an event of {} {}",
            record.kind(),
            record.id()
        ))));
    }
    cmd.corrects = Some(target);
    Ok(Ok(()))
}

fn seal_personal(p: &PersonalData) -> Result<([u8; 16], [u8; 32]), DomainError> {
    p.validate()?;
    let salt: [u8; 16] = rand::random();
    Ok((salt, pii_commitment(&salt, p)?))
}

/// Brings every string of the body and personal data into NFC, the ledger's only form.
fn nfc_command(mut cmd: Command) -> Result<Command, DomainError> {
    let bad = |e: serde_json::Error| DomainError::Encoding(e.to_string());
    let body = serde_json::to_value(&cmd.body).map_err(bad)?;
    cmd.body = serde_json::from_value(iwt_domain::codec::nfc_value(body)).map_err(bad)?;
    if let Some(p) = &cmd.personal {
        let v = serde_json::to_value(p).map_err(bad)?;
        cmd.personal = Some(serde_json::from_value(iwt_domain::codec::nfc_value(v)).map_err(bad)?);
    }
    Ok(cmd)
}
