//! The three covering models as linear programs over binary site variables.
//!
//! Demand points that reach exactly the same sites share one row ([`ReachClass`]), which
//! keeps the models small on dense territories. With `x_s` = 1 when site `s` opens and `y_c`
//! the covered share of class `c` (continuous in [0, 1]: at an optimum it is 1 exactly when an
//! open site reaches the class):
//!
//! - **Set covering**: minimise Σ c_s x_s subject to Σ_{s reaches c} x_s ≥ 1 for every class;
//!   c_s = 1 + ε(1 − a_s) with a_s the attendance score and ε = 1/(n + 1), so the number of
//!   sites decides and attendance only breaks ties.
//! - **Maximal covering**: maximise Σ w_c y_c + Σ ε a_s x_s subject to y_c ≤ Σ_{s reaches c} x_s
//!   and Σ x_s ≤ K; the attendance term (ε a thousandth of the lightest weight over K) only
//!   breaks ties.
//! - **Fairness**: maximise t + δ Σ w_c y_c / W subject to Σ_{c in g} w_c y_c ≥ t · C_g for
//!   every commune g with coverable weight C_g > 0, y_c ≤ Σ x_s, Σ x_s ≤ K, 0 ≤ t ≤ 1; t is the
//!   worst commune's covered share and δ = 10⁻³ makes the covered weight W decide among equally
//!   fair answers. Classes are split by commune for this model.

use good_lp::{Constraint, Expression, ProblemVariables, Variable, constraint, variable};

use super::instance::{CoverageInstance, ReachClass, SiteIdx};

/// Weight of the covered population against the worst share in the fairness objective.
pub const FAIRNESS_TIE_BREAK: f64 = 1e-3;

/// Which way the objective goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sense {
    /// Smaller is better.
    Minimise,
    /// Larger is better.
    Maximise,
}

/// A model ready for a solver.
pub struct Formulation {
    /// The variables.
    pub variables: ProblemVariables,
    /// The objective.
    pub objective: Expression,
    /// Its direction.
    pub sense: Sense,
    /// The constraints.
    pub constraints: Vec<Constraint>,
    /// The variable of each site that reaches some demand (`None` for a site that does not).
    pub site_vars: Vec<Option<Variable>>,
    classes: Vec<ReachClass>,
    class_vars: Vec<Variable>,
    share_var: Option<Variable>,
}

/// Which model, with its budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModelKind {
    /// Cover everything coverable with the fewest sites.
    SetCover,
    /// At most `budget` sites, most weight covered.
    MaxCover {
        /// Most sites.
        budget: usize,
    },
    /// At most `budget` sites, best worst commune share.
    Fairness {
        /// Most sites.
        budget: usize,
    },
}

