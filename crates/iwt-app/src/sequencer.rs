//! The sequencer: the single writer of the ledger. Commands arrive on a channel; it
//! takes whatever is waiting (up to `max_batch`) into one transaction, checks each
//! command against the projections as they stand after the earlier ones, appends the
//! leaves, writes the projections, commits once, and only then answers each caller.
use crate::error::AppError;
use iwt_domain::codec::{encode_event, pii_commitment};
use iwt_domain::event::{Subject, to_micros};
use iwt_domain::projection::{View, project};
use iwt_domain::records::PersonalData;
use iwt_domain::validate::{check, lookups};
use iwt_domain::{DomainError, EntityKind, Event, EventBody};
use iwt_ledger::{Frontier, leaf_hash};
use iwt_store::{Credential, LogState, NewEntry, PersonalRecord, Store, StoreError, WriteTx};
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

/// Appends a batch in one transaction. A command refused by a domain rule gets its
/// error and writes nothing; a storage error aborts the whole batch.
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
    let mut results = Vec::with_capacity(cmds.len());
    for cmd in cmds {
        results.push(append_one(tx.as_mut(), &mut frontier, cmd).await?);
    }
    let new_state = LogState {
        size: frontier.size(),
        root: frontier.root(),
        frontier: frontier.to_bytes(),
    };
    if new_state.size != state.size {
        tx.set_log_state(&new_state).await?;
        tx.commit().await?;
    }
    Ok(results)
}

/// Documents and keys loaded for one command.
#[derive(Default)]
struct Loaded {
    docs: HashMap<(EntityKind, Uuid), Value>,
    owners: HashMap<(EntityKind, String, String), Uuid>,
}

impl View for Loaded {
    fn doc(&self, kind: EntityKind, id: Uuid) -> Option<&Value> {
        self.docs.get(&(kind, id))
    }
    fn key_owner(&self, kind: EntityKind, name: &str, value: &str) -> Option<Uuid> {
        self.owners
            .get(&(kind, name.to_owned(), value.to_owned()))
            .copied()
    }
}

async fn load(tx: &mut dyn WriteTx, body: &EventBody) -> Result<Loaded, StoreError> {
    let need = lookups(body);
    let mut loaded = Loaded::default();
    for (kind, id) in need.docs {
        if let Some(doc) = tx.doc(kind, id).await? {
            loaded.docs.insert((kind, id), doc);
        }
    }
    for (kind, key) in need.keys {
        if let Some(owner) = tx.key_owner(kind, &key.name, &key.value).await? {
            loaded.owners.insert((kind, key.name, key.value), owner);
        }
    }
    Ok(loaded)
}

async fn append_one(
    tx: &mut dyn WriteTx,
    frontier: &mut Frontier,
    mut cmd: Command,
) -> Result<Result<Appended, AppError>, StoreError> {
    if let Some(index) = tx.index_of_event(cmd.event_id).await? {
        return Ok(Ok(Appended {
            index,
            leaf_hash: [0; 32],
            event_id: cmd.event_id,
            duplicate: true,
        }));
    }
    match nfc_command(&cmd) {
        Ok((body, personal)) => {
            cmd.body = body;
            cmd.personal = personal;
        }
        Err(e) => return Ok(Err(e.into())),
    }
    let loaded = load(tx, &cmd.body).await?;
    if let Err(e) = check(&cmd.body, &loaded) {
        return Ok(Err(e.into()));
    }
    if let Err(e) = resolve_correction(tx, &mut cmd).await? {
        return Ok(Err(e.into()));
    }
    let index = frontier.size();
    let mut subjects = Vec::new();
    for (kind, id) in cmd.body.subject_refs() {
        subjects.push(Subject {
            kind,
            id,
            prev: tx.subject_head(id).await?,
        });
    }
    let personal = match &cmd.personal {
        Some(p) => match seal_personal(p) {
            Ok(sealed) => Some(sealed),
            Err(e) => return Ok(Err(e.into())),
        },
        None => None,
    };
    let event = Event {
        event_id: cmd.event_id,
        occurred_at: to_micros(cmd.occurred_at),
        actor: cmd.actor,
        subjects,
        corrects: cmd.corrects,
        reason: cmd.reason.clone(),
        attachments: Vec::new(),
        pii_commitment: personal.as_ref().map(|(_, c)| *c),
        body: cmd.body.clone(),
    };
    let leaf = match encode_event(&event) {
        Ok(l) => l,
        Err(e) => return Ok(Err(e.into())),
    };
    let rows = match project(&event, index, cmd.personal.as_ref(), &loaded) {
        Ok(r) => r,
        Err(e) => return Ok(Err(e.into())),
    };
    let hash = leaf_hash(&leaf);
    let entry = NewEntry {
        idx: index,
        event_id: event.event_id,
        event_type: event.body.type_code(),
        occurred_at_us: event.occurred_at_us(),
        leaf: &leaf,
        leaf_hash: hash,
        subjects: event
            .subjects
            .iter()
            .map(|s| (s.kind.as_str(), s.id))
            .collect(),
    };
    tx.append(&entry).await?;
    for row in &rows {
        tx.put_row(row).await?;
    }
    if let (Some((salt, _)), Some(p)) = (personal, &cmd.personal) {
        let subject_id = event.subjects.first().map(|s| s.id).unwrap_or_default();
        let data = serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.put_personal(&PersonalRecord {
            event_id: event.event_id,
            subject_id,
            salt,
            data,
        })
        .await?;
    }
    if let Some(cred) = &cmd.credential {
        tx.put_credential(cred).await?;
    }
    frontier.push(hash);
    Ok(Ok(Appended {
        index,
        leaf_hash: hash,
        event_id: event.event_id,
        duplicate: false,
    }))
}

/// A correction names an earlier event of the same record and gives a reason.
async fn resolve_correction(
    tx: &mut dyn WriteTx,
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
        None => match tx.subject_head(record.id()).await? {
            Some(i) => i,
            None => {
                return Ok(Err(DomainError::NotFound {
                    kind: record.kind(),
                    id: record.id(),
                }));
            }
        },
    };
    if !tx.subject_has(record.id(), target).await? {
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
fn nfc_command(cmd: &Command) -> Result<(EventBody, Option<PersonalData>), DomainError> {
    let bad = |e: serde_json::Error| DomainError::Encoding(e.to_string());
    let body = serde_json::to_value(&cmd.body).map_err(bad)?;
    let body = serde_json::from_value(iwt_domain::codec::nfc_value(body)).map_err(bad)?;
    let personal = match &cmd.personal {
        Some(p) => {
            let v = serde_json::to_value(p).map_err(bad)?;
            Some(serde_json::from_value(iwt_domain::codec::nfc_value(v)).map_err(bad)?)
        }
        None => None,
    };
    Ok((body, personal))
}
