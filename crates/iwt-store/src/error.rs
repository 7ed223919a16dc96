//! Storage errors with stable codes. Messages never include SQL or connection secrets.
/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or refused the operation.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// A constraint was violated (a concurrent writer or a bug in validation).
    #[error("storage conflict: {0}")]
    Conflict(String),
    /// A stored value could not be read back (corruption or manual edits).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// Bad configuration (URL, path).
    #[error("storage configuration: {0}")]
    Config(String),
}

impl StoreError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unavailable(_) => "store_unavailable",
            Self::Conflict(_) => "store_conflict",
            Self::Corrupt(_) => "store_corrupt",
            Self::Config(_) => "store_config",
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db)
                if db.is_unique_violation()
                    || db.is_foreign_key_violation()
                    || db.is_check_violation() =>
            {
                StoreError::Conflict(db.message().to_owned())
            }
            sqlx::Error::ColumnDecode { .. }
            | sqlx::Error::Decode(_)
            | sqlx::Error::ColumnNotFound(_) => StoreError::Corrupt(e.to_string()),
            _ => StoreError::Unavailable(e.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Unavailable(format!("migration failed: {e}"))
    }
}
