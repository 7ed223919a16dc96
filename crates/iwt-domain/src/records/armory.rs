//! Firearm reference models, firearms with their markings, essential parts, equipment
//! and ammunition lots (standards.md §2.1-2.5).
use super::{Key, RecordRules, Reference, id_accessors, opt_ref};
use crate::error::DomainError;
use crate::kinds::EntityKind;
use crate::text::{self, norm_key};
use crate::vocab::{
    AmmoType, EquipmentCategory, FirearmAction, FirearmType, LotStatus, MarkingKind, Origin,
    PartType,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A firearm reference model (make, model, type, action, calibre), IFRT-style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FirearmModel {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Brand as marketed.
    pub make: String,
    /// Manufacturer (may differ from the make).
    pub manufacturer: String,
    /// Model designation.
    pub model: String,
    /// Firearm type.
    pub firearm_type: FirearmType,
    /// Action.
    pub action: FirearmAction,
    /// Calibres or gauges (several for multi-calibre models).
    pub calibres: Vec<String>,
    /// Barrel length in millimetres.
    pub barrel_length_mm: Option<u32>,
    /// ISO 3166 country of manufacture.
    pub country_of_manufacture: Option<String>,
    /// INTERPOL Firearms Reference Table reference.
    pub ifrt_ref: Option<String>,
}

impl RecordRules for FirearmModel {
    const KIND: EntityKind = EntityKind::FirearmModel;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("make", &self.make)?;
        text::required("manufacturer", &self.manufacturer)?;
        text::required("model", &self.model)?;
        if self.calibres.is_empty() || self.calibres.len() > 8 {
            return Err(DomainError::field("calibres", "must list 1 to 8 calibres"));
        }
        for c in &self.calibres {
            text::required("calibres", c)?;
        }
        if let Some(mm) = self.barrel_length_mm
            && !(10..=2000).contains(&mm)
        {
            return Err(DomainError::field(
                "barrel_length_mm",
                "must be 10..2000 mm",
            ));
        }
        if let Some(c) = &self.country_of_manufacture {
            text::country("country_of_manufacture", c)?;
        }
        text::optional("ifrt_ref", &self.ifrt_ref)
    }
    fn keys(&self) -> Vec<Key> {
        let name = format!("{}|{}", norm_key(&self.manufacturer), norm_key(&self.model));
        vec![Key::search("manufacturer_model", name)]
    }
}

/// A marking on a firearm or part, exactly as applied (UN Firearms Protocol Art. 8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Marking {
    /// What the marking records.
    pub kind: MarkingKind,
    /// The text exactly as applied.
    pub text: String,
    /// Where on the item, e.g. "left side of frame".
    pub location_on_item: String,
    /// Manufacturer name or code (manufacture marks).
    pub manufacturer: Option<String>,
    /// ISO 3166 country (of manufacture, import or transferring state).
    pub country: Option<String>,
    /// Place of manufacture.
    pub place: Option<String>,
    /// Year the mark records (manufacture or import year).
    pub year: Option<i32>,
    /// Importer (import marks).
    pub importer: Option<String>,
    /// Marking method (engraving, laser, stamping, ...).
    pub method: Option<String>,
}

impl Marking {
    fn validate(&self) -> Result<(), DomainError> {
        text::required("markings.text", &self.text)?;
        text::required("markings.location_on_item", &self.location_on_item)?;
        text::optional("markings.manufacturer", &self.manufacturer)?;
        text::optional("markings.place", &self.place)?;
        text::optional("markings.importer", &self.importer)?;
        text::optional("markings.method", &self.method)?;
        if let Some(c) = &self.country {
            text::country("markings.country", c)?;
        }
        if let Some(y) = self.year {
            text::year("markings.year", y)?;
        }
        match self.kind {
            MarkingKind::Manufacture if self.manufacturer.is_none() || self.country.is_none() => {
                Err(DomainError::field(
                    "markings",
                    "a manufacture marking names the manufacturer and the country",
                ))
            }
            MarkingKind::Import if self.country.is_none() || self.year.is_none() => {
                Err(DomainError::field(
                    "markings",
                    "an import marking names the country and the year",
                ))
            }
            _ => Ok(()),
        }
    }
}

fn validate_markings(markings: &[Marking]) -> Result<(), DomainError> {
    if markings.len() > 20 {
        return Err(DomainError::field("markings", "at most 20 markings"));
    }
    markings.iter().try_for_each(Marking::validate)
}

fn marking_keys(markings: &[Marking]) -> impl Iterator<Item = Key> + '_ {
    markings
        .iter()
        .map(|m| Key::search("marking", norm_key(&m.text)))
}

/// One physical firearm, anchored on its frame or receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Firearm {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// The reference model.
    pub model_id: Uuid,
    /// Serial number of the frame or receiver, as marked.
    pub serial_number: String,
    /// Manufacturer, as marked.
    pub manufacturer: String,
    /// ISO 3166 country of manufacture.
    pub country_of_manufacture: String,
    /// Year of manufacture.
    pub year_of_manufacture: Option<i32>,
    /// How the firearm came into the holding.
    pub origin: Origin,
    /// Weapon class for qualification purposes, e.g. `PISTOL-9MM`.
    pub weapon_class: String,
    /// Every marking on the firearm.
    pub markings: Vec<Marking>,
    /// Owning unit.
    pub unit_id: Option<Uuid>,
    /// Storage location when registered.
    pub location_id: Uuid,
    /// Free notes.
    pub notes: Option<String>,
}

