"""The dialogue loop: prompt packs, communities, rounds, structured replies, endorsements."""
