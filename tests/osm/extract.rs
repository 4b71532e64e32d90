//! What the decoded extract keeps of a file's nodes, checked against a sequential read of the
//! same file with `osmpbf`'s element reader (no code of the two-pass reader).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use osm_data::extract::{MISSING_NODE, OsmExtract};
use osm_data::ids::OsmNodeId;
use osm_data::progress::Silent;
use osm_data::tags::WayTags;
use osmpbf::{Element, ElementReader, RelMemberType};

use crate::support::shared_osm;

/// A file as read element by element: every node's first position, and the node ids of every
/// routable way and of every restriction's via nodes.
#[derive(Default)]
struct FileNodes {
    positions: HashMap<i64, [i32; 2]>,
    way_refs: HashMap<i64, Vec<i64>>,
    via_nodes: HashSet<i64>,
}

fn file_nodes(path: &Path) -> FileNodes {
    let mut file = FileNodes::default();
    ElementReader::from_path(path)
        .expect("readable extract")
        .for_each(|element| match element {
            Element::Node(n) => {
                let position = [n.decimicro_lat(), n.decimicro_lon()];
                file.positions.entry(n.id()).or_insert(position);
            }
            Element::DenseNode(n) => {
                let position = [n.decimicro_lat(), n.decimicro_lon()];
                file.positions.entry(n.id()).or_insert(position);
            }
            Element::Way(w) => {
                if WayTags::parse(w.tags()).is_some() {
                    file.way_refs.insert(w.id(), w.refs().collect());
                }
            }
            Element::Relation(r) => {
                if r.tags().any(|tag| tag == ("type", "restriction")) {
                    let via = r.members().filter(|m| {
                        m.member_type == RelMemberType::Node && m.role().ok() == Some("via")
                    });
                    file.via_nodes.extend(via.map(|m| m.member_id));
                }
            }
        })
        .expect("decodable extract");
    file
}

#[test]
fn the_extract_keeps_exactly_the_nodes_of_routable_ways_and_restrictions() {
    // Paris BSS refers to 656 nodes outside the file; Malta has 180 restrictions.
    for name in [
        "fr-paris-bss.osm.pbf",
        "monaco-2020.osm.pbf",
        "malta-2016.osm.pbf",
    ] {
        let Some(path) = shared_osm(name) else { return };
        let file = file_nodes(&path);
        let extract = OsmExtract::read(&path, &Silent).expect("the extract reads");
        let used: HashSet<i64> = file
            .way_refs
            .values()
            .flatten()
            .chain(&file.via_nodes)
            .copied()
            .filter(|id| file.positions.contains_key(id))
            .collect();
        assert!(
            used.len() < file.positions.len(),
            "{name}: every node is used"
        );
        assert_eq!(extract.node_count(), used.len(), "{name}");
        for id in &used {
            let node = extract
                .node_index(OsmNodeId(*id))
                .unwrap_or_else(|| panic!("{name}: node {id} lost"));
            assert_eq!(extract.node_id(node), OsmNodeId(*id), "{name}");
            assert_eq!(extract.node_position(node), file.positions[id], "{name}");
        }
        assert_eq!(extract.ways().len(), file.way_refs.len(), "{name}");
        for way in extract.ways() {
            let read: Vec<Option<i64>> = extract
                .way_nodes(way)
                .iter()
                .map(|&node| (node != MISSING_NODE).then(|| extract.node_id(node).0))
                .collect();
            let expected: Vec<Option<i64>> = file.way_refs[&way.id.0]
                .iter()
                .map(|id| file.positions.contains_key(id).then_some(*id))
                .collect();
            assert_eq!(read, expected, "{name}: way {}", way.id.0);
        }
        assert_eq!(
            extract.counts().nodes,
            file.positions.len() as u64,
            "{name}"
        );
    }
}
