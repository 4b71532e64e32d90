//! Prometheus metrics: jobs by state and queue length, overall and per territory (read from the
//! database at each scrape), the latency of this instance's claims, solve durations by kind of
//! job, and HTTP requests with their latency by route.

use std::sync::Arc;
use std::sync::atomic::AtomicI64;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::store::{JobKind, Status, Store};
use crate::error::{Error, Result};

/// Labels of the job gauge.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

/// Labels of the queue per territory: its id, or `none` for jobs that bring their matrices.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TerritoryLabel {
    territory: String,
}

/// Labels of the solve durations: `plan` or `coverage`.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: &'static str,
}

/// Labels of the HTTP metrics: the route pattern (`/v1/plans/{id}`), never the concrete path.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
    status: u16,
}

/// The metrics of the service.
pub struct Metrics {
    registry: Registry,
    jobs: Family<StatusLabel, Gauge<i64, AtomicI64>>,
    queue: Gauge<i64, AtomicI64>,
    queue_by_territory: Family<TerritoryLabel, Gauge<i64, AtomicI64>>,
    claim_seconds: Histogram,
    solve_seconds: Family<KindLabel, Histogram>,
    requests: Family<RouteLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
}

fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

fn solve_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.25, 2.0, 14))
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("tournee");
        let jobs = Family::<StatusLabel, Gauge<i64, AtomicI64>>::default();
        registry.register("jobs", "Jobs in the database by status", jobs.clone());
        let queue = Gauge::<i64, AtomicI64>::default();
        registry.register("queue_length", "Jobs waiting for a worker", queue.clone());
        let queue_by_territory = Family::<TerritoryLabel, Gauge<i64, AtomicI64>>::default();
        registry.register(
            "queue_length_by_territory",
            "Jobs waiting for a worker, by territory (`none`: jobs with their own matrices)",
            queue_by_territory.clone(),
        );
        let claim_seconds = latency_histogram();
        registry.register(
            "claim_duration_seconds",
            "Time of this instance's claims on the shared queue (one SQL statement each)",
            claim_seconds.clone(),
        );
        let solve_seconds = Family::<KindLabel, Histogram>::new_with_constructor(
            solve_histogram as fn() -> Histogram,
        );
        registry.register(
            "solve_duration_seconds",
            "Wall-clock time of finished solves by kind of job",
            solve_seconds.clone(),
        );
        // Both series exist from the start, so that dashboards see zero rather than nothing.
        for kind in [JobKind::Plan, JobKind::Coverage] {
            drop(solve_seconds.get_or_create(&KindLabel {
                kind: kind.as_str(),
            }));
        }
        let requests = Family::<RouteLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP latency by route and status",
            latency.clone(),
        );
        Metrics {
            registry,
            jobs,
            queue,
            queue_by_territory,
            claim_seconds,
            solve_seconds,
            requests,
            latency,
        }
    }

    /// Records the duration of a finished solve of a job of `kind`.
    pub fn solved(&self, kind: JobKind, seconds: f64) {
        self.solve_seconds
            .get_or_create(&KindLabel {
                kind: kind.as_str(),
            })
            .observe(seconds);
    }

    /// Records how long a claim on the queue took (found a job or not).
    pub fn claimed(&self, took: Duration) {
        self.claim_seconds.observe(took.as_secs_f64());
    }

    /// The metrics in Prometheus text format, with job counts read from `store`.
    ///
    /// # Errors
    /// [`Error::Database`] when the counts cannot be read.
    pub async fn render(&self, store: &Store) -> Result<String> {
        let counts = store.counts().await?;
        for status in Status::ALL {
            let n = counts
                .iter()
                .find(|(s, _)| *s == status)
                .map_or(0, |(_, n)| *n);
            self.jobs
                .get_or_create(&StatusLabel {
                    status: status.as_str(),
                })
                .set(n);
            if status == Status::Queued {
                self.queue.set(n);
            }
        }
        // A territory whose queue emptied since the last scrape is dropped, not shown stale.
        self.queue_by_territory.clear();
        for (territory, n) in store.queued_by_territory().await? {
            self.queue_by_territory
                .get_or_create(&TerritoryLabel {
                    territory: territory.unwrap_or_else(|| "none".to_owned()),
                })
                .set(n);
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .map_err(|e| Error::Internal(format!("encoding metrics: {e}")))?;
        Ok(text)
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Middleware counting requests and timing them by route pattern.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let labels = RouteLabels {
        method,
        route,
        status: response.status().as_u16(),
    };
    metrics.requests.get_or_create(&labels).inc();
    metrics
        .latency
        .get_or_create(&labels)
        .observe(started.elapsed().as_secs_f64());
    response
}
