//! A metric-independent node order by nested dissection (METIS): separate the graph into two
//! halves by a small set of nodes, order each half the same way, then the separator last.
//!
//! Such an order bounds the shortcuts of a contraction without any witness search: a node's
//! upper neighbours stay within the separators above it. The two halves of the first
//! separations are ordered on separate cores.

use metis_sys::idx_t;
use rayon::prelude::*;

/// Below this many nodes a part is ordered by one METIS call instead of being split further.
const SERIAL_NODES: usize = 1 << 17;

/// How many times the graph is split before the parts are ordered in parallel (2² parts).
const PARALLEL_DEPTH: u32 = 2;

/// Why no order could be computed.
#[derive(Debug, thiserror::Error)]
pub enum OrderError {
    /// The graph has more nodes or arcs than METIS' 32-bit indices hold.
    #[error("{nodes} nodes and {arcs} arcs exceed METIS' 32-bit indices")]
    TooLarge {
        /// Nodes of the graph.
        nodes: usize,
        /// Arcs, both directions.
        arcs: usize,
    },
    /// METIS failed (its status code: -3 is out of memory).
    #[error("METIS failed with status {0}")]
    Metis(i32),
}

/// An undirected graph as METIS takes it: each edge in both directions, no loops, no
/// duplicates.
struct Csr {
    xadj: Vec<idx_t>,
    adjncy: Vec<idx_t>,
}

impl Csr {
    /// The graph of `n` nodes with these edges, each given once as (smaller, larger).
    fn new(n: usize, edges: &[(u32, u32)]) -> Result<Self, OrderError> {
        let too_large = || OrderError::TooLarge {
            nodes: n,
            arcs: 2 * edges.len(),
        };
        if n >= idx_t::MAX as usize || 2 * edges.len() >= idx_t::MAX as usize {
            return Err(too_large());
        }
        let mut xadj = vec![0 as idx_t; n + 1];
        for &(a, b) in edges {
            xadj[a as usize + 1] += 1;
            xadj[b as usize + 1] += 1;
        }
        for i in 0..n {
            xadj[i + 1] += xadj[i];
        }
        let mut fill: Vec<idx_t> = xadj[..n].to_vec();
        let mut adjncy = vec![0 as idx_t; 2 * edges.len()];
        for &(a, b) in edges {
            adjncy[fill[a as usize] as usize] = b as idx_t;
            fill[a as usize] += 1;
            adjncy[fill[b as usize] as usize] = a as idx_t;
            fill[b as usize] += 1;
        }
        Ok(Csr { xadj, adjncy })
    }

    fn nodes(&self) -> usize {
        self.xadj.len() - 1
    }

    fn neighbours(&self, v: usize) -> &[idx_t] {
        &self.adjncy[self.xadj[v] as usize..self.xadj[v + 1] as usize]
    }

    /// The subgraph induced by `nodes` (sorted), numbered by position in `nodes`.
    fn induced(&self, nodes: &[u32]) -> Self {
        let mut local = vec![idx_t::MAX; self.nodes()];
        for (i, &v) in nodes.iter().enumerate() {
            local[v as usize] = i as idx_t;
        }
        let mut xadj = Vec::with_capacity(nodes.len() + 1);
        let mut adjncy = Vec::new();
        xadj.push(0);
        for &v in nodes {
            adjncy.extend(
                self.neighbours(v as usize)
                    .iter()
                    .map(|&w| local[w as usize])
                    .filter(|&w| w != idx_t::MAX),
            );
            xadj.push(adjncy.len() as idx_t);
        }
        Csr { xadj, adjncy }
    }

    /// The order of this graph's nodes (first contracted first), split `depth` more times
    /// before the parts are ordered in parallel.
    fn dissect(mut self, depth: u32) -> Result<Vec<u32>, OrderError> {
        let n = self.nodes();
        if n <= 1 {
            return Ok((0..n as u32).collect());
        }
        if depth == 0 || n <= SERIAL_NODES {
            return self.node_nd();
        }
        let part = self.separate()?;
        let side =
            |p: idx_t| -> Vec<u32> { (0..n as u32).filter(|&v| part[v as usize] == p).collect() };
        let (left, right, separator) = (side(0), side(1), side(2));
        let (left_graph, right_graph) = (self.induced(&left), self.induced(&right));
        drop(self);
        let (left_order, right_order) = rayon::join(
            || left_graph.dissect(depth - 1),
            || right_graph.dissect(depth - 1),
        );
        let mut order = Vec::with_capacity(n);
        order.extend(left_order?.into_iter().map(|i| left[i as usize]));
        order.extend(right_order?.into_iter().map(|i| right[i as usize]));
        order.extend(separator);
        Ok(order)
    }

