"""Drives the public platform's Python client, `chorus-api` (PyPI, version
pinned in end2end/python/requirements.txt), unmodified, against the portal:
only its token and API URLs are pointed here (issue 17).

Reads its inputs from the environment (PORTAL_URL, CLIENT_ID, CLIENT_SECRET,
TECH_LOGIN, TECH_PASSWORD, STRUCTURE_ID, SIRET, NAME), asserts what a user
of the client relies on, and prints one JSON line of what it saw for the
Playwright test that runs it (end2end/tests/api_client.spec.ts).
"""

import json
import os
import sys

import requests
from chorusapi.client import ChorusAPI
from chorusapi.exceptions.exception import ChorusApiException

env = os.environ
base = env["PORTAL_URL"].rstrip("/")
token_url = f"{base}/oauth/token"


def client(password):
    api = ChorusAPI(
        client_id=env["CLIENT_ID"],
        client_secret=env["CLIENT_SECRET"],
        tech_username=env["TECH_LOGIN"],
        tech_password=password,
        sandbox=True,
    )
    # The two URLs the client is configured with; nothing else changes.
    api.auth_url = token_url
    api.api_url = base
    return api


api = client(env["TECH_PASSWORD"]).auth()
structure_id = int(env["STRUCTURE_ID"])
seen = {}

health = api.health_check()
assert health.status_code_value == 200, vars(health)
seen["health"] = health.body

found = api.rechercher_structure(env["SIRET"])
assert found.code_retour == 0, vars(found)
assert len(found.liste_structures) == 1, [vars(s) for s in found.liste_structures]
line = found.liste_structures[0]
assert line.id_structure_cpp == structure_id, vars(line)
assert line.type_identifiant_structure == "SIRET"
seen["found"] = line.designation_structure

read = api.consulter_structure(structure_id)
assert read.code_retour == 0
assert read.information_generales.id_structure_cpp == structure_id
assert read.information_generales.raison_sociale_structure == env["NAME"]
assert read.information_generales.date_expiration_mot_passe_compte_tech
assert read.parametres.non_diffusible_insee is False
seen["read"] = read.information_generales.raison_sociale_structure
seen["city"] = read.adresse_postale_du_siege.ville

services = api.rechercher_services(structure_id)
assert services.code_retour == 0
# The client keeps the services under this name.
seen["services"] = sorted(s.code_service for s in services.liste_structures)

siret = api.information_siret(env["SIRET"])
assert siret.code_retour == 0
assert siret.siret == env["SIRET"]
seen["siret"] = siret.raison_sociale

# A wrong technical password: refused, the client raises.
wrong = client("A" * 32).auth()
try:
    wrong.consulter_structure(structure_id)
    raise AssertionError("a wrong technical password was accepted")
except ChorusApiException as refused:
    assert "Code: 401" in str(refused), str(refused)
    seen["wrong_password"] = 401

# HTTP Basic client authentication (RFC 6749 §2.3.1), with requests itself.
basic = requests.post(
    token_url,
    data={"grant_type": "client_credentials"},
    auth=(env["CLIENT_ID"], env["CLIENT_SECRET"]),
)
assert basic.status_code == 200, basic.text
assert basic.json()["token_type"] == "Bearer"
assert isinstance(basic.json()["expires_in"], int)
seen["basic"] = basic.status_code

print(json.dumps(seen))
sys.exit(0)
