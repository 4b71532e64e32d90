//! The coverage map as GeoJSON: the chosen sites, the roads from which each is reached within
//! the threshold (on the access network), and the demand points marked covered or not.

use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use optimizer::coverage::{CoverageInstance, Evaluation};
use osm_data::reach::{ReverseIndex, segments_reaching};

use super::CoverageRequest;
use super::placed::Placed;

/// The map of an answer.
pub fn map(
    request: &CoverageRequest,
    placed: &Placed,
    instance: &CoverageInstance,
    best: &Evaluation,
    threshold_s: u32,
) -> serde_json::Value {
    let served = best.weight_by_site(instance);
    let mut features = Vec::new();
    let graph = placed.access.graph();
    let index = request.reach_roads.then(|| ReverseIndex::new(graph));
    for s in &best.sites {
        let site = &placed.sites[s.index()];
        let mut properties = JsonObject::new();
        properties.insert("layer".into(), "site".into());
        properties.insert("id".into(), site.id.clone().into());
        properties.insert("name".into(), site.name.clone().into());
        properties.insert("population_served".into(), served[s.index()].into());
        features.push(feature(
            Geometry::new_point([site.parking.lon, site.parking.lat]),
            properties,
        ));
        if let Some(index) = &index {
            let lines: Vec<Vec<[f64; 2]>> =
                segments_reaching(graph, index, &site.access, threshold_s)
                    .into_iter()
                    .map(|seg| graph.segment_points(seg).map(|p| [p.lon, p.lat]).collect())
                    .collect();
            let mut properties = JsonObject::new();
            properties.insert("layer".into(), "reach".into());
            properties.insert("site".into(), site.id.clone().into());
            properties.insert("minutes".into(), request.minutes.into());
            features.push(feature(Geometry::new_multi_line_string(lines), properties));
        }
    }
    for (d, entry) in placed.demand.iter().enumerate() {
        let mut properties = JsonObject::new();
        properties.insert("layer".into(), "demand".into());
        properties.insert("id".into(), entry.id.clone().into());
        properties.insert("name".into(), entry.name.clone().into());
        properties.insert("population".into(), entry.weight.into());
        let by = best.served_by[d].map(|s| placed.sites[s.index()].id.clone());
        properties.insert("covered".into(), by.is_some().into());
        properties.insert("served_by".into(), by.into());
        features.push(feature(
            Geometry::new_point([entry.coord.lon, entry.coord.lat]),
            properties,
        ));
    }
    let mut foreign = JsonObject::new();
    foreign.insert(
        "attribution".into(),
        "© OpenStreetMap contributors (ODbL)".into(),
    );
    let collection = FeatureCollection {
        bbox: None,
        features,
        foreign_members: Some(foreign),
    };
    serde_json::to_value(&collection).unwrap_or(serde_json::Value::Null)
}

fn feature(geometry: Geometry, properties: JsonObject) -> Feature {
    Feature {
        geometry: Some(geometry),
        properties: Some(properties),
        ..Feature::default()
    }
}
