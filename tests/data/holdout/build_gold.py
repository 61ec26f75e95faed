"""Build tests/data/holdout/gold.jsonl from the hand annotations below.

Claim offsets are computed here: each claim sentence must occur exactly once in its file,
and start/end are its Python string offsets (end exclusive). Deal texts are checked verbatim.
Run: python tests/data/holdout/build_gold.py && python tests/data/validate_gold.py tests/data/holdout --words 150-450
"""
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent


def C(text, metric, direction, value, unit, place, year, source, hedged):
    return dict(text=text, metric=metric, direction=direction, value=value, unit=unit,
                place=place, year=year, source=source, hedged=hedged)


def D(vendor, country, kind, technology, year, text):
    return dict(vendor=vendor, country=country, kind=kind, technology=technology, year=year, text=text)


ANN = {}

# ---------------------------------------------------------------- 01
s1 = ("AMMAN, Feb 1 (SW Wire) - Phones belonging to 35 journalists, lawyers and activists in Jordan were targeted "
      "with Pegasus, the spyware sold by Israel's NSO Group, Access Now and Citizen Lab said in a joint report on Thursday.")
s2 = ("The groups said they had confirmed infections on 30 of the devices, with the earliest dating from 2019 and the "
      "most recent from September 2023.")
s3 = ("Among those hacked was a 41-year-old human rights lawyer whose phone was compromised at least four times, "
      "the report said.")
s4 = "Access Now said 16 of the victims were journalists or media workers."
ANN["01_wire_jordan_pegasus_activists.txt"] = dict(
    vendors=["NSO Group"],
    countries=["AE", "BH", "IL", "JO", "SA", "US"],
    technologies=["spyware"],
    claims=[
        C(s1, "people targeted", "level", 35, "count", "JO", None, "Access Now and Citizen Lab", False),
        C(s2, "phones infected", "level", 30, "count", "JO", None, "groups", False),
        C(s3, "times compromised", "level", 4, "count", "JO", None, "report", False),
        C(s4, "journalists targeted", "level", 16, "count", "JO", None, "Access Now", False),
    ],
    deals=[
        D("NSO Group", "US", "ban", None, 2021,
          "The company was added to the US Commerce Department's Entity List in November 2021."),
    ],
)

# ---------------------------------------------------------------- 02
s1 = ("The Department of the Interior and Local Government had agreed to a 20-billion-peso safe city project, known as "
      "Safe Philippines, with China International Telecommunication and Construction Corporation, a subsidiary of a "
      "Chinese state-owned conglomerate.")
s2 = ("The company's engineers were to install 12,000 cameras across Metro Manila and Davao City, according to a "
      "department presentation seen by this reporter, some of them fitted with facial recognition software.")
s3 = "Planners promised that the system would cut police response times in the capital by up to 30 percent."
s4 = ("A 2021 state audit counted fewer than 300 working cameras in the pilot area, against the 2,500 promised for "
      "the first phase.")
ANN["02_longform_safe_philippines_deal.txt"] = dict(
    vendors=["Dahua", "Hanwha Vision", "Hikvision", "Huawei"],
    countries=["CN", "KR", "PH"],
    technologies=["cctv", "facial_recognition", "safe_city"],
    claims=[
        C(s1, "contract value", "level", 20000000000, "PHP", "PH", None, None, False),
        C(s2, "cameras", "level", 12000, "count", "PH", None, "department presentation", False),
        C(s3, "response time", "decrease", 30, "percent", "PH", None, "Planners", True),
        C(s4, "working cameras", "level", 300, "count", "PH", 2021, "state audit", False),
        C(s4, "cameras promised", "level", 2500, "count", "PH", 2021, "state audit", False),
    ],
    deals=[
        D("Huawei", "PH", "contract", "safe_city", None,
          "Huawei was named in the contract documents as the main supplier of cameras, servers and network equipment."),
    ],
)

