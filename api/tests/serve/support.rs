//! Starting the real `tournee serve` binary on an ephemeral port with a temporary data folder,
//! and the problems the tests submit.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "../../../tests/support/shared.rs"]
mod shared;

/// The shared Andorra extract, or `None` (after saying `skipped:`) when absent.
/// The URL of a new, empty database named `prefix_…` on the PostgreSQL server of
/// `TOURNEE_TEST_POSTGRES` (`scripts/test` starts one), so that a test's instances share
/// nothing with the others'; `None` after saying so when no server is set.
pub async fn postgres_database(prefix: &str) -> Option<String> {
    let Ok(server) = std::env::var("TOURNEE_TEST_POSTGRES") else {
        eprintln!(
            "skipped: TOURNEE_TEST_POSTGRES is not set (scripts/test starts a PostgreSQL server)"
        );
        return None;
    };
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&server)
        .await
        .expect("the test database server answers");
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("a database of its own");
    let (base, _) = server.rsplit_once('/').expect("a database URL");
    Some(format!("{base}/{name}"))
}

/// Names every home visit of `week` like a person (`mme-lefebvre-N-rue-des-lilas`) and returns
/// the secrets a log or a public page must never show: each such id, and each home visit's
/// latitude and longitude cut to `decimals` decimals (4: about 10 m, 5: about a metre).
pub fn plant_home_secrets(week: &mut Value, decimals: usize) -> Vec<String> {
    let mut secrets = Vec::new();
    for (i, home) in week["home_visits"]
        .as_array_mut()
        .expect("home visits")
        .iter_mut()
        .enumerate()
    {
        let id = format!("mme-lefebvre-{i}-rue-des-lilas");
        home["id"] = json!(id);
        secrets.push(id);
        for axis in ["lat", "lon"] {
            let text = home["location"][axis]
                .as_f64()
                .expect("a coordinate")
                .to_string();
            let end = text
                .find('.')
                .map_or(text.len(), |d| d + 1 + decimals)
                .min(text.len());
            secrets.push(text[..end].to_owned());
        }
    }
    secrets
}

pub fn andorra() -> Option<PathBuf> {
    shared::shared("osm/andorra-2021.osm.pbf")
}

/// The shared Malta extract, or `None` (after saying `skipped:`) when absent.
pub fn malta() -> Option<PathBuf> {
    shared::shared("osm/malta-2016.osm.pbf")
}

/// The graph cache shared by every server of the test run.
pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve-graph-cache")
}

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// Its data folder (kept across restarts).
    pub data: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

/// Serialises the first start, which builds the graph cache.
static WARM: Mutex<bool> = Mutex::new(false);

impl Server {
    /// Starts a server on `data` (a fresh temporary folder when `None`) with extra flags, and
    /// waits until it is ready; it logs warnings only, to the test's output.
    pub fn start(data: Option<&Path>, extra: &[&str]) -> Server {
        Server::launch(data, extra, None, true)
    }

    /// Starts a server on `extract` instead of Andorra, with a fresh data folder and extra
    /// flags.
    pub fn start_on(extract: &Path, extra: &[&str]) -> Server {
        let mut args = vec!["--osm", extract.to_str().expect("a UTF-8 path")];
        args.extend_from_slice(extra);
        Server::launch(None, &args, None, false)
    }

    /// Starts a server without extracts of its own, on the built-in demo territory, with the
    /// demo week queued.
    pub fn start_demo() -> Server {
        Server::launch(None, &[], None, false)
    }

    /// Starts a server on the built-in demo territory, as [`Server::start_demo`], with extra
    /// flags.
    pub fn start_demo_with(extra: &[&str]) -> Server {
        Server::launch(None, extra, None, false)
    }

    /// Starts a server as [`Server::start`] does, logging everything down to the debug level
    /// into `log`.
    pub fn start_logging(extra: &[&str], log: &Path) -> Server {
        Server::launch(None, extra, Some(log), true)
    }

