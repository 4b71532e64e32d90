//! Matching `type=restriction` relations to a profile's graph: which sequences of road edges
//! they forbid or impose, and why the others are skipped.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::extract::{MemberKind, OsmExtract, RawRestriction};
use crate::graph::RoadGraph;
use crate::ids::{EdgeIdx, NodeIdx, OsmWayId, SegmentIdx};
use crate::profile::{Profile, ProfileKind};
use crate::tags::{RestrictionMode, Role, TurnRule, restriction::TagProblem};

/// Longest run of road edges a via-way restriction may span (several via ways, each cut at
/// its junctions).
const MAX_VIA_EDGES: usize = 12;
/// Weight above which a vehicle counts as a heavy goods vehicle for `restriction:hgv`, t.
const HGV_ABOVE_T: f64 = 3.5;

/// Why a restriction relation was skipped as broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BrokenCause {
    /// The member list could not be decoded.
    Unreadable,
    /// A `restriction*=*` value that is not a turn restriction.
    UnknownValue,
    /// No `restriction*=*` key.
    NoRestrictionTag,
    /// No `from` way.
    MissingFrom,
    /// No `to` way.
    MissingTo,
    /// No `via` member.
    MissingVia,
    /// A `from`/`to` that is not a way, a `via` that is a relation.
    WrongMemberType,
    /// Several via nodes, or via nodes and ways mixed.
    AmbiguousVia,
    /// A member the file does not hold as a road (cut off by the extract's border, or not a
    /// highway).
    MemberNotInFile,
    /// The via does not join the `from` and `to` ways.
    ViaDoesNotJoin,
}

/// What became of the restriction relations for one profile, as the import reports it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RestrictionReport {
    /// `type=restriction` relations in the file.
    pub relations: usize,
    /// Applied to this profile's graph.
    pub applied: usize,
    /// Only conditional (`restriction:conditional`): counted, not applied.
    pub conditional: usize,
    /// `except=*` lets this unit through.
    pub exempt: usize,
    /// Only for other vehicles (`restriction:hgv` for a car, …).
    pub other_vehicles: usize,
    /// On roads this profile does not use (or at a place where its graph offers no choice).
    pub off_network: usize,
    /// Skipped as broken, by cause.
    pub broken: BTreeMap<BrokenCause, usize>,
}

impl std::fmt::Display for RestrictionReport {
    /// One line for the import report: `180 relations: 49 applied, …, 123 broken (…)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let broken: usize = self.broken.values().sum();
        write!(
            f,
            "{} relations: {} applied, {} conditional (not applied), {} exempt (except=), \
             {} for other vehicles, {} off this network, {broken} broken",
            self.relations,
            self.applied,
            self.conditional,
            self.exempt,
            self.other_vehicles,
            self.off_network,
        )?;
        if broken > 0 {
            let causes: Vec<String> = self
                .broken
                .iter()
                .map(|(cause, n)| format!("{} {n}", cause.name()))
                .collect();
            write!(f, " ({})", causes.join(", "))?;
        }
        Ok(())
    }
}

impl BrokenCause {
    /// The cause as the JSON report spells it.
    pub fn name(self) -> &'static str {
        match self {
            BrokenCause::Unreadable => "unreadable",
            BrokenCause::UnknownValue => "unknown_value",
            BrokenCause::NoRestrictionTag => "no_restriction_tag",
            BrokenCause::MissingFrom => "missing_from",
            BrokenCause::MissingTo => "missing_to",
            BrokenCause::MissingVia => "missing_via",
            BrokenCause::WrongMemberType => "wrong_member_type",
            BrokenCause::AmbiguousVia => "ambiguous_via",
            BrokenCause::MemberNotInFile => "member_not_in_file",
            BrokenCause::ViaDoesNotJoin => "via_does_not_join",
        }
    }
}

/// A restriction on the graph: having travelled `prefix` (the `from` edge, then the via
/// edges), the unit may not continue onto `targets` (`No`) or only onto them (`Only`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EdgeRule {
    pub prefix: Vec<EdgeIdx>,
    pub targets: Vec<EdgeIdx>,
    pub rule: TurnRule,
}

