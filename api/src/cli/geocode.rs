//! `tournee geocode`: addresses, streets, places and points of interest of an extract to
//! positions (one query, or a CSV column), and a position back to the nearest address.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use geocoder::ban::BanClient;
use geocoder::resolve::{ACCEPT_SCORE, Resolution, resolve};
use geocoder::{Candidate, Geocode, Query};
use territory::Territory;

use super::CacheArgs;
use super::route::LatLon;
use crate::error::{Error, Result};
use crate::progress::TerminalProgress;
use crate::serve::config::DEFAULT_GEOCODER_TIMEOUT_S;

/// Arguments of `tournee geocode`.
#[derive(Debug, Args)]
pub struct GeocodeArgs {
    /// The OpenStreetMap extract (.osm.pbf) whose addresses are searched.
    pub extract: PathBuf,
    /// What to search: "12 rue de la Gare, Bourganeuf", "Mairie de Felletin", a place name.
    #[arg(required_unless_present_any = ["reverse", "csv"], conflicts_with_all = ["reverse", "csv"])]
    pub query: Option<String>,
    /// How many candidates to list (1 to 100).
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    /// Only candidates with this postcode.
    #[arg(long)]
    pub postcode: Option<String>,
    /// Only candidates in this commune.
    #[arg(long)]
    pub city: Option<String>,
    /// Print JSON instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// The nearest address (or street) to this position instead of a search.
    #[arg(
        long,
        value_name = "LAT,LON",
        allow_hyphen_values = true,
        conflicts_with = "csv"
    )]
    pub reverse: Option<LatLon>,
    /// Geocode every row of this CSV file (`,` or `;` separated) and print it with `lat`,
    /// `lon`, `label`, `score` and `match` added; rows that fail stay, with the reason.
    #[arg(long, value_name = "FILE", requires = "column")]
    pub csv: Option<PathBuf>,
    /// The column of the CSV file holding the address.
    #[arg(long, value_name = "NAME", requires = "csv")]
    pub column: Option<String>,
    /// Ask this server speaking the French address API (BAN / addok), e.g.
    /// `https://api-adresse.data.gouv.fr`, instead of the extract's own index.
    #[arg(long, env = "TOURNEE_GEOCODER_URL", value_name = "URL")]
    pub geocoder_url: Option<String>,
    /// Longest wait for one answer of --geocoder-url, seconds.
    #[arg(long, default_value_t = DEFAULT_GEOCODER_TIMEOUT_S, value_name = "SECONDS")]
    pub geocoder_timeout: f64,
    /// Where the index is cached (next to the road graphs), or nowhere.
    #[command(flatten)]
    pub cache: CacheArgs,
}

/// Runs `tournee geocode`.
pub fn run(args: &GeocodeArgs, out: &mut impl Write) -> Result<()> {
    let geocoder = back_end(args)?;
    if let Some(LatLon(at)) = args.reverse {
        let found = geocoder.reverse(at).map_err(territory::Error::from)?;
        return write_reverse(found.as_ref(), args.json, out);
    }
    if let (Some(csv), Some(column)) = (&args.csv, &args.column) {
        return geocode_csv(geocoder.as_ref(), args, csv, column, out);
    }
    let text = args.query.clone().unwrap_or_default();
    let candidates = geocoder
        .search(&query(args, text))
        .map_err(territory::Error::from)?;
    write_search(candidates, args.json, out)
}

/// The geocoder asked: the server of `--geocoder-url` when given, else the extract's own
/// index (built on first use, then read from the cache).
fn back_end(args: &GeocodeArgs) -> Result<Arc<dyn Geocode>> {
    if let Some(url) = &args.geocoder_url {
        if !(args.geocoder_timeout.is_finite() && args.geocoder_timeout > 0.0) {
            return Err(Error::Argument(format!(
                "--geocoder-timeout must be a positive number of seconds, got {}",
                args.geocoder_timeout
            )));
        }
        let timeout = Duration::from_secs_f64(args.geocoder_timeout);
        let client = BanClient::new(url, timeout)
            .map_err(|e| Error::Argument(format!("--geocoder-url: {e}")))?;
        return Ok(Arc::new(client));
    }
    let territory = Territory::open(&args.extract);
    let progress = TerminalProgress::new();
    let index = territory.geocoder(&args.cache.policy()?, &progress);
    progress.finish();
    Ok(index?)
}

/// The query of `text` with the narrowing arguments.
fn query(args: &GeocodeArgs, text: String) -> Query {
    Query {
        text,
        limit: args.limit,
        postcode: args.postcode.clone(),
        city: args.city.clone(),
        near: None,
    }
}

/// The resolution's name, as JSON and the CSV's `match` column write it.
fn verdict(resolution: &Resolution) -> &'static str {
    match resolution {
        Resolution::Found(_) => "found",
        Resolution::Ambiguous(_) => "ambiguous",
        Resolution::LowConfidence(_) => "low_confidence",
        Resolution::NotFound => "not_found",
    }
}