    fn launch(data: Option<&Path>, extra: &[&str], log: Option<&Path>, osm: bool) -> Server {
        let (dir, data) = match data {
            Some(d) => (None, d.to_owned()),
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let data = dir.path().to_owned();
                (Some(dir), data)
            }
        };
        let mut warm = WARM.lock().unwrap_or_else(|e| e.into_inner());
        let mut args: Vec<String> = vec![
            "serve".into(),
            "--listen".into(),
            "127.0.0.1:0".into(),
            "--data".into(),
            data.display().to_string(),
            "--cache-dir".into(),
            cache_dir().display().to_string(),
        ];
        if let Some(extract) = andorra().filter(|_| osm) {
            args.push("--osm".into());
            args.push(extract.display().to_string());
        }
        args.extend(extra.iter().map(|s| s.to_string()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(&args)
            .env("TOURNEE_LOG", if log.is_some() { "debug" } else { "warn" })
            .stdout(Stdio::piped())
            .stderr(match log {
                Some(path) => Stdio::from(std::fs::File::create(path).expect("a log file")),
                None => Stdio::inherit(),
            })
            .spawn()
            .expect("the tournee binary starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server prints its address");
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        let server = Server {
            child,
            url,
            data,
            _dir: dir,
        };
        server.wait_ready();
        *warm = true;
        server
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(300);
        while Instant::now() < deadline {
            if let Ok(r) = ureq_get(&format!("{}/readyz", self.url))
                && r == 200
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("the server was not ready within 300 s");
    }

    /// Kills the process at once (as a crash would), keeping the data folder.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Takes the temporary folder out, so that it outlives this server (for a restart).
    pub fn keep_data(&mut self) -> Option<tempfile::TempDir> {
        self._dir.take()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The status code of a GET over a plain socket: readiness is polled from inside async tests,
/// where a blocking client cannot start its own runtime.
fn ureq_get(url: &str) -> Result<u16, ()> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").ok_or(())?;
    let (host, path) = rest.split_once('/').ok_or(())?;
    let mut stream = std::net::TcpStream::connect(host).map_err(|_| ())?;
    write!(stream, "GET /{path} HTTP/1.0\r\nHost: {host}\r\n\r\n").map_err(|_| ())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|_| ())?;
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or(())
}

/// The arguments of a memoised scenario: extract, units, stops, home visits, seed.
type ScenarioKey = (PathBuf, u32, u32, u32, u64);

/// A weekly problem on Andorra from `tournee scenario` (memoised by its arguments), naming
/// the loaded territory, with a short time limit.
pub fn problem(units: u32, stops: u32, homes: u32, seed: u64, time_limit_s: f64) -> Value {
    let extract = andorra().expect("callers check for the extract");
    problem_on(&extract, units, stops, homes, seed, time_limit_s)
}

/// A weekly problem on `extract` from `tournee scenario` (memoised by its arguments), naming
/// that territory, with a short time limit.
pub fn problem_on(
    extract: &Path,
    units: u32,
    stops: u32,
    homes: u32,
    seed: u64,
    time_limit_s: f64,
) -> Value {
    static MEMO: OnceLock<Mutex<Vec<(ScenarioKey, Value)>>> = OnceLock::new();
    let key = (extract.to_owned(), units, stops, homes, seed);
    let memo = MEMO.get_or_init(Default::default);
    let cached = memo
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.clone());
    let mut value = cached.unwrap_or_else(|| {
        let output = Command::new(env!("CARGO_BIN_EXE_tournee"))
            .args(["scenario", &extract.display().to_string()])
            .args(["--units", &units.to_string(), "--weeks", "1"])
            .args([
                "--stops",
                &stops.to_string(),
                "--home-visits",
                &homes.to_string(),
            ])
            .args([
                "--seed",
                &seed.to_string(),
                "--cache-dir",
                &cache_dir().display().to_string(),
            ])
            .output()
            .expect("tournee scenario runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let value: Value = serde_json::from_slice(&output.stdout).expect("a JSON problem");
        memo.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, value.clone()));
        value
    });
    let id = extract
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".osm.pbf"))
        .expect("an .osm.pbf extract");
    value["territory"] = json!({ "extract": id });
    value["solver"]["time_limit_s"] = time_limit_s.into();
    value
}

