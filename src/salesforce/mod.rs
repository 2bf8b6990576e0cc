//! What sfjwt knows about Salesforce: login hosts, and the shapes of its identifiers.

pub mod hosts;
pub mod identity;
