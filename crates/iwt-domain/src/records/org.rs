//! Sites, locations, read points, units, posts, shifts and assignment types.
use super::{Key, RecordRules, Reference, id_accessors, opt_ref};
use crate::error::DomainError;
use crate::kinds::EntityKind;
use crate::text::{self, norm_key};
use crate::vocab::{LocationKind, ReadPointKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn code_key(code: &str) -> Vec<Key> {
    vec![Key::unique("code", norm_key(code))]
}

/// An armory site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Short unique code, e.g. `HQ`.
    pub code: String,
    /// Name.
    pub name: String,
    /// ISO 3166 country.
    pub country: String,
    /// IANA time zone of the site, e.g. `Europe/Berlin`.
    pub timezone: String,
    /// Postal address.
    pub address: Option<String>,
}

impl RecordRules for Site {
    const KIND: EntityKind = EntityKind::Site;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)?;
        text::country("country", &self.country)?;
        text::required("timezone", &self.timezone)?;
        text::optional("address", &self.address)
    }
    fn keys(&self) -> Vec<Key> {
        code_key(&self.code)
    }
}

/// A place where items are kept or pass: vault, rack, window, door, ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// The site.
    pub site_id: Uuid,
    /// Enclosing location (a rack's vault).
    pub parent_id: Option<Uuid>,
    /// Code unique within the site, e.g. `V1-R03`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: LocationKind,
}

impl RecordRules for Location {
    const KIND: EntityKind = EntityKind::Location;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)?;
        if self.parent_id == Some(self.id) && !self.id.is_nil() {
            return Err(DomainError::field(
                "parent_id",
                "a location cannot contain itself",
            ));
        }
        Ok(())
    }
    fn references(&self) -> Vec<Reference> {
        let mut out = vec![Reference::new("site_id", EntityKind::Site, self.site_id)];
        opt_ref(&mut out, "parent_id", EntityKind::Location, self.parent_id);
        out
    }
    fn keys(&self) -> Vec<Key> {
        vec![Key::unique(
            "site_code",
            format!("{}|{}", self.site_id, norm_key(&self.code)),
        )]
    }
}

/// An RFID read point (an antenna's place and role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadPoint {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// The location the read point watches.
    pub location_id: Uuid,
    /// Unique code, e.g. `W3` or `D1-OUT`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Role of the read point.
    pub kind: ReadPointKind,
}

impl RecordRules for ReadPoint {
    const KIND: EntityKind = EntityKind::ReadPoint;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)
    }
    fn references(&self) -> Vec<Reference> {
        vec![Reference::new(
            "location_id",
            EntityKind::Location,
            self.location_id,
        )]
    }
    fn keys(&self) -> Vec<Key> {
        code_key(&self.code)
    }
}

/// An organisational unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Unique code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Home site.
    pub site_id: Option<Uuid>,
    /// Parent unit.
    pub parent_unit_id: Option<Uuid>,
}

impl RecordRules for Unit {
    const KIND: EntityKind = EntityKind::Unit;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)
    }
    fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        opt_ref(&mut out, "site_id", EntityKind::Site, self.site_id);
        opt_ref(
            &mut out,
            "parent_unit_id",
            EntityKind::Unit,
            self.parent_unit_id,
        );
        out
    }
    fn keys(&self) -> Vec<Key> {
        code_key(&self.code)
    }
}

/// A post (duty position) an officer is assigned to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Post {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Unique code.
    pub code: String,
    /// Name.
    pub name: String,
    /// The unit that staffs the post.
    pub unit_id: Option<Uuid>,
    /// The site of the post.
    pub site_id: Option<Uuid>,
}

impl RecordRules for Post {
    const KIND: EntityKind = EntityKind::Post;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)
    }
    fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        opt_ref(&mut out, "unit_id", EntityKind::Unit, self.unit_id);
        opt_ref(&mut out, "site_id", EntityKind::Site, self.site_id);
        out
    }
    fn keys(&self) -> Vec<Key> {
        code_key(&self.code)
    }
}

/// A shift pattern at a site (local times in the site's time zone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Shift {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Unique code, e.g. `DAY`.
    pub code: String,
    /// Name.
    pub name: String,
    /// The site.
    pub site_id: Option<Uuid>,
    /// Start, local `HH:MM`.
    pub starts_at: String,
    /// End, local `HH:MM` (may be earlier than the start for a night shift).
    pub ends_at: String,
}

fn hhmm(field: &str, v: &str) -> Result<(), DomainError> {
    let ok = v.len() == 5
        && v.as_bytes()[2] == b':'
        && v[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && v[3..].parse::<u8>().is_ok_and(|m| m < 60);
    if ok {
        Ok(())
    } else {
        Err(DomainError::field(field, "must be a local time HH:MM"))
    }
}

impl RecordRules for Shift {
    const KIND: EntityKind = EntityKind::Shift;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)?;
        hhmm("starts_at", &self.starts_at)?;
        hhmm("ends_at", &self.ends_at)
    }
    fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        opt_ref(&mut out, "site_id", EntityKind::Site, self.site_id);
        out
    }
    fn keys(&self) -> Vec<Key> {
        code_key(&self.code)
    }
}

/// An assignment type: patrol, tactical, specialised team, range, ...
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentType {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Unique code, e.g. `PATROL`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
}

impl RecordRules for AssignmentType {
    const KIND: EntityKind = EntityKind::AssignmentType;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("code", &self.code)?;
        text::required("name", &self.name)?;
        match &self.description {
            Some(d) => text::bounded("description", d, text::MAX_LONG),
            None => Ok(()),
        }
    }
    fn keys(&self) -> Vec<Key> {
        code_key(&self.code)
    }
}
