mod store;
mod summary;
