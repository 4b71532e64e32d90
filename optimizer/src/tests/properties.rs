//! Properties over random problems: every solution passes the checker, and adding a job keeps
//! both the old solution (with the job unserved) and the new one valid.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;

use super::generate::{job, problem};
use super::solve_checked;
use crate::check;
use crate::model::JobIdx;
use crate::solution::{Unserved, UnservedReason};

proptest! {
    #![proptest_config(Config { cases: 64, rng_seed: RngSeed::Fixed(5), failure_persistence: None, ..Config::default() })]

    #[test]
    fn solutions_pass_the_checker(seed in any::<u64>(), jobs in 0usize..14, vehicles in 1usize..4, rich in any::<bool>()) {
        let problem = problem(seed, jobs, vehicles, rich);
        solve_checked(&problem, 300);
    }

    #[test]
    fn adding_a_job_never_makes_the_checker_fail(seed in any::<u64>(), jobs in 0usize..10, vehicles in 1usize..3, rich in any::<bool>()) {
        let before = problem(seed, jobs, vehicles, rich);
        let solution = solve_checked(&before, 200);
        let mut after = before.clone();
        let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0xA5A5);
        let dims = before.vehicles[0].capacity.len();
        let added = job(&mut rng, jobs as u32 + 2, vehicles, dims, rich);
        after.jobs.push(added.clone());
        let mut extended = solution.clone();
        extended.unserved.push(Unserved { job: JobIdx(jobs as u32), reason: UnservedReason::NotWorthIt });
        extended.value.unserved_priority += u64::from(added.priority);
        extended.value.unserved_penalty += added.penalty.unwrap_or_default();
        let violations = check(&after, &extended);
        prop_assert!(violations.is_empty(), "{:?}", violations);
        solve_checked(&after, 200);
    }
}
