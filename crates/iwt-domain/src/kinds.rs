//! The kinds of registry records. The numeric code is part of the leaf encoding and
//! must never change for an existing kind.
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

macro_rules! kinds {
    ($($variant:ident = $code:literal, $name:literal, $path:literal;)*) => {
        /// A kind of registry record (and of ledger subject).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum EntityKind {
            $(
                #[doc = concat!("`", $name, "` records.")]
                $variant,
            )*
        }

        impl EntityKind {
            /// Every kind, in code order.
            pub const ALL: &'static [EntityKind] = &[$(EntityKind::$variant),*];

            /// The stable one-byte code used in the leaf encoding.
            pub fn code(self) -> u8 {
                match self { $(EntityKind::$variant => $code),* }
            }

            /// The kind with this code.
            pub fn from_code(code: u8) -> Option<Self> {
                match code { $($code => Some(EntityKind::$variant),)* _ => None }
            }

            /// The snake_case name used in the API and storage.
            pub fn as_str(self) -> &'static str {
                match self { $(EntityKind::$variant => $name),* }
            }

            /// The plural path segment under `/api/v1`.
            pub fn path(self) -> &'static str {
                match self { $(EntityKind::$variant => $path),* }
            }
        }

        impl FromStr for EntityKind {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($name => Ok(EntityKind::$variant),)* _ => Err(()) }
            }
        }
    };
}

kinds! {
    FirearmModel = 1, "firearm_model", "firearm-models";
    Firearm = 2, "firearm", "firearms";
    Part = 3, "part", "parts";
    Equipment = 4, "equipment", "equipment";
    AmmoLot = 5, "ammo_lot", "ammo-lots";
    Site = 6, "site", "sites";
    Location = 7, "location", "locations";
    ReadPoint = 8, "read_point", "read-points";
    Unit = 9, "unit", "units";
    Post = 10, "post", "posts";
    Shift = 11, "shift", "shifts";
    AssignmentType = 12, "assignment_type", "assignment-types";
    Person = 13, "person", "personnel";
    QualificationType = 14, "qualification_type", "qualification-types";
    Qualification = 15, "qualification", "qualifications";
    TagBinding = 16, "tag_binding", "tag-bindings";
    AmmoStock = 17, "ammo_stock", "ammo-stock";
    Account = 18, "account", "accounts";
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
