//! Car travel times and distances against OSRM's reference tables (issue 14's targets): the
//! median tournée / OSRM duration ratio within 0.95–1.05 with at least 90 % of cells within
//! ±20 %, and the median distance ratio within 0.97–1.03, on Malta and Andorra.

use osm_data::profile::ProfileKind;

use super::calibration_data::{REFERENCES, compare, read_table, reference_dir};
use crate::support::shared_router;

#[test]
fn car_times_and_distances_match_osrm_within_the_targets() {
    let Some(dir) = reference_dir() else {
        eprintln!("skipped: ../shared/bench/routing not found (OSRM reference tables)");
        return;
    };
    for (name, file, extract) in REFERENCES {
        let Some(router) = shared_router(extract, ProfileKind::Car) else {
            return;
        };
        let c = compare(&router, &read_table(&dir.join(file)));
        let (d, m) = (c.durations, c.distances);
        assert!((0.95..=1.05).contains(&d.median), "{name}: durations {d:?}");
        assert!(d.within_20 >= 0.90, "{name}: durations {d:?}");
        assert!((0.97..=1.03).contains(&m.median), "{name}: distances {m:?}");
        // Every OSRM place but a handful lies on our car network.
        assert!(
            c.unplaced <= 10,
            "{name}: {} points off our network",
            c.unplaced
        );
    }
}
