//! The personnel roster (separate from login accounts), qualification types and each
//! person's qualifications. Personal details are kept apart from the record so that the
//! ledger holds only a salted commitment to them.
use super::{Key, RecordRules, Reference, id_accessors};
use crate::error::DomainError;
use crate::kinds::EntityKind;
use crate::text::{self, norm_key};
use crate::vocab::PersonStatus;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

/// A person on the roster. Names and date of birth travel as [`PersonalData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Badge number, unique.
    pub badge_number: String,
    /// Service number.
    pub service_number: Option<String>,
    /// Card UID read by the badge reader (hex), unique.
    pub card_uid: Option<String>,
    /// Unit.
    pub unit_id: Uuid,
    /// Rank or grade.
    pub rank: Option<String>,
    /// Status.
    pub status: PersonStatus,
}

/// Personal details of a person: kept off the ledger, committed to by a salted hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonalData {
    /// Given name(s).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: Option<Date>,
}

impl PersonalData {
    /// Checks the fields.
    pub fn validate(&self) -> Result<(), DomainError> {
        text::required("given_name", &self.given_name)?;
        text::required("family_name", &self.family_name)
    }
}

impl RecordRules for Person {
    const KIND: EntityKind = EntityKind::Person;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("badge_number", &self.badge_number)?;
        text::optional("service_number", &self.service_number)?;
        text::optional("rank", &self.rank)?;
        if let Some(uid) = &self.card_uid {
            let ok = (4..=64).contains(&uid.len()) && uid.bytes().all(|b| b.is_ascii_hexdigit());
            if !ok {
                return Err(DomainError::field(
                    "card_uid",
                    "must be 4-64 hexadecimal digits",
                ));
            }
        }
        Ok(())
    }
    fn references(&self) -> Vec<Reference> {
        vec![Reference::new("unit_id", EntityKind::Unit, self.unit_id)]
    }
    fn keys(&self) -> Vec<Key> {
        let mut keys = vec![Key::unique("badge_number", norm_key(&self.badge_number))];
        if let Some(uid) = &self.card_uid {
            keys.push(Key::unique("card_uid", norm_key(uid)));
        }
        keys
    }
}

/// A kind of qualification and the weapon classes it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QualificationType {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Unique code, e.g. `PISTOL-9MM`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Weapon classes this qualification allows, e.g. `["PISTOL-9MM"]`.
    pub weapon_classes: Vec<String>,
    /// Usual validity in days (informative; each qualification has its own expiry).
    pub validity_days: Option<u32>,
    /// Days after expiry during which the qualification still counts.
    pub grace_days: u32,
}

impl RecordRules for QualificationType {
    const KIND: EntityKind = EntityKind::QualificationType;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)?;
        if self.weapon_classes.len() > 50 {
            return Err(DomainError::field("weapon_classes", "at most 50 classes"));
        }
        for c in &self.weapon_classes {
            text::required("weapon_classes", c)?;
        }
        if self.grace_days > 365 {
            return Err(DomainError::field("grace_days", "at most 365 days"));
        }
        Ok(())
    }
    fn keys(&self) -> Vec<Key> {
        vec![Key::unique("code", norm_key(&self.code))]
    }
}

/// A person's qualification, valid from `issued_on` to `expires_on` inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// The person.
    pub person_id: Uuid,
    /// The qualification type.
    pub qualification_type_id: Uuid,
    /// Date issued.
    pub issued_on: Date,
    /// Last day valid.
    pub expires_on: Date,
    /// Instructor or certifying body.
    pub certified_by: Option<String>,
}

impl RecordRules for Qualification {
    const KIND: EntityKind = EntityKind::Qualification;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        if self.expires_on < self.issued_on {
            return Err(DomainError::field("expires_on", "is before issued_on"));
        }
        text::optional("certified_by", &self.certified_by)
    }
    fn references(&self) -> Vec<Reference> {
        vec![
            Reference::new("person_id", EntityKind::Person, self.person_id),
            Reference::new(
                "qualification_type_id",
                EntityKind::QualificationType,
                self.qualification_type_id,
            ),
        ]
    }
    fn keys(&self) -> Vec<Key> {
        vec![Key::search("person", self.person_id.to_string())]
    }
}
