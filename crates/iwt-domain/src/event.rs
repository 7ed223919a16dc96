//! Domain events: the only way state changes. An [`Event`] is the header every leaf
//! carries (id, time, actor, subjects with their previous index, correction target,
//! reason, attachments, personal-data commitment) plus a typed [`EventBody`].
use crate::kinds::EntityKind;
use crate::records::{ItemRef, Record};
use crate::role::Role;
use crate::vocab::{AmmoMovement, Condition, ItemStatus};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// What happened. The `type` tag and the numeric [`EventBody::type_code`] are part of
/// the ledger format and never change meaning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventBody {
    /// A registry record was created.
    RecordCreated {
        /// The record as entered.
        record: Record,
    },
    /// A registry record was corrected; the header names the corrected event.
    RecordCorrected {
        /// The record as it should read from now on.
        record: Record,
    },
    /// A tag binding ended (tag removed, destroyed or re-used).
    TagUnbound {
        /// The binding.
        binding_id: Uuid,
        /// The item it was bound to.
        item: ItemRef,
    },
    /// A part was fitted to a firearm.
    PartFitted {
        /// The part.
        part_id: Uuid,
        /// The firearm.
        firearm_id: Uuid,
    },
    /// A part was removed from a firearm.
    PartRemoved {
        /// The part.
        part_id: Uuid,
        /// The firearm it was fitted to.
        firearm_id: Uuid,
    },
    /// An item was handed to a person.
    ItemIssued {
        /// The item.
        item: ItemRef,
        /// The receiving person.
        person_id: Uuid,
        /// Where it was handed out (a window).
        location_id: Uuid,
        /// Long-term assignment rather than a shift checkout.
        long_term: bool,
    },
    /// An item came back.
    ItemReturned {
        /// The item.
        item: ItemRef,
        /// The person returning it.
        person_id: Uuid,
        /// Where it is stored now.
        location_id: Uuid,
        /// Condition on return.
        condition: Condition,
    },
    /// An item's status changed outside issue and return (repair, loss, ...).
    ItemStatusChanged {
        /// The item.
        item: ItemRef,
        /// The new status.
        status: ItemStatus,
        /// The new location, if it moved.
        location_id: Option<Uuid>,
    },
    /// An ammunition stock quantity changed.
    AmmoStockChanged {
        /// The lot.
        lot_id: Uuid,
        /// The location holding the stock.
        location_id: Uuid,
        /// Signed change in rounds.
        delta: i64,
        /// Why.
        movement: AmmoMovement,
        /// The person involved (issue, return, expended).
        person_id: Option<Uuid>,
    },
    /// A login account was created.
    AccountCreated {
        /// The account.
        account_id: Uuid,
        /// Its user name.
        username: String,
        /// Its role.
        role: Role,
    },
    /// An API token was issued (the secret itself never enters the ledger).
    ApiTokenIssued {
        /// The token's id (the actor id of calls made with it).
        token_id: Uuid,
        /// A name for the integration.
        name: String,
        /// Its role.
        role: Role,
    },
}

impl EventBody {
    /// The stable numeric event type stored in the leaf header.
    pub fn type_code(&self) -> u16 {
        match self {
            Self::RecordCreated { .. } => 1,
            Self::RecordCorrected { .. } => 2,
            Self::TagUnbound { .. } => 3,
            Self::PartFitted { .. } => 4,
            Self::PartRemoved { .. } => 5,
            Self::ItemIssued { .. } => 6,
            Self::ItemReturned { .. } => 7,
            Self::ItemStatusChanged { .. } => 8,
            Self::AmmoStockChanged { .. } => 9,
            Self::AccountCreated { .. } => 10,
            Self::ApiTokenIssued { .. } => 11,
        }
    }