/// The restriction modes that speak for a profile, most specific first.
pub(crate) fn modes(profile: &Profile) -> Vec<RestrictionMode> {
    use RestrictionMode::*;
    let heavy = profile.weight_t > HGV_ABOVE_T;
    let mut modes = match profile.kind {
        ProfileKind::Car => vec![Motorcar, MotorVehicle],
        ProfileKind::Bus => vec![Bus, Psv],
        ProfileKind::CampingCar => vec![Motorhome],
        ProfileKind::Triporteur => vec![Bicycle],
        ProfileKind::Foot => return Vec::new(),
    };
    if heavy && profile.kind.is_motor_vehicle() {
        modes.push(Hgv);
    }
    if profile.kind == ProfileKind::CampingCar && !heavy {
        modes.push(Motorcar);
    }
    if profile.kind.is_motor_vehicle() && !modes.contains(&MotorVehicle) {
        modes.push(MotorVehicle);
    }
    modes.push(All);
    modes
}

/// Where each road meets a junction: the OSM way at an edge's tail and at its head.
struct WayEnds<'g> {
    graph: &'g RoadGraph,
}

impl WayEnds<'_> {
    fn at_head(&self, edge: EdgeIdx) -> Option<OsmWayId> {
        let e = self.graph.edge(edge);
        let ways = self.graph.segment_ways(e.segment);
        if e.reversed {
            ways.first()
        } else {
            ways.last()
        }
        .copied()
    }

    fn at_tail(&self, edge: EdgeIdx) -> Option<OsmWayId> {
        let e = self.graph.edge(edge);
        let ways = self.graph.segment_ways(e.segment);
        if e.reversed {
            ways.last()
        } else {
            ways.first()
        }
        .copied()
    }
}

/// Matches every restriction of `extract` to `graph` for `profile`.
pub(crate) fn resolve(
    extract: &OsmExtract,
    graph: &RoadGraph,
    profile: &Profile,
    in_edges: &[Vec<EdgeIdx>],
) -> (Vec<EdgeRule>, RestrictionReport) {
    let modes = modes(profile);
    let mut report = RestrictionReport {
        relations: extract.restrictions().len(),
        ..RestrictionReport::default()
    };
    let mut rules = Vec::new();
    if modes.is_empty() {
        report.other_vehicles = report.relations;
        return (rules, report);
    }
    let file_ways: HashSet<i64> = extract.ways().iter().map(|w| w.id.0).collect();
    let graph_ways: HashSet<i64> = (0..graph.segments().len() as u32)
        .flat_map(|s| graph.segment_ways(SegmentIdx(s)).iter().map(|w| w.0))
        .collect();
    let via_ids: HashSet<i64> = extract
        .restrictions()
        .iter()
        .flat_map(|r| r.members.iter())
        .filter(|m| m.kind == MemberKind::Node)
        .map(|m| m.id)
        .collect();
    let from_ways: HashSet<i64> = extract
        .restrictions()
        .iter()
        .filter(|r| {
            r.members
                .iter()
                .any(|m| m.role == Some(Role::Via) && m.kind == MemberKind::Way)
        })
        .flat_map(|r| r.members.iter())
        .filter(|m| m.role == Some(Role::From))
        .map(|m| m.id)
        .collect();
    let mut from_segments: HashMap<i64, Vec<SegmentIdx>> = HashMap::new();
    for s in 0..graph.segments().len() as u32 {
        for way in graph.segment_ways(SegmentIdx(s)) {
            if from_ways.contains(&way.0) {
                from_segments.entry(way.0).or_default().push(SegmentIdx(s));
            }
        }
    }
    let mut junctions: HashMap<i64, Vec<NodeIdx>> = HashMap::new();
    for n in 0..graph.node_count() as u32 {
        let id = graph.node_osm_id(NodeIdx(n)).0;
        if via_ids.contains(&id) {
            junctions.entry(id).or_default().push(NodeIdx(n));
        }
    }
    let context = Context {
        graph,
        ends: WayEnds { graph },
        in_edges,
        file_ways: &file_ways,
        graph_ways: &graph_ways,
        junctions: &junctions,
        from_segments: &from_segments,
        extract,
    };
    for relation in extract.restrictions() {
        match context.resolve_one(relation, &modes) {
            Outcome::Applied(mut found) => {
                report.applied += 1;
                rules.append(&mut found);
            }
            Outcome::Conditional => report.conditional += 1,
            Outcome::Exempt => report.exempt += 1,
            Outcome::OtherVehicles => report.other_vehicles += 1,
            Outcome::OffNetwork => report.off_network += 1,
            Outcome::Broken(cause) => *report.broken.entry(cause).or_default() += 1,
        }
    }
    (rules, report)
}

