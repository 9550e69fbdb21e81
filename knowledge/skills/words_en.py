"""The words of English job ads that frame a requirement rather than state it: where a
phrase ends (articles, auxiliaries, most prepositions), what its edges lose ("proven",
"experience of"), which heads name a person, an employer or a setting, and which sentences
are about pay, applying or the company; and the vocabularies read from data (the taxonomy's
words, the verbs that open ESCO skills, the reviewed traits). Kept apart from the rules that use
them (``extract_en``) so the lists can be reviewed on their own."""

from __future__ import annotations

import gzip
import re
from functools import lru_cache

from knowledge.skills.taxonomy import DATA, taxonomy

# A plural possessive keeps its apostrophe ("patients' vital signs").
TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9\-]*s['’](?=\s)|[A-Za-z0-9][A-Za-z0-9+#&'’.\-]*[A-Za-z0-9+#]|[A-Za-z0-9]|"
                   r"\.Net|\.NET|[^\sA-Za-z0-9]")
NOISE = re.compile(
    r"\b(send|email|e-mail|forward)\b.{0,40}\b(cv|resume|application)|\bto apply\b|\bapply (now|online|today|for)\b|"
    r"\byour applications?\b|\bapplications? (are|will|should)\b|\bapplying\b|\bsalary\b|\bbenefits? (package|"
    r"include|including)|\bholiday|\bpension (scheme|plan|contribution)|\b(company|contributory|workplace) pension|"
    r"(?<!a )\bbonus|"
    r"\brates? of pay\b|\bweekly pay\b|"
    r"\bcall (us|me|(?-i:[A-Z]))|\bcontact (us|me|(?-i:[A-Z]))|\bto contact\b|vacanc|employment (agency|business)|"
    r"\bour client\b|\bmy client\b|\bthe client\b|\bclient is\b|\bwe are (looking|recruiting)|\bis looking (for|to)|"
    r"\blocated\b|\bbased in\b|www\.|https?:|\bclick\b|recruitment (consultancy|agency)|\bplease\b|"
    r"\bshortlisted\b|\bthe company\b|\bcompany is\b|\bper (hour|annum|week|day)\b|\bpaye\b|\bjob title\b|"
    # Money is pay, unless it is the size of a budget ("budgets over £1m").
    r"[£$€](?!\s?\d[\d,.]*\s?(m|bn|million|billion)\b)|"
    r"\bnot been successful|\bopportunities? (for|to|across)|\bwe offer\b|\bin return\b|\bpackage\b|"
    r"\bwe recruit|\brecruiting (for|a)\b|\blooking (for|to recruit)\b|\bis acting\b|\bcouncil\b|\bhiring\b|"
    r"\bsuit (a|an|applicants|candidates|someone)\b|\bfounded\b|\bestablished in\b|\bour (standards|team|business|"
    r"clients)\b|"
    # The hiring process, the reporting line and getting to work.
    r"\binterviews? (will|are|may|is|take)\b|\b(an|the|for) interview\b|\brecruitment process\b|"
    r"\breasonable adjustments\b|\bhearing from you\b|\blook forward\b|"
    r"\breporting (in)?to\b|\brelocat|\bcommute\b|\beligible to work\b|\bright to work\b|\bwork permit|\bvisa\b|"
    r"\bwithout (visa )?sponsorship\b|\bsponsorship (is|will|cannot)\b",
    re.I)
# "Industry: Construction" describes the employer or the contract; the value is not a skill.
FIELD = re.compile(r"(?:^|\|)\s*(industry(?: type)?|industries|sector|(?:job |work )?location|company|employer|"
                   r"salary|pay|job types?|employment type|contract(?: type| length)?|(?:working )?hours|shifts?|"
                   r"schedule|(?:expected )?start date|closing date|application deadline|reference|"
                   r"(?:perks and )?benefits|perks|job title|job function|job category|seniority level|"
                   r"experience level|department|functional area|notice period)\s*:[^\n|]*", re.I | re.M)
