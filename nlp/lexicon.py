"""Word lists shared by the claim and deal extractors and vendor discovery (lower-case surface forms;
the lemmatizer is disabled for speed, so inflections are listed explicitly)."""
from __future__ import annotations

import re

INCREASE = frozenset("""rose rise rises rising risen increase increased increases increasing grew grow grows growing
grown growth up jumped jump jumps jumping soared soar soaring surged surge surges surging climbed climb climbs climbing
doubled tripled trebled quadrupled boosted boost higher expanded expand expands expanding expansion gained gain gains
spike spiked spikes hike hiked rocketed swelled swell increment upsurge upswing""".split())

DECREASE = frozenset("""fell fall falls falling fallen drop dropped drops dropping cut cuts cutting reduced reduce reduces
reducing reduction reductions down declined decline declines declining decrease decreased decreases decreasing lower
lowered slashed slash plunged plunge plummeted plummet shrank shrunk shrink shrinking halved less fewer dip dipped slumped
slump tumbled tumble eased slid slide contraction contracted downturn""".split())

REPORT_VERBS = frozenset("""said says say saying told tells claimed claims claim claiming reported reports reporting
estimated estimates estimate estimating found finds find showed shows show shown stated states noted notes announced
announces revealed reveals disclosed discloses argued argues wrote writes concluded concludes suggested suggests added
adds insisted insists boasted boasts touted touts acknowledged acknowledges admitted admits confirmed confirms put puts
calculated calculates counted recorded documented identified indicated indicates indicate alleged alleges asserted
asserts according valued values priced expects expect expected predicts predicted forecasts projects projected
warned warns published publishes""".split())

GENERIC_SOURCE_NOUNS = frozenset("""figures figure data statistics stats report reports study studies research analysis
estimates estimate survey audit documents document records numbers investigation review evaluation assessment paper
filing filings release statement reporting test tests trial trials leak brochure""".split())

PRONOUNS = frozenset("he she it they we i you this that these those who which one someone".split())

HEDGE_WORDS = ("claimed", "claims", "claim", "reportedly", "allegedly", "is said to", "are said to", "was said to",
               "were said to", "estimated", "estimates", "estimate", "may have", "could", "might", "purportedly",
               "supposedly", "alleged")

COMPANY_NOUNS = frozenset("""firm firms company companies vendor vendors maker makers manufacturer manufacturers giant giants
supplier suppliers contractor contractors startup start-up startups group corporation conglomerate provider providers
brand brands tech technology telecom telecoms telecommunications equipment cameras camera products product systems
system-maker spyware surveillance-tech made -made built -built owned -owned based -based state-owned multinational
champion champions entities entity businesses business industry
newspaper newspapers paper outlet outlets media press broadcaster broadcasters journalist journalists reporter reporters
agency-news news researcher researchers academic academics officer officers politician politicians activist activists
exile exiles lawyer lawyers executive executives businessman businessmen businesswoman investors investor dissident
dissidents opposition national nationals citizen citizens-abroad engineer engineers technicians technician staff
employees employee diplomat diplomats official-visit intelligence-officer hackers hacker""".split())

PLACE_CONTEXT_BEFORE = ("like", "such as", "similar to", "as in", "modelled on", "modeled on", "unlike", "inspired by",
                        "than in", "including in", "in places like", "compared with", "compared to",
                        # direction away from a place: "moves production out of China"
                        "out of", "away from")

# deal triggers: lower-case token -> kind (multi-word triggers are handled in deals.py)
DEAL_TRIGGERS: dict[str, str] = {}
for _w in """signed sign signs signing agreed agree agrees awarded award awards contract contracts deal deals agreement
agreements memorandum mou partnership partnerships partnered won win wins tender tenders contracted
inked ink chose choose chosen selected select picked hired commissioned engaged""".split():
    DEAL_TRIGGERS[_w] = "contract"
for _w in """supplied supply supplies supplying installed install installs installing installation deployed deploy deploys
deploying deployment delivered deliver delivers delivering delivery sold sell sells selling sale sales provided provide
provides providing built build builds building equipped equip supplier vendor rolled roll-out rollout implemented
implementing set-up furnished procured procure procurement purchased purchase bought buy buys buying acquired
acquire imported import exports exported customer customers client clients buyer buyers installations fitted
received receives receive implement implements deployments""".split():
    DEAL_TRIGGERS[_w] = "supply"
