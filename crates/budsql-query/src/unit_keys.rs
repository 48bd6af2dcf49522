//! One `unit_key` for one unit across its documents: a document that prints no unit code
//! takes the code key of the documents of its region and normalised name that print one
//! (when they print only one code). The store keeps these aliases in its manifest
//! ([`budsql_store::manifest::unit_aliases`]), and every view's `unit_key` is the stored
//! key passed through [`NAME`]: the stored key where it has no alias.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use budsql_store::Manifest;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The function's name in SQL (the views call it; a researcher need not).
pub const NAME: &str = "budsql_unit_key";

/// The function resolving a stored `unit_key` through the store's aliases, parsed from the
/// manifest's head when a query first asks for a key.
#[derive(Debug)]
pub struct UnitKeys {
    source: Arc<Source>,
    signature: Signature,
}

#[derive(Debug)]
struct Source {
    manifest: Manifest,
    aliases: OnceLock<HashMap<String, String>>,
}

impl PartialEq for UnitKeys {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.source, &other.source)
    }
}

impl Eq for UnitKeys {}

impl Hash for UnitKeys {
    fn hash<H: Hasher>(&self, state: &mut H) {
        NAME.hash(state);
        Arc::as_ptr(&self.source).hash(state);
    }
}

impl UnitKeys {
    /// The aliases of `manifest` (its head only is kept: a light read's aliases are parsed
    /// on first use).
    pub fn new(manifest: &Manifest) -> UnitKeys {
        UnitKeys {
            source: Arc::new(Source {
                manifest: Manifest {
                    unit_aliases: manifest.unit_aliases.clone(),
                    has_unit_aliases: manifest.has_unit_aliases,
                    head: manifest.head.clone(),
                    ..Manifest::default()
                },
                aliases: OnceLock::new(),
            }),
            signature: Signature::exact(vec![DataType::Utf8], Volatility::Immutable),
        }
    }

    /// The function to register on a session (and on a cluster's scheduler and executors).
    pub fn udf(manifest: &Manifest) -> ScalarUDF {
        ScalarUDF::from(UnitKeys::new(manifest))
    }

    /// [`UnitKeys::udf`] where `manifest` has unit aliases; `None` where it has none (the
    /// views then read the stored key as it is).
    pub fn of(manifest: &Manifest) -> Option<ScalarUDF> {
        manifest.has_unit_aliases.then(|| UnitKeys::udf(manifest))
    }

    fn aliases(&self) -> &HashMap<String, String> {
        self.source
            .aliases
            .get_or_init(|| self.source.manifest.aliases().into_iter().collect())
    }

    fn resolve(&self, array: &ArrayRef) -> Result<ArrayRef> {
        let Some(strings) = array.as_string_opt::<i32>() else {
            return exec_err!("{NAME} takes Utf8, not {}", array.data_type());
        };
        let aliases = self.aliases();
        // most batches hold no key with an alias: returned as they are
        if !strings.iter().flatten().any(|k| aliases.contains_key(k)) {
            return Ok(Arc::clone(array));
        }
        let mut out = StringBuilder::with_capacity(strings.len(), strings.value_data().len());
        for key in strings.iter() {
            match key {
                Some(k) => out.append_value(aliases.get(k).map_or(k, String::as_str)),
                None => out.append_null(),
            }
        }
        Ok(Arc::new(out.finish()))
    }
}

impl ScalarUDFImpl for UnitKeys {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        match args.args.first() {
            // (the signature takes Utf8 only: the planner casts anything else)
            Some(ColumnarValue::Array(a)) => Ok(ColumnarValue::Array(self.resolve(a)?)),
            Some(ColumnarValue::Scalar(s)) => {
                let key = match s {
                    ScalarValue::Utf8(k) => k.clone(),
                    _ => None,
                };
                let resolved = key.map(|k| self.aliases().get(&k).cloned().unwrap_or(k));
                Ok(ColumnarValue::Scalar(ScalarValue::Utf8(resolved)))
            }
            None => Ok(ColumnarValue::Scalar(ScalarValue::Utf8(None))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::StringArray;

    #[test]
    fn keys_with_an_alias_are_resolved_the_rest_kept() {
        let manifest = Manifest {
            unit_aliases: [("r:name:财政局".to_string(), "r:216001".to_string())].into(),
            has_unit_aliases: true,
            ..Manifest::default()
        };
        let f = UnitKeys::new(&manifest);
        let input: ArrayRef = Arc::new(StringArray::from(vec![
            Some("r:name:财政局"),
            None,
            Some("r:216001"),
            Some("r:name:审计局"),
        ]));
        let out = f.resolve(&input).unwrap();
        let out = out.as_string::<i32>();
        let got: Vec<Option<&str>> = out.iter().collect();
        assert_eq!(
            got,
            [
                Some("r:216001"),
                None,
                Some("r:216001"),
                Some("r:name:审计局")
            ]
        );
        // a batch without an aliased key is the same array
        let plain: ArrayRef = Arc::new(StringArray::from(vec![Some("r:name:审计局")]));
        assert!(Arc::ptr_eq(&f.resolve(&plain).unwrap(), &plain));
    }
}
