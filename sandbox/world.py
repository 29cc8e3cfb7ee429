"""The ready-made guild used by tests, the demo and the benchmarks.

Two communities (roles "Armenian" and "Azerbaijani", not configured in the bot), a moderator,
a facilitator, an administrator and the owner; a dialogue channel, a general channel and a
moderators' channel only moderators (and the bot) can see.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sandbox import state as st
from sandbox.emulator import Emulator
from sandbox.members import Person

COMMUNITIES = ("Armenian", "Azerbaijani")

# Who plays each part in the tests: short, distinct usernames the assertions name.
TEST_CAST = {
    "owner": "olga",
    "admin": "ada",
    "mod": "maria",
    "facilitator": "farid",
    "alice": "alice",
    "ani": "ani",
    "bob": "bob",
    "babek": "babek",
}
# Who plays them in the demo: people of the region, Armenian and Azerbaijani given names, none
# shared with the essay's author (Maria Karapetyan); a moderator and a facilitator from each
# side (the second pair is added by demo_world).
DEMO_CAST = {
    "owner": "hayk",
    "admin": "nigar",
    "mod": "siranush",
    "facilitator": "farid",
    "alice": "anahit",
    "ani": "ani",
    "bob": "tural",
    "babek": "babek",
}


@dataclass
class World:
    emu: Emulator
    guild: st.Guild
    owner: Person
    admin: Person
    mod: Person
    facilitator: Person
    alice: Person  # Armenian
    ani: Person  # Armenian
    bob: Person  # Azerbaijani
    babek: Person  # Azerbaijani
    dialogue: st.Channel
    general: st.Channel
    mod_channel: st.Channel
    armenian: st.Role
    azerbaijani: st.Role
    moderator_role: st.Role
    facilitator_role: st.Role
    admin_role: st.Role
    more: dict[str, Person] = field(default_factory=dict)  # further people, by part

    @property
    def members(self) -> list[Person]:
        return [self.alice, self.ani, self.bob, self.babek]


async def build_world(
    emu: Emulator, name: str = "Track Two Sandbox", cast: Mapping[str, str] = TEST_CAST
) -> World:
    guild = await emu.create_guild(name, owner=cast["owner"])
    admin_role = await emu.create_role(guild, "Admin", permissions=st.ADMINISTRATOR, position=20)
    moderator_role = await emu.create_role(
        guild,
        "Moderator",
        permissions=st.MANAGE_MESSAGES | st.MODERATE_MEMBERS | st.MANAGE_THREADS | st.KICK_MEMBERS,
        position=5,
    )
    facilitator_role = await emu.create_role(guild, "Facilitator", position=4)
    armenian = await emu.create_role(guild, "Armenian", position=3, color=0xD90012)
    azerbaijani = await emu.create_role(guild, "Azerbaijani", position=2, color=0x00B5E2)
    general = await emu.create_channel(guild, "general", topic="Anything")
    dialogue = await emu.create_channel(guild, "dialogue", topic="People-to-people dialogue")
    mod_channel = await emu.create_channel(guild, "moderators")
    emu.hide_channel_from(mod_channel, moderator_role)
    return World(
        emu=emu,
        guild=guild,
        owner=emu.owner(guild),
        admin=await emu.add_member(guild, cast["admin"], roles=[admin_role]),
        mod=await emu.add_member(guild, cast["mod"], roles=[moderator_role]),
        facilitator=await emu.add_member(guild, cast["facilitator"], roles=[facilitator_role]),
        alice=await emu.add_member(guild, cast["alice"], roles=[armenian]),
        ani=await emu.add_member(guild, cast["ani"], roles=[armenian]),
        bob=await emu.add_member(guild, cast["bob"], roles=[azerbaijani]),
        babek=await emu.add_member(guild, cast["babek"], roles=[azerbaijani]),
        dialogue=dialogue,
        general=general,
        mod_channel=mod_channel,
        armenian=armenian,
        azerbaijani=azerbaijani,
        moderator_role=moderator_role,
        facilitator_role=facilitator_role,
        admin_role=admin_role,
    )


async def demo_world(emu: Emulator, name: str = "Track Two Sandbox") -> World:
    """The demo's guild: the demo cast, shown by their names ("Anahit"), the moderator and
    facilitator each from one community, and a second pair from the other side."""
    emu.state.title_case_names = True
    world = await build_world(emu, name, DEMO_CAST)
    await emu.set_roles(world.guild, world.mod.member, [world.moderator_role, world.armenian])
    await emu.set_roles(
        world.guild, world.facilitator.member, [world.facilitator_role, world.azerbaijani]
    )
    world.more["mod2"] = await emu.add_member(
        world.guild, "rashad", roles=[world.moderator_role, world.azerbaijani]
    )
    world.more["facilitator2"] = await emu.add_member(
        world.guild, "lilit", roles=[world.facilitator_role, world.armenian]
    )
    return world
