"""Word lists shared by the claim and deal extractors (lower-case surface forms; the lemmatizer
is disabled for speed, so inflections are listed explicitly)."""
from __future__ import annotations

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
asserts according valued values priced""".split())

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
                        "than in", "including in", "in places like", "compared with", "compared to")

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
received receives receive""".split():
    DEAL_TRIGGERS[_w] = "supply"
for _w in "donated donate donates donating donation donations gifted gift gifts granted".split():
    DEAL_TRIGGERS[_w] = "donation"
for _w in "loan loans financed finance financing funded credit exim concessional lender".split():
    DEAL_TRIGGERS[_w] = "loan"
for _w in """office offices plant factory factories headquarters hq subsidiary subsidiaries""".split():
    DEAL_TRIGGERS[_w] = "office"
for _w in """banned ban bans banning barred bar bars sanctioned sanction sanctions sanctioning blacklisted blacklist
blacklisting restricted restrict restricts restriction restrictions prohibited prohibit prohibits prohibition outlawed
excluded exclude excluding list remove removed removing removal""".split():
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
could might may should lobbying lobbied urged urging""".split())

COMPETITOR_CUES = ("rival", "rivals", "competitor", "competitors", "competing", "competition", "unlike", "beating",
                   "beat", "outbid", "outbidding", "instead of", "rather than", "than", "versus", "vs", "competes",
                   "compete", "competed")
