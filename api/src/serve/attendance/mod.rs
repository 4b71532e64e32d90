//! Attendance, from the field back into the plan (issue 19): the records the teams enter after
//! each visit ([`input`]), matched to the visits of the plan in force ([`visits`]), read back
//! per stop, unit and weekday with the advice they support ([`summary`]), and turned into a
//! proposed re-plan ([`proposal`]).

pub mod input;
pub mod proposal;
pub mod summary;
pub mod visits;

/// `3,1`: a figure with one decimal and a decimal comma, as the French sentences write it.
pub fn french(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}
