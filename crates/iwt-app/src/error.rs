//! Application errors: a domain rule, storage, or access. Each has a stable code.
use iwt_domain::DomainError;
use iwt_store::StoreError;

/// Why a use case failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A domain rule refused the command.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A ledger read outside the tree (index or sizes).
    #[error(transparent)]
    Proof(#[from] crate::proofs::ProofError),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No valid credentials.
    #[error("authentication required")]
    Unauthenticated,
    /// The caller's role may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The sequencer is not running (shutting down).
    #[error("the ledger writer is shutting down")]
    ShuttingDown,
}

impl AppError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(e) => e.code(),
            Self::Proof(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Unauthenticated => "unauthenticated",
            Self::Forbidden(_) => "forbidden",
            Self::ShuttingDown => "shutting_down",
        }
    }
}
