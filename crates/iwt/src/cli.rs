//! Command-line interface. Options that locate the data are global, so every command
//! that touches the data takes the same `--data-dir` / `--database-url`.
use clap::{Args, Parser, Subcommand};
use iwt_domain::Role;
use std::path::PathBuf;

/// IoTWeaponTracker: armory registry on a verifiable custody ledger.
#[derive(Debug, Parser)]
#[command(name = "iwt", version, about)]
pub struct Cli {
    /// Where the data lives.
    #[command(flatten)]
    pub data: DataArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options that locate the data (each also settable in the config file and as IWT_*).
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// TOML configuration file.
    #[arg(long, global = true, env = "IWT_CONFIG")]
    pub config: Option<PathBuf>,
    /// Directory of the embedded SQLite database and local files [default: ./iwt-data].
    #[arg(long, global = true, env = "IWT_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: SQLite in the data dir].
    #[arg(long, global = true, env = "IWT_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Verify the whole ledger and the projections; exits non-zero naming the first bad index.
    Verify {
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Login accounts.
    #[command(subcommand)]
    Account(AccountCommand),
    /// Print the OpenAPI document.
    Openapi,
    /// Measure durable append throughput (see docs/benchmarks.md).
    Bench(BenchArgs),
}

/// `iwt serve` options.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, env = "IWT_LISTEN")]
    pub listen: Option<String>,
    /// Seed a demo armory into an empty database and print demo credentials.
    #[arg(long, env = "IWT_DEMO")]
    pub demo: bool,
}

/// `iwt token` commands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token; the token is printed on the last line and shown only once.
    Create {
        /// Name of the integration.
        #[arg(long)]
        name: String,
        /// Role: admin, armorer, supervisor, compliance, auditor, officer or device.
        #[arg(long)]
        role: Role,
    },
}

/// `iwt account` commands.
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create a login account; the password is read from standard input.
    Create {
        /// User name.
        #[arg(long)]
        username: String,
        /// Role.
        #[arg(long)]
        role: Role,
    },
}

/// `iwt bench` options.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Concurrent writers to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
    pub writers: Vec<usize>,
    /// Seconds per measurement.
    #[arg(long, default_value_t = 5)]
    pub seconds: u64,
    /// PostgreSQL URL of a scratch database to measure as well (tables are created in a fresh schema-less database named there).
    #[arg(long)]
    pub pg_url: Option<String>,
}
