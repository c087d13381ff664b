//! Reading INSEE's SIRENE stock files (`StockUniteLegale`,
//! `StockEtablissement`): CSV with a header line, columns found by name (so
//! INSEE may add or reorder columns), one record per line. Each record is
//! checked and turned into a row; a bad record is a [`LineProblem`] with its
//! line number.

use crate::backend::entities::{sirene_establishment, sirene_unit};
use csv::StringRecord;

/// A record that cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    pub message: String,
}

/// Which stock file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockFile {
    /// `StockUniteLegale`: legal units, by SIREN.
    Units,
    /// `StockEtablissement`: establishments, by SIRET.
    Establishments,
}

/// The positions of the columns a file needs.
pub struct Columns(Vec<Option<usize>>);

const UNIT_COLUMNS: [&str; 10] = [
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
    "denominationUniteLegale",
    "nomUniteLegale",
    "nomUsageUniteLegale",
    "prenom1UniteLegale",
    "prenomUsuelUniteLegale",
    "categorieJuridiqueUniteLegale",
    "sigleUniteLegale",
];

const ESTABLISHMENT_COLUMNS: [&str; 17] = [
    "siren",
    "siret",
    "statutDiffusionEtablissement",
    "etatAdministratifEtablissement",
    "etablissementSiege",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "complementAdresseEtablissement",
    "numeroVoieEtablissement",
    "indiceRepetitionEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "libelleCommuneEtrangerEtablissement",
    "libellePaysEtrangerEtablissement",
    "distributionSpecialeEtablissement",
];

/// Columns whose absence makes a file unusable (the others may be empty).
const UNIT_REQUIRED: [&str; 3] = [
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
];
const ESTABLISHMENT_REQUIRED: [&str; 4] = [
    "siren",
    "siret",
    "statutDiffusionEtablissement",
    "etatAdministratifEtablissement",
];

impl Columns {
    /// Finds the columns of `file` in the header; the name of a required
    /// column that is missing otherwise.
    pub fn find(file: StockFile, header: &StringRecord) -> Result<Columns, String> {
        let (names, required): (&[&str], &[&str]) = match file {
            StockFile::Units => (&UNIT_COLUMNS, &UNIT_REQUIRED),
            StockFile::Establishments => (&ESTABLISHMENT_COLUMNS, &ESTABLISHMENT_REQUIRED),
        };
        let mut positions = Vec::with_capacity(names.len());
        for name in names {
            let found = header
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == *name);
            if found.is_none() && required.contains(name) {
                return Err((*name).to_owned());
            }
            positions.push(found);
        }
        Ok(Columns(positions))
    }

    fn get<'r>(&self, record: &'r StringRecord, index: usize) -> &'r str {
        self.0
            .get(index)
            .copied()
            .flatten()
            .and_then(|i| record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn all_digits(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_digit())
}

fn diffusion(value: &str) -> Result<bool, String> {
    match value {
        "O" => Ok(true),
        // P: partially diffusible (since 2023), N: the former code.
        "P" | "N" => Ok(false),
        other => Err(format!(
            "statutDiffusion « {other} » inconnu (O, P ou N attendu)"
        )),
    }
}

/// A `StockUniteLegale` record.
pub fn unit(columns: &Columns, record: &StringRecord) -> Result<sirene_unit::Model, String> {
    let get = |i| columns.get(record, i);
    let siren = get(0);
    if !all_digits(siren, 9) {
        return Err(format!("SIREN « {siren} » invalide (9 chiffres attendus)"));
    }
    let diffusible = diffusion(get(1))?;
    let active = match get(2) {
        "A" => true,
        "C" => false,
        other => {
            return Err(format!(
                "etatAdministratifUniteLegale « {other} » inconnu (A ou C attendu)"
            ));
        }
    };
    let name = if !get(3).is_empty() {
        get(3).to_owned()
    } else {
        let first = if get(7).is_empty() { get(6) } else { get(7) };
        let last = if get(5).is_empty() { get(4) } else { get(5) };
        [first, last]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let category = get(8);
    if !category.is_empty() && !all_digits(category, 4) {
        return Err(format!(
            "categorieJuridiqueUniteLegale « {category} » invalide"
        ));
    }
    Ok(sirene_unit::Model {
        siren: siren.to_owned(),
        name,
        legal_category: category.to_owned(),
        active,
        diffusible,
    })
}

/// A `StockEtablissement` record.
pub fn establishment(
    columns: &Columns,
    record: &StringRecord,
) -> Result<sirene_establishment::Model, String> {
    let get = |i| columns.get(record, i);
    let (siren, siret) = (get(0), get(1));
    if !all_digits(siret, 14) {
        return Err(format!("SIRET « {siret} » invalide (14 chiffres attendus)"));
    }
    if !all_digits(siren, 9) || !siret.starts_with(siren) {
        return Err(format!(
            "SIREN « {siren} » incohérent avec le SIRET {siret}"
        ));
    }
    let diffusible = diffusion(get(2))?;
    let active = match get(3) {
        "A" => true,
        "F" => false,
        other => {
            return Err(format!(
                "etatAdministratifEtablissement « {other} » inconnu (A ou F attendu)"
            ));
        }
    };
    let head_office = match get(4) {
        "true" => true,
        "false" | "" => false,
        other => {
            return Err(format!(
                "etablissementSiege « {other} » inconnu (true ou false attendu)"
            ));
        }
    };
    let name = optional(get(5)).or_else(|| optional(get(6)));
    let street = [get(8), get(9), get(10), get(11)]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let city = optional(get(13)).or_else(|| optional(get(14)));
    Ok(sirene_establishment::Model {
        siret: siret.to_owned(),
        siren: siren.to_owned(),
        head_office,
        active,
        diffusible,
        name,
        address_complement: optional(get(7)).or_else(|| optional(get(16))),
        street: optional(&street),
        postal_code: optional(get(12)),
        city,
        country: optional(get(15)),
    })
}
