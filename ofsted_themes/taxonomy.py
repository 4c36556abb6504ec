"""The 32 themes of the label contract (``taxonomy.md`` v1): the single source of truth."""

from __future__ import annotations

from dataclasses import dataclass

TAXONOMY_VERSION = "1"

STANCES = ("strength", "weakness", "mixed")


@dataclass(frozen=True)
class Theme:
    """One theme: its fixed id, a readable name, what it covers and its group."""

    id: str
    name: str
    covers: str
    group: str


THEMES: tuple[Theme, ...] = (
    Theme('early_help', 'Early help',
          'early help services, family hubs and family help, early help assessments and plans, step-up and step-down between early help and social care',
          'Help and protection'),
    Theme('mash', 'MASH and the front door',
          'first contacts and referrals, the multi-agency safeguarding hub or front door, threshold decisions at referral, parental consent and agency checks, professional consultation lines, re-referrals',
          'Help and protection'),
    Theme('out_of_hours', 'Out-of-hours service',
          'the emergency duty team and any out-of-hours response to concerns about children',
          'Help and protection'),
    Theme('lado', 'Allegations against adults (LADO)',
          'the local authority designated officer, management and recording of allegations against people who work with children',
          'Help and protection'),
    Theme('child_protection', 'Child protection enquiries and conferences',
          'strategy meetings and discussions, section 47 enquiries, joint investigations with police, initial and review child protection conferences, child protection plans and core groups, conference chairs',
          'Help and protection'),
    Theme('assessment_and_planning', 'Assessments and plans',
          "quality, timeliness and analysis of social work assessments for any group; quality, progress and review of children's plans (child in need, child protection, care plans); drift and delay",
          'Help and protection'),
    Theme('pre_proceedings', 'Pre-proceedings and court work',
          'the Public Law Outline and pre-proceedings, letters before proceedings, care proceedings, quality and timeliness of court work',
          'Help and protection'),
    Theme('edge_of_care', 'Edge of care and family support',
          'intensive support so children can stay safely with or return to their families, edge-of-care teams, family group conferences and family network meetings',
          'Help and protection'),
    Theme('domestic_abuse', 'Domestic abuse',
          'responses to children living with domestic abuse, MARAC, police notifications, work with victims and perpetrators',
          'Help and protection'),
    Theme('missing_exploitation', 'Missing children and exploitation',
          'missing episodes and return home interviews, sexual and criminal exploitation, county lines, gangs, extra-familial harm, contextual safeguarding, trafficking, radicalisation',
          'Help and protection'),
    Theme('disabled_children', 'Disabled children',
          "services and practice for disabled children and children with special educational needs and disabilities as a group, disabled children's teams, short breaks",
          'Help and protection'),
    Theme('homeless_16_17', 'Homeless 16- and 17-year-olds',
          '16- and 17-year-olds who are or may become homeless, joint housing protocols, their right to be looked after',
          'Help and protection'),
    Theme('private_fostering', 'Private fostering',
          'identifying, assessing and overseeing privately fostered children, awareness-raising',
          'Help and protection'),
    Theme('young_carers', 'Young carers',
          'identifying, assessing and supporting young carers',
          'Help and protection'),
    Theme('uasc', 'Unaccompanied asylum-seeking children',
          'unaccompanied and separated children and former UASC care leavers: age assessment, immigration status, legal advice, the national transfer scheme',
          'Help and protection'),
    Theme('youth_justice', 'Youth justice and custody',
          'children and care leavers in or at risk of custody, youth offending services, remand, criminalisation of children in care, police custody',
          'Help and protection'),
    Theme('permanence', 'Permanence, kinship and family connections',
          'decisions to bring children into care, permanence planning, reunification, kinship care and special guardianship, connected carers, long-term matches, family time and contact',
          'Children in care'),
    Theme('adoption', 'Adoption',
          'regional adoption agencies, adopter recruitment and assessment, matching, early permanence and foster to adopt, adoption support',
          'Children in care'),
    Theme('fostering', 'Fostering',
          'the fostering service, recruitment, assessment, training and support of foster carers, fostering panels, Mockingbird',
          'Children in care'),
    Theme('placements', 'Homes for children in care',
          "sufficiency, choice, quality and stability of homes, children's homes, out-of-area placements, unregistered or unregulated provision, supported accommodation for under-18s, placement moves and breakdowns",
          'Children in care'),
    Theme('health', 'Health and wellbeing',
          'health assessments, dental and optical care, emotional and mental health services, therapeutic support, substance misuse support, health histories',
          'Children in care'),
    Theme('education', 'Education, training and employment',
          'attendance, suspensions and exclusions, part-time timetables, elective home education, children missing education, the virtual school, personal education plans, attainment, education, employment and training after 16 for any group',
          'Children in care'),
    Theme('voice_and_participation', "Children's voice and participation",
          'wishes and feelings shaping plans, advocacy, independent visitors, children in care councils, participation and co-production, complaints',
          'Children in care'),
    Theme('direct_work', 'Relationships and direct work',
          "social workers' relationships and visits, direct work, life-story work and later-life letters, changes of social worker",
          'Children in care'),
    Theme('care_leavers', 'Care leavers',
          'personal advisers, pathway plans, the local offer, staying put and staying close, keeping in touch, preparation for independence, entitlements of care-experienced young people',
          'Care leavers'),
    Theme('housing', 'Housing for young adults',
          'suitability and availability of accommodation for care leavers and young adults, bed and breakfast use, supported accommodation after 18, housing partners and tenancies',
          'Care leavers'),
    Theme('transitions', 'Transition to adulthood',
          'transition planning to adult social care and adult mental health services, preparing for adulthood for disabled young people and those with additional needs',
          'Care leavers'),
    Theme('leadership', 'Leadership and governance',
          "senior, political and corporate leaders, the director of children's services, investment, improvement plans and boards, self-evaluation, corporate parenting, scrutiny, pace of improvement",
          'Leadership and management'),
    Theme('partnerships', 'Partnership working',
          'strategic and operational work with police, health, schools, housing and adult services, safeguarding partnership arrangements, shared governance and commissioning',
          'Leadership and management'),
    Theme('quality_assurance', 'Quality assurance and performance',
          'audits, quality assurance frameworks, performance data, learning from audits and reviews',
          'Leadership and management'),
    Theme('management_oversight', 'Management and independent oversight',
          "supervision, management oversight and recording of decisions, independent reviewing officers' and conference chairs' oversight and challenge",
          'Leadership and management'),
    Theme('workforce', 'Workforce',
          'recruitment, retention, caseloads, agency staff, workforce stability, training and development, staff morale',
          'Leadership and management'),
)

THEME_IDS: tuple[str, ...] = tuple(theme.id for theme in THEMES)
_BY_ID = {theme.id: theme for theme in THEMES}


class UnknownThemeError(ValueError):
    """A theme id that is not in the taxonomy."""


def get_theme(theme_id: str) -> Theme:
    """Return the theme with this id, or raise ``UnknownThemeError`` naming the valid ids."""
    try:
        return _BY_ID[theme_id]
    except KeyError:
        raise UnknownThemeError(
            f"unknown theme id {theme_id!r} (taxonomy v{TAXONOMY_VERSION} has: {', '.join(THEME_IDS)})"
        ) from None


def check_theme_ids(theme_ids, where: str = "") -> list[str]:
    """Return ``theme_ids`` as a list, raising ``UnknownThemeError`` (naming ``where``) on any unknown id."""
    ids = list(theme_ids)
    unknown = [t for t in ids if t not in _BY_ID]
    if unknown:
        prefix = f"{where}: " if where else ""
        raise UnknownThemeError(
            f"{prefix}unknown theme id(s) {', '.join(map(repr, unknown))}; "
            f"taxonomy v{TAXONOMY_VERSION} has: {', '.join(THEME_IDS)}"
        )
    return ids