# Perks: a sentence naming two of them is a list of benefits ("Pension Scheme, iPhone, 30 Days Holiday").
BENEFIT = re.compile(r"\b(pension|holidays?|bonus|insurance|discount|gym|free parking|annual leave|company car|"
                     r"life assurance|cycle[ -]to[ -]work|childcare|sick pay|overtime|paid leave|parental leave|"
                     r"share options|stock options|401\(?k\)?|dental|wellbeing|well-being|meals)\b", re.I)
# Money: an amount ("£1m", "$40M") is pay or a budget size, never a skill.
MONEY = re.compile(r"[£$€]\s?\d[\d,.]*\s?(k|m|bn|million|billion)?\b", re.I)
# A sentence that describes the employer, not the job.
ABOUT = re.compile(
    r"\b(is|are) (a|an|the|one of)\b.{0,60}\b(company|business|organisation|organization|firm|provider|leader|"
    r"consultancy|chain|group|agency|brand|manufacturer|retailer|clinic|school|trust|hospital|charity|start-?up|"
    r"employer|institution|university|college)\b|\bwe (are|have|strive|specialise)\b|"
    r"\b(global|market|world|industry|sector) leader\b|\bleading (provider|supplier|manufacturer|retailer|company|"
    r"firm|organisation|organization|brand|employer)\b|"
    # "Our team is friendly…", "The company has grown…": the subject is the employer.
    r"^\W*(our|the) (team|company|business|organisation|organization|firm|culture|client|store|hotel|school|practice|"
    r"hospital|office|group|people|products?|services?|values)\b[^,.;]{0,20}\b(is|are|has|have|was|were)\b|"
    r"\b(role|position|post|job|company|business|client|firm|employer) (offers|provides)\b|"
    r"\bthey (are|have|offer)\b|\bspecialis(es|ing) (solely )?in\b|"
    # Equal-opportunity and diversity statements, and what the employer values or offers.
    r"\bequal opportunit|\bwithout regard to\b|\bregardless of\b|\bprotected characteristic|"
    r"\b(committed to|celebrate|embrace|value) diversity\b|"
    r"\bwe (value|welcome|believe|pride|celebrate|provide|are proud)\b|\bour mission\b|\bfounded in\b|"
    # Benefits: a sentence listing them names perks, not requirements.
    r"\bperks\b|\bbenefits (include|package|including|are|such as)\b|\byou('ll| will) enjoy\b|"
    r"\b(excellent|great|competitive|generous|attractive|fantastic|comprehensive|full) benefits\b", re.I)
# An object a verb may take that is otherwise a frame word ("sharing knowledge", "maintain records").
OBJECT = {"knowledge", "expertise", "experience", "records", "record"}
# The noun of a frame after a skill ("multitasking capabilities", "consulting skills").
FRAME_NOUN = {"skills", "skill", "capabilities", "capability", "abilities", "ability", "experience", "knowledge",
              "expertise", "background", "awareness", "understanding"}
