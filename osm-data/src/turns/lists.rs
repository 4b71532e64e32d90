//! The turns out of every turn node while the turn graph is built: one flat array for all
//! nodes, which restrictions edit in place, so that no list of its own is allocated per node.
//!
//! One vector per road edge held Malta 8 × 8's 9.5 M turns in 3.5 M allocations, about
//! 200 MB beside the 76 MB of turns, at the build's peak.

use std::ops::Range;

use rayon::prelude::*;

/// Stands in a removed turn's head until [`TurnLists::compact`].
const REMOVED: u32 = u32::MAX;

/// Nodes whose turns are computed at once, on every core: bounds the per-node vectors that
/// computing them makes.
const BATCH: usize = 1 << 16;

/// Turns (head node, turn cost in ms) of every node, node by node.
pub(super) struct TurnLists {
    /// Where each node's turns start, and one past the last node's end.
    pub first_out: Vec<u32>,
    pub head: Vec<u32>,
    pub cost_ms: Vec<u32>,
}

impl TurnLists {
    /// The turns of nodes `0..count`, `turns(node)` for each.
    pub fn collect(count: usize, turns: impl Fn(usize) -> Vec<(u32, u32)> + Sync) -> Self {
        let mut lists = TurnLists {
            first_out: Vec::with_capacity(count + 1),
            head: Vec::new(),
            cost_ms: Vec::new(),
        };
        lists.first_out.push(0);
        for start in (0..count).step_by(BATCH) {
            let batch: Vec<Vec<(u32, u32)>> = (start..(start + BATCH).min(count))
                .into_par_iter()
                .map(&turns)
                .collect();
            for list in batch {
                lists.push(list);
            }
        }
        lists
    }

    /// Adds a node with these turns; its number.
    fn push(&mut self, turns: impl IntoIterator<Item = (u32, u32)>) -> u32 {
        for (head, cost) in turns {
            self.head.push(head);
            self.cost_ms.push(cost);
        }
        self.first_out.push(self.head.len() as u32);
        self.node_count() as u32 - 1
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }

    /// Where `node`'s turns lie, removed ones included.
    fn range(&self, node: u32) -> Range<usize> {
        self.first_out[node as usize] as usize..self.first_out[node as usize + 1] as usize
    }

    /// The arcs (indices) of `node`'s turns not removed.
    pub fn arcs(&self, node: u32) -> impl Iterator<Item = usize> + '_ {
        self.range(node).filter(|&a| self.head[a] != REMOVED)
    }

    /// Removes the turns of `node` whose head `keep` refuses.
    pub fn retain(&mut self, node: u32, keep: impl Fn(u32) -> bool) {
        let range = self.range(node);
        for head in &mut self.head[range] {
            if *head != REMOVED && !keep(*head) {
                *head = REMOVED;
            }
        }
    }

    /// Adds a node whose turns are those of `node` that `keep` accepts; its number.
    pub fn push_copy(&mut self, node: u32, keep: impl Fn(u32) -> bool) -> u32 {
        let turns: Vec<(u32, u32)> = self
            .arcs(node)
            .map(|a| (self.head[a], self.cost_ms[a]))
            .filter(|&(head, _)| keep(head))
            .collect();
        self.push(turns)
    }

    /// Drops the removed turns, moving the others forward in place.
    pub fn compact(&mut self) {
        let mut kept = 0;
        let mut start = 0;
        for node in 0..self.node_count() {
            let end = self.first_out[node + 1] as usize;
            for a in start..end {
                if self.head[a] != REMOVED {
                    self.head[kept] = self.head[a];
                    self.cost_ms[kept] = self.cost_ms[a];
                    kept += 1;
                }
            }
            start = end;
            self.first_out[node + 1] = kept as u32;
        }
        self.head.truncate(kept);
        self.cost_ms.truncate(kept);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turns_of(lists: &TurnLists, node: u32) -> Vec<(u32, u32)> {
        lists
            .arcs(node)
            .map(|a| (lists.head[a], lists.cost_ms[a]))
            .collect()
    }

    #[test]
    fn removed_and_copied_turns_survive_compaction_in_node_order() {
        // Node v turns to v + 1 and v + 2 (cost 10 v) over more than one batch.
        let count = BATCH + 3;
        let mut lists = TurnLists::collect(count, |v| {
            vec![(v as u32 + 1, 10 * v as u32), (v as u32 + 2, 10 * v as u32)]
        });
        assert_eq!(lists.node_count(), count);
        lists.retain(0, |head| head != 1);
        let copy = lists.push_copy(1, |head| head == 3);
        lists.retain(2, |_| false);
        lists.compact();

        assert_eq!(copy as usize, count);
        assert_eq!(turns_of(&lists, 0), [(2, 0)]);
        assert_eq!(turns_of(&lists, 1), [(2, 10), (3, 10)]);
        assert!(turns_of(&lists, 2).is_empty());
        assert_eq!(turns_of(&lists, 3), [(4, 30), (5, 30)]);
        assert_eq!(turns_of(&lists, copy), [(3, 10)]);
        let last = count as u32 - 1;
        assert_eq!(
            turns_of(&lists, last),
            [(last + 1, 10 * last), (last + 2, 10 * last)]
        );
        assert_eq!(lists.head.len(), 2 * count - 3 + 1);
        assert!(lists.head.iter().all(|&h| h != REMOVED));
    }
}
