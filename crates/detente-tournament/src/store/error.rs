//! Why a store cannot be written, resumed, merged or read.

use std::path::PathBuf;

/// Why a shard text (`k/N`) does not parse ([`super::Shard`]'s `FromStr`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// Not two whole numbers separated by `/`.
    #[error("shard `{0}`: expected k/N, two whole numbers such as 2/5")]
    Syntax(String),
    /// `N` is 0.
    #[error("shard `{0}`: the number of shards N must be at least 1")]
    NoShards(String),
    /// `k` is not in `1..=N`.
    #[error("shard {index}/{count}: k must be 1 to {count}")]
    OutOfRange {
        /// The `k` given.
        index: u32,
        /// The `N` given.
        count: u32,
    },
}

/// Why a tournament directory cannot be written, resumed, merged or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Arrow could not write or read a file (IPC, CSV).
    #[error("{path}: {source}")]
    Arrow {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: arrow_schema::ArrowError,
    },
    /// Parquet could not write or read a file.
    #[error("{path}: {source}")]
    Parquet {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: parquet::errors::ParquetError,
    },
    /// The manifest is not valid JSON of a manifest.
    #[error("{path}: not a tournament manifest: {source}")]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// Why.
        #[source]
        source: serde_json::Error,
    },
    /// The manifest was written by a store of another format version.
    #[error("{path}: manifest schema {found}, this version reads schema {expected}")]
    Schema {
        /// The manifest.
        path: PathBuf,
        /// Its `schema`.
        found: u32,
        /// The one this version writes.
        expected: u32,
    },
    /// A file of the store does not hold what the store writes.
    #[error("{path}: {reason}")]
    Corrupt {
        /// The file or directory.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// [`super::Definition::new`] was given a number of sources other than the scenarios'.
    #[error("{got} scenario sources for {expected} scenarios")]
    Sources {
        /// Scenarios in the tournament.
        expected: usize,
        /// Sources given.
        got: usize,
    },
    /// [`super::run`] was given a definition that does not describe the plan.
    #[error("the definition does not describe the plan: {what} differs")]
    NotThePlan {
        /// The first field that differs.
        what: &'static str,
    },
    /// The directory holds another tournament, or another shard of it (`force` replaces it).
    #[error("{dir} holds a different tournament ({what} differs); force replaces it")]
    Different {
        /// The directory.
        dir: PathBuf,
        /// What differs: `definition`, `shard`.
        what: String,
    },
    /// A non-empty directory without a manifest: never written to, even with `force`.
    #[error("{dir} is not empty and holds no tournament.json: not a tournament directory, left alone")]
    NotATournament {
        /// The directory.
        dir: PathBuf,
    },
    /// The path exists and is not a directory.
    #[error("{path} is not a directory")]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// A tournament directory whose run has not finished (no final results yet).
    #[error("{dir}: the tournament is not complete (run it again to resume)")]
    Incomplete {
        /// The directory.
        dir: PathBuf,
    },
    /// [`super::merge`] was given no directories.
    #[error("merge: no shard directories given")]
    NoShards,
    /// A directory given to [`super::merge`] is not a shard.
    #[error("{dir}: not a shard (its manifest has no shard)")]
    Unsharded {
        /// The directory.
        dir: PathBuf,
    },
    /// Shards of different counts given to [`super::merge`].
    #[error("{dir}: shard of {found}, the others are of {expected}")]
    ShardCount {
        /// The directory.
        dir: PathBuf,
        /// The count of the first shard.
        expected: u32,
        /// This one's.
        found: u32,
    },
    /// Two directories given to [`super::merge`] hold the same shard.
    #[error("shard {index}/{count} given twice: {first} and {second}")]
    DuplicateShard {
        /// `k`.
        index: u32,
        /// `N`.
        count: u32,
        /// The first directory.
        first: PathBuf,
        /// The second.
        second: PathBuf,
    },
    /// Shards missing from [`super::merge`]'s directories.
    #[error("shards missing: {} of {count}", missing.iter().map(|k| format!("{k}/{count}")).collect::<Vec<_>>().join(", "))]
    MissingShards {
        /// `N`.
        count: u32,
        /// The `k`s missing.
        missing: Vec<u32>,
    },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::Io { path, source }
    }

    pub(crate) fn arrow(path: impl Into<PathBuf>) -> impl FnOnce(arrow_schema::ArrowError) -> StoreError {
        let path = path.into();
        move |source| StoreError::Arrow { path, source }
    }

    pub(crate) fn parquet(path: impl Into<PathBuf>) -> impl Fn(parquet::errors::ParquetError) -> StoreError {
        let path = path.into();
        move |source| StoreError::Parquet { path: path.clone(), source }
    }

    pub(crate) fn corrupt(path: impl Into<PathBuf>, reason: impl Into<String>) -> StoreError {
        StoreError::Corrupt { path: path.into(), reason: reason.into() }
    }
}