enum Outcome {
    Applied(Vec<EdgeRule>),
    Conditional,
    Exempt,
    OtherVehicles,
    OffNetwork,
    Broken(BrokenCause),
}

struct Context<'a> {
    graph: &'a RoadGraph,
    ends: WayEnds<'a>,
    in_edges: &'a [Vec<EdgeIdx>],
    file_ways: &'a HashSet<i64>,
    graph_ways: &'a HashSet<i64>,
    junctions: &'a HashMap<i64, Vec<NodeIdx>>,
    from_segments: &'a HashMap<i64, Vec<SegmentIdx>>,
    extract: &'a OsmExtract,
}

impl Context<'_> {
    fn resolve_one(&self, relation: &RawRestriction, modes: &[RestrictionMode]) -> Outcome {
        if relation.unreadable {
            return Outcome::Broken(BrokenCause::Unreadable);
        }
        let tags = &relation.tags;
        let rule = match tags.rule_for(modes) {
            Some(rule) => rule,
            None if tags.rules.is_empty() && tags.conditional => return Outcome::Conditional,
            None => {
                return match tags.problem {
                    Some(TagProblem::UnknownValue) if tags.rules.is_empty() => {
                        Outcome::Broken(BrokenCause::UnknownValue)
                    }
                    Some(TagProblem::NoRestrictionTag) => {
                        Outcome::Broken(BrokenCause::NoRestrictionTag)
                    }
                    _ if tags.except.iter().any(|e| modes.contains(e)) => Outcome::Exempt,
                    _ => Outcome::OtherVehicles,
                };
            }
        };
        let (mut from, mut to, mut via_nodes, mut via_ways) = (vec![], vec![], vec![], vec![]);
        for member in &relation.members {
            match (member.role, member.kind) {
                (Some(Role::From), MemberKind::Way) => from.push(member.id),
                (Some(Role::To), MemberKind::Way) => to.push(member.id),
                (Some(Role::Via), MemberKind::Node) => via_nodes.push(member.id),
                (Some(Role::Via), MemberKind::Way) => via_ways.push(member.id),
                (None, _) => {}
                _ => return Outcome::Broken(BrokenCause::WrongMemberType),
            }
        }
        if from.is_empty() {
            return Outcome::Broken(BrokenCause::MissingFrom);
        }
        if to.is_empty() {
            return Outcome::Broken(BrokenCause::MissingTo);
        }
        if via_nodes.len() + via_ways.len() == 0 {
            return Outcome::Broken(BrokenCause::MissingVia);
        }
        if via_nodes.len() > 1 || (!via_nodes.is_empty() && !via_ways.is_empty()) {
            return Outcome::Broken(BrokenCause::AmbiguousVia);
        }
        let ways = from.iter().chain(&to).chain(&via_ways);
        if ways.clone().any(|w| !self.file_ways.contains(w))
            || via_nodes
                .iter()
                .any(|n| self.extract.node_index(crate::ids::OsmNodeId(*n)).is_none())
        {
            return Outcome::Broken(BrokenCause::MemberNotInFile);
        }
        if ways.clone().any(|w| !self.graph_ways.contains(w)) {
            return Outcome::OffNetwork;
        }
        let found = match via_nodes.first() {
            Some(node) => self.via_node(*node, &from, &to, rule),
            None => self.via_ways(&from, &via_ways, &to, rule),
        };
        match found {
            Ok(rules) if rules.is_empty() => Outcome::Broken(BrokenCause::ViaDoesNotJoin),
            Ok(rules) => Outcome::Applied(rules),
            Err(outcome) => outcome,
        }
    }

    fn via_node(
        &self,
        node: i64,
        from: &[i64],
        to: &[i64],
        rule: TurnRule,
    ) -> Result<Vec<EdgeRule>, Outcome> {
        // A via node the graph merged into a road (two roads meeting end to end) offers no
        // choice to restrict; one absent from this graph lies on roads it does not use.
        let Some(junctions) = self.junctions.get(&node) else {
            return Err(Outcome::OffNetwork);
        };
        let mut rules = Vec::new();
        for &junction in junctions {
            let targets: Vec<EdgeIdx> = self
                .graph
                .out_edges(junction)
                .map(|(e, _)| e)
                .filter(|e| self.ends.at_tail(*e).is_some_and(|w| to.contains(&w.0)))
                .collect();
            if targets.is_empty() {
                continue;
            }
            for &edge in &self.in_edges[junction.index()] {
                if self.ends.at_head(edge).is_some_and(|w| from.contains(&w.0)) {
                    rules.push(EdgeRule {
                        prefix: vec![edge],
                        targets: targets.clone(),
                        rule,
                    });
                }
            }
        }
        Ok(rules)
    }

    fn via_ways(
        &self,
        from: &[i64],
        via: &[i64],
        to: &[i64],
        rule: TurnRule,
    ) -> Result<Vec<EdgeRule>, Outcome> {
        let on_via = |e: EdgeIdx| {
            let segment = self.graph.edge(e).segment;
            self.graph
                .segment_ways(segment)
                .iter()
                .all(|w| via.contains(&w.0))
        };
        let mut rules = Vec::new();
        let froms = from
            .iter()
            .flat_map(|w| self.from_segments.get(w).into_iter().flatten())
            .flat_map(|s| {
                let segment = self.graph.segment(*s);
                segment.forward.into_iter().chain(segment.backward)
            })
            .filter(|e| !on_via(*e) && self.ends.at_head(*e).is_some_and(|w| from.contains(&w.0)));
        for start in froms {
            // Depth-first along via edges, never back along the segment just travelled.
            let mut stack: Vec<Vec<EdgeIdx>> = vec![vec![start]];
            while let Some(path) = stack.pop() {
                let last = *path.last().unwrap_or(&start);
                let at = self.graph.edge(last).head;
                let last_segment = self.graph.edge(last).segment;
                if path.len() > 1 {
                    let targets: Vec<EdgeIdx> = self
                        .graph
                        .out_edges(at)
                        .map(|(e, _)| e)
                        .filter(|e| {
                            !on_via(*e) && self.ends.at_tail(*e).is_some_and(|w| to.contains(&w.0))
                        })
                        .collect();
                    if !targets.is_empty() {
                        rules.push(EdgeRule {
                            prefix: path.clone(),
                            targets,
                            rule,
                        });
                        continue;
                    }
                }
                if path.len() > MAX_VIA_EDGES {
                    continue;
                }
                for (next, edge) in self.graph.out_edges(at) {
                    let seen = path
                        .iter()
                        .any(|p| self.graph.edge(*p).segment == edge.segment);
                    if on_via(next) && edge.segment != last_segment && !seen {
                        let mut longer = path.clone();
                        longer.push(next);
                        stack.push(longer);
                    }
                }
            }
        }
        Ok(rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_follow_the_vehicle() {
        use RestrictionMode::*;
        let bus = modes(&Profile::new(ProfileKind::Bus));
        assert_eq!(bus, vec![Bus, Psv, Hgv, MotorVehicle, All]);
        let camper = modes(&Profile::new(ProfileKind::CampingCar));
        assert_eq!(camper, vec![Motorhome, Motorcar, MotorVehicle, All]);
        let mut heavy = Profile::new(ProfileKind::CampingCar);
        heavy.weight_t = 4.2;
        assert_eq!(modes(&heavy), vec![Motorhome, Hgv, MotorVehicle, All]);
        assert_eq!(
            modes(&Profile::new(ProfileKind::Triporteur)),
            vec![Bicycle, All]
        );
        assert!(modes(&Profile::new(ProfileKind::Foot)).is_empty());
    }
}