    /// METIS' vertex separator: 0 and 1 for the halves, 2 for the separator.
    fn separate(&mut self) -> Result<Vec<idx_t>, OrderError> {
        let mut nvtxs = self.nodes() as idx_t;
        let mut options = default_options();
        let mut separator_size: idx_t = 0;
        let mut part = vec![0 as idx_t; self.nodes()];
        // SAFETY: `xadj`/`adjncy` are a well-formed CSR graph of `nvtxs` nodes (built by
        // `Csr::new` or `Csr::induced`) and `part` holds `nvtxs` entries, as METIS requires.
        let status = unsafe {
            metis_sys::METIS_ComputeVertexSeparator(
                &mut nvtxs,
                self.xadj.as_mut_ptr(),
                self.adjncy.as_mut_ptr(),
                std::ptr::null_mut(),
                options.as_mut_ptr(),
                &mut separator_size,
                part.as_mut_ptr(),
            )
        };
        check(status)?;
        Ok(part)
    }

    /// METIS' nested dissection of the whole graph, as an order.
    fn node_nd(&mut self) -> Result<Vec<u32>, OrderError> {
        let n = self.nodes();
        let mut nvtxs = n as idx_t;
        let mut options = default_options();
        let mut perm = vec![0 as idx_t; n];
        let mut iperm = vec![0 as idx_t; n];
        // SAFETY: as in `separate`; `perm` and `iperm` hold `nvtxs` entries.
        let status = unsafe {
            metis_sys::METIS_NodeND(
                &mut nvtxs,
                self.xadj.as_mut_ptr(),
                self.adjncy.as_mut_ptr(),
                std::ptr::null_mut(),
                options.as_mut_ptr(),
                perm.as_mut_ptr(),
                iperm.as_mut_ptr(),
            )
        };
        check(status)?;
        Ok(perm.into_iter().map(|v| v as u32).collect())
    }
}

/// METIS' default options, but for the search for nodes of identical neighbours to merge
/// before ordering: a turn graph has next to none, and looking cost the car of Malta 8 × 8
/// about 1 s of its 13 s nested dissection (11.7–12.5 s without, the same 231 M triangles).
fn default_options() -> [idx_t; metis_sys::METIS_NOPTIONS as usize] {
    let mut options = [0; metis_sys::METIS_NOPTIONS as usize];
    // SAFETY: `options` has the METIS_NOPTIONS entries METIS fills.
    unsafe {
        metis_sys::METIS_SetDefaultOptions(options.as_mut_ptr());
    }
    options[metis_sys::moptions_et_METIS_OPTION_COMPRESS as usize] = 0;
    options
}

fn check(status: i32) -> Result<(), OrderError> {
    if status == metis_sys::rstatus_et_METIS_OK {
        Ok(())
    } else {
        Err(OrderError::Metis(status))
    }
}

/// The rank of each of `n` nodes in a nested dissection order of the undirected graph with
/// these edges, each as (smaller, larger), no loops, repeats allowed; they are dropped once
/// METIS has its own copy.
pub(crate) fn nested_dissection(
    n: usize,
    mut edges: Vec<(u32, u32)>,
) -> Result<Vec<u32>, OrderError> {
    edges.par_sort_unstable();
    edges.dedup();
    let graph = Csr::new(n, &edges)?;
    drop(edges);
    let order = graph.dissect(PARALLEL_DEPTH)?;
    let mut rank = vec![0u32; n];
    for (r, &v) in order.iter().enumerate() {
        rank[v as usize] = r as u32;
    }
    Ok(rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `w` × `h` grid, nodes numbered row by row.
    fn grid(w: u32, h: u32) -> Vec<(u32, u32)> {
        let mut edges = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let v = y * w + x;
                if x + 1 < w {
                    edges.push((v, v + 1));
                }
                if y + 1 < h {
                    edges.push((v, v + w));
                }
            }
        }
        edges
    }

    #[test]
    fn every_node_gets_a_distinct_rank() {
        for (w, h) in [(1, 1), (2, 1), (7, 5), (400, 400)] {
            let rank = nested_dissection((w * h) as usize, grid(w, h)).expect("ordered");
            let mut sorted = rank.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..w * h).collect::<Vec<_>>(), "{w} x {h}");
        }
    }
}
