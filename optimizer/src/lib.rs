//! The problem model, solver and independent checker of Tournée's weekly planner.
//!
//! It works on travel-time and distance matrices, never on maps, and has no async runtime, so
//! that it can be tested and benchmarked on its own.
