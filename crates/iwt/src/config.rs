//! Configuration: command line over `IWT_*` environment variables over the TOML file
//! over defaults. The database URL's password is never printed.
use crate::cli::DataArgs;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The TOML file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Listen address.
    pub listen: Option<String>,
    /// Data directory.
    pub data_dir: Option<PathBuf>,
    /// Database URL.
    pub database_url: Option<String>,
    /// Seed demo data.
    pub demo: Option<bool>,
}

/// Resolved settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Data directory.
    pub data_dir: PathBuf,
    /// Database URL.
    pub database_url: String,
    /// Listen address.
    pub listen: String,
    /// Seed demo data.
    pub demo: bool,
}

fn load_file(path: Option<&Path>) -> Result<FileConfig> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("invalid config file {}", path.display()))
}

/// Resolves the settings; creates the data directory when SQLite lives there.
pub fn resolve(data: &DataArgs, listen: Option<String>, demo: bool) -> Result<Settings> {
    let file = load_file(data.config.as_deref())?;
    let data_dir = data
        .data_dir
        .clone()
        .or(file.data_dir)
        .unwrap_or_else(|| PathBuf::from("iwt-data"));
    let database_url = match data.database_url.clone().or(file.database_url) {
        Some(url) => url,
        None => {
            std::fs::create_dir_all(&data_dir)
                .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
            format!("sqlite://{}", data_dir.join("iwt.db").display())
        }
    };
    Ok(Settings {
        data_dir,
        database_url,
        listen: listen
            .or(file.listen)
            .unwrap_or_else(|| "127.0.0.1:8080".into()),
        demo: demo || file.demo.unwrap_or(false),
    })
}
