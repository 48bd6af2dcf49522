//! One reader per table family, each on the shared stages of [`crate::table`].

pub mod classified;
pub mod income;
pub mod summary;
pub mod three_public;
