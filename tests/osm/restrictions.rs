//! Turn restrictions: on a hand-made fixture (via ways, `except=`, cycle-only and conditional
//! restrictions, broken relations) and over every restriction relation of the shared extracts,
//! checked on the sequence of road edges a route travels, read against the relations as the
//! file writes them (with `osmpbf`, not through osm-data's own matching).

use std::collections::HashMap;
use std::path::Path;

use osm_data::geo::Coord;
use osm_data::graph::RoadGraph;
use osm_data::ids::{EdgeIdx, SegmentIdx};
use osm_data::import::{CachePolicy, import_profile};
use osm_data::profile::{Profile, ProfileKind};
use osm_data::progress::Silent;
use osm_data::router::Router;
use osm_data::snap::Snap;
use osm_data::turns::restrict::BrokenCause;
use osmpbf::{Element, ElementReader, RelMemberType};

use crate::support::{EXTRACTS, fixture, shared_osm};

/// A restriction relation as written: its tags and its members by role.
#[derive(Clone, Debug, Default)]
struct Relation {
    id: i64,
    tags: HashMap<String, String>,
    from: Vec<i64>,
    via_nodes: Vec<i64>,
    via_ways: Vec<i64>,
    to: Vec<i64>,
}

fn relations(path: &Path) -> Vec<Relation> {
    ElementReader::from_path(path)
        .expect("readable extract")
        .par_map_reduce(
            |element| match element {
                Element::Relation(r) => {
                    let tags: HashMap<String, String> = r
                        .tags()
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                        .collect();
                    if tags.get("type").map(String::as_str) != Some("restriction") {
                        return Vec::new();
                    }
                    let mut rel = Relation {
                        id: r.id(),
                        tags,
                        ..Relation::default()
                    };
                    for m in r.members() {
                        let list = match (m.role().unwrap_or(""), m.member_type) {
                            ("from", RelMemberType::Way) => &mut rel.from,
                            ("to", RelMemberType::Way) => &mut rel.to,
                            ("via", RelMemberType::Node) => &mut rel.via_nodes,
                            ("via", RelMemberType::Way) => &mut rel.via_ways,
                            _ => continue,
                        };
                        list.push(m.member_id);
                    }
                    vec![rel]
                }
                _ => Vec::new(),
            },
            Vec::new,
            |mut a, mut b| {
                a.append(&mut b);
                a
            },
        )
        .expect("decodable extract")
}

