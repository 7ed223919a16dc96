//! `iwt serve`: opens the store, seeds demo data or prints the set-up code, and serves
//! HTTP until Ctrl-C or SIGTERM.
use crate::commands::open_app;
use crate::config::Settings;
use anyhow::{Context, Result};
use std::io::Write;

/// Prints a console line; a closed standard output must not stop the server.
macro_rules! console {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
use iwt_app::App;

pub async fn serve(settings: Settings) -> Result<()> {
    let app = open_app(&settings).await?;
    tracing::info!(
        backend = app.store().backend(),
        database = %iwt_store::redact_url(&settings.database_url),
        data_dir = %settings.data_dir.display(),
        "database ready"
    );
    if settings.demo {
        seed_demo(&app).await?;
    }
    if let Some(code) = app.setup_code_if_needed().await? {
        console!();
        console!(
            "No accounts exist yet. Create the first administrator with this one-time set-up code:"
        );
        console!("    {code}");
        console!(
            "  curl -X POST http://{}/api/v1/setup -H 'content-type: application/json' \\",
            settings.listen
        );
        console!(
            "       -d '{{\"code\":\"{code}\",\"username\":\"admin\",\"password\":\"<at least 12 characters>\"}}'"
        );
        console!();
    }
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let addr = listener.local_addr()?;
    console!("IoTWeaponTracker listening on http://{addr}");
    console!("  API: http://{addr}/api/v1  (OpenAPI: http://{addr}/api/v1/openapi.json)");
    console!(
        "  Sign in: POST http://{addr}/api/v1/auth/login {{\"username\":..., \"password\":...}} -> bearer token"
    );
    axum::serve(listener, iwt_http::router(app))
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn seed_demo(app: &App) -> Result<()> {
    if app.store().log_state().await?.size > 0 {
        console!(
            "Demo: the database already holds data; not seeding again (demo passwords were printed at first start)."
        );
        return Ok(());
    }
    console!("Demo: seeding a demo armory ...");
    let summary = iwt_app::demo::seed(app, 0x1d7).await?;
    console!(
        "Demo: {} events: {} firearms, {} personnel. Demo accounts (passwords shown once):",
        summary.events,
        summary.firearms,
        summary.personnel
    );
    for a in &summary.accounts {
        console!(
            "    {:<12} user {:<18} password {}",
            a.role.as_str(),
            a.username,
            a.password
        );
    }
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}

pub use crate::bench::bench;
