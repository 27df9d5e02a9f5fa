"""Synthetic clinical text for the demo model (every person, number and place here is made up).

``CLINICAL_NOTE_PHI`` lists each identifier in ``CLINICAL_NOTE`` by type, so tests can assert that none
of them leaves the guard (in JSON, SSE, gzip or br answers).
"""

from __future__ import annotations

CLINICAL_NOTE_PHI: dict[str, list[str]] = {
    "NAME": ["Margaret Okonkwo-Reyes", "Dr. Alan Whitfield", "Rosa Delgado"],
    "DATE": ["03/14/1956", "2024-02-09", "February 12, 2024"],
    "MRN": ["MRN-00482913"],
    "SSN": ["523-81-4467"],
    "PHONE": ["(617) 555-0143", "617-555-0199"],
    "EMAIL": ["m.okonkwo.reyes@example-mail.com"],
    "ADDRESS": ["41 Larchmont Terrace, Brookline, MA 02446"],
    "HEALTH_PLAN": ["BCX-7781-220-19"],
    "ACCOUNT": ["ACCT 88213-5540"],
    "IP": ["10.24.118.7"],
    "URL": ["https://portal.example-hospital.org/patients/88213"],
    "LICENSE": ["MA-DL S39920417"],
    "DEVICE": ["SN PM-4471-AXR"],
}

CLINICAL_NOTE = (
    "DISCHARGE SUMMARY\n"
    "Patient: Margaret Okonkwo-Reyes  DOB: 03/14/1956  MRN: MRN-00482913  SSN: 523-81-4467\n"
    "Address: 41 Larchmont Terrace, Brookline, MA 02446. Phone: (617) 555-0143. "
    "Email: m.okonkwo.reyes@example-mail.com\n"
    "Insurance member ID BCX-7781-220-19, billing account ACCT 88213-5540, driver licence MA-DL S39920417.\n"
    "Admitted 2024-02-09 with community-acquired pneumonia; treated with ceftriaxone and azithromycin, "
    "afebrile after 48 hours. Pacemaker SN PM-4471-AXR interrogated, normal function.\n"
    "Discharged February 12, 2024 to home with her daughter Rosa Delgado (617-555-0199).\n"
    "Follow-up with Dr. Alan Whitfield in 2 weeks. "
    "Results: https://portal.example-hospital.org/patients/88213 "
    "(accessed from 10.24.118.7).\n"
)


def all_phi_values() -> list[str]:
    return [v for values in CLINICAL_NOTE_PHI.values() for v in values]
