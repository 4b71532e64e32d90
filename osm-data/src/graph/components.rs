//! Keep only the largest strongly connected component: from any of its junctions a unit can
//! reach every other one and come back, so every pair of snapped points has a route.

use super::split::Piece;

const UNVISITED: u32 = u32::MAX;

/// Which junctions belong to the largest strongly connected component of the pieces' directed
/// graph.
///
/// An iterative Tarjan over a compact adjacency array: recursion would overflow the stack on the
/// long chains of a road network, and petgraph's general-purpose graph (used as the reference in
/// the tests) is several times slower on the import's critical path.
pub(crate) fn largest_component(junctions: usize, pieces: &[Piece]) -> Vec<bool> {
    let arcs = pieces.iter().flat_map(|p| {
        let forward = p.forward_kmh.map(|_| (p.from, p.to));
        let backward = p.backward_kmh.map(|_| (p.to, p.from));
        forward.into_iter().chain(backward)
    });
    largest_of(junctions, arcs)
}

/// Which nodes belong to the largest strongly connected component of a directed graph.
fn largest_of(nodes: usize, arcs: impl Iterator<Item = (u32, u32)> + Clone) -> Vec<bool> {
    let (first, heads) = adjacency_array(nodes, arcs);
    largest_of_array(&first, &heads)
}

/// [`largest_of`] for a graph already stored as an adjacency array: node `v`'s arcs lead to
/// `heads[first[v]..first[v + 1]]` (a turn graph's own arrays, not copied).
pub(crate) fn largest_of_array(first: &[u32], heads: &[u32]) -> Vec<bool> {
    let (component, sizes) = strongly_connected(first, heads);
    let largest = (0..sizes.len()).max_by_key(|&c| sizes[c]).map(|c| c as u32);
    component.iter().map(|c| Some(*c) == largest).collect()
}

/// The arcs grouped by tail: (first arc of each node, heads).
fn adjacency_array(
    nodes: usize,
    arcs: impl Iterator<Item = (u32, u32)> + Clone,
) -> (Vec<u32>, Vec<u32>) {
    let mut first = vec![0u32; nodes + 1];
    for (tail, _) in arcs.clone() {
        first[tail as usize + 1] += 1;
    }
    for i in 1..first.len() {
        first[i] += first[i - 1];
    }
    let mut next = first.clone();
    let mut heads = vec![0u32; first[nodes] as usize];
    for (tail, head) in arcs {
        heads[next[tail as usize] as usize] = head;
        next[tail as usize] += 1;
    }
    (first, heads)
}

/// Tarjan's algorithm: the component of each node, and the size of each component.
fn strongly_connected(first: &[u32], heads: &[u32]) -> (Vec<u32>, Vec<u32>) {
    let nodes = first.len().saturating_sub(1);
    let mut search = Tarjan {
        order: vec![UNVISITED; nodes],
        low: vec![0; nodes],
        on_stack: vec![false; nodes],
        component: vec![UNVISITED; nodes],
        sizes: Vec::new(),
        stack: Vec::new(),
        calls: Vec::new(),
        counter: 0,
    };
    for root in 0..nodes as u32 {
        if search.order[root as usize] == UNVISITED {
            search.run(root, first, heads);
        }
    }
    (search.component, search.sizes)
}

/// The state of an iterative Tarjan search.
struct Tarjan {
    order: Vec<u32>,
    low: Vec<u32>,
    on_stack: Vec<bool>,
    component: Vec<u32>,
    sizes: Vec<u32>,
    stack: Vec<u32>,
    /// The simulated call stack: a node and the next of its arcs to follow.
    calls: Vec<(u32, u32)>,
    counter: u32,
}

impl Tarjan {
    fn visit(&mut self, v: u32, first_arc: u32) {
        self.order[v as usize] = self.counter;
        self.low[v as usize] = self.counter;
        self.counter += 1;
        self.stack.push(v);
        self.on_stack[v as usize] = true;
        self.calls.push((v, first_arc));
    }

    fn run(&mut self, root: u32, first: &[u32], heads: &[u32]) {
        self.visit(root, first[root as usize]);
        while let Some(&(v, arc)) = self.calls.last() {
            let vi = v as usize;
            if arc < first[vi + 1] {
                let w = heads[arc as usize];
                let top = self.calls.len() - 1;
                self.calls[top].1 += 1;
                if self.order[w as usize] == UNVISITED {
                    self.visit(w, first[w as usize]);
                } else if self.on_stack[w as usize] {
                    self.low[vi] = self.low[vi].min(self.order[w as usize]);
                }
                continue;
            }
            self.calls.pop();
            if let Some(&(parent, _)) = self.calls.last() {
                self.low[parent as usize] = self.low[parent as usize].min(self.low[vi]);
            }
            if self.low[vi] == self.order[vi] {
                let id = self.sizes.len() as u32;
                let mut size = 0;
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w as usize] = false;
                    self.component[w as usize] = id;
                    size += 1;
                    if w == v {
                        break;
                    }
                }
                self.sizes.push(size);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OsmWayId;
    use petgraph::algo::kosaraju_scc;
    use petgraph::graph::DiGraph;

    fn piece(from: u32, to: u32, forward: bool, backward: bool) -> Piece {
        Piece {
            from,
            to,
            first_point: 0,
            point_count: 2,
            forward_kmh: forward.then_some(10.0),
            backward_kmh: backward.then_some(10.0),
            way: OsmWayId(1),
        }
    }

    #[test]
    fn one_way_dead_ends_and_islands_are_dropped() {
        // 0 <-> 1 <-> 2 is the main component, 2 -> 3 is a one-way dead end, 4 <-> 5 an island.
        let pieces = [
            piece(0, 1, true, true),
            piece(1, 2, true, true),
            piece(2, 3, true, false),
            piece(4, 5, true, true),
        ];
        assert_eq!(
            largest_component(6, &pieces),
            vec![true, true, true, false, false, false]
        );
    }

    #[test]
    fn components_match_petgraph_on_random_graphs() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut random = move |bound: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % bound
        };
        for _ in 0..50 {
            let nodes = 1 + random(200) as usize;
            let arcs: Vec<(u32, u32)> = (0..random(400))
                .map(|_| (random(nodes as u64) as u32, random(nodes as u64) as u32))
                .collect();
            let (first, heads) = adjacency_array(nodes, arcs.iter().copied());
            let (component, sizes) = strongly_connected(&first, &heads);
            let graph = DiGraph::<(), ()>::from_edges(arcs.iter().copied());
            let mut expected: Vec<Vec<usize>> = kosaraju_scc(&graph)
                .into_iter()
                .map(|c| c.into_iter().map(|n| n.index()).collect())
                .collect();
            // Nodes with no arc at all are absent from petgraph's graph when they are last.
            let listed: usize = expected.iter().map(Vec::len).sum();
            expected.extend((listed..nodes).map(|n| vec![n]));
            assert_eq!(sizes.len(), expected.len());
            for members in expected {
                let id = component[members[0]];
                assert!(members.iter().all(|m| component[*m] == id));
                assert_eq!(sizes[id as usize] as usize, members.len());
            }
        }
    }
}