impl Formulation {
    /// Builds the model; `relaxed` makes the site variables continuous in [0, 1] (the LP
    /// relaxation, whose optimum bounds the integer one).
    pub fn build(instance: &CoverageInstance, kind: ModelKind, relaxed: bool) -> Self {
        let classes = match kind {
            ModelKind::Fairness { .. } => instance.reach_classes_by_group(),
            _ => instance.reach_classes(),
        };
        let mut variables = ProblemVariables::new();
        let mut used = vec![false; instance.site_count()];
        for class in &classes {
            for s in &class.sites {
                used[s.index()] = true;
            }
        }
        let site_vars: Vec<Option<Variable>> = used
            .iter()
            .map(|u| {
                u.then(|| {
                    let v = variable().min(0).max(1);
                    variables.add(if relaxed { v } else { v.binary() })
                })
            })
            .collect();
        let x = |s: &SiteIdx| site_vars[s.index()];
        let sum_x = |sites: &[SiteIdx]| -> Expression { sites.iter().filter_map(x).sum() };
        let all_x: Expression = site_vars.iter().flatten().sum();
        let mut constraints = Vec::new();
        let mut class_vars = Vec::new();
        let mut share_var = None;
        let (objective, sense) = match kind {
            ModelKind::SetCover => {
                for class in &classes {
                    constraints.push(constraint!(sum_x(&class.sites) >= 1));
                }
                let epsilon = 1.0 / (instance.site_count() as f64 + 1.0);
                let objective = instance
                    .site_indices()
                    .filter_map(|s| x(&s).map(|v| (1.0 + epsilon * (1.0 - instance.score(s))) * v))
                    .sum();
                (objective, Sense::Minimise)
            }
            ModelKind::MaxCover { budget } | ModelKind::Fairness { budget } => {
                constraints.push(constraint!(all_x.clone() <= budget as f64));
                for class in &classes {
                    let y = variables.add(variable().min(0).max(1));
                    constraints.push(constraint!(y <= sum_x(&class.sites)));
                    class_vars.push(y);
                }
                let covered: Expression = classes
                    .iter()
                    .zip(&class_vars)
                    .map(|(c, y)| c.weight * *y)
                    .sum();
                if let ModelKind::Fairness { .. } = kind {
                    let t = variables.add(variable().min(0).max(1));
                    share_var = Some(t);
                    let coverable = instance.coverable_weight_by_group();
                    for (g, total) in coverable.iter().enumerate().filter(|(_, w)| **w > 0.0) {
                        let in_group: Expression = classes
                            .iter()
                            .zip(&class_vars)
                            .filter(|(c, _)| class_group(instance, c) == g)
                            .map(|(c, y)| c.weight * *y)
                            .sum();
                        constraints.push(constraint!(in_group >= *total * t));
                    }
                    let scale = coverable.iter().sum::<f64>().max(f64::MIN_POSITIVE);
                    (t + (FAIRNESS_TIE_BREAK / scale) * covered, Sense::Maximise)
                } else {
                    let lightest = classes
                        .iter()
                        .map(|c| c.weight)
                        .filter(|w| *w > 0.0)
                        .fold(f64::INFINITY, f64::min);
                    let epsilon = if lightest.is_finite() {
                        lightest * 1e-3 / (budget.max(1) as f64)
                    } else {
                        0.0
                    };
                    let bonus: Expression = instance
                        .site_indices()
                        .filter_map(|s| x(&s).map(|v| epsilon * instance.score(s) * v))
                        .sum();
                    (covered + bonus, Sense::Maximise)
                }
            }
        };
        Formulation {
            variables,
            objective,
            sense,
            constraints,
            site_vars,
            classes,
            class_vars,
            share_var,
        }
    }

    /// Values of every variable for a selection of sites, to start the solver from.
    pub fn start(&self, instance: &CoverageInstance, sites: &[SiteIdx]) -> Vec<(Variable, f64)> {
        let mut open = vec![false; self.site_vars.len()];
        for s in sites {
            open[s.index()] = true;
        }
        let mut values: Vec<(Variable, f64)> = self
            .site_vars
            .iter()
            .enumerate()
            .filter_map(|(s, v)| v.map(|v| (v, f64::from(u8::from(open[s])))))
            .collect();
        let mut covered_by_group = vec![0.0; instance.group_count()];
        for (class, y) in self.classes.iter().zip(&self.class_vars) {
            let on = class.sites.iter().any(|s| open[s.index()]);
            values.push((*y, f64::from(u8::from(on))));
            if on {
                covered_by_group[class_group(instance, class)] += class.weight;
            }
        }
        if let Some(t) = self.share_var {
            let share = covered_by_group
                .iter()
                .zip(instance.coverable_weight_by_group())
                .filter(|(_, c)| *c > 0.0)
                .map(|(w, c)| w / c)
                .fold(1.0, f64::min);
            values.push((t, share));
        }
        values
    }
}

/// The commune of a class (classes are split by commune for the fairness model; for the
/// others the first member's commune, unused).
fn class_group(instance: &CoverageInstance, class: &ReachClass) -> usize {
    class
        .members
        .first()
        .map_or(0, |d| instance.demand()[d.index()].group.index())
}
