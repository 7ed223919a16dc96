//! The seeding plan: commands with their (back-dated) times, collected first and then
//! submitted in time order through the ordinary commands. Many commands are in flight
//! at once so that the sequencer commits them in batches, but they reach its FIFO queue
//! in plan order, so an item's issue always precedes its return.
use crate::auth::Principal;
use crate::commands::Meta;
use crate::{App, AppError};
use iwt_domain::EventBody;
use iwt_domain::records::{PersonalData, Record};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

/// Commands submitted together (one round of the ordered poller).
const CHUNK: usize = 256;

/// One planned command.
pub(super) enum Op {
    /// Create a record (with personal data for a person).
    Create(Box<Record>, Option<PersonalData>),
    /// Any other registry event, with an optional reason.
    Event(EventBody, Option<String>),
    /// Correct a record, with the reason.
    Correct(Box<Record>, String),
}

/// A command and when it happened.
pub(super) struct Planned {
    /// When it happened.
    pub(super) at: OffsetDateTime,
    /// What to submit.
    pub(super) op: Op,
}

/// Collects the commands of the demo.
pub(super) struct Plan {
    ops: Vec<Planned>,
    cursor: OffsetDateTime,
}

impl Plan {
    /// A plan whose set-up records are entered from `start`, a few seconds apart.
    pub(super) fn new(start: OffsetDateTime) -> Self {
        Self {
            ops: Vec::new(),
            cursor: start,
        }
    }

    /// The next data-entry time of the set-up phase.
    fn tick(&mut self) -> OffsetDateTime {
        self.cursor += Duration::seconds(2);
        self.cursor
    }

    /// Creates a record during set-up; returns its id.
    pub(super) fn create(&mut self, record: Record) -> Uuid {
        let at = self.tick();
        self.create_at(at, record)
    }

    /// Creates a record at `at`; returns its id.
    pub(super) fn create_at(&mut self, at: OffsetDateTime, mut record: Record) -> Uuid {
        if record.id().is_nil() {
            record.set_id(Uuid::now_v7());
        }
        let id = record.id();
        self.ops.push(Planned {
            at,
            op: Op::Create(Box::new(record), None),
        });
        id
    }

    /// Creates a person with personal data during set-up; returns the id.
    pub(super) fn person(&mut self, mut record: Record, personal: PersonalData) -> Uuid {
        record.set_id(Uuid::now_v7());
        let id = record.id();
        let at = self.tick();
        self.ops.push(Planned {
            at,
            op: Op::Create(Box::new(record), Some(personal)),
        });
        id
    }

    /// Records an event during set-up.
    pub(super) fn event(&mut self, body: EventBody) {
        let at = self.tick();
        self.event_at(at, body);
    }

    /// Records an event at `at`.
    pub(super) fn event_at(&mut self, at: OffsetDateTime, body: EventBody) {
        self.ops.push(Planned {
            at,
            op: Op::Event(body, None),
        });
    }

    /// Records an event at `at` with a reason.
    pub(super) fn noted_at(&mut self, at: OffsetDateTime, body: EventBody, reason: &str) {
        self.ops.push(Planned {
            at,
            op: Op::Event(body, Some(reason.to_owned())),
        });
    }

    /// Corrects a record at `at`.
    pub(super) fn correct_at(&mut self, at: OffsetDateTime, record: Record, reason: &str) {
        self.ops.push(Planned {
            at,
            op: Op::Correct(Box::new(record), reason.to_owned()),
        });
    }

    /// The commands in time order (commands at the same time keep their plan order).
    pub(super) fn into_sorted(mut self) -> Vec<Planned> {
        self.ops.sort_by_key(|p| p.at);
        self.ops
    }
}

/// Submits the commands in order, [`CHUNK`] at a time; stops at the first failure.
pub(super) async fn submit(app: &App, ops: Vec<Planned>) -> Result<(), AppError> {
    let who = Principal::console();
    let mut ops = ops.into_iter().peekable();
    while ops.peek().is_some() {
        let futs: Vec<Option<BoxFut<'_>>> = ops
            .by_ref()
            .take(CHUNK)
            .map(|p| Some(Box::pin(run(app, &who, p)) as BoxFut<'_>))
            .collect();
        in_order(futs).await?;
    }
    Ok(())
}

type BoxFut<'a> = Pin<Box<dyn Future<Output = Result<(), AppError>> + Send + 'a>>;

async fn run(app: &App, who: &Principal, p: Planned) -> Result<(), AppError> {
    let meta = |reason: Option<String>| Meta {
        event_id: None,
        occurred_at: Some(p.at),
        reason,
    };
    let result = match p.op {
        Op::Create(record, personal) => app
            .create_record(who, *record, personal, meta(None))
            .await
            .map(|_| ()),
        Op::Event(body, reason) => app.record_event(who, body, meta(reason)).await.map(|_| ()),
        Op::Correct(record, reason) => {
            let (kind, id) = (record.kind(), record.id());
            app.correct_record(who, kind, id, *record, None, None, meta(Some(reason)))
                .await
                .map(|_| ())
        }
    };
    if let Err(e) = &result {
        tracing::error!(at = %p.at, error = %e, "demo seeding command refused");
    }
    result
}

/// Drives all futures to completion, polling them in list order: the first poll of each
/// puts its command on the sequencer's queue, so the queue receives them in list order
/// (a future that cannot send yet stays ahead of the later ones in the next round).
async fn in_order(mut futs: Vec<Option<BoxFut<'_>>>) -> Result<(), AppError> {
    let mut first_err = None;
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for slot in futs.iter_mut() {
            let Some(fut) = slot else { continue };
            match fut.as_mut().poll(cx) {
                Poll::Ready(result) => {
                    if let Err(e) = result {
                        first_err.get_or_insert(e);
                    }
                    *slot = None;
                }
                Poll::Pending => pending = true,
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    first_err.map_or(Ok(()), Err)
}
