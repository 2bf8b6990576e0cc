//! What sfjwt knows about Salesforce: login hosts, the shapes of its identifiers, and the errors
//! of its token endpoint.

pub mod errors;
pub mod hosts;
pub mod identity;
pub mod paste;
