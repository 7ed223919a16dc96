//! Dispatch of the command-line commands.
use crate::cli::{AccountCommand, Cli, Command, TokenCommand};
use crate::config;
use anyhow::{Context, Result};
use iwt_app::App;
use iwt_app::auth::Principal;
use iwt_domain::SystemClock;
use std::io::Read;
use std::process::ExitCode;
use std::sync::Arc;

/// Opens the store and starts the application for a command.
pub async fn open_app(settings: &config::Settings) -> Result<App> {
    let store = iwt_store::open(&settings.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {}",
                iwt_store::redact_url(&settings.database_url)
            )
        })?;
    Ok(App::new(store, Arc::new(SystemClock)))
}

/// Runs a command and returns the process exit code.
pub async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let settings = config::resolve(&cli.data, args.listen, args.demo)?;
            crate::serve::serve(settings).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { json } => {
            let settings = config::resolve(&cli.data, None, false)?;
            let app = open_app(&settings).await?;
            let report = iwt_app::verify::verify(app.store().as_ref()).await?;
            print_report(&report, json)?;
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Token(TokenCommand::Create { name, role }) => {
            let settings = config::resolve(&cli.data, None, false)?;
            let app = open_app(&settings).await?;
            let (id, token) = app.create_token(&Principal::console(), &name, role).await?;
            eprintln!(
                "Created API token {id} ({}) named {name:?}. It is shown once; store it safely.",
                role.as_str()
            );
            println!("{token}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Account(AccountCommand::Create { username, role }) => {
            let settings = config::resolve(&cli.data, None, false)?;
            let app = open_app(&settings).await?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let id = app
                .create_account(&Principal::console(), &username, password, role)
                .await?;
            println!(
                "Created account {username} ({}) with id {id}",
                role.as_str()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!("{}", iwt_http::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => {
            crate::serve::bench(args).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_report(report: &iwt_app::verify::Report, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(report)?);
        return Ok(());
    }
    if report.ok() {
        println!(
            "OK: {} entries verified, root {}",
            report.entries, report.root
        );
        println!(
            "    every leaf decodes canonically and hashes as stored, per-record chains are complete,"
        );
        println!("    and a replay of all events reproduces the stored projections.");
        return Ok(());
    }
    match report.first_bad_index() {
        Some(i) => println!("FAILED: the ledger was altered; first bad index {i}"),
        None => println!("FAILED: the ledger or its projections were altered"),
    }
    for p in &report.problems {
        match p.index {
            Some(i) => println!("  - index {i}: {}", p.what),
            None => println!("  - {}", p.what),
        }
    }
    Ok(())
}
