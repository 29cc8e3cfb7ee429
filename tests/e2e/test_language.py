"""Members read Track Two in their language: those whose Discord app cannot say it (Armenian,
Azerbaijani) choose it with /language set; a Russian app is understood without asking; the
server has a language of its own; slash commands carry Russian descriptions."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.emulator import Emulator
from sandbox.harness import BotHarness
from sandbox.world import World
from tests.e2e.test_dialogue import TEXT, post_round, set_up, until

pytestmark = pytest.mark.e2e

AZ_LABELS = [
    "Bu parça məndə nələri oyadır",
    "Baxışımı formalaşdıran bir təcrübə",
    "Harada tərəddüd edirəm və ya əmin deyiləm",
    "Digər icmaya bir sual",
    "Cavabdan serverdən kənarda sitat gətirilsin?",
]


async def test_a_member_chooses_azerbaijani_and_gets_the_form_in_it(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, _ = await post_round(world)
    chosen = await (await world.babek.slash("language set", language="az")).message()
    assert chosen.ephemeral and "Azərbaycan dili" in chosen.content
    assert "danışacaq" in chosen.content

    modal = await (await world.babek.click(prompt, "Share your perspective")).modal()
    assert modal.title == "Baxışınızı bölüşün · Raund 1"
    assert [f["label"] for f in modal.fields()] == AZ_LABELS
    consent = modal.field("quote_consent")
    assert [o["label"] for o in consent["options"]] == [
        "Xeyr — yalnız bu serverdə qalsın",
        "Bəli — adım çəkilmədən sitat gətirilə bilər",
    ]

    ack = await (await world.babek.submit(modal, {AZ_LABELS[0]: TEXT})).message()
    assert ack.ephemeral and "Təşəkkür edirik" in ack.content
    assert "İştirakçı 1 · Azerbaijani" in ack.content  # the member's language, even the label

    # only babek chose: others still read English, and the public button stays as it was
    other = await (await world.bob.click(prompt, "Share your perspective")).modal()
    assert other.title.startswith("Share your perspective")
    shown = await (await world.babek.slash("language show")).message()
    assert "seçdiyiniz dildə" in shown.content


async def test_a_russian_discord_app_is_understood_without_asking(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, _ = await post_round(world)
    world.alice.locale = "ru"
    modal = await (await world.alice.click(prompt, "Share your perspective")).modal()
    assert modal.title == "Поделитесь своим взглядом · Раунд 1"
    assert modal.fields()[0]["label"] == "Что этот отрывок во мне пробуждает"
    shown = await (await world.alice.slash("language show")).message()
    assert "Русский" in shown.content and "Discord" in shown.content
    # a choice wins over the app's language
    await (await world.alice.slash("language set", language="hy")).message()
    modal = await (await world.alice.click(prompt, "Share your perspective")).modal()
    assert modal.title == "Կիսվեք ձեր տեսակետով · Փուլ 1"


async def test_the_server_language_is_the_default(world: World, tracktwo: BotHarness) -> None:
    await set_up(world)
    prompt, _ = await post_round(world)
    refused = await (await world.ani.slash("setup language", language="hy")).message()
    assert "server admins" in refused.content
    done = await (await world.admin.slash("setup language", language="hy")).message()
    assert "Հայերեն" in done.content
    modal = await (await world.ani.click(prompt, "Share your perspective")).modal()
    assert modal.title.startswith("Կիսվեք ձեր տեսակետով")
    world.bob.locale = "ru"  # Discord's own signal still wins over the server's
    modal = await (await world.bob.click(prompt, "Share your perspective")).modal()
    assert modal.title.startswith("Поделитесь")
    shown = await (await world.admin.slash("setup show")).message()
    assert shown.embed_fields()["Լեզու"] == "Հայերեն"  # /setup show reads in Armenian too


async def test_synced_commands_carry_russian_descriptions(
    emu: Emulator, tracktwo: BotHarness
) -> None:
    about = next(c for c in emu.commands.values() if c.name == "about")
    assert about.data["description_localizations"] == {
        "ru": "Что такое Track Two и как он работает"
    }
    assert not about.data.get("name_localizations")
    language = next(c for c in emu.commands.values() if c.name == "language")
    set_ = next(o for o in language.data["options"] if o["name"] == "set")
    (option,) = set_["options"]
    assert option["description_localizations"]["ru"] == "Ваш язык"
    assert [c["name"] for c in option["choices"]] == [
        "English",
        "Русский",
        "Հայերեն",
        "Azərbaycan dili",
    ]


async def test_a_changed_translation_is_synced_on_the_next_start(
    emu: Emulator, tracktwo: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.i18n import CATALOGS

    syncs = len(emu.calls("PUT /applications/*/commands"))
    await tracktwo.restart()
    assert len(emu.calls("PUT /applications/*/commands")) == syncs  # unchanged: no sync
    monkeypatch.setitem(CATALOGS["ru"].commands, "Show the current setup", "Текущие настройки")
    await tracktwo.restart()
    assert len(emu.calls("PUT /applications/*/commands")) == syncs + 1


async def test_errors_from_the_services_are_answered_in_the_members_language(
    world: World, tracktwo: BotHarness
) -> None:
    await set_up(world)
    prompt, thread = await post_round(world)
    await (await world.babek.slash("language set", language="az")).message()
    modal = await (await world.babek.click(prompt, "Share your perspective")).modal()
    await (await world.babek.submit(modal, {AZ_LABELS[0]: TEXT})).message()
    reply = await world.emu.wait_for_message(channel=thread, check=lambda m: bool(m.embeds))
    own = await (await world.babek.click(reply, "This resonates")).message()
    assert own.ephemeral and own.content == "Öz cavabınızı qeyd edə bilməzsiniz."
    missing = await (await world.babek.slash("reply withdraw", number=2)).message()
    assert missing.content == "Belə raund yoxdur; /prompt list onları göstərir."
    await (await world.bob.slash("language set", language="az")).message()
    nothing = await (await world.bob.slash("reply withdraw", number=1)).message()
    assert nothing.content == "1-ci raundda cavabınız yoxdur."
    world.alice.locale = "ru"
    short = await (await world.alice.click(prompt, "Share your perspective")).modal()
    answer = await (
        await world.alice.submit(short, {"brings_up": "<b></b><i></i><s></s> коротко, да"})
    ).message()
    assert "не меньше 20 символов" in answer.content
    assert "коротко, да" in answer.content  # what she wrote comes back to her


async def test_public_posts_speak_the_servers_language(world: World, tracktwo: BotHarness) -> None:
    """Everyone reads the prompt and the replies; they are in the server's language, while each
    member's own answers follow their choice."""
    await set_up(world)
    await (await world.admin.slash("setup language", language="ru")).message()
    await (await world.facilitator.slash("prompt post", channel=world.dialogue)).message()
    prompt = world.emu.messages_in(world.dialogue)[-1]
    assert prompt.embed["title"] == "Раунд 1 · Тема для диалога"
    assert "Maria Karapetyan" in prompt.embed_fields()["Источник"]
    assert prompt.button_labels() == ["Поделиться взглядом", "Читать ответы"]
    modal = await (await world.ani.click(prompt, "Поделиться взглядом")).modal()
    await (await world.ani.submit(modal, {"brings_up": TEXT})).message()
    thread = world.emu.channels[prompt.thread_id or 0]
    reply = await world.emu.wait_for_message(channel=thread, check=lambda m: bool(m.embeds))
    assert reply.button_labels() == [
        "Мне это близко",
        "Я узнал(а) новое",
        "Уважительно не согласен(на)",
        "Пожаловаться",
        "Ответить",
    ]
    assert "Отклики" in reply.embed_fields()
    assert reply.embed["footer"]["text"].startswith("Раунд 1 · ответ")
    await (await world.facilitator.slash("round close", number=1)).message()
    assert prompt.button_labels() == ["Раунд закрыт", "Читать ответы"]


