"""Records for the sample site. Names and affiliations are public facts about
the publication; every article body is sample text and says so."""

from datetime import date
from decimal import Decimal

SAMPLE_NOTE = (
    "<p><em>Sample text: this article body was written to demonstrate the site "
    "and is not the author's published work.</em></p>"
)

TOPICS = [
    (
        "Foreign Policy",
        "foreign-policy",
        "Diplomacy, alliances and the statecraft of great powers.",
    ),
    ("Finance & Economy", "finance-economy", "Trade, debt, markets and the economic relationship."),
    ("Peace & Security", "peace-security", "Defence, arms control and regional security."),
    ("Society & Culture", "society-culture", "People-to-people ties, media and perceptions."),
    ("Energy & Environment", "energy-environment", "Climate, energy transition and resources."),
]

AUTHORS = [
    ("Sajjad Ashraf", "Former Adjunct Professor, National University of Singapore"),
    ("Philip Cunningham", "Independent Scholar"),
    (
        "Lawrence Lau",
        "Ralph and Claire Landau Professor of Economics, The Chinese University of Hong Kong",
    ),
    ("Ma Xue", "Associate Fellow, Institute of American Studies, CICIR"),
    ("Zhai Kun", "Professor, School of International Studies, Peking University"),
    ("James K. Galbraith", "LBJ School of Public Affairs, University of Texas at Austin"),
    ("Yawei Liu", "Senior Advisor on China, The Carter Center"),
    (
        "Richard Javad Heydarian",
        "Professorial Chairholder in Geopolitics, Polytechnic University of the Philippines",
    ),
    ("Richard Weitz", "Senior Fellow, Hudson Institute"),
    ("Zhao Minghao", "Professor, Institute of International Studies, Fudan University"),
    ("David Shambaugh", "Director, China Policy Program, George Washington University"),
    ("Tian Shichen", "Contributor"),
]

EMPIRE_TITLE = "Is the American Empire Following a Historic Life Cycle?"
STARMER_TITLE = "Starmer in Beijing: Recalibration or a One-Off Gesture?"
WASHINGTON_TITLE = "Washington's Foreign Policy at a Crossroads"

# Translated into both Chinese editions (with their authors): the seed issue's links.
TRANSLATED_ARTICLES = [EMPIRE_TITLE, STARMER_TITLE, WASHINGTON_TITLE]
TRANSLATED_AUTHORS = ["Sajjad Ashraf", "Tian Shichen", "Richard Weitz"]

