"""The sample's Simplified Chinese translations, keyed by the English text.

Written for the sample as faithful translations of the English sample text
(not the publication's own Chinese edition). The Traditional Chinese edition
is converted from these with OpenCC's Hong Kong configuration and then
reviewed; ``ZH_HANT_REVIEWED`` holds the reviewer's corrections. Keys are the
strings wagtail-localize extracts: HTML-escaped, one per paragraph, inline
links as ``<a id="a1">``.
"""

from home.sample_content import data

ZH_HANS: dict[str, str] = {
    # Home page and sections
    "Focus": "中美聚焦",
    "Focus — Focus This Week and Focus Insights": "中美聚焦 — 本周聚焦与聚焦观点",
    "Focus This Week, the weekly newsletter on the China-U.S. relationship, and Focus "
    "Insights, analysis from contributors in both countries.": (
        "《本周聚焦》是关于中美关系的每周通讯，《聚焦观点》汇集来自两国撰稿人的分析文章。"
    ),
    "Focus This Week": "本周聚焦",
    "A community space to discuss the China-U.S. relationship and beyond.": (
        "一个探讨中美关系及更广泛议题的社区空间。"
    ),
    "Focus Insights": "聚焦观点",
    "Analysis and opinion on the China-U.S. relationship.": "关于中美关系的分析与评论。",
    "Videos": "视频",
    "Question of the Week": "每周一问",
    # The 6 February 2026 issue
    "A closely watched call, and a nuclear charge": "一次备受关注的通话，一项核指控",
    "Xi and Trump's call, two readouts, a U.S. nuclear allegation and Beijing's reply; plus "
    "a chart on U.S. debt and the Question of the Week.": "习近平与特朗普通话，双方通报各有侧重；"
    "美方提出核试验指控，北京作出回应。另有一张美国债务图表及“每周一问”。",
    "Dear Focus reader,": "亲爱的读者：",
    "This week, Presidents Xi Jinping and Donald Trump held a closely watched phone call "
    "aimed at easing tensions between the world's two largest economies. Trump quickly cast "
    "the exchange as a sign of renewed momentum, calling the conversation "
    '"excellent," noting that Beijing was considering a significant increase in purchases of U.S. '
    "soybeans— highlighting potential trade gains and bolstering expectations for the "
    "upcoming summit in Beijing, slated for April. He also said the call covered broader "
    "trade issues, Russia's war in Ukraine, and developments in Iran.": (
        "本周，习近平主席与唐纳德·特朗普总统举行了一次备受关注的通话，旨在缓和全球两大经济体"
        "之间的紧张关系。特朗普很快将此次通话定性为双边关系重获动力的标志，称通话“非常好”，"
        "并表示北京正在考虑大幅增加对美国大豆的采购——这凸显了潜在的贸易收益，也提升了外界对"
        "定于4月在北京举行的峰会的期待。他还表示，双方在通话中谈及了更广泛的贸易议题、"
        "俄罗斯在乌克兰的战争以及伊朗局势。"
    ),
    "Beijing's response was more measured. Chinese state media emphasized Taiwan as the "
    "central issue discussed, with Xi urging the U.S. to handle arms sales to the island "
    'with "prudence" and reaffirming China\'s sovereignty claims. While both leaders '
    "expressed a desire to maintain stable ties, the differing readouts underscored each "
    "side's priorities: Washington focused on trade and economic engagement, while Beijing "
    "highlighted security concerns, even as channels of dialogue remain open. On the same "
    "day, Xi also spoke with Russian President Vladimir Putin, underscoring Beijing's "
    "efforts to balance ties with both nuclear powers amid mounting global uncertainties.": (
        "北京的回应则更为审慎。中国官方媒体强调，台湾问题是此次通话的核心议题，习近平敦促美方"
        "“慎重”处理对台军售问题，并重申中国的主权主张。尽管两国领导人都表达了维护关系稳定的"
        "意愿，但双方通报内容的差异凸显了各自的优先关切：华盛顿聚焦贸易与经济往来，北京则突出"
        "安全关切，而对话渠道依然畅通。同一天，习近平还与俄罗斯总统弗拉基米尔·普京通话，"
        "显示出在全球不确定性日益上升之际，北京努力平衡与这两个核大国的关系。"
    ),
    "Following the call, despite efforts to maintain stable ties, the U.S. accused China "
    "of conducting a secret nuclear test in 2020 and called for a broader nuclear weapons "
    "agreement that would include both China and Russia. The allegation came a day after "
    "the last remaining arms control treaty between Washington and Moscow expired, leaving "
    "the world's largest nuclear powers without formal limits on their arsenals for the "
    "first time in decades.": (
        "通话之后，尽管双方都在努力维护关系稳定，美国仍指控中国曾于2020年秘密进行核试验，"
        "并呼吁达成一项同时涵盖中国和俄罗斯的更广泛的核武器协议。就在这一指控提出的前一天，"
        "华盛顿与莫斯科之间仅存的最后一项军控条约到期失效，全球最大的核大国数十年来首次"
        "在核武库上不受任何正式限制。"
    ),
    'Beijing dismissed the U.S. allegations, reaffirming its "no first use" '
    "nuclear policy and asserting that it had always acted responsibly on nuclear matters. "
    "Chinese officials described the claims as exaggerated and cautioned against what they "
    'called "Cold War thinking." Learn more on international relations by '
    'exploring our latest Focus content, including articles on <a id="a1">Chinese-UK '
    'diplomacy</a>, <a id="a2">Washington\'s foreign policy</a>, and more.': (
        "北京驳斥了美方的指控，重申其“不首先使用”核武器的政策，并表示中国在核问题上一贯"
        "采取负责任的态度。中国官员称相关说法言过其实，并告诫美方摒弃其所称的“冷战思维”。"
        "欢迎阅读中美聚焦的最新内容，进一步了解国际关系，包括关于"
        '<a id="a1">中英外交</a>、<a id="a2">华盛顿外交政策</a>等主题的文章。'
    ),
    "Team Focus": "中美聚焦编辑部",
    "Territorial integrity and national sovereignty are clearly non-negotiable baselines "
    "for both countries, but the salience of and the rhetoric employed in these debates can "
    "be adjusted.": "领土完整和国家主权显然是两国都不容谈判的底线，但这些争论的突出程度"
    "及其所用的言辞是可以调整的。",
    "The U.S. national debt, now larger than the country's GDP": "美国国债规模已超过其国内生产总值",
    "Total public debt, % of GDP": "公共债务总额占国内生产总值的百分比",
    "%": "%",
    "Q4 2011": "2011年第四季度",
    "Q1 2012": "2012年第一季度",
    "Q4 2012": "2012年第四季度",
    "Q2 2019": "2019年第二季度",
    "Federal Reserve Bank of St. Louis (FRED), series GFDEGDQ188S": (
        "圣路易斯联邦储备银行（FRED），数据序列 GFDEGDQ188S"
    ),
    "From culture to tech, American perceptions of China are evolving. In this episode of "
    "China Current, Andrew Fung of the Fung Bros breaks down what's changing — and why.": (
        "从文化到科技，美国人对中国的看法正在变化。在本期《中国脉动》中，冯氏兄弟的"
        "安德鲁·冯剖析了哪些看法正在改变，以及背后的原因。"
    ),
    "Watch Video": "观看视频",
    "We want to hear from you!": "期待听到您的声音！",
    "Latest Focus content": "中美聚焦最新内容",
    # Articles
    data.EMPIRE_TITLE: "美利坚帝国正在走完历史上的兴衰周期吗？",
    "Debt above the size of the economy is one sign historians look for when great powers "
    "begin to strain. Is the United States following the old pattern?": (
        "债务超过经济总量，是历史学家判断大国开始力不从心的信号之一。美国是否正在重复这一"
        "古老的模式？"
    ),
    "Sample illustration.": "示例插图。",
    "Illustration: Focus": "插图：中美聚焦",
    "Sample text: this article body was written to demonstrate the site and is not the "
    "author's published work.": "示例文本：本文正文为演示网站而撰写，并非作者已发表的作品。",
    "Historians of empire often point to the same late-stage symptoms: rising debt, costly "
    "commitments abroad and a politics that struggles to make hard choices.": (
        "研究帝国史的学者常常指出同样的晚期征兆：债务不断攀升，海外承诺代价高昂，政治上难以"
        "作出艰难抉择。"
    ),
    "U.S. federal debt has stood above the size of the economy for more than a decade. The "
    "question is less whether that is sustainable than what it signals about priorities in "
    "Washington.": (
        "十多年来，美国联邦债务一直高于其经济总量。问题与其说是这能否持续，不如说是它反映了"
        "华盛顿怎样的优先次序。"
    ),
    "A power that recognises the cycle can still change course. The record of those that "
    "did not is a warning worth reading.": (
        "认清这一周期的大国仍可改弦易辙。那些未能做到的大国留下的历史，是值得一读的警示。"
    ),
    "Former Adjunct Professor, National University of Singapore": "新加坡国立大学前兼职教授",
    data.STARMER_TITLE: "斯塔默访华：政策再调整，还是一次性姿态？",
    "Keir Starmer's visit to China raises a question for London and its allies: is this a "
    "long-term policy recalibration or a one-off diplomatic gesture?": (
        "基尔·斯塔默的中国之行给伦敦及其盟友提出了一个问题：这是一次长期的政策再调整，"
        "还是一次性的外交姿态？"
    ),
    "The first visit by a British prime minister to China in years was framed in London as "
    "pragmatic engagement and in Beijing as a sign of a wider thaw.": (
        "这是多年来英国首相首次访华。伦敦将其定位为务实接触，北京则视之为关系全面回暖的迹象。"
    ),
    "Middle powers face the same dilemma: trade and climate cooperation pull one way, "
    "security commitments and alliance politics the other.": (
        "中等强国面临同样的两难：贸易与气候合作把它们拉向一边，安全承诺与同盟政治又把它们"
        "拉向另一边。"
    ),
    "Whether the visit marks a recalibration will show in what follows: ministerial "
    "dialogues, market access and how London handles sensitive technology.": (
        "此访是否标志着政策再调整，要看后续进展：部长级对话、市场准入，以及伦敦如何处理敏感"
        "技术问题。"
    ),
    "Contributor": "特约撰稿人",
    data.WASHINGTON_TITLE: "十字路口的华盛顿外交政策",
    "Arms control has lapsed, alliances are being renegotiated and trade is policy by other "
    "means. Where does that leave Washington's strategy toward Beijing?": (
        "军控条约已经失效，同盟关系正在重新谈判，贸易成了以其他手段推行的政策。华盛顿的对华"
        "战略将何去何从？"
    ),
    "For the first time in decades the largest nuclear powers have no treaty limits on "
    "their arsenals, and a three-way arms race is no longer hypothetical.": (
        "数十年来第一次，最大的核大国的核武库不再受任何条约限制，三方军备竞赛已不再只是假设。"
    ),
    "Washington's answer so far combines pressure and summitry. The risk is that each "
    "undercuts the other.": (
        "迄今为止，华盛顿的应对之策是施压与峰会外交并举。风险在于两者相互掣肘。"
    ),
    "Senior Fellow, Hudson Institute": "哈德逊研究所高级研究员",
    # The video and its series
    data.VIDEOS[0][0]: "对中国的看法正在改变 | 冯氏兄弟",
    "Andrew Fung (The Fung Bros)": "安德鲁·冯（冯氏兄弟）",
    "Sample transcript: the conversation is summarised here for readers who prefer text.": (
        "示例文字稿：为喜欢阅读文字的读者在此概述这次对话。"
    ),
    "China Current": "中国脉动",
    "James Chau": "周柏臣",
    "Conversations about the people, culture and ideas shaping how Americans and Chinese "
    "see each other.": "一系列对话，探讨影响美中两国人民如何看待彼此的人物、文化与思想。",
    # The Question of the Week
    data.QUESTION["title"]: "中等强国与中国",
    data.QUESTION[
        "question"
    ]: "在全球联盟格局变动、大国竞争加剧之际，中等强国应如何处理与中国的关系？",
    "In our Focus Insights section, we featured an article by Tian Shichen on Prime Minister "
    "Keir Starmer's visit to China, highlighting how the trip raises questions about whether "
    "the engagement signals a long-term policy recalibration or a one-off diplomatic "
    "gesture.": (
        "我们在《聚焦观点》栏目刊发了田士臣关于英国首相基尔·斯塔默访华的文章。文章指出，"
        "此访引发了一个疑问：这种接触究竟意味着长期的政策再调整，还是一次性的外交姿态？"
    ),
    "Submit your thoughts to USeditor@chinausfocus.com for a chance to be featured in next "
    "week's Focus This Week.": (
        "欢迎将您的想法发送至 USeditor@chinausfocus.com，您的观点有机会刊登在下周的《本周聚焦》中。"
    ),
    # Topics
    "Foreign Policy": "外交政策",
    "Diplomacy, alliances and the statecraft of great powers.": "外交、同盟与大国治国之道。",
    "Finance &amp; Economy": "金融与经济",
    "Trade, debt, markets and the economic relationship.": "贸易、债务、市场与双边经济关系。",
    "Peace &amp; Security": "和平与安全",
    "Defence, arms control and regional security.": "国防、军控与地区安全。",
    "Society &amp; Culture": "社会与文化",
    "People-to-people ties, media and perceptions.": "民间交往、媒体与相互认知。",
    "Energy &amp; Environment": "能源与环境",
    "Climate, energy transition and resources.": "气候、能源转型与资源。",
    # Authors of the translated articles
    "Sajjad Ashraf": "萨贾德·阿什拉夫",
    "Sajjad Ashraf writes for Focus Insights. Sample biography.": (
        "萨贾德·阿什拉夫为《聚焦观点》撰稿。（示例简介）"
    ),
    "Tian Shichen": "田士臣",
    "Tian Shichen writes for Focus Insights. Sample biography.": (
        "田士臣为《聚焦观点》撰稿。（示例简介）"
    ),
    "Richard Weitz": "理查德·韦茨",
    "Richard Weitz writes for Focus Insights. Sample biography.": (
        "理查德·韦茨为《聚焦观点》撰稿。（示例简介）"
    ),
}

# The reviewer's corrections to OpenCC's Hong Kong conversion of ZH_HANS:
# (converted text, corrected text), applied everywhere.
ZH_HANT_REVIEWED: list[tuple[str, str]] = [
    # 并举 is "carried out together" (並), not "merged" (併).
    ("併舉", "並舉"),
    # Hong Kong typesetting quotes with corner brackets.
    ("“", "「"),
    ("”", "」"),
]