# A name is a tool after these ("using Terraform", "such as Xero") and a word is a skill before
# these ("Phlebotomy experience").
CUE_BEFORE = re.compile(r"\b(using|such as|like|e\.g\.?|eg|including|especially|particularly|namely)\W*$", re.I)
CUE_AFTER = re.compile(r"\W*(experience|skills?|knowledge)\b", re.I)
# Words that end a phrase (they frame it, they do not name a skill).
BREAK = set("""a an the this that these those such its it it's their they them there here our ours we us you your
yours i me my he she his her who whom whose which what when where why how will would shall should must can could may
might be been being am is are was were do does did done have has had having get gets got to for in on at by from as
into onto within across throughout including include includes included via per than then so if but also too very
really just only all any each every some most more many much few other another both either neither not no nor
about above after before during under over up down out off upon while whilst whether well able ideally including
etc e.g i.e eg ie plus please role position job post opportunity opportunities candidate candidates applicant
applicants successful ideal individual person people someone who because though although along thus
hence re ll ve t s d m using like towards million millions thousand thousands hundred hundreds billion
one two three four five six seven eight nine ten twelve fifteen twenty thirty forty fifty half dozen
between among amongst beyond against since until without unlike you'll you're you've we'll we're we've they'll
they're i'm i'll i've don't won't can't isn't aren't doesn't through forth""".split())
JOIN = {"and", "or", "of", "with", "&", "/"}
# Frame words at the edges of a phrase.
EDGE = set("""proven demonstrable demonstrated excellent good great strong solid sound thorough sound extensive
previous prior relevant recent current key essential desirable required preferred advantageous necessary
significant substantial considerable outstanding exceptional high highly very good working practical proficient
proficiency competent competence confident experienced experience experiences knowledge understanding
awareness ability abilities capability capabilities skill skills skilled background track record records
expertise familiarity familiar exposure qualified qualification qualifications level levels strong excellent
ensure new overall general basic advanced fluent fluency use using usage use of some any demonstrate
demonstrating show showing possess possessing have having gain gained provide own additionally also
responsible responsibility responsibilities duties duty include includes involve involves involving
role roles tasks task specifically particularly especially preferably mainly primarily currently previously
fluency together closely alongside away comfortable grasp command appreciation hands-on holder holders
valid active provided available given various similar multiple related equivalent paid capable exciting
require requires occasional wanted needed sought""".split())
# "… or related field", "… or equivalent": what follows and/or is a stand-in, not a second item.
ALIKE = {"related", "equivalent", "similar", "relevant"}
LEAD_ONLY = {"of", "in", "with", "and", "or", "to", "&", "/"}
# Frame words always cut from a phrase's end, even after a known name ("team working skills").
EDGE_TAIL = {"skill", "skills", "ability", "abilities", "experience", "knowledge", "background", "expertise"}
CONTENT = re.compile(r"[A-Za-z]{2,}|[A-Z]|\d+[A-Za-z]")
NOT_SKILL = set("""uk london year years month months day days week weeks time times date number basis
environment company business organisation organization client clients team teams people staff sector
industry market area areas region country world level manner way ways part end range variety number
mr mrs ms""".split())


# A phrase ending in one of these names a person or an employer, not a skill.
PERSON = set("""manager managers director directors analyst analysts consultant consultants developer developers
engineer engineers teacher teachers nurse nurses administrator administrators assistant assistants
officer officers buyer buyers coordinator coordinators controller controllers planner planners
scheduler merchandiser agent agents advisor advisors adviser executive executives specialist
specialists leader leaders head secretary clerk technician technicians representative
representatives designer designers accountant accountants lawyer lawyers trainee trainees graduate
electrician electricians chef chefs carer carers driver drivers operative operatives cleaner cleaners receptionist
receptionists waiter waiters waitress bartender barista porter porters labourer labourers welder welders fitter
fitters mechanic mechanics pharmacist physician doctor doctors surgeon therapist midwife paramedic cashier
associate associates professional professionals expert experts owner owners bank banks retailer retailers
manufacturer manufacturers school schools hospital hospitals hotel hotels home homes restaurant restaurants
chain brand brands agency agencies charity consultancy start-up startup trainer trainers supplier suppliers
contractor contractors subcontractor subcontractors
unit units ward wards department departments division divisions clinic clinics centre centres center centers factory
factories
graduates partner partners user users member members provider providers purchaser supervisor
supervisors business businesses company companies organisation organization organisations firm firms
plc ltd limited group leader employer employers client clients customer customers candidate
candidates individual individuals applicant applicants person people staff worker workers team teams""".split())
# Words before a job title that grade the post, not the work ("Senior Software Developer", "Trainee Buyer").
SENIORITY = set("""senior snr sr junior jnr jr lead trainee graduate apprentice assistant deputy principal chief head
interim locum qualified newly experienced registered staff associate""".split())
# Last words of many ESCO occupation labels that also name a thing, a duty, a role in a list or a
# quality ("device driver", "PLC controller", "pilot", "mentor", "a confident presenter"): not read
# as the head of a job title.
NOT_HEAD = set("""school member members player layer processor mixer printer monitor mentor model reader blender
sorter master conductor sewer lead man woman head hand chief principal rep guide cook coach tender setter builder
driver controller cutter grinder collector handler filler picker stacker washer checker tester finisher keeper
person official professional associate agent scheduler dresser configurator creator fixer turner commissioner
pilot captain judge critic presser plater trimmer diver marketer helper observer warden erector minder jointer
etcher dyer promoter facilitator registrar editor interpreter broker constructor negotiator presenter
performer""".split())
# A credential named after its holder ("AWS Certified Solutions Architect", "Licensed Practical Nurse").
CERTIFIED = re.compile(r"(certified|certificat|licen[cs]ed?|accredited|chartered)")
# The endings of nouns for people ("plumber", "electrician", "pharmacist", "attendant").
AGENT = re.compile(r"(er|or|ist|ian|ant|ent|eer|ee|ess|man|woman|person)s?$")
# Where an industry is named as the setting of the work: "experience in FMCG", "a B2B environment".
SECTOR_BEFORE = re.compile(r"\b(in|within|across|into|from)\s+(the\s+|a\s+|an\s+)?$", re.I)
SECTOR_AFTER = re.compile(r"\s*(industry|industries|sectors?|markets?|environments?|settings?|space|background|"
                          r"experience)\b", re.I)
