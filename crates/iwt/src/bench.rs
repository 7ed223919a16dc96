//! `iwt bench`: durable registry events per second with 1, 8 and 64 concurrent writers
//! on SQLite and (with `--pg-url`) PostgreSQL, each beside the bare-table baseline:
//! rows of the same size inserted in transactions of the same size (one per batch).
use crate::cli::BenchArgs;
use anyhow::Result;
use iwt_app::App;
use iwt_app::auth::Principal;
use iwt_app::commands::Meta;
use iwt_domain::SystemClock;
use iwt_domain::records::{Firearm, FirearmModel, Location, Record, Site};
use iwt_domain::vocab::{FirearmAction, FirearmType, LocationKind, Origin};
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

struct Measure {
    events_per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
    leaf_bytes: usize,
}

pub async fn bench(args: BenchArgs) -> Result<()> {
    let dir = tempfile_dir()?;
    println!(
        "| backend | writers | events/s | p50 ms | p99 ms | bare rows/s (batch = writers) | ratio |"
    );
    println!("|---|---|---|---|---|---|---|");
    for &w in &args.writers {
        let url = format!("sqlite://{}/bench-{w}.db", dir.display());
        let bare_url = format!("sqlite://{}/bare-{w}.db", dir.display());
        row("sqlite", w, &url, &bare_url, args.seconds).await?;
        if let Some(base) = &args.pg_url {
            let name = format!("iwt_bench_{}", Uuid::new_v4().simple());
            let bare = format!("iwt_bare_{}", Uuid::new_v4().simple());
            let url = iwt_store::scratch::create_pg_database(base, &name).await?;
            let bare_url = iwt_store::scratch::create_pg_database(base, &bare).await?;
            let result = row("postgres", w, &url, &bare_url, args.seconds).await;
            iwt_store::scratch::drop_pg_database(base, &name).await?;
            iwt_store::scratch::drop_pg_database(base, &bare).await?;
            result?;
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("iwt-bench-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn row(backend: &str, writers: usize, url: &str, bare_url: &str, seconds: u64) -> Result<()> {
    let m = measure(url, writers, Duration::from_secs(seconds)).await?;
    let bare = iwt_store::scratch::bare_insert_rate(
        bare_url,
        m.leaf_bytes,
        writers,
        Duration::from_secs(seconds),
    )
    .await?;
    eprintln!(
        "{backend}, {writers} writers: ledger leaf {} bytes",
        m.leaf_bytes
    );
    println!(
        "| {backend} | {writers} | {:.0} | {:.1} | {:.1} | {:.0} | {:.2} |",
        m.events_per_s,
        m.p50_ms,
        m.p99_ms,
        bare,
        m.events_per_s / bare
    );
    Ok(())
}

async fn measure(url: &str, writers: usize, duration: Duration) -> Result<Measure> {
    let store = iwt_store::open(url).await?;
    let app = App::new(store.clone(), Arc::new(SystemClock));
    let who = Principal::console();
    let (model_id, location_id) = fixtures(&app, &who).await?;
    let start = Instant::now();
    let mut tasks = Vec::new();
    for w in 0..writers {
        let app = app.clone();
        let who = who.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = 0u64;
            while start.elapsed() < duration {
                let t = Instant::now();
                let record = Record::Firearm(firearm(model_id, location_id, &format!("BN{w}X{i}")));
                app.create_record(&who, record, None, Meta::default())
                    .await?;
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                i += 1;
            }
            Ok::<_, iwt_app::AppError>(lat)
        }));
    }
    let mut lat = Vec::new();
    for t in tasks {
        lat.extend(t.await??);
    }
    let elapsed = start.elapsed().as_secs_f64();
    lat.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| {
        lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    let sample = store.entries(3, 1).await?;
    let leaf_bytes = sample.first().map(|e| e.leaf.len()).unwrap_or(300);
    Ok(Measure {
        events_per_s: lat.len() as f64 / elapsed,
        p50_ms: pct(0.5),
        p99_ms: pct(0.99),
        leaf_bytes,
    })
}

async fn fixtures(app: &App, who: &Principal) -> Result<(Uuid, Uuid)> {
    let site = Site {
        id: Uuid::nil(),
        code: "BENCH".into(),
        name: "Bench site".into(),
        country: "DE".into(),
        timezone: "Europe/Berlin".into(),
        address: None,
    };
    let (site_id, _) = app
        .create_record(who, Record::Site(site), None, Meta::default())
        .await?;
    let loc = Location {
        id: Uuid::nil(),
        site_id,
        parent_id: None,
        code: "V1".into(),
        name: "Vault".into(),
        kind: LocationKind::Vault,
    };
    let (location_id, _) = app
        .create_record(who, Record::Location(loc), None, Meta::default())
        .await?;
    let model = FirearmModel {
        id: Uuid::nil(),
        make: "Glock".into(),
        manufacturer: "Glock Ges.m.b.H.".into(),
        model: "17 Gen5".into(),
        firearm_type: FirearmType::Pistol,
        action: FirearmAction::SemiAutomatic,
        calibres: vec!["9x19mm".into()],
        barrel_length_mm: Some(114),
        country_of_manufacture: Some("AT".into()),
        ifrt_ref: None,
    };
    let (model_id, _) = app
        .create_record(who, Record::FirearmModel(model), None, Meta::default())
        .await?;
    Ok((model_id, location_id))
}

fn firearm(model_id: Uuid, location_id: Uuid, serial: &str) -> Firearm {
    Firearm {
        id: Uuid::nil(),
        model_id,
        serial_number: serial.into(),
        manufacturer: "Glock Ges.m.b.H.".into(),
        country_of_manufacture: "AT".into(),
        year_of_manufacture: Some(2023),
        origin: Origin::Manufactured,
        weapon_class: "PISTOL-9MM".into(),
        markings: vec![iwt_domain::records::Marking {
            kind: iwt_domain::vocab::MarkingKind::Manufacture,
            text: format!("GLOCK AUSTRIA {serial}"),
            location_on_item: "right side of slide".into(),
            manufacturer: Some("Glock".into()),
            country: Some("AT".into()),
            place: Some("Deutsch-Wagram".into()),
            year: Some(2023),
            importer: None,
            method: Some("laser".into()),
        }],
        unit_id: None,
        location_id,
        notes: None,
    }
}
