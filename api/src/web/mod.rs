//! The dispatcher's web page: static files embedded in the binary (so `tournee serve` needs
//! nothing else at run time), the road layer its map draws, and the built-in demo week.

pub mod assets;
pub mod demo;
pub mod roads;