# "import export manager in fish": the label's head is before the preposition, not its last word.
JOB_PREPOSITION = re.compile(r"\b(in|of|for|at|on|to|and)\b")
# People a duty is done with or for ("manage staff", "influence cross functional teams").
GROUP = set("""team teams staff people clients customers suppliers partners members users stakeholders colleagues
employees workers trainees students pupils patients residents guests children departments divisions business
businesses""".split())
# Nouns that make a phrase about the job or the company, not a skill ("further information").
GENERIC_HEAD = set("""information purpose demand impact success autonomy roots range ranging aspects aspect notice
note side line lines status needs means possible opportunity future prospect prospects progression career jobs
job achievement atmosphere portfolio product products facilities sessions agenda board benefits need heart floor
exercise sized manner advantage plus period periods type field fields rotation standard links
office offices site sites store stores branches nationwide worldwide sponsorship availability
discount discounts meals parking commission car cars insurance allowance scheme leave holidays incentives
equity salary wage wages pay rate rates shift shifts uniform date dates pattern membership canteen culture
adjustments stipend stipends based part locations rota rotas""".split())
# Places a task may name ("opening and closing the store") though alone they are not skills.
PLACE = {"office", "offices", "site", "sites", "store", "stores", "shift", "shifts", "floor"}
# "in the financial services industry": the words before such a head name a domain, not a skill.
DOMAIN = {"industry", "industries", "sector", "sectors", "space"}
TIME = re.compile(r"\b(\d+\s*(years?|months?|weeks?|days?|hours?)|full time|part time|basis|wte|band \d|"
                  r"\d+(st|nd|rd|th) (of )?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                  r"\d{1,2}(:\d\d)?\s?(am|pm))\b", re.I)
NOT_GERUND = set("""looking operating offering including following working being having seeking using during
bring thing things something nothing anything everything morning evening exciting interesting leading-edge
ongoing remaining according regarding concerning outstanding amazing challenging rewarding existing
starting growing thriving joining""".split())