# (title, slug, authors, topics, tags, date, kind, standfirst, paragraphs)
ARTICLES = [
    (
        EMPIRE_TITLE,
        "is-the-american-empire-following-a-historic-life-cycle",
        ["Sajjad Ashraf"],
        ["finance-economy", "foreign-policy"],
        ["us-foreign-policy", "us-china-policy"],
        date(2026, 2, 3),
        "opinion",
        "Debt above the size of the economy is one sign historians look for when great "
        "powers begin to strain. Is the United States following the old pattern?",
        [
            "Historians of empire often point to the same late-stage symptoms: rising debt, "
            "costly commitments abroad and a politics that struggles to make hard choices.",
            "U.S. federal debt has stood above the size of the economy for more than a decade. "
            "The question is less whether that is sustainable than what it signals about "
            "priorities in Washington.",
            "A power that recognises the cycle can still change course. The record of those "
            "that did not is a warning worth reading.",
        ],
    ),
    (
        STARMER_TITLE,
        "starmer-in-beijing-recalibration-or-one-off",
        ["Tian Shichen"],
        ["foreign-policy"],
        ["us-china-policy", "regional-security"],
        date(2026, 2, 2),
        "analysis",
        "Keir Starmer's visit to China raises a question for London and its allies: is this "
        "a long-term policy recalibration or a one-off diplomatic gesture?",
        [
            "The first visit by a British prime minister to China in years was framed in London "
            "as pragmatic engagement and in Beijing as a sign of a wider thaw.",
            "Middle powers face the same dilemma: trade and climate cooperation pull one way, "
            "security commitments and alliance politics the other.",
            "Whether the visit marks a recalibration will show in what follows: ministerial "
            "dialogues, market access and how London handles sensitive technology.",
        ],
    ),
    (
        WASHINGTON_TITLE,
        "washingtons-foreign-policy-at-a-crossroads",
        ["Richard Weitz"],
        ["foreign-policy", "peace-security"],
        ["us-foreign-policy", "national-security"],
        date(2026, 1, 29),
        "analysis",
        "Arms control has lapsed, alliances are being renegotiated and trade is policy by "
        "other means. Where does that leave Washington's strategy toward Beijing?",
        [
            "For the first time in decades the largest nuclear powers have no treaty limits on "
            "their arsenals, and a three-way arms race is no longer hypothetical.",
            "Washington's answer so far combines pressure and summitry. The risk is that each "
            "undercuts the other.",
        ],
    ),
    (
        "Soybeans, Summits and the Price of Stability",
        "soybeans-summits-and-the-price-of-stability",
        ["Lawrence Lau"],
        ["finance-economy"],
        ["us-china-policy"],
        date(2026, 1, 27),
        "analysis",
        "Agricultural purchases are the oldest currency of U.S.-China trade diplomacy. What "
        "can they buy before the April summit?",
        [
            "Large purchase commitments make good headlines but rarely settle the structural "
            "disputes beneath them.",
            "Both economies would gain from predictable rules more than from one-off deals.",
        ],
    ),
    (
        "No First Use and the End of Arms Control",
        "no-first-use-and-the-end-of-arms-control",
        ["Zhao Minghao", "Ma Xue"],
        ["peace-security"],
        ["national-security", "regional-security"],
        date(2026, 1, 22),
        "analysis",
        "With the last U.S.-Russia treaty expired, Beijing's no-first-use pledge is back at "
        "the centre of the nuclear debate.",
        [
            "China has long argued that its small arsenal and no-first-use policy set it apart "
            "from the two largest nuclear powers.",
            "A trilateral framework would have to reconcile very different doctrines and "
            "arsenal sizes, and begin with transparency rather than limits.",
        ],
    ),
    (
        "How Young Americans See China Now",
        "how-young-americans-see-china-now",
        ["Yawei Liu"],
        ["society-culture"],
        ["chinese-dream"],
        date(2026, 1, 15),
        "opinion",
        "Social media has changed how a generation encounters China, and polls are beginning "
        "to show it.",
        [
            "Short videos of daily life in Chinese cities reach audiences that never read a "
            "foreign-policy column.",
            "Perceptions built that way are volatile, but they are also harder for governments "
            "on either side to shape.",
        ],
    ),
    (
        "The Philippines Between Two Giants",
        "the-philippines-between-two-giants",
        ["Richard Javad Heydarian"],
        ["peace-security", "foreign-policy"],
        ["regional-security"],
        date(2025, 12, 11),
        "analysis",
        "Manila's balancing act in the South China Sea is a case study in the limits of hedging.",
        [
            "Every Philippine administration has tried to keep both Washington and Beijing "
            "close; few have managed it for long.",
            "The space for hedging narrows as incidents at sea multiply.",
        ],
    ),
    (
        "Green Technology as a Shared Interest",
        "green-technology-as-a-shared-interest",
        ["Zhai Kun", "James K. Galbraith"],
        ["energy-environment", "finance-economy"],
        ["geotech"],
        date(2025, 11, 20),
        "analysis",
        "Clean-energy supply chains are a source of rivalry, yet climate goals depend on "
        "cooperation between the two largest emitters.",
        [
            "Tariffs on batteries and solar panels protect industries but slow the transition.",
            "Joint standards and research could turn competition into a race to the top.",
        ],
    ),
    (
        "What the Next Decade Holds for U.S.-China Relations",
        "what-the-next-decade-holds",
        ["David Shambaugh", "Philip Cunningham"],
        ["foreign-policy"],
        ["us-china-policy"],
        date(2025, 10, 30),
        "opinion",
        "Two long-time observers disagree on whether rivalry can be managed, and agree that "
        "it must be.",
        [
            "Managed competition requires guardrails that both sides trust.",
            "The alternative, unmanaged rivalry, would cost both countries and the world.",
        ],
    ),
]

VIDEO_SERIES = {
    "name": "China Current",
    "slug": "china-current",
    "host": "James Chau",
    "description": "Conversations about the people, culture and ideas shaping how Americans "
    "and Chinese see each other.",
}

# (title, slug, guests, category, video id, seconds, date, description)
VIDEOS = [
    (
        "Perceptions of China are changing | The Fung Bros",
        "perceptions-of-china-are-changing-the-fung-bros",
        "Andrew Fung (The Fung Bros)",
        "culture",
        "sampleFung1",
        912,
        date(2026, 2, 4),
        "From culture to tech, American perceptions of China are evolving. In this episode of "
        "China Current, Andrew Fung of the Fung Bros breaks down what's changing — and why.",
    ),
    (
        "The Past and Future of US-China Cultural Relations | Carla Canales",
        "the-past-and-future-of-us-china-cultural-relations-carla-canales",
        "Carla Canales",
        "culture",
        "sampleCarla",
        1104,
        date(2026, 1, 14),
        "A conversation about what music and the arts can do for a relationship that politics "
        "keeps straining. Sample description.",
    ),
]

QUESTION = {
    "title": "Middle powers and China",
    "slug": "middle-powers-and-china",
    "question": "How should middle powers navigate relations with China amid shifting global "
    "alliances and intensifying great-power competition?",
    "date": date(2026, 2, 6),
    "context": "<p>In our Focus Insights section, we featured an article by Tian Shichen on "
    "Prime Minister Keir Starmer's visit to China, highlighting how the trip raises questions "
    "about whether the engagement signals a long-term policy recalibration or a one-off "
    "diplomatic gesture.</p>",
    "how_to_respond": "<p>Submit your thoughts to USeditor@chinausfocus.com for a chance to be "
    "featured in next week's Focus This Week.</p>",
}

