//! Full verification of the stored ledger: every leaf decodes canonically and hashes to
//! its stored hash, indices are contiguous, event ids match, every per-subject `prev`
//! link points at the subject's previous event, the recomputed root equals the stored
//! tree state, personal-data commitments match, and a replay of all events into fresh
//! projections equals the stored projections. Problems are reported by index.
use iwt_domain::EntityKind;
use iwt_domain::codec::{decode_event, pii_commitment};
use iwt_domain::projection::{Row, View, project};
use iwt_domain::records::{Key, PersonalData};
use iwt_ledger::{Frontier, leaf_hash};
use iwt_store::{Store, StoreError};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The ledger index concerned, when there is one.
    pub index: Option<u64>,
    /// What is wrong.
    pub what: String,
}

/// The outcome of a verification.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// Entries read.
    pub entries: u64,
    /// Root recomputed from the entries (hex).
    pub root: String,
    /// Stored tree size.
    pub stored_size: u64,
    /// Findings, in index order; empty when the database is intact.
    pub problems: Vec<Problem>,
}

impl Report {
    /// Whether nothing was found.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// The lowest index named by a problem.
    pub fn first_bad_index(&self) -> Option<u64> {
        self.problems.iter().filter_map(|p| p.index).min()
    }
}

/// Projections rebuilt in memory.
#[derive(Default)]
struct Replay {
    rows: BTreeMap<(EntityKind, Uuid), (Value, Vec<Key>)>,
    owners: HashMap<(EntityKind, String, String), Uuid>,
}

impl View for Replay {
    fn doc(&self, kind: EntityKind, id: Uuid) -> Option<&Value> {
        self.rows.get(&(kind, id)).map(|r| &r.0)
    }
    fn key_owner(&self, kind: EntityKind, name: &str, value: &str) -> Option<Uuid> {
        self.owners
            .get(&(kind, name.to_owned(), value.to_owned()))
            .copied()
    }
}

impl Replay {
    fn apply(&mut self, rows: Vec<Row>) {
        for row in rows {
            if let Some((_, old)) = self.rows.get(&(row.kind, row.id)) {
                for k in old.iter().filter(|k| k.unique) {
                    self.owners
                        .remove(&(row.kind, k.name.clone(), k.value.clone()));
                }
            }
            for k in row.keys.iter().filter(|k| k.unique) {
                self.owners
                    .insert((row.kind, k.name.clone(), k.value.clone()), row.id);
            }
            let mut keys = row.keys;
            keys.sort();
            keys.dedup();
            self.rows.insert((row.kind, row.id), (row.doc, keys));
        }
    }
}

const PAGE: u32 = 5000;

/// Verifies the whole database.
pub async fn verify(store: &dyn Store) -> Result<Report, StoreError> {
    let state = store.log_state().await?;
    let personal: HashMap<Uuid, _> = store
        .all_personal_data()
        .await?
        .into_iter()
        .map(|p| (p.event_id, p))
        .collect();
    let mut problems = Vec::new();
    let mut frontier = Frontier::new();
    let mut heads: HashMap<Uuid, u64> = HashMap::new();
    let mut replay = Replay::default();
    let mut expected = 0u64;
    let mut broken = false;
    'pages: loop {
        let page = store.entries(expected, PAGE).await?;
        if page.is_empty() {
            break;
        }
        for e in page {
            if e.idx != expected {
                problems.push(Problem {
                    index: Some(expected),
                    what: format!(
                        "entry {expected} is missing (next stored entry is {})",
                        e.idx
                    ),
                });
                broken = true;
                break 'pages;
            }
            let bad = |what: String| Problem {
                index: Some(e.idx),
                what,
            };
            let computed = leaf_hash(&e.leaf);
            if computed != e.leaf_hash {
                problems.push(bad(
                    "leaf bytes do not hash to the stored leaf hash (entry edited)".into(),
                ));
            }
            frontier.push(computed);
            expected += 1;
            let event = match decode_event(&e.leaf) {
                Ok(ev) => ev,
                Err(err) => {
                    problems.push(bad(format!("leaf does not decode: {err}")));
                    continue;
                }
            };
            if event.event_id != e.event_id {
                problems.push(bad(format!(
                    "stored event id {} differs from the leaf's {} (rows swapped?)",
                    e.event_id, event.event_id
                )));
            }
            for s in &event.subjects {
                let want = heads.get(&s.id).copied();
                if s.prev != want {
                    problems.push(bad(format!(
                        "{} {} links to previous event {:?} but its previous event is {:?}",
                        s.kind, s.id, s.prev, want
                    )));
                }
                heads.insert(s.id, e.idx);
            }
            let pd = match (event.pii_commitment, personal.get(&event.event_id)) {
                (None, _) => None,
                (Some(c), Some(rec)) => match serde_json::from_str::<PersonalData>(&rec.data) {
                    Ok(p) if pii_commitment(&rec.salt, &p).is_ok_and(|x| x == c) => Some(p),
                    _ => {
                        problems.push(bad(
                            "personal data does not match the leaf's commitment".into()
                        ));
                        None
                    }
                },
                (Some(_), None) => {
                    problems.push(bad(
                        "personal data committed to by the leaf is missing".into()
                    ));
                    None
                }
            };
            match project(&event, e.idx, pd.as_ref(), &replay) {
                Ok(rows) => replay.apply(rows),
                Err(err) => problems.push(bad(format!("event cannot be replayed: {err}"))),
            }
        }
    }
    let root = frontier.root();
    if !broken {
        if frontier.size() != state.size {
            problems.push(Problem {
                index: Some(frontier.size().min(state.size)),
                what: format!(
                    "the tree state says {} entries but {} are stored (log truncated or extended)",
                    state.size,
                    frontier.size()
                ),
            });
        } else if root != state.root {
            problems.push(Problem {
                index: None,
                what: "recomputed root differs from the stored tree state".into(),
            });
        }
        compare_projections(store, &replay, &mut problems).await?;
    }
    problems.sort_by_key(|p| p.index.unwrap_or(u64::MAX));
    Ok(Report {
        entries: frontier.size(),
        root: hex::encode(root),
        stored_size: state.size,
        problems,
    })
}

async fn compare_projections(
    store: &dyn Store,
    replay: &Replay,
    problems: &mut Vec<Problem>,
) -> Result<(), StoreError> {
    let mut stored: BTreeMap<(EntityKind, Uuid), (Value, Vec<Key>)> = BTreeMap::new();
    for row in store.all_rows().await? {
        let mut keys = row.keys;
        keys.sort();
        keys.dedup();
        stored.insert((row.kind, row.id), (row.doc, keys));
    }
    for ((kind, id), (doc, keys)) in &replay.rows {
        let at = doc["updated_index"].as_u64();
        match stored.remove(&(*kind, *id)) {
            None => problems.push(Problem {
                index: at,
                what: format!("projection of {kind} {id} is missing"),
            }),
            Some((d, _)) if &d != doc => problems.push(Problem {
                index: at,
                what: format!("projection of {kind} {id} differs from the replayed events"),
            }),
            Some((_, k)) if &k != keys => problems.push(Problem {
                index: at,
                what: format!("index keys of {kind} {id} differ from the replayed events"),
            }),
            Some(_) => {}
        }
    }
    for ((kind, id), _) in stored {
        problems.push(Problem {
            index: None,
            what: format!("projection of {kind} {id} has no events behind it"),
        });
    }
    Ok(())
}