# ---------------------------------------------------------------- 03
ANN["03_oped_shop_facial_recognition.txt"] = dict(
    vendors=["Corsight AI", "NEC", "Oosto"],
    countries=["GB", "IL"],
    technologies=["cctv", "facial_recognition"],
    claims=[
        C("The firm says its cameras have cut theft in client stores by up to 35 percent.",
          "theft", "decrease", 35, "percent", "GB", None, "firm", True),
        C("The British Retail Consortium estimated that theft cost retailers £2.2 billion last year.",
          "cost of theft", "level", 2200000000, "GBP", "GB", None, "British Retail Consortium", True),
        C("A poll commissioned by Big Brother Watch found that roughly one in three adults would avoid a shop that "
          "scanned their faces.",
          "adults who would avoid shops", "level", 33.3, "percent", "GB", None, "Big Brother Watch", True),
    ],
    deals=[
        D("NEC", "GB", "supply", "facial_recognition", None,
          "Israeli firms such as Corsight AI and Oosto, the company once called AnyVision, are courting the same "
          "customers, and Britain's police forces already run NEC's software in their camera vans."),
    ],
)

# ---------------------------------------------------------------- 04
s5 = ("Of the 12 journalists we trained last year, nine told us they now leave their phones at home when covering "
      "protests.")
ANN["04_qa_botswana_phone_extraction.txt"] = dict(
    vendors=["Cellebrite", "Grayshift", "MSAB", "Magnet Forensics", "NSO Group"],
    countries=["BW", "IL", "SE"],
    technologies=["phone_forensics", "spyware"],
    claims=[
        C("In one case the extraction report ran to more than 5,000 pages: contacts, messages, photos, deleted chats, "
          "everything.", "extraction report pages", "level", 5000, "count", "BW", None, "Kgosi", False),
        C("The police say they search phones in only about 1 percent of arrests.",
          "arrests with phone searches", "level", 1, "percent", "BW", None, "police", True),
        C("A basic kit with a licence for a year costs between $6,000 and $10,000.",
          "kit cost", "level", 6000, "USD", None, None, "Kgosi", False),
        C(s5, "journalists trained", "level", 12, "count", "BW", None, "Kgosi", False),
        C(s5, "journalists leaving phones at home", "level", 9, "count", "BW", None, "Kgosi", False),
    ],
    deals=[
        D("Cellebrite", "BW", "supply", "phone_forensics", None,
          "Court papers later showed that the police had bought Cellebrite's UFED kits from the Israeli company years "
          "earlier."),
    ],
)

# ---------------------------------------------------------------- 05
s1 = ("The new facility adds 28,000 square metres of floor space and will raise the company's annual camera production "
      "capacity by up to 40 percent.")
s2 = "Once fully operational, the campus will employ more than 1,500 people, about 90 percent of them hired locally."
s3 = ("The company signed a framework agreement in January with PKP Polskie Linie Kolejowe, Poland's national railway "
      "infrastructure manager, to supply cameras and recording servers for 120 stations.")
ANN["05_press_release_hanwha_vision_vietnam.txt"] = dict(
    vendors=["Axis Communications", "Genetec", "Hanwha Vision", "Milestone Systems"],
    countries=["KR", "PL", "VN"],
    technologies=["cctv", "lpr"],
    claims=[
        C(s1, "floor space", "level", 28000, "square metres", "VN", None, None, True),
        C(s1, "production capacity", "increase", 40, "percent", None, None, None, True),
        C(s2, "employees", "level", 1500, "count", "VN", None, None, True),
        C(s2, "local hires", "level", 90, "percent", "VN", None, None, True),
        C(s3, "stations", "level", 120, "count", "PL", None, None, False),
        C("Its products are certified to ISO 27001 and are sold in more than 150 countries.",
          "countries", "level", 150, "count", None, None, None, False),
    ],
    deals=[
        D("Hanwha Vision", "VN", "office", "cctv", 2025,
          "SEONGNAM, South Korea, March 4, 2025 - Hanwha Vision, a global provider of video surveillance solutions, "
          "today announced the opening of its expanded manufacturing campus in Bac Ninh province, Vietnam."),
        D("Hanwha Vision", "PL", "contract", "cctv", None, s3),
    ],
)