/// Why a resolution is not a position, for a person.
fn reason(resolution: &Resolution) -> String {
    match resolution {
        Resolution::Found(_) => String::new(),
        Resolution::Ambiguous(candidates) => format!(
            "several places score alike: {}",
            candidates
                .iter()
                .map(|c| c.label.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Resolution::LowConfidence(candidates) => format!(
            "best candidate scores below {ACCEPT_SCORE}: {}",
            candidates.first().map_or("", |c| c.label.as_str())
        ),
        Resolution::NotFound => "nothing matched".to_owned(),
    }
}

fn write_search(candidates: Vec<Candidate>, json: bool, out: &mut impl Write) -> Result<()> {
    let resolution = resolve(candidates.clone());
    if json {
        let value = serde_json::json!({
            "match": verdict(&resolution),
            "candidates": candidates,
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    match &resolution {
        Resolution::Found(best) => writeln!(out, "found: {}", best.label)?,
        other => writeln!(out, "{}: {}", verdict(other), reason(other))?,
    }
    for c in &candidates {
        writeln!(
            out,
            "{:.3}  {:<11}  {:.6},{:.6}  {}",
            c.score,
            kind_name(c),
            c.position.lat,
            c.position.lon,
            c.label
        )?;
    }
    Ok(())
}

fn write_reverse(found: Option<&Candidate>, json: bool, out: &mut impl Write) -> Result<()> {
    if json {
        writeln!(out, "{}", serde_json::json!(found))?;
        return Ok(());
    }
    match found {
        Some(c) => writeln!(
            out,
            "{}  {:.6},{:.6}  {}",
            kind_name(c),
            c.position.lat,
            c.position.lon,
            c.label
        )?,
        None => writeln!(out, "nothing known near this position")?,
    }
    Ok(())
}

fn kind_name(c: &Candidate) -> String {
    serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Every row of `path` with its address column geocoded.
fn geocode_csv(
    geocoder: &dyn Geocode,
    args: &GeocodeArgs,
    path: &Path,
    column: &str,
    out: &mut impl Write,
) -> Result<()> {
    let read_error = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(read_error)?;
    let delimiter = sniff_delimiter(&text);
    let file_error = |reason: String| Error::InputFile {
        path: path.to_owned(),
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| file_error(e.to_string()))?
        .clone();
    let at = headers
        .iter()
        .position(|h| h.trim() == column)
        .or_else(|| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(column))
        })
        .ok_or_else(|| {
            file_error(format!(
                "no column {column:?}; the header has {}",
                headers.iter().collect::<Vec<_>>().join(", ")
            ))
        })?;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_writer(out);
    let added = ["lat", "lon", "label", "score", "match"];
    let csv_error = |e: csv::Error| file_error(e.to_string());
    writer
        .write_record(headers.iter().chain(added))
        .map_err(csv_error)?;
    let mut counts = [0usize; 5];
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| file_error(format!("line {}: {e}", line + 2)))?;
        let address = record.get(at).unwrap_or("").trim().to_owned();
        let (fields, slot) = match geocoder.search(&query(args, address)) {
            Ok(candidates) => {
                let resolution = resolve(candidates);
                let slot = match resolution {
                    Resolution::Found(_) => 0,
                    Resolution::Ambiguous(_) => 1,
                    Resolution::LowConfidence(_) => 2,
                    Resolution::NotFound => 3,
                };
                (added_fields(&resolution), slot)
            }
            Err(e) => (
                [
                    String::new(),
                    String::new(),
                    e.to_string(),
                    String::new(),
                    "invalid".into(),
                ],
                4,
            ),
        };
        counts[slot] += 1;
        writer
            .write_record(record.iter().map(str::to_owned).chain(fields))
            .map_err(csv_error)?;
    }
    writer.flush().map_err(|e| Error::Read {
        path: PathBuf::from("<stdout>"),
        source: e,
    })?;
    eprintln!(
        "{} rows: {} found, {} ambiguous, {} low confidence, {} not found, {} invalid",
        counts.iter().sum::<usize>(),
        counts[0],
        counts[1],
        counts[2],
        counts[3],
        counts[4]
    );
    Ok(())
}

/// `lat`, `lon`, `label`, `score`, `match` of a row: the position when found, else the reason.
fn added_fields(resolution: &Resolution) -> [String; 5] {
    match resolution {
        Resolution::Found(c) => [
            format!("{:.7}", c.position.lat),
            format!("{:.7}", c.position.lon),
            c.label.clone(),
            format!("{:.3}", c.score),
            verdict(resolution).to_owned(),
        ],
        other => {
            let score = match other {
                Resolution::Ambiguous(c) | Resolution::LowConfidence(c) => c
                    .first()
                    .map(|c| format!("{:.3}", c.score))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            [
                String::new(),
                String::new(),
                reason(other),
                score,
                verdict(other).to_owned(),
            ]
        }
    }
}

/// `;` when the header line has more semicolons than commas (the page's format), else `,`.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}