/// Every way's first and last node.
fn way_ends(path: &Path) -> HashMap<i64, (i64, i64)> {
    ElementReader::from_path(path)
        .expect("readable extract")
        .par_map_reduce(
            |element| match element {
                Element::Way(w) => {
                    let refs: Vec<i64> = w.refs().collect();
                    match (refs.first(), refs.last()) {
                        (Some(a), Some(b)) => HashMap::from([(w.id(), (*a, *b))]),
                        _ => HashMap::new(),
                    }
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

/// The ways of the segment an edge travels.
fn ways(graph: &RoadGraph, edge: EdgeIdx) -> Vec<i64> {
    graph
        .segment_ways(graph.edge(edge).segment)
        .iter()
        .map(|w| w.0)
        .collect()
}

/// Whether `edges` makes the move a relation names: an edge on `from`, then edges on the via
/// ways only (none for a via node, and then through that node), then an edge on `to`.
/// Returns the position of the move's first edge.
fn makes(graph: &RoadGraph, edges: &[EdgeIdx], rel: &Relation) -> Option<usize> {
    let on = |edge: EdgeIdx, set: &[i64]| ways(graph, edge).iter().any(|w| set.contains(w));
    let only_on = |edge: EdgeIdx, set: &[i64]| ways(graph, edge).iter().all(|w| set.contains(w));
    (0..edges.len()).find(|&a| {
        if !on(edges[a], &rel.from) {
            return false;
        }
        let mut b = a + 1;
        while b < edges.len() && !rel.via_ways.is_empty() && only_on(edges[b], &rel.via_ways) {
            b += 1;
        }
        let through_node = rel.via_nodes.iter().all(|v| {
            let head = graph.edge(edges[b - 1]).head;
            graph.node_osm_id(head).0 == *v
        });
        let via_used = rel.via_ways.is_empty() == (b == a + 1);
        b < edges.len() && via_used && through_node && on(edges[b], &rel.to)
    })
}

/// A snapped point in the middle of a segment that runs along `way`.
fn point_on(router: &Router, way: i64, near: Option<i64>) -> Option<Snap> {
    let graph = router.graph();
    (0..graph.segments().len() as u32)
        .map(SegmentIdx)
        .filter(|s| graph.segment_ways(*s).iter().any(|w| w.0 == way))
        .filter(|s| {
            let seg = graph.segment(*s);
            near.is_none_or(|v| {
                graph.node_osm_id(seg.from).0 == v || graph.node_osm_id(seg.to).0 == v
            })
        })
        .find_map(|s| {
            let points: Vec<Coord> = graph.segment_points(s).collect();
            let (a, b) = (points[points.len() / 2 - 1], points[points.len() / 2]);
            let mid = Coord::new((a.lat + b.lat) / 2.0, (a.lon + b.lon) / 2.0);
            let snap = router.snap(&[mid], 2.0).ok()?.pop()?;
            (snap.segment == s).then_some(snap)
        })
}

fn fixture_router(kind: ProfileKind) -> (Router, osm_data::import::ImportReport) {
    import_profile(
        &fixture("restrictions.osm.pbf"),
        &Profile::new(kind),
        &CachePolicy::Disabled,
        &Silent,
    )
    .expect("the fixture imports")
}

#[test]
fn the_fixture_restrictions_bind_whom_they_name() {
    let rels = relations(&fixture("restrictions.osm.pbf"));
    let rel = |id: i64| rels.iter().find(|r| r.id == id).expect("relation").clone();
    let route = |router: &Router, from: i64, from_near: i64, to: i64, to_near: i64| {
        let a = point_on(router, from, Some(from_near)).expect("from point");
        let b = point_on(router, to, Some(to_near)).expect("to point");
        router.route(&a, &b).expect("route").edges
    };
    let (car, report) = fixture_router(ProfileKind::Car);
    let (bus, _) = fixture_router(ProfileKind::Bus);
    let (trike, trike_report) = fixture_router(ProfileKind::Triporteur);
    let (w1, j1, j2, s2) = (1, 2, 3, 8);
    let (n1, s1, e1) = (5, 7, 4);

    // 1: W1 → J1 → J2 → S2 is forbidden to all (a via way); the car and bus go round by S1.
    for router in [&car, &bus] {
        let edges = route(router, 101, w1, 103, s2);
        assert_eq!(makes(router.graph(), &edges, &rel(1)), None);
    }
    // 2: N1 → J1 → S1 straight on is forbidden, except to buses.
    let edges = route(&car, 105, n1, 106, s1);
    assert_eq!(makes(car.graph(), &edges, &rel(2)), None);
    let edges = route(&bus, 105, n1, 106, s1);
    assert!(
        makes(bus.graph(), &edges, &rel(2)).is_some(),
        "the bus may go straight"
    );
    // 3: E1 → J2 → J1 straight on is forbidden to cycles only.
    let edges = route(&trike, 104, e1, 102, j1);
    assert_eq!(makes(trike.graph(), &edges, &rel(3)), None);
    let edges = route(&car, 104, e1, 102, j1);
    assert!(
        makes(car.graph(), &edges, &rel(3)).is_some(),
        "the car may go straight"
    );
    // 4: only conditional, so the car may turn J1 → J2 → S2.
    let edges = route(&car, 102, j1, 103, j2);
    assert!(makes(car.graph(), &edges, &rel(4)).is_some());

    let r = &report.graph.restrictions;
    assert_eq!(r.relations, 6);
    assert_eq!(
        (r.applied, r.exempt, r.other_vehicles, r.conditional),
        (2, 0, 1, 1)
    );
    assert_eq!(r.broken.get(&BrokenCause::MissingTo), Some(&1));
    assert_eq!(r.broken.get(&BrokenCause::ViaDoesNotJoin), Some(&1));
    let t = &trike_report.graph.restrictions;
    assert_eq!((t.applied, t.exempt), (3, 0));
    let json = serde_json::to_value(&report).expect("serialisable report");
    assert_eq!(json["graph"]["restrictions"]["broken"]["missing_to"], 1);
}

/// Whether the car obeys a relation at all (its tags name cars, no `except` lets them by).
fn binds_cars(rel: &Relation) -> Option<bool> {
    let value = rel
        .tags
        .get("restriction:motorcar")
        .or_else(|| rel.tags.get("restriction:motor_vehicle"))
        .or_else(|| rel.tags.get("restriction"))?;
    let except = rel.tags.get("except").map_or("", String::as_str);
    if except
        .split(';')
        .any(|m| ["motorcar", "motor_vehicle"].contains(&m.trim()))
    {
        return None;
    }
    if value.starts_with("no_") {
        Some(false)
    } else if value.starts_with("only_") {
        Some(true)
    } else {
        None
    }
}

#[test]
fn car_routes_obey_every_restriction_of_the_shared_extracts() {
    let mut checked = 0;
    for file in EXTRACTS {
        let Some(path) = shared_osm(file) else { return };
        let router = crate::support::router(&path, &Profile::new(ProfileKind::Car));
        let graph = router.graph();
        let ends = way_ends(&path);
        let car_ways: std::collections::HashSet<i64> = (0..graph.segments().len() as u32)
            .flat_map(|s| graph.segment_ways(SegmentIdx(s)).iter().map(|w| w.0))
            .collect();
        for rel in relations(&path) {
            let Some(only) = binds_cars(&rel) else {
                continue;
            };
            let (Some(&from), Some(&to)) = (rel.from.first(), rel.to.first()) else {
                continue;
            };
            let via_node = rel.via_nodes.first().copied();
            // The relations the car profile keeps: every member on its network, and (via a
            // node) `from` and `to` ending at the via node, as the tagging scheme requires.
            let members = rel.from.iter().chain(&rel.to).chain(&rel.via_ways);
            if !members.clone().all(|w| car_ways.contains(w)) {
                continue;
            }
            let touches = |way: i64, node: i64| {
                ends.get(&way)
                    .is_some_and(|(a, b)| *a == node || *b == node)
            };
            if via_node.is_some_and(|v| !touches(from, v) || !touches(to, v)) {
                continue;
            }
            let Some(a) = point_on(&router, from, via_node) else {
                continue;
            };
            // For `no_*`: head for the forbidden `to` way. For `only_*`: head for every other
            // road at the junction, which the unit may only reach some other way.
            let targets: Vec<Snap> = if only {
                let Some(v) = via_node else { continue };
                (0..graph.segments().len() as u32)
                    .map(SegmentIdx)
                    .filter(|s| {
                        let seg = graph.segment(*s);
                        [seg.from, seg.to]
                            .iter()
                            .any(|n| graph.node_osm_id(*n).0 == v)
                    })
                    .flat_map(|s| {
                        graph
                            .segment_ways(s)
                            .iter()
                            .map(|w| w.0)
                            .collect::<Vec<_>>()
                    })
                    .filter(|w| !rel.to.contains(w) && !rel.from.contains(w))
                    .filter_map(|w| point_on(&router, w, Some(v)))
                    .collect()
            } else {
                point_on(&router, to, via_node).into_iter().collect()
            };
            for b in targets {
                let edges = router.route(&a, &b).expect("route").edges;
                if only {
                    // Entering the junction from `from`, the route leaves by `to`.
                    let Some(v) = via_node else { continue };
                    let entering = (0..edges.len().saturating_sub(1)).find(|&i| {
                        ways(graph, edges[i]).contains(&from)
                            && graph.node_osm_id(graph.edge(edges[i]).head).0 == v
                    });
                    if let Some(i) = entering {
                        let next = ways(graph, edges[i + 1]);
                        assert!(
                            next.iter().any(|w| rel.to.contains(w)),
                            "{file}: relation {} (only) left by {next:?}",
                            rel.id
                        );
                    }
                } else {
                    assert_eq!(
                        makes(graph, &edges, &rel),
                        None,
                        "{file}: relation {} forbidden move made",
                        rel.id
                    );
                }
                checked += 1;
            }
        }
    }
    if shared_osm(EXTRACTS[0]).is_some() {
        assert!(checked > 100, "only {checked} restrictions checked");
    }
}
