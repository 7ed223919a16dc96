//! Demo login accounts, one per role (`demo-admin`, `demo-armorer`, ...), each with a
//! fresh random 20-character password. Password hashing is slow on purpose, so the
//! accounts are created in parallel tasks.
use super::DemoAccount;
use crate::auth::Principal;
use crate::{App, AppError};
use iwt_domain::{DomainError, Role};
use rand::Rng;
use rand::distr::Alphanumeric;
use tokio::task::JoinSet;

/// A random alphanumeric password of 20 characters.
fn password() -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

/// Creates one account per role and returns them with their passwords.
pub(super) async fn create(app: &App) -> Result<Vec<DemoAccount>, AppError> {
    let accounts: Vec<DemoAccount> = Role::ALL
        .iter()
        .map(|&role| DemoAccount {
            username: format!("demo-{}", role.as_str()),
            password: password(),
            role,
        })
        .collect();
    let mut tasks = JoinSet::new();
    for a in &accounts {
        let (app, username, password, role) =
            (app.clone(), a.username.clone(), a.password.clone(), a.role);
        tasks.spawn(async move {
            app.create_account(&Principal::console(), &username, &password, role)
                .await
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|e| {
            DomainError::InvalidState(format!("creating a demo account failed: {e}"))
        })??;
    }
    Ok(accounts)
}