# ---------------------------------------------------------------- 06
s2 = ("Opening the session, the committee chair, a Civic Coalition MP, reminded members that the CBA had bought the "
      "system from the Israeli firm NSO Group in 2017 for 25 million zlotys, money taken from the Justice Fund, which "
      "exists to help victims of crime.")
s6 = ("Under Article 8 of the committee's rules, the motion to summon the former justice minister was put to a vote "
      "and passed by seven votes to two.")
ANN["06_parliament_poland_pegasus_committee.txt"] = dict(
    vendors=["Intellexa", "NSO Group"],
    countries=["ES", "HU", "IL", "PL"],
    technologies=["spyware"],
    claims=[
        C("Members of the special committee examining the use of Pegasus spyware questioned former officers of the "
          "Central Anti-Corruption Bureau (CBA) on Tuesday in a sitting that lasted nearly nine hours.",
          "sitting duration", "level", 9, "hours", "PL", None, None, True),
        C(s2, "purchase price", "level", 25000000, "PLN", "PL", 2017, "committee chair", False),
        C("The chair also cited figures presented to the Sejm earlier this year by Justice Minister Adam Bodnar, who "
          "said 578 people had been targeted with Pegasus between 2017 and 2022.",
          "people targeted", "level", 578, "count", "PL", None, "Adam Bodnar", False),
        C("A former CBA technical officer testified that the licence allowed up to 40 phones to be monitored at the "
          "same time.", "phones monitored simultaneously", "level", 40, "count", "PL", None,
          "former CBA technical officer", True),
        C(s6, "votes in favour", "level", 7, "count", "PL", None, None, False),
        C(s6, "votes against", "level", 2, "count", "PL", None, None, False),
    ],
    deals=[
        D("NSO Group", "PL", "supply", "spyware", 2017, s2),
        D("NSO Group", "HU", "supply", "spyware", None,
          "Several MPs referred to Hungary, where a governing-party official has acknowledged that the interior "
          "ministry bought Pegasus, and to Spain, where the targeting of Catalan politicians triggered a separate "
          "scandal."),
    ],
)

# ---------------------------------------------------------------- 07
s2 = ("The Lusaka Safe City project was built by Huawei and went live in 2021, linking roughly 1,200 cameras to a "
      "command centre in the capital.")
s3 = ("It was financed by a $210 million loan from the Export-Import Bank of China, according to Ministry of Finance "
      "debt records.")
s6 = "Robberies in the capital fell by roughly 17 percent to about 8,200 in 2023."
ANN["07_factcheck_lusaka_safe_city_crime.txt"] = dict(
    vendors=["Huawei"],
    countries=["CN", "KE", "PK", "ZM"],
    technologies=["cctv", "safe_city"],
    claims=[
        C("The claim: Speaking at a rally in Kitwe on 12 March, the home affairs minister said the city's surveillance "
          "cameras had \"cut crime in Lusaka by half\".",
          "crime rate", "decrease", 50, "percent", "ZM", None, "home affairs minister", False),
        C(s2, "cameras", "level", 1200, "count", "ZM", 2021, None, True),
        C(s3, "loan value", "level", 210000000, "USD", "ZM", None, "Ministry of Finance debt records", False),
        C("Zambia Police Service figures show that reported crime in Lusaka province fell 14 percent between 2021 and "
          "2023.", "crime rate", "decrease", 14, "percent", "ZM", None, "Zambia Police Service", False),
        C("Over the same period, reported crime nationally fell 11 percent, which suggests that most of the drop in "
          "the capital reflects a wider trend rather than the cameras.",
          "crime rate", "decrease", 11, "percent", "ZM", None, None, False),
        C(s6, "robberies", "decrease", 17, "percent", "ZM", 2023, None, True),
        C(s6, "robberies", "decrease", 8200, "count", "ZM", 2023, None, True),
        C("The minister also said the cameras had led to 3,000 arrests.",
          "arrests", "level", 3000, "count", "ZM", None, "minister", False),
    ],
    deals=[
        D("Huawei", "ZM", "supply", "safe_city", 2021, s2),
        D("Huawei", "ZM", "loan", "safe_city", None, s3),
    ],
)