# supply only where the sentence names a technology: "launched a safe city project in ..." (not a phone launch)
TECH_GATED_TRIGGERS = frozenset("launched launch launches launching unveiled operates operated".split())
# nouns before "such as" / "like" / "including" that make the places after them recipients listed, not context:
# "sold CCTV systems to countries such as Kenya, Egypt and Zambia"
RECIPIENT_LIST_NOUNS = frozenset("""countries nations states governments cities clients customers buyers markets
capitals regimes""".split())
for _w in "donated donate donates donating donation donations gifted gift gifts granted".split():
    DEAL_TRIGGERS[_w] = "donation"
for _w in "loan loans financed finance financing funded credit exim concessional lender".split():
    DEAL_TRIGGERS[_w] = "loan"
for _w in """office offices plant factory factories headquarters hq subsidiary subsidiaries""".split():
    DEAL_TRIGGERS[_w] = "office"
# "X is a subsidiary of Y, a firm with presence in ...": followed by "of", these name an owner, not an office's place
OWNERSHIP_OF = frozenset({"subsidiary", "subsidiaries"})
for _w in """banned ban bans banning barred bar bars sanctioned sanction sanctions sanctioning blacklisted blacklist
blacklisting restricted restrict restricts restriction restrictions prohibited prohibit prohibits prohibition outlawed
excluded exclude excluding list remove removed removing removal""".split():
    DEAL_TRIGGERS[_w] = "ban"
# fines are enforcement, so bans too; but a fine belongs to the authority that imposed it, not to where it fell
FINE_WORDS = frozenset("fined fines fining".split())
for _w in sorted(FINE_WORDS):  # sorted: insertion order must not depend on string hashing
    DEAL_TRIGGERS[_w] = "ban"

# verbs whose grammatical subject is the giver, so a country in subject position is not the recipient
GIVING_VERBS = frozenset("""supplied supply supplies supplying sold sell sells selling donated donate donates donating
gifted gift gifts provided provide provides providing delivered deliver delivers exported exports financed finance
funded granted lent lend paid pay pays""".split())

KIND_PRIORITY = {"ban": 0, "donation": 1, "loan": 2, "contract": 3, "office": 4, "supply": 5}

DENIAL_WORDS = frozenset("""denied deny denies denying rejected rejects refuted refutes dismissed never no not n't without
falsely""".split())
PROPOSAL_WORDS = frozenset("""talks considering consider considers plans plan planning planned proposed propose proposes
proposal proposals negotiating negotiations negotiate bid bids bidding hopes hope aims aim seeks seek seeking wants want
expected potential possible possibly rumoured rumored mulling weighing courting pitch pitched pitching offered offering
could might may should lobbying lobbied urged urging suspected suspects suspect jostle jostles jostling vying vie vies
shortlisted""".split())

COMPETITOR_CUES = ("rival", "rivals", "competitor", "competitors", "competing", "competition", "unlike", "beating",
                   "beat", "outbid", "outbidding", "instead of", "rather than", "than", "versus", "vs", "competes",
                   "compete", "competed")

# ---- vendor discovery (nlp/discovery.py): organisations in a surveillance-supplier context

