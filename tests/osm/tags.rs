//! Way tags read straight from a PBF file with `osmpbf`, independently of `osm-data`'s parser,
//! to check which roads a graph uses.

use std::collections::HashMap;
use std::path::Path;

use osmpbf::{Element, ElementReader};

/// Every way's tags, by way id.
pub fn way_tags(path: &Path) -> HashMap<i64, HashMap<String, String>> {
    ElementReader::from_path(path)
        .expect("readable extract")
        .par_map_reduce(
            |element| match element {
                Element::Way(way) => {
                    let tags = way
                        .tags()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect();
                    HashMap::from([(way.id(), tags)])
                }
                _ => HashMap::new(),
            },
            HashMap::new,
            |mut a, b| {
                a.extend(b);
                a
            },
        )
        .expect("decodable extract")
}

/// A height in metres as most mappers write it (`3.5`, `3,5`, `3.5 m`); `None` otherwise.
pub fn plain_metres(value: &str) -> Option<f64> {
    value
        .trim()
        .trim_end_matches('m')
        .trim()
        .replace(',', ".")
        .parse()
        .ok()
}