# (?<![a-z]): searched from the start of a lower-case run only, not from each of its letters
# (a 100,000-letter word made the search quadratic).
GLUED = re.compile(r"(?<![a-z])[a-z]{3,}\d|\d{4}[A-Z]|(?<![a-z])[a-z]{4,}[A-Z][a-z]{3,}")
SETTING = {"industry", "industries", "sector", "sectors", "market", "markets", "space", "environment", "setting"}
UNIT = re.compile(r"\d*\s*(years?|yrs?|months?|weeks?|days?|hours?)|\d+|basis|time")
# A field of study joins its degree across "in" (a degree in Civil Engineering).
DEGREE = set("""degree degrees bachelor's bachelors master's masters bsc msc ba ma mba phd diploma hnd hnc btec nvq
qualification apprenticeship b.tech m.tech b.e b.sc m.sc b.com m.com""".split())
# Nouns by their ending: "communication and influencing", "venepuncture and cannulation" are two skills.
NOUN_END = re.compile(r"(tion|sion|ment|ance|ence|ship|ity|ogy|ics|ism|ure|ness|acy)$")
# Adjectives by their ending: "internal and external meetings" share their noun.
ADJECTIVE_END = re.compile(r"(al|ic|ive|ous|ful|ary|ible|able|ent|ant|ern|ound)$")
# An adverb of manner ("accurately using", "fully understand") ends a phrase before more words.
ADVERB = re.compile(r"[a-z]{3,}(ally|tly|ely|ously|fully|lessly|edly|ingly|ibly|ably|arly)")
# A CEFR level or a licence category on its own (C1, B1/B2) is a grade of something else, not a skill.
GRADE = re.compile(r"[A-C][12](/[A-C][12])*")
LANGUAGES = set("""english german french spanish italian portuguese dutch flemish polish russian ukrainian arabic
mandarin chinese cantonese japanese korean hindi urdu bengali punjabi tamil telugu kannada malayalam marathi gujarati
turkish greek swedish danish norwegian finnish czech slovak hungarian romanian bulgarian welsh irish hebrew thai
vietnamese indonesian malay tagalog swahili""".split())
MONTHS = set("""january february march april may june july august september october november december jan feb mar
apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mondays tuesdays
wednesdays thursdays fridays saturdays sundays weekends evenings nights""".split())
DETERMINERS = {"the", "a", "an", "all", "our", "their", "your", "its", "any"}
QUANTITY = set("variety range number lot series set host wealth mix combination type types kind kinds".split())


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Words of the taxonomy's labels: a phrase with none of them names no known kind of skill."""
    words: set[str] = set()
    for alias in taxonomy().aliases:
        words.update(w for w in re.findall(r"[a-z][a-z+#]{2,}", alias))
    return frozenset(words)


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """Verbs that open ESCO skill labels ("manage staff", "ensure compliance"): a capitalised one
    in mid-sentence starts a new bullet of a flattened list."""
    found = {c.label.split()[0].lower() for c in taxonomy().concepts.values()
             if c.type in ("skill", "transversal") and c.id.startswith("esco:") and " " in c.label}
    return frozenset(w for w in found if w.isalpha() and not w.endswith("ing"))


@lru_cache(maxsize=1)
def stems() -> frozenset[str]:
    """What a gerund of a taxonomy word looks like without "ing" (manage -> manag)."""
    return vocabulary() | {w[:-1] for w in vocabulary() if w.endswith("e")}


@lru_cache(maxsize=1)
def occupations() -> frozenset[str]:
    """ESCO occupation labels, normalised ("sous chef", "cnc machine operator"): job titles, not
    skills (``data/esco_occupations.txt.gz``, built by ``scripts/build_occupations.py``)."""
    with gzip.open(DATA / "esco_occupations.txt.gz", "rt", encoding="utf-8") as fh:
        return frozenset(line.rstrip("\n") for line in fh if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def occupation_heads() -> frozenset[str]:
    """The last words of ten or more ESCO occupation labels ("operator", "lecturer", "engineer"),
    without those that also name a thing or a duty (``NOT_HEAD``): a phrase ending in one names a person."""
    counts: dict[str, int] = {}
    for label in occupations():
        words = label.split()
        if len(words) > 1 and not JOB_PREPOSITION.search(label):
            counts[words[-1]] = counts.get(words[-1], 0) + 1
    return frozenset(w for w, n in counts.items() if n >= 10 and w.isalpha() and w not in NOT_HEAD)


@lru_cache(maxsize=1)
def sectors() -> frozenset[str]:
    """Reviewed industry names ("FMCG", "financial services"), a setting rather than a skill."""
    return _word_list("sectors_en.txt")


@lru_cache(maxsize=1)
def traits() -> frozenset[str]:
    """Reviewed personal qualities job ads ask for ("proactive", "self motivated")."""
    return _word_list("traits_en.txt")


def _word_list(name: str) -> frozenset[str]:
    path = DATA / name
    return frozenset(line.strip().lower() for line in path.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))
