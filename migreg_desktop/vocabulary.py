"""The program's vocabularies, each once, with the labels shown for them (issue 13 §4).

Codes are what the database, packages and the CLI's JSON carry; labels are msgids translated where
they are shown (``_()`` in the window, ``translator(lang)`` on paper). Forms keep their own
``pgettext("form", …)`` wording where paper needs a different case or register.
"""

from __future__ import annotations

from migreg_desktop.i18n import N_

# Case kinds (Rules §1): a kandas, a resettler from another region, a move within the oblast.
CASE_KINDS = ("kandas", "resettler", "intra_oblast")
CASE_KIND_LABELS = {"kandas": N_("Kandas"), "resettler": N_("Resettler"),
                    "intra_oblast": N_("Intra-oblast resettlement")}
CASE_KIND_GROUPS = {"kandas": N_("Kandases"), "resettler": N_("Resettlers"),
                    "intra_oblast": N_("Intra-oblast moves")}  # a quota's or a table's heading

# What a case and a person record (the case form's choices; the models check them).
CHANNELS = ("in_person", "egov", "labour_exchange", "con")
HOUSING = ("state_fund", "rent", "own", "relatives", "none")
SEXES = ("M", "F")
CITIZENSHIPS = ("citizen", "kandas", "foreigner", "stateless")
EMPLOYMENT = ("employed", "jobseeker", "unemployed", "self_employed", "student", "pensioner", "other")

# Case statuses (domain README: status history); the transitions are in cases/status.py.
STATUSES = ("draft", "submitted", "forwarded", "included", "refused", "moved", "closed", "withdrawn")
INACTIVE = frozenset({"refused", "closed", "withdrawn"})
STATUS_LABELS = {
    "draft": N_("Draft"), "submitted": N_("Submitted"), "forwarded": N_("Forwarded to oblast"),
    "included": N_("Included in quota"), "refused": N_("Refused"), "moved": N_("Moved"),
    "closed": N_("Closed"), "withdrawn": N_("Withdrawn"),
}

# Rules §2.4, §2.6: a quota counts applicants only, or applicants with their family members.
COUNTING = ("persons", "family")
COUNTING_LABELS = {"persons": N_("applicants only"), "family": N_("applicants with family members")}

# Family members who move with the applicant.
RELATIONS = ("spouse", "child", "parent", "sibling", "grandchild", "grandparent", "other")

# Accounts (docs/accounts.md): what a person may do is the permissions table's business.
ROLES = ("clerk", "head", "admin")
ROLE_LABELS = {"clerk": N_("clerk"), "head": N_("head of office"), "admin": N_("admin")}