# --- issue 13 item 4: every text in the member's language -------------------------------------

# What a member reads, per language, written out (not computed from the catalogs): the
# choice prompt of /community join, the welcome, the stats title and a count, /about's fields,
# a refused /setup and the warning DM.
MEMBER_TEXTS = {
    "ru": {
        "choose": "От имени какого сообщества вы говорите?",
        "placeholder": "Выберите своё сообщество",
        "welcome": "Добро пожаловать! Теперь вы в сообществе **Azerbaijani**.",
        "stats": "Сообщества в диалоге",
        "members": "1 участник · 0 опубликованных ответов",
        "about": ["Версия", "Время работы", "Задержка шлюза", "База данных", "Сохранённые ответы"],
        "refused": "Только администраторы сервера",
        "warned": "Вы получили предупреждение",
    },
    "hy": {
        "choose": "Ո՞ր համայնքի անունից եք խոսում։",
        "placeholder": "Ընտրեք ձեր համայնքը",
        "welcome": "Բարի գալուստ։ Այժմ դուք **Azerbaijani** համայնքում եք։",
        "stats": "Երկխոսության համայնքները",
        "members": "1 անդամ · 0 հրապարակված պատասխան",
        "about": ["Տարբերակ", "Աշխատաժամանակ", "Gateway-ի ուշացում", "Տվյալների բազա"],
        "refused": "Միայն սերվերի ադմինիստրատորները",
        "warned": "նախազգուշացում",
    },
    "az": {
        "choose": "Hansı icmanın adından danışırsınız?",
        "placeholder": "İcmanızı seçin",
        "welcome": "Xoş gəldiniz! İndi siz **Azerbaijani** icmasındasınız.",
        "stats": "Dialoqdakı icmalar",
        "members": "1 üzv · 0 dərc olunmuş cavab",
        "about": ["Versiya", "İş müddəti", "Gateway gecikməsi", "Verilənlər bazası"],
        "refused": "Track Two-nun ayarlarını yalnız server adminləri",
        "warned": "Xəbərdarlıq aldınız",
    },
}


