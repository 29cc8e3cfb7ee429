"""Regenerate civility_eval.jsonl: ``python tests/data/make_civility_eval.py``.

The labelled evaluation set for issue 16, per language *and script*, written for this
conflict. Each row: ``text``, ``language`` (en/ru/hy/az), ``script`` (Latn/Cyrl/Armn),
``label`` (abuse / hard_negative), and for abuse ``category`` and ``evasion`` (plain,
inflected, separators, spaced, masked, leet, cyrillic_leet, lookalike, stretched, invisible,
translit, glued, phrase_separators, pattern), for hard negatives ``kind`` (place, surname,
testimony, news, quote).

Transliteration here is written independently of the engine's folding (bot/civility/script.py):
chat-style spellings people type, several per letter, chosen at random. Base words and
sentences are hand-written; evasions are applied by code; deterministic (seeded).

Written by the engine's author, so it measures what was built, not what was missed: the
hidden set of the issue remains the real test.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent
rng = random.Random(16)

# -- abusive words (not phrases), per language: base forms and inflected forms -------------
WORDS: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("fuck", "profanity"), ("shit", "profanity"), ("bitch", "profanity"),
        ("asshole", "profanity"), ("motherfucker", "profanity"), ("cunt", "profanity"),
        ("nigger", "slur"), ("faggot", "slur"), ("towelhead", "slur"), ("armo", "slur"),
        ("subhuman", "dehumanization"), ("vermin", "dehumanization"), ("idiot", "harassment"),
        ("moron", "harassment"), ("retard", "harassment"),
    ],
    "ru": [
        ("сука", "profanity"), ("блядь", "profanity"), ("пиздец", "profanity"),
        ("мудак", "profanity"), ("хуйня", "profanity"), ("хачи", "slur"), ("чурка", "slur"),
        ("черножопый", "slur"), ("армяшка", "slur"), ("пидорас", "slur"),
        ("недочеловек", "dehumanization"), ("нелюди", "dehumanization"),
        ("дебил", "harassment"), ("урод", "harassment"), ("идиот", "harassment"),
    ],
    "hy": [
        ("քունեմ", "profanity"), ("ապուշ", "harassment"), ("դեբիլ", "harassment"),
        ("սատկի", "harassment"), ("տխմար", "harassment"), ("լռիր", "harassment"),
    ],
    "az": [
        ("dığa", "slur"), ("gavur", "slur"), ("xaçpərəst", "slur"), ("siktir", "profanity"),
        ("qəhbə", "profanity"), ("peysər", "profanity"), ("amcıq", "profanity"),
        ("dalbayob", "profanity"), ("axmaq", "harassment"), ("qancıq", "harassment"),
        ("əclaf", "harassment"),
    ],
}  # fmt: skip
INFLECTED: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("idiots", "harassment"), ("morons", "harassment"), ("faggots", "slur"),
        ("niggers", "slur"), ("towelheads", "slur"), ("bitches", "profanity"),
        ("assholes", "profanity"), ("subhumans", "dehumanization"), ("armos", "slur"),
        ("retards", "harassment"),
    ],
    "ru": [
        ("армяшками", "slur"), ("армяшек", "slur"), ("чурками", "slur"), ("чуркам", "slur"),
        ("черножопых", "slur"), ("черножопыми", "slur"), ("недочеловеками", "dehumanization"),
        ("мудаками", "profanity"), ("мудаку", "profanity"), ("идиотов", "harassment"),
        ("уродов", "harassment"), ("уроды", "harassment"), ("пидорасов", "slur"),
        ("блядей", "profanity"), ("хачам", "slur"), ("дебилами", "harassment"),
    ],
    "hy": [
        ("ապուշներ", "harassment"), ("ապուշին", "harassment"), ("ապուշները", "harassment"),
        ("դեբիլներ", "harassment"),
    ],
    "az": [
        ("dığalar", "slur"), ("dığaları", "slur"), ("dığaların", "slur"),
        ("gavurlar", "slur"), ("gavurları", "slur"), ("qəhbələr", "profanity"),
        ("axmaqlar", "harassment"), ("qancıqlar", "harassment"), ("əclaflar", "harassment"),
        ("xaçpərəstlər", "slur"),
    ],
}  # fmt: skip
PHRASES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("kill them all", "threat"), ("death to armenians", "threat"),
        ("kill yourself", "threat"), ("they are not human", "dehumanization"),
        ("i will kill you", "threat"), ("shut up", "harassment"),
    ],
    "ru": [
        ("убить всех армян", "threat"), ("смерть азербайджанцам", "threat"),
        ("я тебя убью", "threat"), ("они не люди", "dehumanization"),
        ("они тараканы", "dehumanization"), ("вырезать их всех", "threat"),
    ],
    "hy": [
        ("մահ թուրքերին", "threat"), ("կսպանեմ քեզ", "threat"),
        ("անասուններ են", "dehumanization"), ("շուն թուրք", "slur"),
        ("թուրքի լակոտ", "slur"), ("բոլորին կկոտորենք", "threat"), ("մարդ չեն", "dehumanization"),
    ],
    "az": [
        ("ölüm ermənilərə", "threat"), ("səni öldürəcəm", "threat"),
        ("hamısını qırın", "threat"), ("insan deyillər", "dehumanization"),
        ("erməni dölü", "slur"), ("kəs səsini", "harassment"),
    ],
}  # fmt: skip
# Threats and incitement no list holds word for word: the patterns must read them.
PATTERN_SENTENCES: dict[str, list[str]] = {
    "en": [
        "they should all be killed", "burn their villages", "we will slaughter every one of them",
        "exterminate the armenians", "wipe out all the azeris", "azerbaijanis deserve to die",
        "armenians must be wiped out", "we will repeat Sumgait", "Khojaly will happen again",
        "let's burn all their homes", "kill every azerbaijani you see", "death to all of them",
        "I'm gonna kill you", "we will find you and kill you",
    ],
    "ru": [
        "надо перебить их всех", "сожжём их деревни", "всех армян надо вырезать",
        "азербайджанцев уничтожить", "повторим Сумгаит", "Ходжалы повторится снова",
        "истребим их всех до одного", "хачей надо расстрелять", "смерть им всем, армянам",
        "давайте сожжём все их дома", "зарежу тебя", "найду тебя и убью",
    ],
    "hy": [
        "բոլորին պետք է սպանել", "վառենք նրանց գյուղերը", "թուրքերին պիտի կոտորենք",
        "ադրբեջանցիներին ջնջենք", "Սումգայիթը կկրկնենք", "կկոտորենք բոլորին",
        "նրանց բոլորին կսպանենք", "մահ ադրբեջանցիներին բոլորին", "քեզ կմորթեմ",
    ],
    "az": [
        "erməniləri hamısını öldürün", "onların kəndlərini yandırın", "hamısını qıracağıq",
        "Xocalını təkrarlayaq deyirlər, biz də Sumqayıtı yenə edərik",
        "ermənilərin hamısını məhv edin", "onları hamısını kəsin", "dığaları qırın",
        "ölüm ermənilərə, hamısını öldürün", "səni gəbərdəcəyəm", "sizi öldürəcəyik",
    ],
}  # fmt: skip
# Dehumanization no list holds word for word: a people's name called animals, or vile.
DEHUMANIZING: dict[str, list[str]] = {
    "en": ["armenians are rats", "azerbaijanis are dogs", "filthy armenians", "turks are snakes"],
    "ru": ["азербайджанцы — собаки", "армяне крысы", "грязные азеры", "армяне это шакалы"],
    "hy": ["թուրքերը շներ են", "ադրբեջանցիները օձեր են", "կեղտոտ թուրքեր"],
    "az": ["ermənilər itdir", "ermənilər çaqqaldırlar", "murdar ermənilər"],
}  # fmt: skip

# Glued forms of threats (no space between the words).
GLUED: dict[str, list[tuple[str, str]]] = {
    "en": [("killthemall", "threat"), ("killallarmenians", "threat"), ("killyourself", "threat"),
           ("deathtoarmenians", "threat")],
    "ru": [("убитьвсех", "threat"), ("убитьвсехармян", "threat"), ("смертьармянам", "threat"),
           ("ятебяубью", "threat")],
    "hy": [("մահթուրքերին", "threat"), ("կսպանեմքեզ", "threat"), ("շունթուրք", "slur")],
    "az": [("ölümermənilərə", "threat"), ("hamısınıqırın", "threat"), ("səniöldürəcəm", "threat")],
}  # fmt: skip

CYRILLIC_ONLY = {"хачи"}
FRAMES = {
    "en": ["you {t}", "{t}!", "what a {t}", "go away, {t}", "all of you are {t}", "{t}"],
    "ru": ["ты {t}", "{t}!", "вот {t}", "иди отсюда, {t}", "{t}, все вы", "{t}"],
    "hy": ["դու {t}", "{t}!", "ինչ {t}", "{t}, գնա այստեղից", "բոլորդ {t}", "{t}"],
    "az": ["sən {t}", "{t}!", "nə {t}", "get burdan, {t}", "hamınız {t}", "{t}"],
}
LATIN_FRAMES = {
    "ru": ["ty {t}", "{t}!", "vot {t}", "idi otsyuda, {t}", "{t}"],
    "hy": ["du {t}", "{t}!", "inch {t}", "{t}, gna aystexic", "{t}"],
    "az": ["sən {t}", "{t}!", "get burdan {t}", "{t}"],
}
CYRILLIC_FRAMES = {"az": ["сән {t}", "{t}!", "ҝет бурдан, {t}", "{t}"]}

# -- chat-style transliteration, independent of the engine's folding ------------------------
RU_LATIN = {
    "а": ["a"], "б": ["b"], "в": ["v"], "г": ["g"], "д": ["d"], "е": ["e", "ye"],
    "ё": ["yo", "e"], "ж": ["zh", "j"], "з": ["z"], "и": ["i"], "й": ["y", "i", "j"],
    "к": ["k"], "л": ["l"], "м": ["m"], "н": ["n"], "о": ["o"], "п": ["p"], "р": ["r"],
    "с": ["s"], "т": ["t"], "у": ["u"], "ф": ["f"], "х": ["kh", "h", "x"], "ц": ["ts", "c"],
    "ч": ["ch", "4"], "ш": ["sh", "w"], "щ": ["sch", "shch"], "ъ": [""], "ы": ["y", "i"],
    "ь": ["", "'"], "э": ["e"], "ю": ["yu", "ju"], "я": ["ya", "ja", "ia"],
}  # fmt: skip
HY_LATIN = {
    "ա": ["a"], "բ": ["b"], "գ": ["g"], "դ": ["d"], "ե": ["e", "ye"], "զ": ["z"], "է": ["e"],
    "ը": ["y", "@", "e"], "թ": ["t"], "ժ": ["zh", "j"], "ի": ["i"], "լ": ["l"],
    "խ": ["x", "kh"], "ծ": ["c", "ts"], "կ": ["k"], "հ": ["h"], "ձ": ["dz"], "ղ": ["gh", "x"],
    "ճ": ["ch", "tch"], "մ": ["m"], "յ": ["y"], "ն": ["n"], "շ": ["sh"], "ո": ["o", "vo"],
    "չ": ["ch"], "պ": ["p"], "ջ": ["j"], "ռ": ["r"], "ս": ["s"], "վ": ["v"], "տ": ["t"],
    "ր": ["r"], "ց": ["c", "ts"], "փ": ["p"], "ք": ["q", "k"], "օ": ["o"], "ֆ": ["f"],
}  # fmt: skip
AZ_CYRILLIC = {
    "a": ["а"], "b": ["б"], "c": ["ҹ", "дж"], "ç": ["ч"], "d": ["д"], "e": ["е"],
    "ə": ["ә", "я", "э"], "f": ["ф"], "g": ["ҝ", "г"], "ğ": ["ғ", "г"], "h": ["һ", "х"],
    "x": ["х"], "ı": ["ы"], "i": ["и"], "j": ["ж"], "k": ["к"], "q": ["г", "к"], "l": ["л"],
    "m": ["м"], "n": ["н"], "o": ["о"], "ö": ["ө", "ё", "о"], "p": ["п"], "r": ["р"],
    "s": ["с"], "ş": ["ш"], "t": ["т"], "u": ["у"], "ü": ["ү", "ю", "у"], "v": ["в"],
    "y": ["ј", "й"], "z": ["з"],
}  # fmt: skip


def translit(word: str, table: dict[str, list[str]]) -> str:
    out = []
    i = 0
    while i < len(word):
        char = word[i]
        if table is HY_LATIN and word[i : i + 2] == "ու":
            out.append(rng.choice(["u", "ou"]))
            i += 2
            continue
        options = table.get(char, [char])
        if table is HY_LATIN and i > 0:  # "vo" and "ye" are how ո and ե sound word-initially
            options = [o for o in options if o not in ("vo", "ye")] or options
        out.append(rng.choice(options))
        i += 1
    return "".join(out)


def script_of(text: str) -> str:
    for char in text:
        if "\u0400" <= char <= "\u04ff":
            return "Cyrl"
        if "\u0531" <= char <= "\u058f":
            return "Armn"
    return "Latn"


# -- evasions -----------------------------------------------------------------------------
SEPARATORS = [".", "-", "/", "|", "~", ",", "+", "•", ":", "_", "*"]
LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7"}
CYRILLIC_LEET = {"ч": "4", "б": "6", "ж": "}|{", "ш": "LLI", "ы": "bl", "о": "0", "з": "3"}
LOOKALIKE_TO_CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у"}
LOOKALIKE_TO_LATIN = {v: k for k, v in LOOKALIKE_TO_CYRILLIC.items()}


def separated(word: str) -> str:
    return rng.choice(SEPARATORS).join(word)


def spaced(word: str) -> str:
    return rng.choice([" ", "  "]).join(word)


def masked(word: str) -> str | None:
    if len(word) < 4:
        return None
    chars = list(word)
    positions = rng.sample(range(1, len(word) - 1), k=min(2, len(word) - 2) if len(word) > 5 else 1)
    for pos in positions:
        chars[pos] = rng.choice("*#_")
    return "".join(chars)


def leet(word: str) -> str | None:
    out = "".join(LEET.get(c, c) if rng.random() < 0.7 else c for c in word)
    return out if out != word else None


def cyrillic_leet(word: str) -> str | None:
    out = "".join(CYRILLIC_LEET.get(c, c) for c in word)
    return out if out != word else None


def lookalike(word: str) -> str | None:
    table = LOOKALIKE_TO_CYRILLIC if script_of(word) == "Latn" else LOOKALIKE_TO_LATIN
    out = "".join(table.get(c, c) for c in word)
    return out if out != word else None


def stretched(word: str) -> str:
    vowels = [i for i, c in enumerate(word) if c in "aeiouаеиоуыяюэəıöüաեիոօէ"]
    i = rng.choice(vowels) if vowels else len(word) // 2
    return word[:i] + word[i] * rng.randint(3, 5) + word[i + 1 :]


def invisible(word: str) -> str:
    return rng.choice(["\u200b", "\u200c", "\u2060", "\u17b4", "\u00ad"]).join(word)


def phrase_separated(phrase: str) -> str:
    sep = rng.choice([".", "-", "_", "·"])
    return rng.choice([" ", "  ", " / "]).join(sep.join(w) for w in phrase.split())


# -- hard negatives ------------------------------------------------------------------------
HARD: dict[str, dict[str, list[str]]] = {
    "en": {
        "place": [
            "I grew up near Khachmaz, by the sea.",
            "We drove through Scunthorpe on the way.",
            "Sukhumi was beautiful before the war.",
            "The road to Dığalı was closed.",
            "My aunt lives in Essex now.",
            "Penistone has a lovely market.",
            "The monastery of Khachen is very old.",
            "Xocavənd district was on the news.",
        ],
        "surname": [
            "Aram Khachaturian wrote the Sabre Dance.",
            "Vitaly Churkin spoke at the UN.",
            "Ms Sukiasyan chaired the meeting.",
            "Dr Khachatryan answered our questions.",
            "The poet Dighashvili read first.",
            "Mr Cockburn sent his regards.",
        ],
        "testimony": [
            "They burned our village and killed my grandfather.",
            "In 1988 they killed my uncle in Sumgait.",
            "Soldiers shot everyone in the street that night.",
            "They tried to kill all of us, we ran to the mountains.",
            "My mother survived Khojaly; she still cannot talk about it.",
            "We were treated like animals in the camp.",
            "They wanted to kill us all, my father hid us in the cellar.",
            "Our houses were destroyed and the church was burned.",
            "They said they would burn every house, and they did.",
            "My grandmother told me how they killed everyone who stayed behind.",
            "Police say the gang planned to kill everyone in the bank.",
            "I saw them kill my neighbour.",
            "They came to burn the school, but the teachers stopped them.",
        ],
        "news": [
            "The ministers of Armenia and Azerbaijan signed a peace agreement.",
            "Protesters burned tyres outside the embassy.",
            "The court sentenced the killer to life in prison.",
            "Officials said the ceasefire held overnight.",
            "Researchers documented the killing of civilians in 1992.",
            "Both governments condemned the attack on the village.",
            "The report counts 30,000 dead in the first war.",
            "A documentary about the Sumgait pogrom was shown in Yerevan.",
            "Both sides accuse each other of trying to kill all hope of peace.",
            "The memorial lists everyone who was killed in Khojaly.",
            "Historians discussed the 1915 genocide and the Maragha massacre.",
        ],
        "quote": [
            "He called me a “towelhead” at work and nobody said anything.",
            "They shouted “death to armenians” outside our house.",
            "The word 'faggot' is hate speech and should not be used.",
            "Someone wrote “subhuman” under my post; this has to stop.",
        ],
    },
    "ru": {
        "place": [
            "Я родом из Хачмаза.",
            "Мы ехали через Сухуми.",
            "Монастырь Хачена очень древний.",
            "В Чуркино открыли школу.",
            "Моя бабушка жила в Хачмазе.",
        ],
        "surname": [
            "Хачатурян написал «Танец с саблями».",
            "Виталий Чуркин выступил в ООН.",
            "Сукиасян возглавил делегацию.",
            "Хачатрян ответил на вопросы.",
            "Мудаков подписал договор.",
            "Письмо от Чуркина пришло вчера.",
        ],
        "testimony": [
            "Они сожгли нашу деревню и убили моего деда.",
            "В 1988 году в Сумгаите убили моего дядю.",
            "Они хотели убить всех нас, мы бежали в горы.",
            "Нас называли нелюдями, но мы выжили.",
            "Мою маму выгнали из дома в Баку.",
            "Я видел, как они убили соседа.",
            "Наши дома сожгли, церковь разрушили.",
            "Они пришли сжечь школу, но учителя их остановили.",
            "oni sozhgli nashu derevnyu i ubili deda",
            "nas hoteli ubit vseh, my bezhali",
        ],
        "news": [
            "Министры Армении и Азербайджана подписали мирное соглашение.",
            "Протестующие сожгли шины у посольства.",
            "Суд приговорил убийцу к пожизненному заключению.",
            "Обе стороны осудили нападение на деревню.",
            "В Ереване показали фильм о погроме в Сумгаите.",
            "Уродился хороший урожай винограда.",
            "Никогда больше: Сумгаит не должен повториться.",
            "Историки обсуждали погромы 1988 года.",
        ],
        "quote": [
            "Он назвал меня «хачом», и никто не заступился.",
            "Они кричали «смерть армянам» под нашими окнами.",
            "Слово «чурка» — это оскорбление, его нельзя терпеть.",
            "Нас обзывали «черножопыми» в школе.",
        ],
    },
    "hy": {
        "place": [
            "Ես ծնվել եմ Խաչենում։",
            "Խաչմազը ծովի մոտ է։",
            "Մենք գնացինք Սուխումի։",
            "Խաչքարը շատ հին է։",
        ],
        "surname": [
            "Խաչատրյանը պատասխանեց հարցերին։",
            "Խաչատուրյանը գրեց Սուսերով պարը։",
            "Սուքիասյանը ղեկավարեց պատվիրակությունը։",
        ],
        "testimony": [
            "Նրանք այրեցին մեր գյուղը և սպանեցին պապիկիս։",
            "1988-ին Սումգայիթում սպանեցին հորեղբորս։",
            "Նրանք ուզում էին սպանել բոլորիս, մենք փախանք լեռները։",
            "Մեր տները քանդեցին, եկեղեցին այրեցին։",
            "Ես տեսա, թե ինչպես սպանեցին հարևանին։",
            "nranq ayrecin mer gyuxy ev spanecin papikis",
        ],
        "news": [
            "Հայաստանի և Ադրբեջանի նախարարները ստորագրեցին խաղաղության համաձայնագիր։",
            "Դատարանը մարդասպանին դատապարտեց ցմահ ազատազրկման։",
            "Երկու կողմերն էլ դատապարտեցին գյուղի վրա հարձակումը։",
            "Երևանում ցուցադրեցին ֆիլմ Սումգայիթի ջարդերի մասին։",
            "Երբեք այլևս․ Սումգայիթը չպետք է կրկնվի։",
        ],
        "quote": [
            "Նա ինձ ասաց «թուրքի լակոտ», և ոչ ոք չխառնվեց։",
            "Նրանք գոռում էին «մահ թուրքերին» մեր պատուհանների տակ։",
        ],
    },
    "az": {
        "place": [
            "Mən Xaçmazda doğulmuşam.",
            "Dığalı kəndinə yol bağlı idi.",
            "Xocavənd rayonu xəbərlərdə idi.",
            "Göteborqa getdik.",
            "Хачмазда яшайырам.",
        ],
        "surname": [
            "Xaçaturyan musiqisi çox məşhurdur.",
            "Çurkin BMT-də çıxış etdi.",
            "Sukiasyan nümayəndə heyətinə rəhbərlik etdi.",
        ],
        "testimony": [
            "Onlar kəndimizi yandırdılar və babamı öldürdülər.",
            "1992-ci ildə Xocalıda əmimi öldürdülər.",
            "Hamımızı öldürmək istəyirdilər, biz dağlara qaçdıq.",
            "Evlərimizi dağıtdılar, məscidi yandırdılar.",
            "Qonşumu necə öldürdüklərini gördüm.",
            "Bizi heyvan kimi saxlayırdılar.",
            "Бизи һамымызы өлдүрмәк истәјирдиләр.",
            "Кәндимизи јандырдылар.",
        ],
        "news": [
            "Azərbaycan və Ermənistan nazirləri sülh sazişini imzaladılar.",
            "Məhkəmə qatili ömürlük həbs cəzasına məhkum etdi.",
            "Hər iki tərəf kəndə hücumu pislədi.",
            "Bakıda Xocalı faciəsi haqqında film göstərildi.",
            "Sikkə kolleksiyası muzeyə verildi.",
            "Siklon sahilə çatdı.",
            "Xocalı faciəsi heç vaxt təkrarlanmamalıdır.",
        ],
        "quote": [
            "O mənə “dığa” dedi və heç kim bir söz demədi.",
            "Onlar “ölüm ermənilərə” deyə qışqırırdılar, bu yolverilməzdir.",
        ],
    },
}


# Legitimate double letters (surnames, places, "skill", Armenian "երրորդ") and innocent
# stretching ("sooo", "нууу", "çooox"): stretched evasions must not flag these.
DOUBLE_LETTERS: dict[str, list[str]] = {
    "en": [
        "Mr Mammadov and Ms Hakobyan met in Vienna.",
        "It takes real skill to listen to the other side.",
        "The Kirillov family moved to Gyumri in 1990.",
        "We all need coffee and a good book after this.",
        "Aaah, I remember that summer so well.",
        "Sooo many of us still hope for peace.",
        "Mmm, my grandmother's bread was the best.",
        "Noooo, I didn't mean it that way, sorry.",
        "The Khankendi and Aghdam offices will reopen.",
    ],
    "ru": [
        "Ханкенди и Шуша — города из моих воспоминаний.",
        "Господин Мамедов и госпожа Аббасова приехали.",
        "Ммм, какой был хлеб у бабушки.",
        "Ааа, теперь я понимаю, спасибо.",
        "Нууу, я не совсем согласен, но слушаю.",
        "Кирилл и Алла приехали из Ессентуков.",
        "Ссылка на статью о перемирии.",
        "Khankendi i Shusha, goroda moego detstva.",
    ],
    "hy": [
        "Երրորդ օրը մենք գնացինք գյուղ։",
        "Աննան եկավ մեզ մոտ։",
        "Սուսաննան պատմեց իր պապի մասին։",
        "Շաաատ լավ էր, շնորհակալություն։",
        "Yerrord ory menq gnacinq gyugh.",
        "Annan ekav mez mot.",
        "Shaaat lav er, shnorhakalutyun.",
    ],
    "az": [
        "Məmmədov və Abbasov görüşdülər.",
        "Xankəndi və Ağdam haqqında danışdıq.",
        "Əlləzov ailəsi Şəkiyə köçdü.",
        "Mən səni çooox yaxşı başa düşürəm.",
        "Hacıbəyli və Cəlilli kəndləri gözəldir.",
        "Мәммәдов вә Аббасов ҝөрүшдүләр.",
        "Ханкәнди вә Ағдам һаггында данышдыг.",
    ],
}


def rows() -> list[dict[str, str]]:
    out: list[dict[str, str]] = []

    def add(text: str, language: str, category: str, evasion: str) -> None:
        out.append(
            {
                "text": text,
                "language": language,
                "script": script_of(text),
                "label": "abuse",
                "category": category,
                "evasion": evasion,
            }
        )

    for language, words in WORDS.items():
        for word, category in words:
            frame = rng.choice(FRAMES[language])
            add(frame.format(t=word), language, category, "plain")
            for evasion, fn in [
                ("separators", separated), ("spaced", spaced), ("masked", masked),
                ("leet", leet), ("lookalike", lookalike), ("stretched", stretched),
                ("invisible", invisible),
            ]:  # fmt: skip
                evaded = fn(word)
                if evaded:
                    add(rng.choice(FRAMES[language]).format(t=evaded), language, category, evasion)
            if language == "ru":
                evaded = cyrillic_leet(word)
                if evaded:
                    add(
                        rng.choice(FRAMES["ru"]).format(t=evaded),
                        language,
                        category,
                        "cyrillic_leet",
                    )
            # "хачи" is listed in Cyrillic only: in Latin letters "khachi" is also Armenian
            # "of the cross" (խաչի), see LEXICON.md
            if language in ("ru", "hy") and word not in CYRILLIC_ONLY:
                table = RU_LATIN if language == "ru" else HY_LATIN
                for _ in range(2):
                    frame = rng.choice(LATIN_FRAMES[language])
                    add(frame.format(t=translit(word, table)), language, category, "translit")
            if language == "az":
                for _ in range(2):
                    frame = rng.choice(CYRILLIC_FRAMES["az"])
                    add(frame.format(t=translit(word, AZ_CYRILLIC)), language, category, "translit")
    for language, words in INFLECTED.items():
        for word, category in words:
            add(rng.choice(FRAMES[language]).format(t=word), language, category, "inflected")
            if language == "ru":
                add(translit(word, RU_LATIN), language, category, "translit")
            if language == "az":
                add(translit(word, AZ_CYRILLIC), language, category, "translit")
    for language, phrases in PHRASES.items():
        for phrase, category in phrases:
            add(phrase, language, category, "plain")
            add(phrase_separated(phrase), language, category, "phrase_separators")
            add(
                phrase.replace(" ", rng.choice(["  ", " / ", " | ", " ~ ", "+"])),
                language,
                category,
                "separators",
            )
            if language in ("ru", "hy"):
                table = RU_LATIN if language == "ru" else HY_LATIN
                add(
                    " ".join(translit(w, table) for w in phrase.split()),
                    language,
                    category,
                    "translit",
                )
            if language == "az":
                add(
                    " ".join(translit(w, AZ_CYRILLIC) for w in phrase.split()),
                    language,
                    category,
                    "translit",
                )
    for language, sentences in PATTERN_SENTENCES.items():
        for sentence in sentences:
            add(sentence, language, "threat", "pattern")
            if language in ("ru", "hy"):
                table = RU_LATIN if language == "ru" else HY_LATIN
                add(
                    " ".join(translit(w, table) for w in sentence.lower().split()),
                    language,
                    "threat",
                    "pattern",
                )
            if language == "az":
                add(
                    " ".join(translit(w, AZ_CYRILLIC) for w in sentence.lower().split()),
                    language,
                    "threat",
                    "pattern",
                )
    for language, sentences in DEHUMANIZING.items():
        for sentence in sentences:
            add(sentence, language, "dehumanization", "pattern")
            if language in ("ru", "hy"):
                table = RU_LATIN if language == "ru" else HY_LATIN
                latin = " ".join(translit(w, table) for w in sentence.lower().split())
                add(latin, language, "dehumanization", "pattern")
            if language == "az":
                cyrillic = " ".join(translit(w, AZ_CYRILLIC) for w in sentence.lower().split())
                add(cyrillic, language, "dehumanization", "pattern")
    for language, glued in GLUED.items():
        for text, category in glued:
            add(text, language, category, "glued")
            if language in ("ru", "hy"):
                add(
                    translit(text, RU_LATIN if language == "ru" else HY_LATIN),
                    language,
                    category,
                    "glued",
                )
    # One word of each threat or dehumanizing sentence stretched ("kiiiill them all",
    # "убииить их всех", "spanneeel"), in every script the sentence is written in. Drawn last,
    # so the rows above keep their random choices.
    sentences = [
        (lang, text, "threat") for lang, texts in PATTERN_SENTENCES.items() for text in texts
    ]
    sentences += [
        (lang, text, "dehumanization") for lang, texts in DEHUMANIZING.items() for text in texts
    ]
    for language, sentence, category in sentences:
        variants = [sentence]
        if language in ("ru", "hy"):
            table = RU_LATIN if language == "ru" else HY_LATIN
            variants.append(" ".join(translit(w, table) for w in sentence.lower().split()))
        if language == "az":
            variants.append(" ".join(translit(w, AZ_CYRILLIC) for w in sentence.lower().split()))
        for variant in variants:
            words = variant.split()
            long = [i for i, w in enumerate(words) if len(w) >= 4]
            if not long:
                continue
            i = rng.choice(long)
            words[i] = stretched(words[i])
            add(" ".join(words), language, category, "stretched_phrase")
    for language, texts in DOUBLE_LETTERS.items():
        for text in texts:
            out.append(
                {
                    "text": text,
                    "language": language,
                    "script": script_of(text),
                    "label": "hard_negative",
                    "kind": "double_letters",
                }
            )
    for language, kinds in HARD.items():
        for kind, texts in kinds.items():
            for text in texts:
                out.append(
                    {
                        "text": text,
                        "language": language,
                        "script": script_of(text),
                        "label": "hard_negative",
                        "kind": kind,
                    }
                )
    return out


def main() -> None:
    lines = [json.dumps(row, ensure_ascii=False) for row in rows()]
    (HERE / "civility_eval.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} rows")


if __name__ == "__main__":
    main()
