//! A plan as GeoJSON: each unit's day as a `LineString` along the roads it drives (straight
//! lines for problems that brought their own matrices), each visit and depot as a `Point`,
//! with properties for unit, date and times.

use std::sync::Arc;

use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use optimizer::planning::plan::{Step, UnitDayPlan};
use optimizer::planning::problem::{Position, UnitKind};
use osm_data::geo::Coord;
use osm_data::router::{DEFAULT_SNAP_LIMIT_M, Router};
use serde_json::json;

use super::Documents;
use crate::error::Result;

/// The plan as a `FeatureCollection`. `routers` gives the road network of each kind of unit;
/// without one, legs are straight lines (`"geometry": "straight"` in the route's properties).
///
/// # Errors
/// Routing errors between snapped places (cannot happen on graphs built by `osm-data`).
pub fn collection(
    docs: &Documents,
    routers: &[(UnitKind, Arc<Router>)],
) -> Result<FeatureCollection> {
    let mut features = Vec::new();
    for unit in &docs.problem.units {
        features.push(point(
            &unit.depot,
            json!({
                "feature": "depot",
                "unit": unit.id,
                "unit_name": unit.name,
            }),
        ));
    }
    for route in &docs.plan.routes {
        let Some(unit) = docs.unit(&route.unit) else {
            continue;
        };
        let router = routers
            .iter()
            .find(|(k, _)| *k == unit.kind)
            .map(|(_, r)| r.as_ref());
        let mut places = vec![&unit.depot];
        let mut order = 0;
        for step in &route.steps {
            let Step::Visit {
                kind,
                id,
                arrive,
                start,
                end,
                ..
            } = step
            else {
                continue;
            };
            let Some((at, name)) = docs.place(*kind, id) else {
                continue;
            };
            order += 1;
            places.push(at);
            features.push(point(
                at,
                json!({
                    "feature": "visit",
                    "kind": kind,
                    "id": id,
                    "name": name,
                    "unit": route.unit,
                    "date": route.date,
                    "weekday": route.weekday,
                    "week": route.week,
                    "order": order,
                    "arrive": arrive.to_string(),
                    "start": start.to_string(),
                    "end": end.to_string(),
                }),
            ));
        }
        places.push(&unit.depot);
        features.push(line(route, &places, router)?);
    }
    let mut members = JsonObject::new();
    members.insert(
        "attribution".into(),
        "© OpenStreetMap contributors, ODbL (https://www.openstreetmap.org/copyright)".into(),
    );
    Ok(FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(members),
    })
}

fn point(at: &Position, properties: JsonValue) -> Feature {
    Feature {
        geometry: Some(Geometry::new_point([at.lon, at.lat])),
        properties: properties.as_object().cloned(),
        ..Feature::default()
    }
}

fn line(route: &UnitDayPlan, places: &[&Position], router: Option<&Router>) -> Result<Feature> {
    let mut coordinates: Vec<Vec<f64>> = Vec::new();
    let straight = router.is_none();
    for pair in places.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let leg = match router {
            Some(router) => road(router, a, b)?,
            None => None,
        };
        let points = leg.unwrap_or_else(|| vec![[a.lon, a.lat], [b.lon, b.lat]]);
        for p in points {
            if coordinates.last().is_none_or(|last| last[..] != p[..]) {
                coordinates.push(p.to_vec());
            }
        }
    }
    let properties = json!({
        "feature": "route",
        "unit": route.unit,
        "date": route.date,
        "weekday": route.weekday,
        "week": route.week,
        "leave": route.leave.to_string(),
        "back": route.back.to_string(),
        "driving_min": route.driving_min,
        "distance_km": route.distance_km,
        "geometry": if straight { "straight" } else { "roads" },
    });
    Ok(Feature {
        geometry: Some(Geometry::new_line_string(coordinates)),
        properties: properties.as_object().cloned(),
        ..Feature::default()
    })
}

/// The road between two places as `[lon, lat]` points, or `None` when either is off the
/// network (then the leg is drawn straight).
fn road(router: &Router, a: &Position, b: &Position) -> Result<Option<Vec<[f64; 2]>>> {
    let Ok(snaps) = router.snap(
        &[Coord::new(a.lat, a.lon), Coord::new(b.lat, b.lon)],
        DEFAULT_SNAP_LIMIT_M,
    ) else {
        return Ok(None);
    };
    let route = router.route(&snaps[0], &snaps[1])?;
    let mut points = vec![[a.lon, a.lat]];
    points.extend(route.coordinates.iter().map(|c| [c.lon, c.lat]));
    points.push([b.lon, b.lat]);
    Ok(Some(points))
}