@pytest.mark.parametrize("code", sorted(MEMBER_TEXTS))
async def test_a_member_reads_community_about_refusals_and_moderation_in_their_language(
    emu: Emulator, world: World, tracktwo: BotHarness, code: str
) -> None:
    expected = MEMBER_TEXTS[code]
    await set_up(world)
    carol = await emu.add_member(world.guild, "carol")
    await (await carol.slash("language set", language=code)).message()

    offer = await (await carol.slash("community join")).message()
    assert offer.ephemeral and offer.content.startswith(expected["choose"])
    assert offer.component("t2:join")["placeholder"] == expected["placeholder"]
    joined = await (await carol.select(offer, ["2"])).message()
    assert joined.content.startswith(expected["welcome"])

    stats = await (await carol.slash("community stats")).message()
    assert stats.embed["title"] == expected["stats"]
    assert stats.embed_fields()["Azerbaijani"] == expected["members"]

    about = await (await carol.slash("about")).message()
    assert set(expected["about"]) <= set(about.embed_fields())
    assert "Version" not in about.embed_fields()

    refused = await (await carol.slash("setup show")).message()
    assert refused.ephemeral and refused.content.startswith(expected["refused"])
    assert "Only" not in refused.content

    await (await world.mod.slash("mod warn", member=carol, reason="heated")).message()
    warned = await carol.wait_for_dm(lambda m: expected["warned"] in m.content, timeout=5)
    assert "You received" not in warned.content


async def test_public_texts_follow_the_server_and_a_members_answer_follows_them(
    world: World, tracktwo: BotHarness
) -> None:
    """The thread and the published reply read in the server's language (everyone reads them);
    the author's own confirmation reads in theirs, "Participant N" included."""
    await set_up(world)
    await (await world.admin.slash("setup language", language="hy")).message()
    await (await world.facilitator.slash("language set", language="en")).message()
    prompt, thread = await post_round(world)
    assert thread.name.startswith("Փուլ 1 · ")
    world.ani.locale = "ru"
    modal = await (await world.ani.click(prompt, "Կիսվել տեսակետով")).modal()
    assert modal.title == "Поделитесь своим взглядом · Раунд 1"
    ack = await (await world.ani.submit(modal, {modal.fields()[0]["label"]: TEXT})).message()
    assert "Участник 1 · Armenian" in ack.content

    def published() -> Any:
        return [m for m in world.emu.messages_in(thread) if m.embeds and m.embeds[0].get("author")]

    (reply,) = await until(published, what="the published reply")
    assert reply.embed["author"]["name"] == "Մասնակից 1 · Armenian"
