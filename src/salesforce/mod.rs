//! What sfjwt knows about Salesforce: login hosts, the shapes of its identifiers, and the errors
//! of its token endpoint; and the HTTP client that talks to that endpoint with `--live`.

pub mod app_metadata;
pub mod errors;
pub mod hosts;
pub mod identity;
pub mod paste;
pub mod scopes;
pub mod token;
