//! The road layer of the page's map, drawn from the extract itself so no tile server is needed:
//! every road segment of a network as GeoJSON, once per segment, coordinates rounded to about
//! a metre to keep the document small.

use osm_data::graph::RoadGraph;
use osm_data::ids::SegmentIdx;
use serde_json::{Value, json};

/// One GeoJSON Feature: a MultiLineString of all the segments of `graph`, tagged with the
/// network's `kind` (`car`, `triporteur`, …).
pub fn road_feature(graph: &RoadGraph, kind: &str) -> Value {
    // Segment indices are `u32` by construction of the graph.
    let count = graph.segments().len() as u32;
    let lines: Vec<Vec<[f64; 2]>> = (0..count)
        .map(|i| {
            graph
                .segment_points(SegmentIdx(i))
                .map(|c| [round(c.lon), round(c.lat)])
                .collect()
        })
        .collect();
    json!({
        "type": "Feature",
        "properties": { "kind": kind, "segments": lines.len() },
        "geometry": { "type": "MultiLineString", "coordinates": lines },
    })
}

fn round(degrees: f64) -> f64 {
    (degrees * 1e5).round() / 1e5
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use osm_data::extract::OsmExtract;
    use osm_data::profile::{Profile, ProfileKind};
    use osm_data::progress::Silent;

    use super::*;

    #[test]
    fn every_segment_of_the_demo_network_is_drawn_once_with_its_geometry() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/helsinki.osm.pbf");
        let extract = OsmExtract::read(&path, &Silent).expect("the demo extract");
        let graph = RoadGraph::build(&extract, &Profile::new(ProfileKind::Triporteur), &Silent)
            .expect("roads");
        let feature = road_feature(&graph, "triporteur");
        assert_eq!(feature["properties"]["kind"], "triporteur");
        let lines = feature["geometry"]["coordinates"]
            .as_array()
            .expect("lines");
        assert_eq!(lines.len(), graph.segments().len());
        for (i, line) in lines.iter().enumerate() {
            let points = line.as_array().expect("points");
            let geometry: Vec<_> = graph.segment_points(SegmentIdx(i as u32)).collect();
            assert_eq!(points.len(), geometry.len());
            let first = &points[0];
            assert!((first[0].as_f64().expect("lon") - geometry[0].lon).abs() < 1e-5);
            assert!((first[1].as_f64().expect("lat") - geometry[0].lat).abs() < 1e-5);
        }
    }
}
