//! The API's requests and answers in the public platform's dialect (T4):
//! its field names (camelCase French), `codeRetour` and `libelle` on every
//! answer, `parametresRetour` on lists, integer identifiers, JSON booleans.
//! An absent value is left out, never `null`: the platform's clients read
//! objects with `.get(name, {})` and break on a `null`.
//!
//! Requests ignore the fields they do not know (clients send more than
//! these endpoints read).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `libelle` of a success, as the platform says it.
pub const SUCCESS: &str = "GCU_MSG_01_000";

/// Paging asked for (`parametres` of *rechercher*,
/// `parametresRechercherServicesStructure` of the services).
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PageAsked {
    /// From 1; 1 when absent.
    pub page_resultat_demandee: Option<i64>,
    /// 10 when absent; at most 100.
    pub nb_resultats_par_page: Option<i64>,
}

/// `parametresRetour` of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PageReturned {
    pub page_courante: u64,
    pub pages: u64,
    pub nb_resultats_par_page: u64,
    pub total: u64,
}

/// What *rechercher* looks for: an identifier (and its type), or the start
/// of a name. Sent in `structure`, or at the top level.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct StructureCriteria {
    pub identifiant_structure: Option<String>,
    /// `SIRET`, `UE_HORS_FRANCE`, `HORS_UE`, `RIDET`, `TAHITI`,
    /// `PARTICULIER` or `AUTRE`.
    pub type_identifiant_structure: Option<String>,
    pub nom_structure: Option<String>,
    pub raison_sociale_structure: Option<String>,
}

/// `POST /cpro/structures/v1/rechercher`.
#[derive(Debug, Default, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SearchStructures {
    pub structure: Option<StructureCriteria>,
    #[serde(flatten)]
    pub top_level: StructureCriteria,
    pub parametres: Option<PageAsked>,
}

/// A structure found.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FoundStructure {
    #[serde(rename = "idStructureCPP")]
    pub id_structure_cpp: i64,
    pub identifiant_structure: String,
    pub type_identifiant_structure: String,
    pub designation_structure: String,
    /// `ACTIF`.
    pub statut: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StructuresFound {
    pub code_retour: i32,
    pub libelle: String,
    pub parametres_retour: PageReturned,
    pub liste_structures: Vec<FoundStructure>,
}

/// `POST /cpro/structures/v1/consulter`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadStructure {
    #[serde(rename = "idStructureCPP")]
    pub id_structure_cpp: i64,
    /// `fr` or `en`; the answer's words do not depend on it.
    #[serde(default)]
    pub code_langue: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GeneralInformation {
    #[serde(rename = "idStructureCPP")]
    pub id_structure_cpp: i64,
    pub identifiant_structure: String,
    pub type_identifiant_structure: String,
    pub raison_sociale_structure: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub libelle_structure: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_structure: Option<String>,
    /// RFC 3339, UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_expiration_mot_passe_compte_tech: Option<String>,
    /// `PRIVEE`: the portal's structures are companies' (public entities
    /// are approved by Support, rule S10, and are not told apart here).
    pub structure_privee_publique: String,
}

/// `adressePostaleDuSiege`: left out for a *non diffusible* structure.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complement_adresse1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code_postal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ville: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pays: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telephone: Option<String>,
}

/// `parametres` of a structure. The portal keeps no invoicing settings
/// yet: only what it knows is sent.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StructureSettings {
    pub non_diffusible_insee: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StructureRead {
    pub code_retour: i32,
    pub libelle: String,
    pub information_generales: GeneralInformation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresse_postale_du_siege: Option<PostalAddress>,
    pub parametres: StructureSettings,
}

/// `POST /cpro/structures/v1/rechercher/services`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchServices {
    pub id_structure: i64,
    #[serde(default)]
    pub parametres_rechercher_services_structure: Option<PageAsked>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FoundService {
    pub id_service: i64,
    pub code_service: String,
    pub libelle_service: String,
    pub est_actif: bool,
    /// `ACTIF` or `INACTIF`.
    pub statut_service: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServicesFound {
    pub code_retour: i32,
    pub libelle: String,
    pub parametres_retour: PageReturned,
    pub liste_services: Vec<FoundService>,
}

/// `POST /cpro/structures/v1/consulter/service`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadService {
    pub id_structure: i64,
    pub id_service: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSettings {
    pub est_actif: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRead {
    pub code_retour: i32,
    pub libelle: String,
    pub informations_generales: FoundService,
    pub parametres: ServiceSettings,
}

/// `POST /cpro/transverses/v1/consulter/information/siret`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadSiret {
    pub siret_structure: String,
}

/// The SIRENE directory's establishment (rule S3); its address and name
/// are left out when it is *non diffusible*.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SiretRead {
    pub code_retour: i32,
    pub libelle: String,
    pub siret: String,
    pub siren: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raison_sociale: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adresse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categorie_juridique: Option<String>,
    pub est_actif: bool,
    pub siege: bool,
    pub non_diffusible_insee: bool,
}

/// `GET /cpro/transverses/v1/health-check`, as the platform answers it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub body: String,
    pub status_code: String,
    pub status_code_value: u16,
}

/// Every refusal: `codeRetour` other than 0 and a sentence.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Refused {
    pub code_retour: i32,
    pub libelle: String,
}

/// The token endpoint's answer (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenIssued {
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Seconds.
    pub expires_in: i64,
    pub scope: String,
}

/// The token endpoint's refusal (RFC 6749 §5.2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenRefused {
    pub error: String,
    pub error_description: String,
}
