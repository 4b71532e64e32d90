//! Size limits of requests: the places of a planning problem, the points of a matrix request,
//! the jobs and vehicles of a VROOM problem, the demand × candidate pairs of a coverage request.
//! Memory and time grow with the square of the places (with the pairs for coverage), so one
//! request far below the body limit could exhaust the machine and take every job down with it:
//! the counts are checked before any road network is read or any matrix or model built. The
//! service's settings give the limits (`max_places`, …); the command line has none unless asked
//! (`tournee plan --max-places N`).

use optimizer::planning::problem::PlanningProblem;

use crate::error::{Error, Result};

/// A size limit: the most of something one request may hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// What is counted, in words (`places (depots, stops and home visits)`).
    pub counts: &'static str,
    /// The setting that changes it (`max_places`), named in the refusal.
    pub setting: &'static str,
    /// The most accepted.
    pub most: u64,
}

/// How large a request is: the count a limit applies to, and the part of the request that
/// brings most of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Size {
    /// The count.
    pub count: u64,
    /// JSON pointer of the part that brings most of it (`/home_visits`).
    pub field: String,
}

impl Size {
    /// The sum of `parts` (each a JSON pointer and its count), naming the largest part (the
    /// first of equal ones).
    pub fn sum(parts: &[(&str, usize)]) -> Size {
        let mut largest: Option<&(&str, usize)> = None;
        for part in parts {
            if largest.is_none_or(|best| part.1 > best.1) {
                largest = Some(part);
            }
        }
        Size {
            count: parts.iter().map(|(_, n)| count(*n)).sum(),
            field: largest.map_or_else(String::new, |(field, _)| (*field).to_owned()),
        }
    }

    /// The same size, its field moved under `prefix` (a request nested in another one).
    pub fn under(self, prefix: &str) -> Size {
        Size {
            field: format!("{prefix}{}", self.field),
            ..self
        }
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

impl Limit {
    /// Places of a planning problem: its units' depots, its stops and its home visits, the rows
    /// and columns of each kind's travel matrices.
    pub fn places(most: usize) -> Limit {
        Limit {
            counts: "places (depots, stops and home visits)",
            setting: "max_places",
            most: count(most),
        }
    }

    /// Points of a `/v1/matrix` request.
    pub fn matrix_points(most: usize) -> Limit {
        Limit {
            counts: "points",
            setting: "max_matrix_points",
            most: count(most),
        }
    }

    /// Jobs and vehicles of a `/vroom` problem.
    pub fn vroom_places(most: usize) -> Limit {
        Limit {
            counts: "jobs and vehicles",
            setting: "max_vroom_places",
            most: count(most),
        }
    }

    /// Pairs of demand points and candidate sites of a coverage request: the cells of its
    /// access-time table.
    pub fn coverage_pairs(most: u64) -> Limit {
        Limit {
            counts: "pairs of demand points and candidate sites",
            setting: "max_coverage_pairs",
            most,
        }
    }

    /// Queries of a `POST /v1/territories/{id}/geocode` batch.
    pub fn geocode_batch(most: usize) -> Limit {
        Limit {
            counts: "queries",
            setting: "max_geocode_batch",
            most: count(most),
        }
    }

    /// Records of a `POST /v1/attendance` (a JSON batch or the rows of a CSV import).
    pub fn attendance_records(most: usize) -> Limit {
        Limit {
            counts: "attendance records",
            setting: "max_attendance_records",
            most: count(most),
        }
    }

    /// Accepts `size` when it is within the limit.
    ///
    /// # Errors
    /// [`Error::OverLimit`] with the count, the limit, the setting and the field.
    pub fn check(&self, size: Size) -> Result<()> {
        if size.count <= self.most {
            return Ok(());
        }
        Err(Error::OverLimit {
            field: size.field,
            counts: self.counts,
            count: size.count,
            limit: self.most,
            setting: self.setting,
        })
    }
}

/// The places of a planning problem (depots, stops, home visits), naming the list that brings
/// the most.
pub fn planning_size(problem: &PlanningProblem) -> Size {
    Size::sum(&[
        ("/units", problem.units.len()),
        ("/stops", problem.stops.len()),
        ("/home_visits", problem.home_visits.len()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sum_names_its_largest_part_and_the_first_of_equal_ones() {
        let size = Size::sum(&[("/units", 3), ("/stops", 40), ("/home_visits", 8000)]);
        assert_eq!(size.count, 8043);
        assert_eq!(size.field, "/home_visits");
        assert_eq!(Size::sum(&[("/jobs", 2), ("/vehicles", 2)]).field, "/jobs");
        assert_eq!(size.under("/problem").field, "/problem/home_visits");
    }

    #[test]
    fn a_count_over_the_limit_is_refused_with_count_limit_setting_and_field() {
        let limit = Limit::places(5_000);
        let size = |count| Size {
            count,
            field: "/home_visits".into(),
        };
        assert!(limit.check(size(5_000)).is_ok());
        let error = limit.check(size(5_001)).unwrap_err();
        let Error::OverLimit {
            field,
            count,
            limit: most,
            setting,
            ..
        } = &error
        else {
            panic!("not an over-limit error: {error}");
        };
        assert_eq!(
            (field.as_str(), *count, *most, *setting),
            ("/home_visits", 5_001, 5_000, "max_places")
        );
        let message = error.to_string();
        assert!(
            message.contains("5001") && message.contains("5000") && message.contains("max_places"),
            "{message}"
        );
    }
}
