//! Accounts, API tokens and the first-start set-up code. Passwords are Argon2id; token
//! secrets are 256 random bits stored as SHA-256 and compared in constant time. There is
//! no default password: an empty installation prints a one-time set-up code instead.
use crate::App;
use crate::error::AppError;
use crate::sequencer::Command;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use iwt_domain::{DomainError, EventBody, Role};
use iwt_store::Credential;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Account or token id; recorded as the actor of every event.
    pub id: Uuid,
    /// Role.
    pub role: Role,
    /// User or token name.
    pub name: String,
}

impl Principal {
    /// The local operator at the server's console (CLI commands run with file-system
    /// access to the data); recorded with the nil actor id.
    pub fn console() -> Self {
        Self {
            id: Uuid::nil(),
            role: Role::Admin,
            name: "console".into(),
        }
    }
}

const SETUP_SETTING: &str = "setup_code_sha256";
const SESSION_HOURS: i64 = 12;
/// Shortest accepted password.
pub const MIN_PASSWORD: usize = 12;

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    hex::encode(buf)
}

/// Splits `iwt_<id>_<secret>` into its id and secret.
fn parse_token(token: &str) -> Option<(Uuid, &str)> {
    let rest = token.strip_prefix("iwt_")?;
    let (id, secret) = rest.split_once('_')?;
    Some((Uuid::try_parse(id).ok()?, secret))
}

fn check_username(username: &str) -> Result<(), DomainError> {
    let valid = !username.is_empty()
        && username.len() <= 64
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if valid {
        Ok(())
    } else {
        Err(DomainError::field(
            "username",
            "use 1-64 letters, digits, dot, dash or underscore",
        ))
    }
}

fn check_password(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < MIN_PASSWORD {
        let reason = format!("must have at least {MIN_PASSWORD} characters");
        return Err(DomainError::field("password", reason));
    }
    if password.len() > 1024 {
        return Err(DomainError::field(
            "password",
            "must have at most 1024 bytes",
        ));
    }
    Ok(())
}

fn hash_password(password: &str) -> Result<String, AppError> {
    check_password(password)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| DomainError::field("password", "could not be hashed").into())
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