# ---------------------------------------------------------------- 08
s3 = ("A federal judge in Chicago approved a settlement giving people whose photos were scraped by the facial "
      "recognition company Clearview AI a 23 percent stake in the firm, valued at about $51.75 million.")
ANN["08_roundup_week_in_surveillance.txt"] = dict(
    vendors=["Axis Communications", "Clearview AI", "Hacking Team", "Memento Labs", "NSO Group"],
    countries=["AR", "BY", "IT", "JP", "RU", "SE", "US"],
    technologies=["cctv", "facial_recognition", "predictive_policing", "social_media_monitoring", "spyware"],
    claims=[
        C("Apple sent a new round of threat notifications to iPhone users it believes were targeted by mercenary "
          "spyware, saying people in 98 countries received warnings.",
          "countries", "level", 98, "count", None, None, "Apple", False),
        C(s3, "settlement stake", "level", 23, "percent", "US", None, None, True),
        C(s3, "settlement value", "level", 51750000, "USD", "US", None, None, True),
        C("Axis Communications, the Swedish camera maker owned by Japan's Canon, said net sales rose 8 percent in the "
          "third quarter, helped by strong demand in North America.",
          "net sales", "increase", 8, "percent", None, None, "Axis Communications", False),
    ],
    deals=[],
)

# ---------------------------------------------------------------- 09
s1 = ("CIUDAD JUÁREZ, Chihuahua - The government of the state of Chihuahua inaugurated this week the so-called Torre "
      "Centinela, a building of 20 floors where converge the images of more than 3,000 cameras distributed in the "
      "principal cities of the entity.")
s5 = ("According to figures of the Executive Secretariat of the National Public Security System, in Juárez were "
      "registered 1,027 homicides in 2023, around 9 percent less than the year before.")
deal9 = ("In documents of the transparency portal consulted by this medium, it is seen that for the project were "
         "acquired cameras of the brands Hikvision and Dahua, of Chinese origin, as well as facial recognition "
         "software of BriefCam, a company of Israeli origin that today belongs to the Japanese group Canon.")
src9 = "Executive Secretariat of the National Public Security System"
ANN["09_latam_chihuahua_sentinel_tower.txt"] = dict(
    vendors=["BriefCam", "Dahua", "Hikvision"],
    countries=["CN", "IL", "JP", "MX", "US"],
    technologies=["cctv", "drones", "facial_recognition", "lpr"],
    claims=[
        C(s1, "floors", "level", 20, "count", "MX", None, None, False),
        C(s1, "cameras", "level", 3000, "count", "MX", None, None, False),
        C("According to the Secretary of Public Security of the State, the total investment ascends to 4,000 million "
          "pesos, which will be paid in the next years.",
          "investment", "level", 4000000000, "MXN", "MX", None, "Secretary of Public Security of the State", False),
        C("The system counts also with more than 1,000 arches of reading of license plates installed at the entrances "
          "of the cities, with drones and with a module of facial recognition.",
          "license plate readers", "level", 1000, "count", "MX", None, None, False),
        C("The governor declared in the inauguration that with the Tower the homicides \"will lower at least 30 "
          "percent\" in the first year.",
          "homicides", "decrease", 30, "percent", "MX", None, "governor", False),
        C(s5, "homicides", "level", 1027, "count", "MX", 2023, src9, True),
        C(s5, "homicides", "decrease", 9, "percent", "MX", 2023, src9, True),
    ],
    deals=[
        D("Hikvision", "MX", "supply", "cctv", None, deal9),
        D("Dahua", "MX", "supply", "cctv", None, deal9),
        D("BriefCam", "MX", "supply", "facial_recognition", None, deal9),
    ],
)

# ---------------------------------------------------------------- 10
s1 = ("Price of Pegasus in 2016: $650,000 to infect 10 iPhones, plus a $500,000 installation fee, according to NSO "
      "price lists reported by The New York Times.")
