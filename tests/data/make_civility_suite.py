"""Regenerate civility_suite.jsonl: ``python tests/data/make_civility_suite.py``.

Evasions are generated from listed terms with the tricks people use (spacing, dots, leet,
stretching, look-alike letters, invisible characters, strike-through marks, full-width);
testimony, innocent look-alikes and civil text are written by hand. Deterministic.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent

EVADE = {
    # language: [(term, category)]
    "en": [
        ("fuck", "profanity"),
        ("shit", "profanity"),
        ("bitch", "profanity"),
        ("asshole", "profanity"),
        ("motherfucker", "profanity"),
        ("cunt", "profanity"),
        ("nigger", "slur"),
        ("faggot", "slur"),
        ("towelhead", "slur"),
        ("subhuman", "dehumanization"),
        ("idiot", "harassment"),
        ("moron", "harassment"),
        ("retard", "harassment"),
    ],
    "ru": [
        ("сука", "profanity"),
        ("блядь", "profanity"),
        ("хуй", "profanity"),
        ("пизда", "profanity"),
        ("пиздец", "profanity"),
        ("мудак", "profanity"),
        ("хачи", "slur"),
        ("чурка", "slur"),
        ("черножопый", "slur"),
        ("армяшка", "slur"),
        ("недочеловек", "dehumanization"),
        ("дебил", "harassment"),
        ("урод", "harassment"),
        ("suka", "profanity"),
        ("blyat", "profanity"),
    ],
    "hy": [
        ("բոզ", "profanity"),
        ("քաք", "profanity"),
        ("քունեմ", "profanity"),
        ("ապուշ", "harassment"),
        ("դեբիլ", "harassment"),
        ("սատկի", "harassment"),
        ("qunem", "profanity"),
        ("apush", "harassment"),
        ("satki", "harassment"),
    ],
    "az": [
        ("dığa", "slur"),
        ("dığalar", "slur"),
        ("siktir", "profanity"),
        ("qəhbə", "profanity"),
        ("peysər", "profanity"),
        ("amcıq", "profanity"),
        ("dalbayob", "profanity"),
        ("axmaq", "harassment"),
        ("qancıq", "harassment"),
        ("debil", "harassment"),
    ],
}

FRAMES = {
    "en": ["you {t}", "{t}!", "what a {t}", "go away, {t}", "all of you are {t}"],
    "ru": ["ты {t}", "{t}!", "вот {t}", "иди отсюда, {t}", "{t}, все вы"],
    "hy": ["դու {t}", "{t}!", "ինչ {t}", "{t}, գնա այստեղից", "բոլորդ {t}"],
    "az": ["sən {t}", "{t}!", "nə {t}", "get burdan, {t}", "hamınız {t}"],
}

LEET = str.maketrans({"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"})
TO_CYR = str.maketrans({"a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "y": "у"})
TO_LAT = str.maketrans({"а": "a", "о": "o", "е": "e", "с": "c", "р": "p", "х": "x", "у": "y"})
TO_LAT_HY = str.maketrans({"օ": "o", "ս": "u", "հ": "h"})
VOWELS = set("aeiouəıöüаеёиоуыэюяաեէըիոօու")


def stretch(term: str) -> str:
    for i in range(len(term) - 1, -1, -1):
        if term[i].lower() in VOWELS:
            return term[: i + 1] + term[i] * 3 + term[i + 1 :]
    return term[:-1] + term[-1] * 4


def homoglyph(term: str) -> str:
    for table in (TO_CYR, TO_LAT, TO_LAT_HY):
        swapped = term.translate(table)
        if swapped != term:
            # swap only some letters so the word mixes scripts
            return "".join(s if i % 2 == 0 else c for i, (s, c) in enumerate(zip(swapped, term)))
    return term


TRICKS = {
    "upper": str.upper,
    "dots": lambda t: ".".join(t),
    "spaces": lambda t: " ".join(t),
    "dashes": lambda t: "-".join(t),
    "stretch": stretch,
    "leet": lambda t: t.translate(LEET) if t.isascii() else t.replace("а", "@").replace("о", "0"),
    "homoglyph": homoglyph,
    "zero_width": lambda t: "\u200b".join(t),
    "strike": lambda t: "".join(c + "\u0336" for c in t),
    "fullwidth": lambda t: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in t),
    "soft_hyphen": lambda t: "\u00ad".join(t),
}

WRITTEN = [
    # (language, kind, text, expected action, expected category or None)
    ("en", "threat", "Death to Armenians, all of them.", "hold", "threat"),
    ("en", "threat", "death to azerbaijanis", "hold", "threat"),
    ("en", "threat", "I'll kill you if you post that again", "hold", "threat"),
    ("en", "threat", "I know where you live.", "hold", "threat"),
    ("en", "threat", "kill yourself", "hold", "threat"),
    ("en", "dehumanization", "They are animals, every one of them.", "hold", "dehumanization"),
    ("en", "dehumanization", "those people are cockroaches", "hold", "dehumanization"),
    ("en", "dehumanization", "they are not human", "hold", "dehumanization"),
    ("ru", "threat", "Смерть армянам!", "hold", "threat"),
    ("ru", "threat", "смерть азербайджанцам", "hold", "threat"),
    ("ru", "threat", "Я тебя убью.", "hold", "threat"),
    ("ru", "threat", "я знаю где ты живешь", "hold", "threat"),
    ("ru", "dehumanization", "Они животные, все до одного.", "hold", "dehumanization"),
    ("ru", "dehumanization", "это не люди", "hold", "dehumanization"),
    ("ru", "dehumanization", "они тараканы", "hold", "dehumanization"),
    ("hy", "threat", "Մահ թուրքերին", "hold", "threat"),
    ("hy", "threat", "կսպանեմ քեզ", "hold", "threat"),
    ("hy", "threat", "qez kspanem", "hold", "threat"),
    ("hy", "dehumanization", "նրանք անասուններ են", "hold", "dehumanization"),
    ("hy", "dehumanization", "շներ են բոլորը", "hold", "dehumanization"),
    ("hy", "slur", "շուն թուրք", "block", "slur"),
    ("az", "threat", "Ölüm ermənilərə!", "hold", "threat"),
    ("az", "threat", "səni öldürəcəm", "hold", "threat"),
    ("az", "threat", "hamısını öldürün", "hold", "threat"),
    ("az", "dehumanization", "onlar heyvandır", "hold", "dehumanization"),
    ("az", "dehumanization", "insan deyillər onlar", "hold", "dehumanization"),
    ("az", "slur", "it erməni", "block", "slur"),
    # testimony about violence: never blocked or held
    ("en", "testimony", "My grandfather was killed in the war.", "allow", None),
    ("en", "testimony", "They burned our village in 1992 and we fled at night.", "allow", None),
    (
        "en",
        "testimony",
        "My mother still cannot talk about the day they took my father.",
        "allow",
        None,
    ),
    ("en", "testimony", "Soldiers killed our neighbours and shot our dogs.", "allow", None),
    ("en", "testimony", "We hid in the basement with the rats for three weeks.", "allow", None),
    ("en", "testimony", "They treated us like animals in that camp.", "allow", None),
    ("en", "testimony", "My uncle Khachik was beaten to death near the checkpoint.", "allow", None),
    ("en", "testimony", "The Surb Khach church in our town was destroyed.", "allow", None),
    (
        "en",
        "testimony",
        "Turks and Armenians lived on the same street before the war.",
        "allow",
        None,
    ),
    ("en", "testimony", "The shelling killed my sister; she was nine.", "allow", None),
    ("en", "testimony", "They wanted to wipe us out, and they almost did.", "allow", None),
    (
        "en",
        "testimony",
        "A mine exploded under my brother's car. He died instantly.",
        "allow",
        None,
    ),
    (
        "en",
        "testimony",
        "Men with guns came and said they would kill everyone who stayed.",
        "allow",
        None,
    ),
    ("ru", "testimony", "Моего деда убили на войне.", "allow", None),
    ("ru", "testimony", "Они сожгли нашу деревню, и мы бежали ночью.", "allow", None),
    ("ru", "testimony", "Мой дядя Хачик погиб под обстрелом.", "allow", None),
    ("ru", "testimony", "Нас выгнали из дома, соседей расстреляли.", "allow", None),
    ("ru", "testimony", "Мы прятались в подвале три недели, без воды и света.", "allow", None),
    ("ru", "testimony", "Мою сестру убили, ей было девять лет.", "allow", None),
    ("ru", "testimony", "Армяне и азербайджанцы жили на одной улице до войны.", "allow", None),
    ("ru", "testimony", "С нами обращались как с животными.", "allow", None),
    ("ru", "testimony", "Отца забрали, и мы больше никогда его не видели.", "allow", None),
    ("ru", "testimony", "Смерть пришла в наш город в феврале.", "allow", None),
    ("hy", "testimony", "Պապիկիս սպանեցին պատերազմում։", "allow", None),
    ("hy", "testimony", "Նրանք այրեցին մեր գյուղը, և մենք գիշերով փախանք։", "allow", None),
    ("hy", "testimony", "Մայրս դեռ չի կարողանում խոսել այն օրվա մասին։", "allow", None),
    ("hy", "testimony", "Եղբայրս զոհվեց, նա քսան տարեկան էր։", "allow", None),
    ("hy", "testimony", "Մեր եկեղեցու խաչքարերը ավերեցին։", "allow", None),
    ("hy", "testimony", "Խաչատուր պապս պատմում էր, թե ինչպես փախան Բաքվից։", "allow", None),
    ("hy", "testimony", "Երեք շաբաթ թաքնվել ենք նկուղում։", "allow", None),
    ("hy", "testimony", "Papikis spanecin paterazmum.", "allow", None),
    ("hy", "testimony", "Mer gyughe ayrecin, yev menq pakhanq.", "allow", None),
    (
        "hy",
        "testimony",
        "Հայերն ու ադրբեջանցիները մի փողոցում էին ապրում պատերազմից առաջ։",
        "allow",
        None,
    ),
    ("az", "testimony", "Babam müharibədə öldürüldü.", "allow", None),
    ("az", "testimony", "Kəndimizi yandırdılar, gecə qaçdıq.", "allow", None),
    ("az", "testimony", "Qardaşım şəhid oldu, iyirmi yaşı var idi.", "allow", None),
    ("az", "testimony", "Anam hələ də o gündən danışa bilmir.", "allow", None),
    ("az", "testimony", "Üç həftə zirzəmidə gizləndik.", "allow", None),
    ("az", "testimony", "Bizimlə heyvan kimi davrandılar.", "allow", None),
    (
        "az",
        "testimony",
        "Ermənilər və azərbaycanlılar müharibədən əvvəl bir küçədə yaşayırdılar.",
        "allow",
        None,
    ),
    ("az", "testimony", "Boz rəngli evimiz yerlə yeksan oldu.", "allow", None),
    ("az", "testimony", "Atamı apardılar və bir daha görmədik.", "allow", None),
    ("az", "testimony", "Xocalıda qonşularımızı güllələdilər.", "allow", None),
    # innocent look-alikes
    ("en", "innocent", "I grew up in Scunthorpe.", "allow", None),
    ("en", "innocent", "The assessment is due on Friday.", "allow", None),
    ("en", "innocent", "A classic novel set in Essex and Sussex.", "allow", None),
    ("en", "innocent", "Dickens wrote about passionate people.", "allow", None),
    ("en", "innocent", "The bass player made a cocktail with shiitake.", "allow", None),
    ("en", "innocent", "My therapist lives in Middlesex near Penistone.", "allow", None),
    ("en", "innocent", "The assassin in the film was a Sikh.", "allow", None),
    ("en", "innocent", "Churkin spoke at the United Nations.", "allow", None),
    ("en", "innocent", "We ate khachapuri and a cake called pakhlava.", "allow", None),
    ("en", "innocent", "The debilitating heat made the hike hard.", "allow", None),
    ("ru", "innocent", "Не стоит употреблять это слово.", "allow", None),
    ("ru", "innocent", "Мы ели хачапури в Тбилиси.", "allow", None),
    ("ru", "innocent", "Музыка Хачатуряна звучала весь вечер.", "allow", None),
    ("ru", "innocent", "Пальто из сукна, застрахуй его.", "allow", None),
    ("ru", "innocent", "Скипидар стоит в сарае.", "allow", None),
    ("ru", "innocent", "Чуркин выступил в ООН.", "allow", None),
    ("ru", "innocent", "Команда оскорблять никого не хотела.", "allow", None),
    ("ru", "innocent", "Сукно и шерсть продавали на рынке.", "allow", None),
    ("ru", "innocent", "Потребление хлеба выросло.", "allow", None),
    ("ru", "innocent", "Хочу купить рубашку и рубль.", "allow", None),
    ("hy", "innocent", "Խաչքարը կանգնած է եկեղեցու մոտ։", "allow", None),
    ("hy", "innocent", "Խաչը բարձրացրին տաճարի վրա։", "allow", None),
    ("hy", "innocent", "Խաչատրյանի երաժշտությունը գեղեցիկ է։", "allow", None),
    ("hy", "innocent", "Մենք կերանք խաչապուրի։", "allow", None),
    ("hy", "innocent", "Surb Khach vanq@ shat hin e.", "allow", None),
    ("hy", "innocent", "Khachkar@ kangnac e.", "allow", None),
    ("hy", "innocent", "Սուրբ Խաչ եկեղեցին վերականգնեցին։", "allow", None),
    ("hy", "innocent", "Բոզբաշ ապուր եփեցինք։", "allow", None),
    ("az", "innocent", "Boz qurd dağda gəzirdi.", "allow", None),
    ("az", "innocent", "Ərik qaqı çox dadlıdır.", "allow", None),
    ("az", "innocent", "Qədim sikkə muzeydədir.", "allow", None),
    ("az", "innocent", "Kitabı götürmək istəyirəm.", "allow", None),
    ("az", "innocent", "Gicgahım ağrıyır.", "allow", None),
    ("az", "innocent", "Bu, axmaqlıq deyil, cəsarətdir.", "allow", None),
    ("az", "innocent", "Göyçay narı məşhurdur.", "allow", None),
    ("az", "innocent", "Sikh dini haqqında oxudum.", "allow", None),
    ("az", "innocent", "Diqqət edin, qapı bağlıdır.", "allow", None),
    ("az", "innocent", "Siklon sahilə çatdı.", "allow", None),
    # civil
    (
        "en",
        "civil",
        "Thank you for sharing this; I had not heard it from your side.",
        "allow",
        None,
    ),
    ("en", "civil", "I disagree, but I want to understand why you see it that way.", "allow", None),
    (
        "en",
        "civil",
        "Can we talk about what peace would look like for our children?",
        "allow",
        None,
    ),
    ("en", "civil", "My family is from Baku and moved to Yerevan in 1988.", "allow", None),
    ("en", "civil", "I appreciate your honesty ❤️ 🇦🇲🇦🇿", "allow", None),
    ("ru", "civil", "Спасибо, что поделились. Я не знал об этом.", "allow", None),
    ("ru", "civil", "Я не согласен, но хочу понять вашу точку зрения.", "allow", None),
    ("ru", "civil", "Давайте поговорим о том, каким может быть мир.", "allow", None),
    ("ru", "civil", "Моя семья из Баку, в 1988 году мы переехали в Ереван.", "allow", None),
    ("ru", "civil", "Хорошего вечера всем 🙂", "allow", None),
    ("hy", "civil", "Շնորհակալություն, որ կիսվեցիք։", "allow", None),
    ("hy", "civil", "Համաձայն չեմ, բայց ուզում եմ հասկանալ ձեզ։", "allow", None),
    ("hy", "civil", "Եկեք խոսենք խաղաղության մասին։", "allow", None),
    ("hy", "civil", "Shnorhakalutyun, vor kisvecik.", "allow", None),
    ("hy", "civil", "Իմ ընտանիքը Բաքվից է։", "allow", None),
    ("az", "civil", "Paylaşdığınız üçün təşəkkür edirəm.", "allow", None),
    ("az", "civil", "Razı deyiləm, amma sizi başa düşmək istəyirəm.", "allow", None),
    ("az", "civil", "Gəlin sülh haqqında danışaq.", "allow", None),
    ("az", "civil", "Ailəm Yerevandan 1988-ci ildə köçüb.", "allow", None),
    ("az", "civil", "Hamıya xoş axşamlar 🙂", "allow", None),
]

ACTION = {
    "slur": "block",
    "dehumanization": "hold",
    "threat": "hold",
    "profanity": "nudge",
    "harassment": "nudge",
}


def main() -> None:
    rng = random.Random(5)
    rows = []
    for language, terms in EVADE.items():
        for term, category in terms:
            rows.append(
                {
                    "text": rng.choice(FRAMES[language]).format(t=term),
                    "language": language,
                    "kind": "plain",
                    "trick": "none",
                    "action": ACTION[category],
                    "category": category,
                }
            )
            for trick in rng.sample(sorted(TRICKS), 4):
                rows.append(
                    {
                        "text": rng.choice(FRAMES[language]).format(t=TRICKS[trick](term)),
                        "language": language,
                        "kind": "evasion",
                        "trick": trick,
                        "action": ACTION[category],
                        "category": category,
                    }
                )
            first, second = rng.sample(["upper", "stretch", "leet", "homoglyph", "strike"], 2)
            combined = TRICKS[second](TRICKS[first](term))
            for joiner in rng.sample(["dots", "spaces", "zero_width", "none"], 1):
                if joiner != "none":
                    combined = TRICKS[joiner](combined)
                rows.append(
                    {
                        "text": rng.choice(FRAMES[language]).format(t=combined),
                        "language": language,
                        "kind": "evasion",
                        "trick": f"{first}+{second}+{joiner}",
                        "action": ACTION[category],
                        "category": category,
                    }
                )
    for language, kind, text, action, category in WRITTEN:
        rows.append(
            {
                "text": text,
                "language": language,
                "kind": kind,
                "trick": "none",
                "action": action,
                "category": category,
            }
        )
    with (HERE / "civility_suite.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(rows), "examples")


if __name__ == "__main__":
    main()