# verbs whose subject (or passive agent) is the supplier; specific enough to need no other evidence
SUPPLY_VERBS = frozenset("""supplied supply supplies supplying sold sell sells selling installed install installs
installing delivered deliver delivers delivering equipped equip equips exported export exports exporting manufactured
manufacture manufactures manufacturing furnished""".split())
# broader verbs ("built a road", "provides services", "made headlines"): only with a technology in the sentence
WEAK_SUPPLY_VERBS = frozenset("""built build builds building provided provide provides providing developed develop
develops developing designed design designs made make makes making produced produce produces producing deployed deploy
deploys deploying marketed market markets marketing licensed licenses licences rolled powered powers""".split())
# "X won a tender": only with one of CONTRACT_OBJECTS as direct object
WIN_VERBS = frozenset("won win wins winning secured secure secures clinched landed bagged".split())
CONTRACT_OBJECTS = frozenset("""contract contracts tender tenders deal deals bid order orders concession project
projects""".split())
# "a contract with X", "a deal between X and ..."
CONTRACT_WITH_HEADS = frozenset("""contract contracts deal deals agreement agreements partnership partnerships tender
tenders mou memorandum partnered signed inked contracted teamed""".split())
# "awarded to X" (only when a contract noun is in the sentence)
# "the commission selected X to provide ...": the chosen firm is the supplier (with a supply verb after it)
SELECT_VERBS = frozenset("""selected select selects chose choose chooses picked picks hired hires contracted tapped
commissioned engaged appointed""".split())
AWARD_VERBS = frozenset("awarded award awards awarding granted outsourced subcontracted went given handed".split())
# "bought from X"
BUY_VERBS = frozenset("""bought buy buys buying purchased purchase purchases purchasing procured procure procures
procuring ordered sourced imported leased""".split())
# objects that make a sale a corporate transaction, not a supply ("sold its stake", "bought the unit from")
CORPORATE_OBJECTS = frozenset("""stake stakes share shares stock business businesses unit units division divisions
subsidiary subsidiaries company companies firm firms assets arm operations interest holding holdings""".split())
# vendor-ish nouns ("the Russian firm X", "X, a maker of cameras"); need a technology in the sentence.
# FIRM_NOUNS never describe a person; "developer" can ("Tendai Moyo, a software developer")
FIRM_NOUNS = frozenset("""firm firms company companies startup start-up startups maker makers manufacturer
manufacturers supplier suppliers vendor vendors provider providers contractor contractors integrator integrators
outfit subsidiary""".split())
VENDOR_NOUNS = FIRM_NOUNS | {"developer", "developers"}
# modifiers that make a "firm" something other than a vendor ("the private equity firm X", "law firm X")
NON_VENDOR_FIRM_MODIFIERS = frozenset("""law legal pr lobbying lobby equity investment investor venture capital
consulting consultancy accounting audit auditing advertising insurance polling rating ratings public-relations
market-research research analyst analysts analytics-research market""".split())
# words in an organisation's name that mark it as a buyer, regulator, court, NGO, newspaper, school or bank
NON_VENDOR_ORG_WORDS = frozenset("""ministry ministries department dept police policing constabulary sheriff council
councils university universities college institute school academy agency agencies bank banks exim court courts
tribunal commission commissioner committee parliament senate congress assembly government govt authority authorities
office bureau service directorate embassy consulate republic kingdom municipality county province army navy military
forces guard command customs immigration enforcement election elections electoral party union coalition association
society federation foundation trust center centre project initiative rights liberties liberty freedom justice privacy
amnesty watch fund capital partners ventures investments equity act law bill directive regulation treaty list program
programme system nations airlines airways airport hospital church league times post news herald journal telegraph
tribune gazette press daily magazine guardian observer economist bloomberg reuters afp bbc cnn wired intercept monitor
chronicle mail radio television tv broadcasting""".split())
# words that make a PERSON-labelled name (the small model's usual error on firm names) look like a firm
CORPORATE_WORDS = frozenset("""technologies technology tech systems solutions security labs lab networks analytics
vision group software electronics digital robotics intelligence data ai dynamics defence defense communications
telecom industries holdings corp corporation inc ltd llc gmbh co limited plc sa ag""".split())

# a firm referred to by a common noun: "the company's revenue" (claims), "the firm" as an anaphor (deals)
FIRM_REFERENCE_NOUNS = frozenset("""company firm manufacturer maker vendor supplier developer provider start-up startup
group""".split())

# heads of noun phrases that make a country mention the country's own institution, never an origin
# descriptor: "Pakistan's telecoms regulator", "the Kenyan government"
GOVERNMENT_NOUNS = frozenset("""government governments regulator regulators authority authorities ministry ministries
police army military agency agencies parliament council department departments court courts state administration
president cabinet navy forces force""".split())

# --- claims: page residue and counts about the journalism itself (English; may move to seeds/languages/en.yaml)
# a label right before a figure that makes it an identifier or a page widget: "(Code: 150)", "Project ID: 1234",
# "Read time: 3 minutes", "Ref. 55"
RESIDUE_LABELS = frozenset("""code codes id ids ref ref. reference no no. nr number project classification category
item page pages vol vol. issue isbn issn doi serial version file docket case read reading""".split())
# "3 min read", "5 minute read", "listen 4 min"
RESIDUE_AFTER = ("min read", "mins read", "minute read", "minutes read", "min listen", "minute listen")
# nouns that count the reporting itself ("shared with 16 news organizations", "interviewed 40 people for this story")
JOURNALISM_NOUNS = frozenset("newsrooms".split())  # plus "news organizations/outlets/partners", "media outlets/partners"
JOURNALISM_OBJECTS = frozenset("""documents records emails files interviews sources pages leaked people journalists
reporters outlets editors""".split())
# words marking a sentence as about the outlet's own reporting
JOURNALISM_MARKERS = ("we ", "our ", " us ", "this article", "this investigation", "this story", "this report",
                      "for this", "the consortium", "the investigation", "news organizations",
                      "news organisations", "media partners", "shared with")  # not "journalists": they are often the targets

# --- claims: metric of a money figure from a word in its sentence (checked after loan / budget / contract)
MONEY_METRIC_WORDS = {"fine": "fine", "fined": "fine", "fines": "fine", "penalty": "penalty", "penalties": "penalty",
                      "invest": "investment", "invested": "investment", "investment": "investment",
                      "investing": "investment", "debt": "debt", "debts": "debt", "salary": "salaries",
                      "salaries": "salaries", "revenue": "revenue", "revenues": "revenue",
                      "cost": "cost", "costs": "cost", "costing": "cost", "market": "market size"}