deal10 = "Spyware makers on the US Entity List since 2021: NSO Group, Candiru, Intellexa and its affiliate Cytrox."
ANN["10_numbers_spyware_market.txt"] = dict(
    vendors=["Candiru", "Intellexa", "NSO Group"],
    countries=["ES", "US"],
    technologies=["spyware"],
    claims=[
        C(s1, "price", "level", 650000, "USD", None, 2016, "NSO price lists", False),
        C(s1, "devices", "level", 10, "count", None, 2016, "NSO price lists", False),
        C(s1, "installation fee", "level", 500000, "USD", None, 2016, "NSO price lists", False),
        C("Phone numbers on the leaked list behind the Pegasus Project: more than 50,000.",
          "potential targets", "level", 50000, "count", None, None, None, False),
        C("WhatsApp users targeted in a 2019 attack: about 1,400, according to the company's lawsuit against NSO Group.",
          "users targeted", "level", 1400, "count", None, 2019, "company's lawsuit", True),
        C("Countries where Citizen Lab found suspected Pegasus operators in 2018: 45.",
          "countries", "level", 45, "count", None, 2018, "Citizen Lab", False),
        C("People linked to Spain's Catalan independence movement targeted with Pegasus or Candiru spyware, according "
          "to Citizen Lab's 2022 report: at least 65.",
          "people targeted", "level", 65, "count", "ES", 2022, "Citizen Lab", False),
        C("NSO Group revenue in 2020: about $243 million, according to Moody's.",
          "revenue", "level", 243000000, "USD", None, 2020, "Moody's", True),
        C("EU member states that had bought Pegasus, according to NSO's evidence to the European Parliament in 2022: 14.",
          "member states", "level", 14, "count", None, 2022, "NSO", False),
        C("Price quoted by brokers for a single zero-click iPhone exploit: $2 million to $5 million.",
          "exploit price", "level", 2000000, "USD", None, None, "brokers", False),
    ],
    deals=[
        D("NSO Group", "US", "ban", None, None, deal10),
        D("Candiru", "US", "ban", None, None, deal10),
        D("Intellexa", "US", "ban", None, None, deal10),
    ],
)

# ---------------------------------------------------------------- 11
ANN["11_huawei_smartphones_china_market.txt"] = dict(
    vendors=["Huawei"],
    countries=["CN", "TW", "US"],
    technologies=[],
    claims=[
        C("Apple's smartphone shipments in China fell by 19 percent in the first quarter, research firm Counterpoint "
          "said on Tuesday, as shoppers turned to cheaper and increasingly capable local models.",
          "smartphone shipments", "decrease", 19, "percent", "CN", None, "Counterpoint", False),
        C("The biggest winner was Huawei, whose sales jumped by about 70 percent over the same period thanks to the "
          "Mate 60 series.", "smartphone sales", "increase", 70, "percent", "CN", None, None, True),
        C("Xiaomi, Vivo, Oppo and Honor together accounted for nearly half of all phones sold in the country, the firm "
          "said.", "market share", "level", 50, "percent", "CN", None, "firm", True),
        C("Analysts expect Apple's market share to recover to between 15 and 17 percent once the iPhone 16 goes on "
          "sale.", "market share", "increase", 15, "percent", "CN", None, "Analysts", False),
        C("Price cuts of up to 500 yuan on older iPhone 15 models during the spring shopping festival have so far had "
          "little effect.", "price cut", "decrease", 500, "CNY", "CN", None, None, True),
    ],
    deals=[
        D("Huawei", "US", "ban", None, 2019,
          "Huawei's handset business collapsed after Washington placed it on the US Entity List in 2019, cutting it "
          "off from Google's Android services and from chips made by Taiwan's TSMC."),
    ],
)

# ---------------------------------------------------------------- 12
s2 = ("The jury awarded $444,719 in compensatory damages and $167.25 million in punitive damages after a trial in "
      "which NSO's own executives testified.")
s6 = ("In October, Judge Phyllis Hamilton cut the punitive award to about $4 million but granted a permanent "
      "injunction barring NSO from targeting WhatsApp and its users.")
