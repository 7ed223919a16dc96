//! Roles of login accounts and API tokens (DESIGN.md, security model).
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// What an account or token may do. The full permission table comes with the
/// security work; today every role may read, and all but auditor, officer and device
/// may write the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Configuration, users, readers.
    Admin,
    /// The window and the vault.
    Armorer,
    /// Reconciliation and overrides.
    Supervisor,
    /// Reports, traces, registry corrections.
    Compliance,
    /// Read-only; can verify and export.
    Auditor,
    /// Self-service view.
    Officer,
    /// Reader and kiosk tokens, ingest only.
    Device,
}

impl Role {
    /// Every role.
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::Armorer,
        Role::Supervisor,
        Role::Compliance,
        Role::Auditor,
        Role::Officer,
        Role::Device,
    ];

    /// The stable one-byte code used in ledger payloads.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Armorer => "armorer",
            Role::Supervisor => "supervisor",
            Role::Compliance => "compliance",
            Role::Auditor => "auditor",
            Role::Officer => "officer",
            Role::Device => "device",
        }
    }

    /// Whether this role may append registry events (create and correct records).
    pub fn may_write_registry(self) -> bool {
        match self {
            Role::Admin | Role::Armorer | Role::Supervisor | Role::Compliance => true,
            Role::Auditor | Role::Officer | Role::Device => false,
        }
    }

    /// Whether this role may read the registry.
    pub fn may_read_registry(self) -> bool {
        match self {
            Role::Admin
            | Role::Armorer
            | Role::Supervisor
            | Role::Compliance
            | Role::Auditor
            | Role::Officer => true,
            Role::Device => false,
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}` (expected one of admin, armorer, supervisor, compliance, auditor, officer, device)"))
    }
}
