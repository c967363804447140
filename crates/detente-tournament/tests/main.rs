mod own;
mod store;
mod summary;