ANN["12_court_whatsapp_nso_verdict.txt"] = dict(
    vendors=["NSO Group"],
    countries=["IL", "IN", "MX", "RW", "US"],
    technologies=["spyware"],
    claims=[
        C(s2, "compensatory damages", "level", 444719, "USD", "US", None, None, False),
        C(s2, "punitive damages", "level", 167250000, "USD", "US", None, None, False),
        C("WhatsApp, which is owned by Meta, sued the Israeli company in 2019, alleging that Pegasus had been "
          "installed on the phones of about 1,400 users in the space of a few weeks, among them journalists, "
          "diplomats and human rights activists in Mexico, India and Rwanda.",
          "users targeted", "level", 1400, "count", None, 2019, "WhatsApp", True),
        C("An NSO executive testified that an annual Pegasus licence could cost a government up to $6.8 million.",
          "licence cost", "level", 6800000, "USD", None, None, "NSO executive", True),
        C("The executive told jurors that NSO served between 40 and 50 government clients at the time, but declined "
          "to name them.", "government clients", "level", 40, "count", None, None, "executive", False),
        C(s6, "punitive damages", "decrease", 4000000, "USD", "US", None, None, True),
    ],
    deals=[
        D("NSO Group", "US", "ban", None, None, s6),
    ],
)

# ---------------------------------------------------------------- 13
ANN["13_ngo_summary_thailand_pegasus.txt"] = dict(
    vendors=["NSO Group"],
    countries=["IL", "TH"],
    technologies=["spyware"],
    claims=[
        C("At least 30 pro-democracy activists, academics and lawyers in Thailand were infected with Pegasus between "
          "October 2020 and November 2021, according to iLaw, DigitalReach and Citizen Lab.",
          "people infected", "level", 30, "count", "TH", None, "iLaw, DigitalReach and Citizen Lab", False),
        C("Some were hit repeatedly: one student leader's phone was compromised on at least five separate occasions.",
          "times compromised", "level", 5, "count", "TH", None, None, False),
        C("Nearly two-thirds of the infections happened within days of a protest, a court hearing or a public "
          "statement by the person targeted.",
          "infections near protests or hearings", "level", 66.7, "percent", "TH", None, None, True),
    ],
    deals=[],
)

# ---------------------------------------------------------------- 14
s1 = ("Hangzhou Hikvision Digital Technology, the world's largest maker of video surveillance equipment, said net "
      "profit fell about 15 percent to 11.98 billion yuan in 2024, while revenue edged up 3.5 percent to 92.5 billion "
      "yuan.")
src14 = "Hangzhou Hikvision Digital Technology"
s6 = ("Analysts at a Shanghai brokerage said the company could return to profit growth next year if spending on "
      "smart-city projects in China recovers, but cut their price target by about a tenth.")
ANN["14_business_hikvision_annual_results.txt"] = dict(
    vendors=["Dahua", "Hikvision", "Tiandy", "Uniview"],
    countries=["CN", "US"],
    technologies=["cctv"],
    claims=[
        C(s1, "net profit", "decrease", 15, "percent", None, 2024, src14, True),
        C(s1, "net profit", "decrease", 11980000000, "CNY", None, 2024, src14, True),
        C(s1, "revenue", "increase", 3.5, "percent", None, 2024, src14, True),
        C(s1, "revenue", "increase", 92500000000, "CNY", None, 2024, src14, True),
        C("Overseas business, which now accounts for roughly 28 percent of sales, grew faster than the home market, "
          "the company said in a filing to the Shenzhen Stock Exchange.",
          "overseas revenue share", "level", 28, "percent", None, None, "company", True),
        C("EZVIZ, the consumer camera brand that Hikvision spun off and listed in Shanghai, reported revenue of 5.4 "
          "billion yuan for the year.", "revenue", "level", 5400000000, "CNY", None, None, None, False),
        C("Shares fell 4 percent in Shenzhen trading on Monday.",
          "share price", "decrease", 4, "percent", None, None, None, False),
        C(s6, "price target", "decrease", 10, "percent", None, None, "Analysts at a Shanghai brokerage", True),
    ],
    deals=[
        D("Hikvision", "US", "ban", None, 2019,
          "Hikvision has been on the US Entity List since 2019, which restricts its access to American components, "
          "and it has lost government customers in several Western countries."),
    ],
)

