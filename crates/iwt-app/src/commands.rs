//! Registry commands: create and correct records, bind and unbind tags, fit parts, move
//! items and ammunition. Each checks the caller's role and goes through the sequencer.
use crate::App;
use crate::auth::Principal;
use crate::error::AppError;
use crate::sequencer::{Appended, Command};
use iwt_domain::codec::decode_event;
use iwt_domain::records::{PersonalData, Record, normalize_epc};
use iwt_domain::{DomainError, EntityKind, Event, EventBody};
use iwt_store::StoreError;
use time::OffsetDateTime;
use uuid::Uuid;

/// Options common to every registry command.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// Idempotency key chosen by the client.
    pub event_id: Option<Uuid>,
    /// When it happened, for back-dated entries from paper records (not in the future).
    pub occurred_at: Option<OffsetDateTime>,
    /// Why.
    pub reason: Option<String>,
}

impl App {
    fn command(&self, who: &Principal, body: EventBody, meta: Meta) -> Result<Command, AppError> {
        if !who.role.may_write_registry() {
            return Err(AppError::Forbidden(format!(
                "role {} may not change the registry",
                who.role.as_str()
            )));
        }
        let now = self.clock.now();
        let occurred_at = meta.occurred_at.unwrap_or(now);
        if occurred_at > now + time::Duration::minutes(5) {
            return Err(DomainError::field("occurred_at", "is in the future").into());
        }
        let mut cmd = Command::new(body, who.id, occurred_at);
        if let Some(id) = meta.event_id {
            cmd.event_id = id;
        }
        if let Some(r) = &meta.reason {
            iwt_domain::text::bounded("reason", r, iwt_domain::text::MAX_LONG)?;
        }
        cmd.reason = meta.reason.filter(|r| !r.trim().is_empty());
        Ok(cmd)
    }

    /// Creates a registry record; assigns a UUIDv7 id when the record has none.
    pub async fn create_record(
        &self,
        who: &Principal,
        mut record: Record,
        personal: Option<PersonalData>,
        meta: Meta,
    ) -> Result<(Uuid, Appended), AppError> {
        if record.id().is_nil() {
            record.set_id(Uuid::now_v7());
        }
        normalize(&mut record);
        check_personal(&record, personal.as_ref(), true)?;
        let id = record.id();
        let mut cmd = self.command(who, EventBody::RecordCreated { record }, meta)?;
        cmd.personal = personal;
        let (appended, original) = self.submit(cmd).await?;
        // A retry names the record the original created, not the id drawn for the retry.
        let id = match original {
            Some(ev) => match ev.body {
                EventBody::RecordCreated { record } => record.id(),
                _ => ev.subjects.first().map_or(id, |s| s.id),
            },
            None => id,
        };
        Ok((id, appended))
    }

    /// Corrects a record: the new version replaces the old one in the current view;
    /// the original event stays in the ledger and the correction names it.
    // Each argument is a distinct fact of the correction (ATF Ruling 2016-1 model).
    #[allow(clippy::too_many_arguments)]
    pub async fn correct_record(
        &self,
        who: &Principal,
        kind: EntityKind,
        id: Uuid,
        mut record: Record,
        personal: Option<PersonalData>,
        corrects: Option<u64>,
        meta: Meta,
    ) -> Result<Appended, AppError> {
        if record.kind() != kind {
            return Err(DomainError::field("kind", "differs from the addressed record").into());
        }
        if !record.id().is_nil() && record.id() != id {
            return Err(DomainError::field("id", "differs from the addressed record").into());
        }
        record.set_id(id);
        normalize(&mut record);
        check_personal(&record, personal.as_ref(), false)?;
        let mut cmd = self.command(who, EventBody::RecordCorrected { record }, meta)?;
        cmd.corrects = corrects;
        cmd.personal = personal;
        Ok(self.submit(cmd).await?.0)
    }

    /// Appends any other registry event (unbind, fit, issue, return, ammunition).
    pub async fn record_event(
        &self,
        who: &Principal,
        body: EventBody,
        meta: Meta,
    ) -> Result<Appended, AppError> {
        if matches!(
            body,
            EventBody::RecordCreated { .. }
                | EventBody::RecordCorrected { .. }
                | EventBody::AccountCreated { .. }
                | EventBody::ApiTokenIssued { .. }
        ) {
            return Err(
                DomainError::field("type", "use the dedicated endpoint for this event").into(),
            );
        }
        let cmd = self.command(who, body, meta)?;
        Ok(self.submit(cmd).await?.0)
    }

    /// Submits a command. An idempotent retry is answered from the stored original:
    /// with its real leaf hash, and the original event itself.
    async fn submit(&self, cmd: Command) -> Result<(Appended, Option<Event>), AppError> {
        let mut appended = self.seq.submit(cmd).await?;
        if !appended.duplicate {
            return Ok((appended, None));
        }
        let event_id = appended.event_id;
        let entry = self
            .store
            .entry_by_event_id(event_id)
            .await?
            .ok_or_else(|| {
                StoreError::Corrupt(format!("event {event_id} is recorded but cannot be read"))
            })?;
        let event = decode_event(&entry.leaf)
            .map_err(|e| StoreError::Corrupt(format!("entry {}: {e}", entry.idx)))?;
        appended.leaf_hash = entry.leaf_hash;
        Ok((appended, Some(event)))
    }
}

fn normalize(record: &mut Record) {
    if let Record::TagBinding(b) = record {
        b.epc = normalize_epc(&b.epc);
    }
    if let Record::Person(p) = record {
        p.card_uid = p.card_uid.as_ref().map(|u| u.to_uppercase());
    }
}

/// A person is created with personal data; other records never carry any.
fn check_personal(
    record: &Record,
    personal: Option<&PersonalData>,
    creating: bool,
) -> Result<(), DomainError> {
    match (record, personal) {
        (Record::Person(_), None) if creating => Err(DomainError::field(
            "given_name",
            "a person needs a given and a family name",
        )),
        (Record::Person(_), _) => Ok(()),
        (_, Some(_)) => Err(DomainError::field(
            "personal",
            "only personnel records carry personal data",
        )),
        (_, None) => Ok(()),
    }
}
