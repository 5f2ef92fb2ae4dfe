//! Views of a [`crate::eval::PayRun`]: text for people, JSON for tools.