impl App {
    /// Resolves a bearer token to its principal.
    pub async fn authenticate(&self, token: &str) -> Result<Principal, AppError> {
        let (id, secret) = parse_token(token).ok_or(AppError::Unauthenticated)?;
        let cred = self
            .store
            .credential(id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let presented = sha256_hex(secret);
        let ok: bool = presented
            .as_bytes()
            .ct_eq(cred.secret_hash.as_bytes())
            .into();
        let now = self.clock.now().unix_timestamp() * 1_000_000;
        let live = cred.revoked_at_us.is_none() && cred.expires_at_us.is_none_or(|e| e > now);
        if !ok || !live || cred.kind == "password" {
            return Err(AppError::Unauthenticated);
        }
        let role = cred.role.parse().map_err(|_| AppError::Unauthenticated)?;
        // A session acts for its account: events record the account as actor.
        let id = cred.account_id.unwrap_or(cred.principal_id);
        Ok(Principal {
            id,
            role,
            name: cred.name,
        })
    }

    /// Issues an API token; the secret is returned once and stored only as a hash.
    pub async fn create_token(
        &self,
        who: &Principal,
        name: &str,
        role: Role,
    ) -> Result<(Uuid, String), AppError> {
        if who.role != Role::Admin {
            return Err(AppError::Forbidden(
                "only an administrator may issue tokens".into(),
            ));
        }
        iwt_domain::text::required("name", name)?;
        let id = Uuid::now_v7();
        let secret = random_hex(32);
        let now = self.clock.now();
        let mut cmd = Command::new(
            EventBody::ApiTokenIssued {
                token_id: id,
                name: name.to_owned(),
                role,
            },
            who.id,
            now,
        );
        cmd.credential = Some(Credential {
            principal_id: id,
            account_id: None,
            kind: "api_token".into(),
            username: None,
            secret_hash: sha256_hex(&secret),
            role: role.as_str().into(),
            name: name.to_owned(),
            created_at_us: now.unix_timestamp() * 1_000_000,
            expires_at_us: None,
            revoked_at_us: None,
        });
        self.seq.submit(cmd).await?;
        Ok((id, format!("iwt_{}_{}", id.simple(), secret)))
    }

    /// Creates a login account (recorded in the ledger; the password hash is not).
    pub async fn create_account(
        &self,
        who: &Principal,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<Uuid, AppError> {
        if who.role != Role::Admin {
            return Err(AppError::Forbidden(
                "only an administrator may create accounts".into(),
            ));
        }
        check_username(username)?;
        let phc = hash_password(password)?;
        let id = Uuid::now_v7();
        let now = self.clock.now();
        let body = EventBody::AccountCreated {
            account_id: id,
            username: username.to_lowercase(),
            role,
        };
        let mut cmd = Command::new(body, who.id, now);
        cmd.credential = Some(Credential {
            principal_id: id,
            account_id: None,
            kind: "password".into(),
            username: Some(username.to_lowercase()),
            secret_hash: phc,
            role: role.as_str().into(),
            name: username.to_lowercase(),
            created_at_us: now.unix_timestamp() * 1_000_000,
            expires_at_us: None,
            revoked_at_us: None,
        });
        self.seq.submit(cmd).await?;
        Ok(id)
    }

    /// Signs in with a password and returns a session bearer token valid for 12 hours.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
    ) -> Result<(String, Principal), AppError> {
        let cred = self.store.credential_by_username(username).await?;
        // SECURITY: the same answer for an unknown user and a wrong password.
        let Some(cred) = cred.filter(|c| c.kind == "password" && c.revoked_at_us.is_none()) else {
            let _ =
                tokio::task::spawn_blocking(|| hash_password("timing-equaliser-password")).await;
            return Err(AppError::Unauthenticated);
        };
        let phc = cred.secret_hash.clone();
        let pw = password.to_owned();
        let ok = tokio::task::spawn_blocking(move || password_matches(&pw, &phc))
            .await
            .unwrap_or(false);
        if !ok {
            return Err(AppError::Unauthenticated);
        }
        let role: Role = cred.role.parse().map_err(|_| AppError::Unauthenticated)?;
        let session = Uuid::now_v7();
        let secret = random_hex(32);
        let now = self.clock.now().unix_timestamp() * 1_000_000;
        let session_cred = Credential {
            principal_id: session,
            account_id: Some(cred.principal_id),
            kind: "session".into(),
            username: None,
            secret_hash: sha256_hex(&secret),
            role: cred.role.clone(),
            name: cred.name.clone(),
            created_at_us: now,
            expires_at_us: Some(now + SESSION_HOURS * 3_600_000_000),
            revoked_at_us: None,
        };
        let mut tx = self.store.begin_write().await?;
        tx.put_credential(&session_cred).await?;
        tx.commit().await?;
        // Events are recorded under the account, not the session.
        let who = Principal {
            id: cred.principal_id,
            role,
            name: cred.name,
        };
        Ok((format!("iwt_{}_{}", session.simple(), secret), who))
    }

    /// On an installation without accounts, creates and stores (hashed) a new one-time
    /// set-up code and returns it for the console; otherwise returns `None`.
    pub async fn setup_code_if_needed(&self) -> Result<Option<String>, AppError> {
        if self.store.account_count().await? > 0 {
            return Ok(None);
        }
        let code = random_hex(12);
        self.store
            .put_setting(SETUP_SETTING, Some(&sha256_hex(&code)))
            .await?;
        Ok(Some(code))
    }

    /// Uses the set-up code to create the first administrator. The code is consumed
    /// atomically, so of concurrent attempts exactly one succeeds.
    pub async fn complete_setup(
        &self,
        code: &str,
        username: &str,
        password: &str,
    ) -> Result<Uuid, AppError> {
        check_username(username)?;
        check_password(password)?;
        let stored = self
            .store
            .setting(SETUP_SETTING)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let ok: bool = sha256_hex(code.trim())
            .as_bytes()
            .ct_eq(stored.as_bytes())
            .into();
        if !ok || self.store.account_count().await? > 0 {
            return Err(AppError::Unauthenticated);
        }
        if !self.store.take_setting(SETUP_SETTING, &stored).await? {
            return Err(AppError::Unauthenticated);
        }
        match self
            .create_account(&Principal::console(), username, password, Role::Admin)
            .await
        {
            Ok(id) => Ok(id),
            Err(e) => {
                // Give the code back so that set-up can be retried.
                self.store.put_setting(SETUP_SETTING, Some(&stored)).await?;
                Err(e)
            }
        }
    }
}
