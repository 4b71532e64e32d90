//! The road layer of the page's map, drawn from the extract itself so no tile server is needed:
//! every road segment of a network as GeoJSON, once per segment, coordinates rounded to about
//! a metre to keep the document small.

use osm_data::graph::RoadGraph;
use osm_data::ids::SegmentIdx;
use serde_json::{Value, json};

/// A FeatureCollection with one MultiLineString of all the segments of `graph`, tagged with the
/// network's `kind` (`car`, `triporteur`, …).
pub fn road_layer(graph: &RoadGraph, kind: &str) -> Value {
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
        "type": "FeatureCollection",
        "features": [{
            "type": "Feature",
            "properties": { "kind": kind, "segments": lines.len() },
            "geometry": { "type": "MultiLineString", "coordinates": lines },
        }],
    })
}

fn round(degrees: f64) -> f64 {
    (degrees * 1e5).round() / 1e5
}
