//! `shout!("text")` is the literal in upper case, computed at compile time.
use proc_macro::{Literal, TokenStream, TokenTree};

#[proc_macro]
pub fn shout(input: TokenStream) -> TokenStream {
    let text = input.to_string();
    let inner = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .expect("shout! takes one string literal");
    TokenTree::Literal(Literal::string(&inner.to_uppercase())).into()
}