# ---------------------------------------------------------------- 15
s2 = ("Police Chief Dana Whitlock had asked for 24 cameras at the main roads into town, at a cost of $3,000 per camera "
      "per year.")
s4 = ("Whitlock told councillors that images would be kept for 30 days and that similar cameras had helped the "
      "neighbouring town of Millbrook recover 41 stolen vehicles last year.")
s7 = ("A city survey found that 58 percent of respondents supported the cameras, though only about a quarter of "
      "households returned it.")
ANN["15_local_council_plate_readers_denied_deal.txt"] = dict(
    vendors=["Flock Safety", "Motorola Solutions", "Vigilant Solutions"],
    countries=["US"],
    technologies=["cctv", "lpr"],
    claims=[
        C("PORT HARMON, Oregon - The city council on Tuesday postponed a decision on installing licence plate reader "
          "cameras, after more than 80 residents signed up to speak at a meeting that ran past 11 p.m.",
          "residents signed up to speak", "level", 80, "count", "US", None, None, False),
        C(s2, "cameras", "level", 24, "count", "US", None, None, False),
        C(s2, "camera cost", "level", 3000, "USD", "US", None, None, False),
        C(s4, "data retention", "level", 30, "days", "US", None, "Whitlock", False),
        C(s4, "stolen vehicles recovered", "level", 41, "count", "US", None, "Whitlock", False),
        C(s7, "support for cameras", "level", 58, "percent", "US", None, "city survey", True),
        C(s7, "survey response rate", "level", 25, "percent", "US", None, "city survey", True),
    ],
    deals=[],
)

# ---------------------------------------------------------------- 16
ANN["16_timeline_cellebrite_asia.txt"] = dict(
    vendors=["Cellebrite", "MSAB", "Magnet Forensics"],
    countries=["BD", "BY", "CN", "HK", "IL", "MM", "RU", "US"],
    technologies=["phone_forensics"],
    claims=[
        C("Both men are freed in a presidential amnesty after more than 500 days in prison.",
          "days in prison", "level", 500, "days", "MM", None, None, False),
        C("Police in Hong Kong had used its tools to search the phones of more than 4,000 people arrested during the "
          "2019 protests, activists said.",
          "phones searched", "level", 4000, "count", "HK", 2019, "activists", False),
        C("Cellebrite begins trading on the Nasdaq after a merger with a special-purpose acquisition company that "
          "valued it at about $2.4 billion.", "valuation", "level", 2400000000, "USD", None, None, None, True),
    ],
    deals=[
        D("Cellebrite", "MM", "supply", "phone_forensics", None,
          "A police witness tells the journalists' trial that Myanmar police used a Cellebrite UFED device to copy "
          "data from their phones."),
        D("Cellebrite", "HK", "supply", "phone_forensics", None,
          "Police in Hong Kong had used its tools to search the phones of more than 4,000 people arrested during the "
          "2019 protests, activists said."),
    ],
)


def main():
    files = sorted(p.name for p in HERE.glob("*.txt"))
    assert files == sorted(ANN), set(files) ^ set(ANN)
    out = []
    for name in files:
        content = (HERE / name).read_text(encoding="utf-8")
        a = ANN[name]
        claims = []
        for c in a["claims"]:
            n = content.count(c["text"])
            assert n == 1, (name, n, c["text"][:60])
            start = content.index(c["text"])
            claims.append({"text": c["text"], "start": start, "end": start + len(c["text"]),
                           "metric": c["metric"], "direction": c["direction"], "value": c["value"],
                           "unit": c["unit"], "place": c["place"], "year": c["year"], "source": c["source"],
                           "hedged": c["hedged"]})
        for d in a["deals"]:
            assert d["text"] in content, (name, d["text"][:60])
        out.append({"doc": name, "vendors": sorted(set(a["vendors"])), "countries": sorted(set(a["countries"])),
                    "technologies": sorted(set(a["technologies"])), "claims": claims, "deals": a["deals"]})
    with open(HERE / "gold.jsonl", "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(out)} records")


if __name__ == "__main__":
    main()