    /// The snake_case name of the event type.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::RecordCreated { .. } => "record_created",
            Self::RecordCorrected { .. } => "record_corrected",
            Self::TagUnbound { .. } => "tag_unbound",
            Self::PartFitted { .. } => "part_fitted",
            Self::PartRemoved { .. } => "part_removed",
            Self::ItemIssued { .. } => "item_issued",
            Self::ItemReturned { .. } => "item_returned",
            Self::ItemStatusChanged { .. } => "item_status_changed",
            Self::AmmoStockChanged { .. } => "ammo_stock_changed",
            Self::AccountCreated { .. } => "account_created",
            Self::ApiTokenIssued { .. } => "api_token_issued",
        }
    }

    /// The records this event is about, in a fixed order; each gets a link to its
    /// previous event in the leaf (the per-subject chain, e.g. `prev_for_firearm`).
    pub fn subject_refs(&self) -> Vec<(EntityKind, Uuid)> {
        match self {
            Self::RecordCreated { record } | Self::RecordCorrected { record } => {
                let mut out = vec![(record.kind(), record.id())];
                match record {
                    Record::TagBinding(b) => out.push((b.item.kind, b.item.id)),
                    Record::Qualification(q) => out.push((EntityKind::Person, q.person_id)),
                    _ => {}
                }
                out
            }
            Self::TagUnbound { binding_id, item } => {
                vec![(EntityKind::TagBinding, *binding_id), (item.kind, item.id)]
            }
            Self::PartFitted {
                part_id,
                firearm_id,
            }
            | Self::PartRemoved {
                part_id,
                firearm_id,
            } => {
                vec![
                    (EntityKind::Part, *part_id),
                    (EntityKind::Firearm, *firearm_id),
                ]
            }
            Self::ItemIssued {
                item, person_id, ..
            }
            | Self::ItemReturned {
                item, person_id, ..
            } => {
                vec![(item.kind, item.id), (EntityKind::Person, *person_id)]
            }
            Self::ItemStatusChanged { item, .. } => vec![(item.kind, item.id)],
            Self::AmmoStockChanged {
                lot_id, person_id, ..
            } => {
                let mut out = vec![(EntityKind::AmmoLot, *lot_id)];
                if let Some(p) = person_id {
                    out.push((EntityKind::Person, *p));
                }
                out
            }
            Self::AccountCreated { account_id, .. } => vec![(EntityKind::Account, *account_id)],
            Self::ApiTokenIssued { token_id, .. } => vec![(EntityKind::Account, *token_id)],
        }
    }
}

/// One subject of an event and the ledger index of that subject's previous event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Kind of the subject.
    pub kind: EntityKind,
    /// Id of the subject.
    pub id: Uuid,
    /// Index of the subject's previous event, if any.
    pub prev: Option<u64>,
}

/// A complete event as stored in one ledger leaf.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// UUIDv7, the idempotency key.
    pub event_id: Uuid,
    /// When it happened (UTC, microsecond precision).
    pub occurred_at: OffsetDateTime,
    /// The account or token that recorded it.
    pub actor: Uuid,
    /// Subjects with their previous indices, in [`EventBody::subject_refs`] order.
    pub subjects: Vec<Subject>,
    /// Index of the event this one corrects.
    pub corrects: Option<u64>,
    /// Why (required for corrections).
    pub reason: Option<String>,
    /// SHA-256 of attached documents (stored elsewhere).
    pub attachments: Vec<[u8; 32]>,
    /// Salted commitment to personal data kept off the ledger.
    pub pii_commitment: Option<[u8; 32]>,
    /// What happened.
    pub body: EventBody,
}

impl Event {
    /// The occurred-at time in UTC microseconds since the Unix epoch.
    pub fn occurred_at_us(&self) -> i64 {
        (self.occurred_at.unix_timestamp_nanos() / 1000) as i64
    }
}

/// Truncates a time to microseconds, the ledger's precision.
pub fn to_micros(t: OffsetDateTime) -> OffsetDateTime {
    let us = t.unix_timestamp_nanos() / 1000;
    OffsetDateTime::from_unix_timestamp_nanos(us * 1000).unwrap_or(t)
}