# words a metric may never be (CONVENTIONS.md: never a person's name, a function word or a bare "figures")
NON_METRIC_WORDS = frozenset("""it its they them their this that these those he she his her we us our who which what
one ones some many most all each other others figures figure data numbers number times time unit units system
company firm proposal region police government officials""".split())

# --- countries only named as context (not tied to the story): a conference venue, a critic's, researcher's,
# NGO's, lab's or outlet's country. Checked on the text around each mention; a country is dropped from
# `countries` only when every mention of it is such context.
CONTEXT_PLACE_BEFORE = (
    r"\b(?:conference|summit|fair|expo|exhibition|congress|trade\s+show|symposium|workshop|convention|forum|"
    r"meeting)\s+(?:held\s+|hosted\s+|taking\s+place\s+)?(?:in|at)\s+(?:the\s+)?$"
    r"|\b(?:University|Institute|College|School)\s+of\s+$"
    r"|\b(?:researchers?|academics?|scientists?|critics?|experts?|"
    r"analysts?|scholars?|lab|laboratory|university|ngo|watchdog)\s+(?:at|in|from|based\s+in)\s+(?:the\s+)?$")
CONTEXT_PLACE_BEFORE_WIDE = (
    r"\b(?:summit|conference|fair|expo|exhibition|congress|forum|symposium|convention)\b[^.]{0,80}"
    r"\b(?:held|hosted|staged|took\s+place)\b[^.]{0,60}\bin\s+$"
    r"|(?-i:\b(?:University|Institute|Lab|Laboratory|Centre|Center)(?:\s+(?:of\s+|for\s+)?[A-Z][\w'-]*)*\s+in\s+)$")
# a country word that names a currency ("9 million US dollars") or a language ("published in French")
CURRENCY_AFTER = r"^\s*(?:dollars?|\$)"
LANGUAGE_NAMES = frozenset("""French English Spanish Portuguese Arabic Russian Chinese Mandarin German Italian Turkish
Swahili Japanese Korean Dutch Polish Persian Farsi Hindi Urdu""".split())
CONTEXT_PLACE_AFTER = (
    r"^(?:'s|’s)?-?\s*(?:based\s+)?(?:(?:[A-Z][\w&.-]*|[a-z]+)\s+){0,3}?(?:Lab|Laboratory|University|Institute|"
    r"researchers|academics|rights\s+group|watchdog|think\s+tank|NGO|newspaper|broadcaster|Watch)\b")

# a place opening a newspaper's name ("The New York Times", "The Washington Post", "El Nuevo Herald"): no place
NEWSPAPER_AFTER = re.compile(r"\s+(?:Times|Post|Journal|Herald|Tribune|Gazette|Chronicle|Daily|Observer|Examiner|"
                             r"Star|Standard|Sun|Telegraph|Globe|Inquirer|Courier)\b")


# ---- deal rules (nlp/deals.py)
# an ended relation is not a current deal ("said it stopped selling to Myanmar"); not for bans,
# where "suspended" or "ended" can be the restriction itself
ENDED_WORDS = frozenset("stopped stop stops ceased cease halted halt ended terminated cancelled canceled scrapped".split())
# words that make a country the victims' place, not the buyer's: "attacks on organisations in Russia",
# "installed on the phones of journalists in Mexico"
VICTIM_WORDS = frozenset("""attack attacks attacked targeted targeting target targets victim victims hacked hacking
infected infecting infection infections spied surveilled phones""".split())
# "bought … from the Israeli company": the buyer's verbs where the seller follows "from"
PURCHASE_FROM_VERBS = frozenset("bought buy buys buying purchased purchase purchases procured procure acquired".split())
# a country after these prepositions dates or frames the deal, it is not its party ("after the coup in Myanmar")
CONTEXT_PREPS = frozenset("after before since during amid following despite".split())
# "X used / ran the vendor's tools": a deal only when X is a state actor of the country
USE_VERBS = frozenset("used uses use using run runs ran operate operates operated relied relies".split())
STATE_ACTORS = frozenset("""police force forces ministry government authorities agency agencies army military
intelligence council department unit battalion bureau service services regulator prosecutors officers officials
governments ministries regime regimes administration gendarmerie investigators regulators watchdog watchdogs""".split())
# Definite noun phrases that, in news copy, refer back to the vendor just named:
# "the Shenzhen-based company", "the firm", "bought the spyware".
ANAPHOR_FIRM = FIRM_REFERENCE_NOUNS | {"contractor"}
ANAPHOR_PRODUCT = frozenset("spyware software tool platform".split())
