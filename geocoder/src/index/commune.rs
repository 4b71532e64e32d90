//! Communes as areas: the `boundary=administrative` + `admin_level=8` relations of an extract,
//! their member ways joined into closed rings, and which commune a point lies in.
//!
//! Rings are assembled by joining member ways end to end (whatever their role: a point is inside
//! when a ray from it crosses the rings an odd number of times, which makes inner rings holes).
//! A ring that cannot be closed (the relation cut by the extract's edge) is dropped, so a
//! commune known only in part covers nothing rather than a wrong area. Each ring's edges are
//! filed by horizontal band, so a lookup tests only the edges of its band.

use osm_data::geo::Coord;

/// How many horizontal bands a commune's edges are filed in.
const BANDS: usize = 64;

/// A commune's closed rings, with its bounding box and its edges by band.
#[derive(Clone, Debug)]
pub struct Commune {
    /// Its `name`.
    pub name: String,
    /// Each edge as (from, to), lat/lon in degrees.
    edges: Vec<(Coord, Coord)>,
    /// The lowest and highest latitude and longitude of its rings.
    south: f64,
    north: f64,
    west: f64,
    east: f64,
    /// Edge indexes by band of latitude.
    bands: Vec<Vec<u32>>,
}

impl Commune {
    /// The commune `name` bounded by `ways` (each its nodes' ids in order, with `position` to
    /// place them); `None` when no ring closes.
    pub fn assemble(
        name: String,
        ways: &[Vec<i64>],
        position: impl Fn(&i64) -> Option<Coord>,
    ) -> Option<Commune> {
        let edges: Vec<(Coord, Coord)> = rings(ways)
            .iter()
            .filter_map(|ring| ring.iter().map(&position).collect::<Option<Vec<Coord>>>())
            .flat_map(|ring| {
                ring.windows(2)
                    .map(|w| (w[0], w[1]))
                    .collect::<Vec<(Coord, Coord)>>()
            })
            .collect();
        let first = edges.first()?.0;
        let (mut south, mut north, mut west, mut east) =
            (first.lat, first.lat, first.lon, first.lon);
        for (a, _) in &edges {
            south = south.min(a.lat);
            north = north.max(a.lat);
            west = west.min(a.lon);
            east = east.max(a.lon);
        }
        let mut commune = Commune {
            name,
            edges,
            south,
            north,
            west,
            east,
            bands: vec![Vec::new(); BANDS],
        };
        for (i, (a, b)) in commune.edges.iter().enumerate() {
            let low = commune.band(a.lat.min(b.lat));
            let high = commune.band(a.lat.max(b.lat));
            for band in &mut commune.bands[low..=high] {
                band.push(u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        Some(commune)
    }

    /// The band of latitude `lat` (clamped to the commune's).
    fn band(&self, lat: f64) -> usize {
        let height = (self.north - self.south).max(f64::MIN_POSITIVE);
        let at = ((lat - self.south) / height * BANDS as f64).floor();
        (at.max(0.0) as usize).min(BANDS - 1)
    }

    /// Whether `at` lies inside the commune (an odd number of its edges cross the ray going
    /// east from it).
    pub fn contains(&self, at: Coord) -> bool {
        if at.lat < self.south || at.lat > self.north || at.lon < self.west || at.lon > self.east {
            return false;
        }
        let mut inside = false;
        for &i in &self.bands[self.band(at.lat)] {
            let (a, b) = self.edges[i as usize];
            if (a.lat > at.lat) != (b.lat > at.lat) {
                let crossing = a.lon + (at.lat - a.lat) / (b.lat - a.lat) * (b.lon - a.lon);
                if crossing > at.lon {
                    inside = !inside;
                }
            }
        }
        inside
    }
}

/// The closed rings the ways form, each as node ids with the first repeated at the end.
fn rings(ways: &[Vec<i64>]) -> Vec<Vec<i64>> {
    let mut unused: Vec<&[i64]> = ways
        .iter()
        .filter(|w| w.len() >= 2)
        .map(Vec::as_slice)
        .collect();
    let mut out = Vec::new();
    while let Some(start) = unused.pop() {
        let mut ring = start.to_vec();
        while ring.first() != ring.last() {
            let end = ring[ring.len() - 1];
            let Some(next) = unused
                .iter()
                .position(|w| w.first() == Some(&end) || w.last() == Some(&end))
            else {
                break;
            };
            let way = unused.swap_remove(next);
            if way.first() == Some(&end) {
                ring.extend_from_slice(&way[1..]);
            } else {
                ring.extend(way.iter().rev().skip(1));
            }
        }
        if ring.len() >= 4 && ring.first() == ring.last() {
            out.push(ring);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Node `id` at (id / 10, id % 10) degrees.
    fn grid(id: &i64) -> Option<Coord> {
        Some(Coord::new((id / 10) as f64, (id % 10) as f64))
    }

    #[test]
    fn ways_in_any_order_and_direction_close_a_ring_with_its_hole() {
        // A square 0..4 × 0..4 in three ways, one reversed, and a hole 1..2 × 1..2.
        let ways = vec![
            vec![0, 4, 44],
            vec![0, 40],
            vec![44, 40],
            vec![11, 12, 22, 21, 11],
        ];
        let commune = Commune::assemble("Square".into(), &ways, grid).expect("it closes");
        assert!(commune.contains(Coord::new(3.0, 3.0)));
        assert!(commune.contains(Coord::new(0.5, 3.5)));
        assert!(!commune.contains(Coord::new(1.5, 1.5)), "in the hole");
        assert!(!commune.contains(Coord::new(5.0, 1.0)), "outside");
    }

    #[test]
    fn a_ring_cut_by_the_extract_covers_nothing() {
        let ways = vec![vec![0, 4, 44], vec![44, 40]];
        assert!(Commune::assemble("Cut".into(), &ways, grid).is_none());
    }
}