EARLIER_QUESTION = {
    "title": "Arms control after New START",
    "slug": "arms-control-after-new-start",
    "question": "Should China join a trilateral arms control framework with the United States "
    "and Russia?",
    "date": date(2026, 1, 30),
    "closing_date": date(2026, 2, 5),
    "context": "<p>Sample question: the expiry of the last U.S.-Russia treaty left the "
    "nuclear powers without limits.</p>",
    "how_to_respond": "",
}

SEED_LETTER = [
    "This week, Presidents Xi Jinping and Donald Trump held a closely watched phone call aimed "
    "at easing tensions between the world's two largest economies. Trump quickly cast the "
    'exchange as a sign of renewed momentum, calling the conversation "excellent," noting that '
    "Beijing was considering a significant increase in purchases of U.S. soybeans— highlighting "
    "potential trade gains and bolstering expectations for the upcoming summit in Beijing, "
    "slated for April. He also said the call covered broader trade issues, Russia's war in "
    "Ukraine, and developments in Iran.",
    "Beijing's response was more measured. Chinese state media emphasized Taiwan as the central "
    "issue discussed, with Xi urging the U.S. to handle arms sales to the island with "
    '"prudence" and reaffirming China\'s sovereignty claims. While both leaders expressed a '
    "desire to maintain stable ties, the differing readouts underscored each side's priorities: "
    "Washington focused on trade and economic engagement, while Beijing highlighted security "
    "concerns, even as channels of dialogue remain open. On the same day, Xi also spoke with "
    "Russian President Vladimir Putin, underscoring Beijing's efforts to balance ties with both "
    "nuclear powers amid mounting global uncertainties.",
    "Following the call, despite efforts to maintain stable ties, the U.S. accused China of "
    "conducting a secret nuclear test in 2020 and called for a broader nuclear weapons "
    "agreement that would include both China and Russia. The allegation came a day after the "
    "last remaining arms control treaty between Washington and Moscow expired, leaving the "
    "world's largest nuclear powers without formal limits on their arsenals for the first time "
    "in decades.",
]
# The fourth paragraph links to articles; {starmer} and {washington} are page ids.
SEED_LETTER_LAST = (
    'Beijing dismissed the U.S. allegations, reaffirming its "no first use" nuclear policy '
    "and asserting that it had always acted responsibly on nuclear matters. Chinese officials "
    'described the claims as exaggerated and cautioned against what they called "Cold War '
    'thinking." Learn more on international relations by exploring our latest Focus content, '
    'including articles on <a linktype="page" id="{starmer}">Chinese-UK diplomacy</a>, '
    '<a linktype="page" id="{washington}">Washington\'s foreign policy</a>, and more.'
)
SEED_QUOTE = (
    "Territorial integrity and national sovereignty are clearly non-negotiable baselines for "
    "both countries, but the salience of and the rhetoric employed in these debates can be "
    "adjusted."
)
SEED_CHART = {
    "headline": "The U.S. national debt, now larger than the country's GDP",
    "data_label": "Total public debt, % of GDP",
    "unit": "%",
    "points": [
        ("Q4 2011", Decimal("99.4")),
        ("Q1 2012", Decimal("100.7")),
        ("Q4 2012", Decimal("103.7")),
        ("Q2 2019", Decimal("103.2")),
    ],
    "source_note": "Federal Reserve Bank of St. Louis (FRED), series GFDEGDQ188S",
    "source_url": "https://fred.stlouisfed.org/series/GFDEGDQ188S",
}
SEED_VIDEO_BLURB = (
    "From culture to tech, American perceptions of China are evolving. In this episode of "
    "China Current, Andrew Fung of the Fung Bros breaks down what's changing — and why."
)

# Earlier issues: (date, number, title, summary, letter paragraphs)
EARLIER_ISSUES = [
    (
        date(2026, 1, 30),
        139,
        "Arms control runs out",
        "Sample issue: the last U.S.-Russia arms treaty nears expiry; what it means for Beijing.",
        [
            "Sample letter: this week the countdown to the expiry of the last U.S.-Russia arms "
            "control treaty dominated commentary in both capitals.",
            "Our contributors ask whether a trilateral framework is realistic, and what China's "
            "no-first-use pledge adds to the debate.",
        ],
    ),
    (
        date(2026, 1, 23),
        138,
        "Soybeans before the summit",
        "Sample issue: trade diplomacy ahead of the April summit in Beijing.",
        [
            "Sample letter: agricultural purchases are back on the agenda as both sides prepare "
            "for a spring summit.",
        ],
    ),
    (
        date(2025, 12, 19),
        134,
        "The year in U.S.-China relations",
        "Sample issue: looking back on 2025 and ahead to a year of summits.",
        [
            "Sample letter: as the year closes, we look back at the moments that defined the "
            "relationship and the questions that will shape the next one.",
        ],
    ),
]
