//! The domain kernel: what every area shares and no area owns. Reading requests
//! ([`check`]), code lists ([`codes`]), the unit rule of who may read and write a client
//! ([`access`]), the one writer of the rectification history ([`changes`]), and the
//! parsed types of identity codes and bank accounts. Nothing here imports an area.

pub mod access;
pub mod changes;
pub mod check;
#[macro_use]
pub mod codes;
pub mod iban;
pub mod identity_code;
pub mod print;
