//! Tests of the real `budsql` binary on a real store on disk: the golden values of the
//! seed document through SQL, every output format, scripts, exit codes and messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod cli;
mod crash;
mod faults;
mod fixtures;
mod generated;
mod golden;
mod hostile;
mod national;
mod pdf;
mod pty;
mod report;
mod s3;
mod shell;
mod util;