impl RecordRules for Firearm {
    const KIND: EntityKind = EntityKind::Firearm;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("serial_number", &self.serial_number)?;
        if norm_key(&self.serial_number).is_empty() {
            return Err(DomainError::field(
                "serial_number",
                "has no letters or digits",
            ));
        }
        text::required("manufacturer", &self.manufacturer)?;
        text::country("country_of_manufacture", &self.country_of_manufacture)?;
        if let Some(y) = self.year_of_manufacture {
            text::year("year_of_manufacture", y)?;
        }
        text::required("weapon_class", &self.weapon_class)?;
        if let Some(n) = &self.notes {
            text::bounded("notes", n, text::MAX_LONG)?;
        }
        validate_markings(&self.markings)
    }
    fn references(&self) -> Vec<Reference> {
        let mut out = vec![
            Reference::new("model_id", EntityKind::FirearmModel, self.model_id),
            Reference::new("location_id", EntityKind::Location, self.location_id),
        ];
        opt_ref(&mut out, "unit_id", EntityKind::Unit, self.unit_id);
        out
    }
    fn keys(&self) -> Vec<Key> {
        let serial = norm_key(&self.serial_number);
        let mut keys = vec![
            Key::unique(
                "manufacturer_serial",
                format!("{}|{}", norm_key(&self.manufacturer), serial),
            ),
            Key::search("serial", serial),
        ];
        keys.extend(marking_keys(&self.markings));
        keys
    }
}

/// An essential part or component with its own serial (UN Firearms Protocol Art. 3(b)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Part type.
    pub part_type: PartType,
    /// Serial or unique code.
    pub serial_number: String,
    /// Manufacturer.
    pub manufacturer: String,
    /// Markings on the part.
    pub markings: Vec<Marking>,
    /// Where the part is stored when not fitted.
    pub location_id: Option<Uuid>,
}

impl RecordRules for Part {
    const KIND: EntityKind = EntityKind::Part;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("serial_number", &self.serial_number)?;
        text::required("manufacturer", &self.manufacturer)?;
        validate_markings(&self.markings)
    }
    fn references(&self) -> Vec<Reference> {
        let mut out = Vec::new();
        opt_ref(
            &mut out,
            "location_id",
            EntityKind::Location,
            self.location_id,
        );
        out
    }
    fn keys(&self) -> Vec<Key> {
        let serial = norm_key(&self.serial_number);
        let mut keys = vec![
            Key::unique(
                "manufacturer_type_serial",
                format!(
                    "{}|{}|{}",
                    norm_key(&self.manufacturer),
                    serde_json::to_string(&self.part_type).unwrap_or_default(),
                    serial
                ),
            ),
            Key::search("serial", serial),
        ];
        keys.extend(marking_keys(&self.markings));
        keys
    }
}

/// An equipment item (magazine, body armour, radio, taser, ...), serialized or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Equipment {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Category.
    pub category: EquipmentCategory,
    /// Description, e.g. "Glock 17 magazine 17 rds".
    pub description: String,
    /// Serial number, for serialized items.
    pub serial_number: Option<String>,
    /// Calibre, for magazines.
    pub calibre: Option<String>,
    /// Count held under this record (1 for serialized items).
    pub quantity: u32,
    /// Storage location.
    pub location_id: Uuid,
}

impl RecordRules for Equipment {
    const KIND: EntityKind = EntityKind::Equipment;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("description", &self.description)?;
        text::optional("serial_number", &self.serial_number)?;
        text::optional("calibre", &self.calibre)?;
        if self.quantity == 0 || self.quantity > 100_000 {
            return Err(DomainError::field("quantity", "must be 1..100000"));
        }
        if self.serial_number.is_some() && self.quantity != 1 {
            return Err(DomainError::field(
                "quantity",
                "a serialized item has quantity 1",
            ));
        }
        Ok(())
    }
    fn references(&self) -> Vec<Reference> {
        vec![Reference::new(
            "location_id",
            EntityKind::Location,
            self.location_id,
        )]
    }
    fn keys(&self) -> Vec<Key> {
        match &self.serial_number {
            Some(s) => vec![
                Key::unique(
                    "category_serial",
                    format!(
                        "{}|{}",
                        serde_json::to_string(&self.category).unwrap_or_default(),
                        norm_key(s)
                    ),
                ),
                Key::search("serial", norm_key(s)),
            ],
            None => Vec::new(),
        }
    }
}

/// An ammunition lot (manufacturer, lot number, calibre, type, year).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmmoLot {
    /// Id; assigned by the server when omitted.
    #[serde(default)]
    pub id: Uuid,
    /// Manufacturer name or code.
    pub manufacturer: String,
    /// Lot number as marked.
    pub lot_number: String,
    /// Calibre.
    pub calibre: String,
    /// Ammunition type.
    pub ammo_type: AmmoType,
    /// Year of manufacture.
    pub year_of_manufacture: i32,
    /// ISO 3166 country of manufacture.
    pub country_of_manufacture: Option<String>,
    /// Headstamp.
    pub headstamp: Option<String>,
    /// Serviceability.
    pub status: LotStatus,
}

impl RecordRules for AmmoLot {
    const KIND: EntityKind = EntityKind::AmmoLot;
    id_accessors!();
    fn validate(&self) -> Result<(), DomainError> {
        text::required("manufacturer", &self.manufacturer)?;
        text::required("lot_number", &self.lot_number)?;
        text::required("calibre", &self.calibre)?;
        text::year("year_of_manufacture", self.year_of_manufacture)?;
        text::optional("headstamp", &self.headstamp)?;
        if let Some(c) = &self.country_of_manufacture {
            text::country("country_of_manufacture", c)?;
        }
        Ok(())
    }
    fn keys(&self) -> Vec<Key> {
        vec![Key::unique(
            "manufacturer_lot",
            format!(
                "{}|{}",
                norm_key(&self.manufacturer),
                norm_key(&self.lot_number)
            ),
        )]
    }
}