/// A problem whose solve lasts about ten seconds even with a long time limit (the solver
/// stops early on small problems): for jobs that must still be running when acted upon.
pub fn slow_problem(time_limit_s: f64) -> Value {
    problem(3, 40, 20, 4, time_limit_s)
}

/// `document` with the value at `pointer` replaced (or added to its parent object, or
/// appended to its parent array when the pointer names the index after the last).
pub fn with(mut document: Value, pointer: &str, value: Value) -> Value {
    if let Some(slot) = document.pointer_mut(pointer) {
        *slot = value;
        return document;
    }
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    match document.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.insert(key.to_owned(), value);
        }
        Some(Value::Array(list)) if key.parse() == Ok(list.len()) => list.push(value),
        _ => panic!("no {parent} to add {key} to in the document"),
    }
    document
}

/// `document` without the member at `pointer`.
pub fn without(mut document: Value, pointer: &str) -> Value {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    document
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .and_then(|object| object.remove(key))
        .unwrap_or_else(|| panic!("no {pointer} in the document"));
    document
}

/// A VROOM problem on its own 3 × 3 matrix: one vehicle, two jobs.
pub fn vroom_matrix() -> Value {
    json!({
        "vehicles": [{"id": 1, "start_index": 0, "end_index": 0}],
        "jobs": [{"id": 1, "location_index": 1}, {"id": 2, "location_index": 2}],
        "matrices": {"car": {"durations": [[0, 5, 7], [5, 0, 3], [7, 3, 0]]}}
    })
}

/// A client.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()
        .expect("a client")
}

/// Submits a problem and returns the job id.
pub async fn submit(server: &Server, token: Option<&str>, problem: &Value) -> String {
    let mut request = client()
        .post(format!("{}/v1/plans", server.url))
        .json(problem);
    if let Some(t) = token {
        request = request.bearer_auth(t);
    }
    let response = request.send().await.expect("submitted");
    assert_eq!(
        response.status(),
        202,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let body: Value = response.json().await.expect("JSON");
    body["id"].as_str().expect("an id").to_owned()
}

/// Waits (polling with `?wait=`) until the job is finished; returns it.
pub async fn finished(server: &Server, token: Option<&str>, id: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(240);
    loop {
        let mut request = client().get(format!("{}/v1/plans/{id}?wait=20", server.url));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        let job: Value = request
            .send()
            .await
            .expect("polled")
            .json()
            .await
            .expect("JSON");
        let status = job["status"].as_str().unwrap_or_default().to_owned();
        if ["done", "failed", "cancelled"].contains(&status.as_str()) {
            return job;
        }
        assert!(Instant::now() < deadline, "job {id} still {status}");
    }
}

/// Waits until the job is running.
pub async fn running(server: &Server, id: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let job: Value = client()
            .get(format!("{}/v1/plans/{id}", server.url))
            .send()
            .await
            .expect("polled")
            .json()
            .await
            .expect("JSON");
        if job["status"] == "running" {
            return;
        }
        assert!(Instant::now() < deadline, "job {id} never ran: {job}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `GET path`: the status and the body as text (calendars, CSV, HTML).
pub async fn text(server: &Server, path: &str) -> (u16, String) {
    let response = client()
        .get(format!("{}{path}", server.url))
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// `POST path` with a JSON body: the status and the JSON answer.
pub async fn post(server: &Server, path: &str, body: &Value) -> (reqwest::StatusCode, Value) {
    let response = client()
        .post(format!("{}{path}", server.url))
        .json(body)
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.expect("JSON"))
}

/// `GET path`: the status and the JSON answer (`null` when the answer is not JSON).
pub async fn get(server: &Server, path: &str) -> (reqwest::StatusCode, Value) {
    let response = client()
        .get(format!("{}{path}", server.url))
        .send()
        .await
        .expect("sent");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// `DELETE path`: the status.
pub async fn delete(server: &Server, path: &str) -> reqwest::StatusCode {
    client()
        .delete(format!("{}{path}", server.url))
        .send()
        .await
        .expect("sent")
        .status()
}
