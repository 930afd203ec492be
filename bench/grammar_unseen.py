"""A second, unseen exam for the grammar checker: new learner sentences with their corrections.

``WRONG`` holds what an Indonesian learner (A2-B1) might say to the coach, typed or as speech
recognition transcribes it, each with every acceptable minimal correction of the whole turn and
the issue codes it contains. ``RIGHT`` holds correct sentences on which the checker must raise
nothing. Entries alternate between two halves: "unseen_dev", read after the checks'
first measurement here (0.63 caught, 2 false alarms in 123) to improve them, and
"unseen_held_out", which was never looked at, only measured.

The format, the issue codes and the conventions for ``better`` are those of
tests/grammar_corpus.py, but every sentence here is new: other topics, names, places and
sentence frames, so that a checker tuned on the first corpus meets text it has never seen.
The corpus is written independently of the checker's code, as a teacher would write a test.
"""

from __future__ import annotations

# The same entries, issue codes and conventions as the first corpus.
from tests.grammar_corpus import ISSUE_CODES, Right, Wrong

__all__ = ["ISSUE_CODES", "RIGHT", "SPLITS", "WRONG", "Right", "Wrong"]

SPLITS: tuple[str, ...] = ("unseen_dev", "unseen_held_out")


WRONG: tuple[Wrong, ...] = (
    # --- past_tense: a present form in a clearly past context (time word) ---
    Wrong(
        text="Last Friday Putri visits the hospital with her mother.",
        better=("Last Friday Putri visited the hospital with her mother.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Two days ago it rains all night in Medan.",
        better=("Two days ago it rained all night in Medan.",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Last season our football team wins every match.",
        better=("Last season our football team won every match.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="yesterday Agus fixes my motorbike",
        better=("yesterday Agus fixed my motorbike",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="In 2020 the flood destroys many houses in our village.",
        better=("In 2020 the flood destroyed many houses in our village.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Last Eid my aunt makes rendang for twenty people.",
        better=("Last Eid my aunt made rendang for twenty people.",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Last Tuesday I order a new helmet online.",
        better=("Last Tuesday I ordered a new helmet online.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="When Wayan was young, he sells coconuts on the beach in Lombok.",
        better=("When Wayan was young, he sold coconuts on the beach in Lombok.",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="This morning we miss the bus to Malang, so we took a taxi.",
        better=("This morning we missed the bus to Malang, so we took a taxi.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Last month Nur and her husband open a small shop in Makassar.",
        better=("Last month Nur and her husband opened a small shop in Makassar.",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The doctor gives me some medicine yesterday.",
        better=("The doctor gave me some medicine yesterday.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Last Christmas we sing in the church choir.",
        better=("Last Christmas we sang in the church choir.",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Yesterday the price of rice goes up again at the market.",
        better=("Yesterday the price of rice went up again at the market.",),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="last weekend we plant rice with my uncle",
        better=("last weekend we planted rice with my uncle",),
        issues=frozenset({"past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Last night Fajar doesn't answer my messages.",
        better=(
            "Last night Fajar didn't answer my messages.",
            "Last night Fajar did not answer my messages.",
        ),
        issues=frozenset({"past_tense"}),
        split="unseen_dev",
    ),
    # --- base_form: after do/does/did (not), a modal, or infinitive "to" ---
    Wrong(
        text="Agus didn't ate breakfast this morning.",
        better=("Agus didn't eat breakfast this morning.",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Can you helps me carry these bags?",
        better=("Can you help me carry these bags?",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The nurse will checks your blood pressure.",
        better=("The nurse will check your blood pressure.",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Does the market opens on Sunday?",
        better=("Does the market open on Sunday?",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Putri doesn't wants to ride a motorbike.",
        better=("Putri doesn't want to ride a motorbike.",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The doctor said I should rests for a week.",
        better=("The doctor said I should rest for a week.",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="did you bought the tickets online",
        better=("did you buy the tickets online",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I hope to visited my grandparents in Makassar soon.",
        better=("I hope to visit my grandparents in Makassar soon.",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My son can't rides a bicycle yet.",
        better=("My son can't ride a bicycle yet.",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="They are planning to opened a coffee shop in Malang.",
        better=("They are planning to open a coffee shop in Malang.",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Yusuf didn't prayed at the mosque today.",
        better=("Yusuf didn't pray at the mosque today.",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="You must washed your hands before cooking.",
        better=("You must wash your hands before cooking.",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Did the farmers sold all their corn?",
        better=("Did the farmers sell all their corn?",),
        issues=frozenset({"base_form"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Intan might moved to Medan next year.",
        better=("Intan might move to Medan next year.",),
        issues=frozenset({"base_form"}),
        split="unseen_dev",
    ),
    # --- third_person_s: he/she/it/singular noun/name + base verb (present) ---
    Wrong(
        text="Putri work at the hospital as a nurse.",
        better=("Putri works at the hospital as a nurse.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My uncle grow tomatoes on his farm.",
        better=("My uncle grows tomatoes on his farm.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Agus ride his motorbike to work every day.",
        better=("Agus rides his motorbike to work every day.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The market open at five in the morning.",
        better=("The market opens at five in the morning.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Our street flood every year.",
        better=("Our street floods every year.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My wife don't like watching football.",
        better=(
            "My wife doesn't like watching football.",
            "My wife does not like watching football.",
        ),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Wayan speak Balinese and Indonesian.",
        better=("Wayan speaks Balinese and Indonesian.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="my little sister cry every night",
        better=("my little sister cries every night",),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The bus stop near my house have no roof.",
        better=("The bus stop near my house has no roof.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Fajar watch every Persib match on TV.",
        better=("Fajar watches every Persib match on TV.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="She usually buy her clothes online.",
        better=("She usually buys her clothes online.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The imam at our mosque give a short talk after prayers.",
        better=("The imam at our mosque gives a short talk after prayers.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My phone battery die very fast.",
        better=("My phone battery dies very fast.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Made is my neighbour. He fix cars for a living.",
        better=("Made is my neighbour. He fixes cars for a living.",),
        issues=frozenset({"third_person_s"}),
        split="unseen_dev",
    ),
    # --- subject_verb_agreement: plural/I/you subject with -s, and be/there is agreement ---
    Wrong(
        text="The nurses at this hospital works very long hours.",
        better=("The nurses at this hospital work very long hours.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="There is three mosques in my village.",
        better=("There are three mosques in my village.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My parents was at the market when the rain started.",
        better=("My parents were at the market when the rain started.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Putri and Intan lives in the same boarding house.",
        better=("Putri and Intan live in the same boarding house.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I washes my motorbike every Sunday.",
        better=("I wash my motorbike every Sunday.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The vegetables at this market is very fresh.",
        better=("The vegetables at this market are very fresh.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The farmers was worried about the rain.",
        better=("The farmers were worried about the rain.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Where is my football boots?",
        better=("Where are my football boots?",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="These mangoes from Lombok tastes very sweet.",
        better=("These mangoes from Lombok taste very sweet.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="we doesn't have class today",
        better=(
            "we don't have class today",
            "we do not have class today",
        ),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Agus and his wife has a small rice field.",
        better=("Agus and his wife have a small rice field.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My cousins from Lombok is visiting us this week.",
        better=("My cousins from Lombok are visiting us this week.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Is your brothers at home?",
        better=("Are your brothers at home?",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="He were sick last week, so he stayed home.",
        better=("He was sick last week, so he stayed home.",),
        issues=frozenset({"subject_verb_agreement"}),
        split="unseen_dev",
    ),
    # --- missing_be: no copula before an adjective or participle ---
    Wrong(
        text="The hospital very crowded today.",
        better=("The hospital is very crowded today.",),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I so tired after the football match.",
        better=(
            "I am so tired after the football match.",
            "I'm so tired after the football match.",
            "I was so tired after the football match.",
        ),
        issues=frozenset({"missing_be"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Wayan busy with his rice field this month.",
        better=("Wayan is busy with his rice field this month.",),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The roads in Medan full of motorbikes.",
        better=("The roads in Medan are full of motorbikes.",),
        issues=frozenset({"missing_be"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My grandmother sick, so she stays at home.",
        better=("My grandmother is sick, so she stays at home.",),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Our kitchen always clean.",
        better=("Our kitchen is always clean.",),
        issues=frozenset({"missing_be"}),
        split="unseen_dev",
    ),
    Wrong(
        text="this rendang very spicy",
        better=("this rendang is very spicy",),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Nur scared of the big waves in Lombok.",
        better=("Nur is scared of the big waves in Lombok.",),
        issues=frozenset({"missing_be"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The mangoes from this farm really sweet.",
        better=("The mangoes from this farm are really sweet.",),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My motorbike broken, so I walked to work.",
        better=(
            "My motorbike was broken, so I walked to work.",
            "My motorbike is broken, so I walked to work.",
        ),
        issues=frozenset({"missing_be"}),
        split="unseen_dev",
    ),
    Wrong(
        text="You very good at football.",
        better=(
            "You are very good at football.",
            "You're very good at football.",
        ),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Shopping online more convenient for me.",
        better=("Shopping online is more convenient for me.",),
        issues=frozenset({"missing_be"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The mosque near my house not big.",
        better=(
            "The mosque near my house is not big.",
            "The mosque near my house isn't big.",
        ),
        issues=frozenset({"missing_be"}),
        split="unseen_held_out",
    ),
    # --- be_before_verb: am/is/are before a bare verb ---
    Wrong(
        text="I am work at a hospital in Makassar.",
        better=(
            "I work at a hospital in Makassar.",
            "I am working at a hospital in Makassar.",
        ),
        issues=frozenset({"be_before_verb"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My father is grow rice and corn.",
        better=(
            "My father grows rice and corn.",
            "My father is growing rice and corn.",
        ),
        issues=frozenset({"be_before_verb"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="She is cook rendang in the kitchen right now.",
        better=("She is cooking rendang in the kitchen right now.",),
        issues=frozenset({"be_before_verb"}),
        split="unseen_dev",
    ),
    Wrong(
        text="They are sell fried bananas in front of the mosque.",
        better=(
            "They sell fried bananas in front of the mosque.",
            "They are selling fried bananas in front of the mosque.",
        ),
        issues=frozenset({"be_before_verb"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Agus is need a new helmet.",
        better=("Agus needs a new helmet.",),
        issues=frozenset({"be_before_verb"}),
        split="unseen_dev",
    ),
    Wrong(
        text="we are wait for the rain to stop",
        better=("we are waiting for the rain to stop",),
        issues=frozenset({"be_before_verb"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Made is know the way to the beach.",
        better=("Made knows the way to the beach.",),
        issues=frozenset({"be_before_verb"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My mother is shop online every weekend.",
        better=("My mother shops online every weekend.",),
        issues=frozenset({"be_before_verb"}),
        split="unseen_held_out",
    ),
    # --- missing_subject: a clause with no subject ---
    Wrong(
        text="I stayed home yesterday because was raining.",
        better=("I stayed home yesterday because it was raining.",),
        issues=frozenset({"missing_subject"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Is going to rain tonight, so bring a raincoat.",
        better=(
            "It is going to rain tonight, so bring a raincoat.",
            "It's going to rain tonight, so bring a raincoat.",
        ),
        issues=frozenset({"missing_subject"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My uncle sold his motorbike because was too old.",
        better=("My uncle sold his motorbike because it was too old.",),
        issues=frozenset({"missing_subject"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Pak Yusuf is a good teacher because explains everything clearly.",
        better=("Pak Yusuf is a good teacher because he explains everything clearly.",),
        issues=frozenset({"missing_subject"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="When arrived in Medan, I called my mother.",
        better=("When I arrived in Medan, I called my mother.",),
        issues=frozenset({"missing_subject"}),
        split="unseen_dev",
    ),
    Wrong(
        text="In Malang is very cold in July.",
        better=(
            "In Malang it is very cold in July.",
            "In Malang it's very cold in July.",
        ),
        issues=frozenset({"missing_subject"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Fajar missed the match because had to work.",
        better=("Fajar missed the match because he had to work.",),
        issues=frozenset({"missing_subject"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Agus bought a new phone, but doesn't work.",
        better=("Agus bought a new phone, but it doesn't work.",),
        issues=frozenset({"missing_subject"}),
        split="unseen_held_out",
    ),
    # --- verb_pattern: like/love/enjoy/want/hate/start/need + verb; hobby is + -ing ---
    Wrong(
        text="I want buy a helmet online.",
        better=("I want to buy a helmet online.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Putri enjoys cook rendang with her grandmother.",
        better=("Putri enjoys cooking rendang with her grandmother.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="One of my hobbies is ride my motorbike around Lombok.",
        better=("One of my hobbies is riding my motorbike around Lombok.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="We need leave before the rain starts.",
        better=("We need to leave before the rain starts.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Wayan likes surf in the morning.",
        better=(
            "Wayan likes to surf in the morning.",
            "Wayan likes surfing in the morning.",
        ),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The farmers hope get a good harvest this year.",
        better=("The farmers hope to get a good harvest this year.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I hate ride the bus when it rains.",
        better=(
            "I hate to ride the bus when it rains.",
            "I hate riding the bus when it rains.",
        ),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="She wants learn how to make rendang.",
        better=("She wants to learn how to make rendang.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="my father stopped smoke last year",
        better=("my father stopped smoking last year",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Do you like play football in the rain?",
        better=(
            "Do you like to play football in the rain?",
            "Do you like playing football in the rain?",
        ),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Intan started sell cakes online last month.",
        better=(
            "Intan started to sell cakes online last month.",
            "Intan started selling cakes online last month.",
        ),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="We decided take the ferry to Lombok.",
        better=("We decided to take the ferry to Lombok.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Nur finished cook dinner at seven.",
        better=("Nur finished cooking dinner at seven.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I'm planning visit Medan in June.",
        better=("I'm planning to visit Medan in June.",),
        issues=frozenset({"verb_pattern"}),
        split="unseen_held_out",
    ),
    # --- plural_noun: singular countable noun after a number > 1 or a plural quantifier ---
    Wrong(
        text="Medan has too many motorbike.",
        better=("Medan has too many motorbikes.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I bought three kilo of rice at the market.",
        better=("I bought three kilos of rice at the market.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The doctor sees about forty patient every day.",
        better=("The doctor sees about forty patients every day.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="We ordered two plate of fried noodles.",
        better=("We ordered two plates of fried noodles.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Those mango are from my uncle's farm.",
        better=(
            "Those mangoes are from my uncle's farm.",
            "Those mangos are from my uncle's farm.",
        ),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Our team scored four goal in the second half.",
        better=("Our team scored four goals in the second half.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="There are two church and one mosque in my street.",
        better=("There are two churches and one mosque in my street.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My grandfather has many cow and goat.",
        better=("My grandfather has many cows and goats.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Agus waited a few day for his package.",
        better=("Agus waited a few days for his package.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="the flood damaged hundreds of house",
        better=("the flood damaged hundreds of houses",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Three of my friend work at the airport.",
        better=("Three of my friends work at the airport.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I bought two shirt online last week.",
        better=("I bought two shirts online last week.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="We planted fifty tree near the river.",
        better=("We planted fifty trees near the river.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Fajar has watched all the match this season.",
        better=("Fajar has watched all the matches this season.",),
        issues=frozenset({"plural_noun"}),
        split="unseen_held_out",
    ),
    # --- article: missing a/an before a singular countable noun ---
    Wrong(
        text="My husband is farmer in Lombok.",
        better=("My husband is a farmer in Lombok.",),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Agus bought used motorbike from his neighbour.",
        better=("Agus bought a used motorbike from his neighbour.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Yusuf is imam at the mosque near my house.",
        better=(
            "Yusuf is an imam at the mosque near my house.",
            "Yusuf is the imam at the mosque near my house.",
        ),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="We had amazing time in Makassar.",
        better=("We had an amazing time in Makassar.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I need umbrella because it is raining.",
        better=("I need an umbrella because it is raining.",),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Fajar is big fan of Persib.",
        better=("Fajar is a big fan of Persib.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="there is small market behind the church",
        better=("there is a small market behind the church",),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My neighbour has orange cat.",
        better=("My neighbour has an orange cat.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Rendang is traditional dish from West Sumatra.",
        better=("Rendang is a traditional dish from West Sumatra.",),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I ordered new phone case online.",
        better=("I ordered a new phone case online.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="That was very long match, but our team won.",
        better=("That was a very long match, but our team won.",),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Made is receptionist at a hotel in Kuta.",
        better=("Made is a receptionist at a hotel in Kuta.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Medan is city with a lot of good food.",
        better=("Medan is a city with a lot of good food.",),
        issues=frozenset({"article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Nur is accountant at a bank in Medan.",
        better=("Nur is an accountant at a bank in Medan.",),
        issues=frozenset({"article"}),
        split="unseen_held_out",
    ),
    # --- age_with_have: have/has + N years old ---
    Wrong(
        text="Although Putri has 17 years old, she still can't ride a motorbike.",
        better=("Although Putri is 17 years old, she still can't ride a motorbike.",),
        issues=frozenset({"age_with_have"}),
        split="unseen_dev",
    ),
    Wrong(
        text="When I had ten years old, I moved to Medan.",
        better=("When I was ten years old, I moved to Medan.",),
        issues=frozenset({"age_with_have"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My motorbike has six years old, but it still runs well.",
        better=("My motorbike is six years old, but it still runs well.",),
        issues=frozenset({"age_with_have"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Our teacher has almost 60 years old.",
        better=("Our teacher is almost 60 years old.",),
        issues=frozenset({"age_with_have"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="the twins have nine years old",
        better=("the twins are nine years old",),
        issues=frozenset({"age_with_have"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Our house has more than 50 years old.",
        better=("Our house is more than 50 years old.",),
        issues=frozenset({"age_with_have"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I have 23 years old, and my wife has 21.",
        better=(
            "I am 23 years old, and my wife is 21.",
            "I'm 23 years old, and my wife is 21.",
        ),
        issues=frozenset({"age_with_have"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Do you have 18 years old?",
        better=("Are you 18 years old?",),
        issues=frozenset({"age_with_have"}),
        split="unseen_held_out",
    ),
    # --- very_like: "very" directly before a verb ---
    Wrong(
        text="Putri very likes shopping online.",
        better=(
            "Putri really likes shopping online.",
            "Putri very much likes shopping online.",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My father very loves his old motorbike.",
        better=(
            "My father really loves his old motorbike.",
            "My father very much loves his old motorbike.",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="We very enjoyed our trip to Lombok.",
        better=(
            "We really enjoyed our trip to Lombok.",
            "We very much enjoyed our trip to Lombok.",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I very want to visit Makassar.",
        better=(
            "I really want to visit Makassar.",
            "I very much want to visit Makassar.",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="the children very like playing in the rain",
        better=(
            "the children really like playing in the rain",
            "the children very much like playing in the rain",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Agus very needs a new job.",
        better=(
            "Agus really needs a new job.",
            "Agus very much needs a new job.",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Intan very misses her hometown.",
        better=(
            "Intan really misses her hometown.",
            "Intan very much misses her hometown.",
        ),
        issues=frozenset({"very_like"}),
        split="unseen_dev",
    ),
    # --- lend_borrow: borrow (take) vs lend (give) ---
    Wrong(
        text="My neighbour often borrows us his ladder.",
        better=(
            "My neighbour often lends us his ladder.",
            "My neighbour often loans us his ladder.",
        ),
        issues=frozenset({"lend_borrow"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Could I lend your raincoat? It's raining.",
        better=("Could I borrow your raincoat? It's raining.",),
        issues=frozenset({"lend_borrow"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The bank doesn't want to borrow us any money.",
        better=(
            "The bank doesn't want to lend us any money.",
            "The bank doesn't want to loan us any money.",
        ),
        issues=frozenset({"lend_borrow"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I borrowed my sister some money for her rent.",
        better=(
            "I lent my sister some money for her rent.",
            "I loaned my sister some money for her rent.",
        ),
        issues=frozenset({"lend_borrow"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Nur always lends things from her neighbours and forgets to return them.",
        better=("Nur always borrows things from her neighbours and forgets to return them.",),
        issues=frozenset({"lend_borrow"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="my brother wants to borrow me his football boots",
        better=("my brother wants to lend me his football boots",),
        issues=frozenset({"lend_borrow"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Fajar asked to lend my laptop for his presentation.",
        better=("Fajar asked to borrow my laptop for his presentation.",),
        issues=frozenset({"lend_borrow"}),
        split="unseen_held_out",
    ),
    # --- ed_ing_adjective: -ed (feeling) vs -ing (cause) ---
    Wrong(
        text="The flood was very frightened for the children.",
        better=("The flood was very frightening for the children.",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I was so confusing by the hospital forms.",
        better=("I was so confused by the hospital forms.",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The match last night was amazed.",
        better=("The match last night was amazing.",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Putri felt very disappointing with her exam results.",
        better=("Putri felt very disappointed with her exam results.",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Harvesting rice under the hot sun is exhausted.",
        better=("Harvesting rice under the hot sun is exhausting.",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_dev",
    ),
    Wrong(
        text="we were very boring during the long sermon",
        better=("we were very bored during the long sermon",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I am very worrying about my father's health.",
        better=("I am very worried about my father's health.",),
        issues=frozenset({"ed_ing_adjective"}),
        split="unseen_dev",
    ),
    # --- how_many: how many + countable, how much + uncountable ---
    Wrong(
        text="How much eggs do we need for the cake?",
        better=("How many eggs do we need for the cake?",),
        issues=frozenset({"how_many"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="How many cooking oil do we still have?",
        better=("How much cooking oil do we still have?",),
        issues=frozenset({"how_many"}),
        split="unseen_dev",
    ),
    Wrong(
        text="How much goals did Persib score?",
        better=("How many goals did Persib score?",),
        issues=frozenset({"how_many"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="how many rain did you get last night",
        better=("how much rain did you get last night",),
        issues=frozenset({"how_many"}),
        split="unseen_dev",
    ),
    Wrong(
        text="How much patients does the doctor see every day?",
        better=("How many patients does the doctor see every day?",),
        issues=frozenset({"how_many"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="How many luggage can I bring on the plane?",
        better=("How much luggage can I bring on the plane?",),
        issues=frozenset({"how_many"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I wonder how much mosques there are in Makassar.",
        better=("I wonder how many mosques there are in Makassar.",),
        issues=frozenset({"how_many"}),
        split="unseen_held_out",
    ),
    # --- married_to: married to (not with) a person ---
    Wrong(
        text="Wayan is happily married with a girl from Lombok.",
        better=("Wayan is happily married to a girl from Lombok.",),
        issues=frozenset({"married_to"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My cousin in Malang is getting married with a farmer next month.",
        better=("My cousin in Malang is getting married to a farmer next month.",),
        issues=frozenset({"married_to"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Who is Intan married with?",
        better=("Who is Intan married to?",),
        issues=frozenset({"married_to"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My aunt, who lives in Medan, is married with a pastor.",
        better=("My aunt, who lives in Medan, is married to a pastor.",),
        issues=frozenset({"married_to"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My best friend is married with a soldier from Makassar.",
        better=("My best friend is married to a soldier from Makassar.",),
        issues=frozenset({"married_to"}),
        split="unseen_dev",
    ),
    Wrong(
        text="my neighbour said she is married with a famous singer",
        better=("my neighbour said she is married to a famous singer",),
        issues=frozenset({"married_to"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Is Nur still married with that policeman?",
        better=("Is Nur still married to that policeman?",),
        issues=frozenset({"married_to"}),
        split="unseen_dev",
    ),
    # --- agree: "agree" is a verb, not an adjective ---
    Wrong(
        text="Even the doctor is agree that I need more rest.",
        better=("Even the doctor agrees that I need more rest.",),
        issues=frozenset({"agree"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My wife is not agree that we should sell our rice field.",
        better=(
            "My wife doesn't agree that we should sell our rice field.",
            "My wife does not agree that we should sell our rice field.",
        ),
        issues=frozenset({"agree"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Is your husband agree with the price of the house?",
        better=("Does your husband agree with the price of the house?",),
        issues=frozenset({"agree"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Most farmers in my village are agree to plant corn this year.",
        better=("Most farmers in my village agree to plant corn this year.",),
        issues=frozenset({"agree"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Honestly, I'm not agree that online shopping is safe.",
        better=(
            "Honestly, I don't agree that online shopping is safe.",
            "Honestly, I do not agree that online shopping is safe.",
        ),
        issues=frozenset({"agree"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="we are all agree",
        better=("we all agree",),
        issues=frozenset({"agree"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Fajar was agree to sell his motorbike.",
        better=("Fajar agreed to sell his motorbike.",),
        issues=frozenset({"agree"}),
        split="unseen_held_out",
    ),
    # --- double_comparative: more + -er ---
    Wrong(
        text="Shopping online is more cheaper than shopping at the mall.",
        better=(
            "Shopping online is cheaper than shopping at the mall.",
            "Shopping online is much cheaper than shopping at the mall.",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The air in Malang is more fresher.",
        better=(
            "The air in Malang is fresher.",
            "The air in Malang is much fresher.",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="This motorbike is more faster than the one I had before.",
        better=(
            "This motorbike is faster than the one I had before.",
            "This motorbike is much faster than the one I had before.",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_dev",
    ),
    Wrong(
        text="This year the flood was more worse than last year.",
        better=(
            "This year the flood was worse than last year.",
            "This year the flood was much worse than last year.",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Our team played more better in the second half.",
        better=(
            "Our team played better in the second half.",
            "Our team played much better in the second half.",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The rendang in Padang restaurants is more spicier.",
        better=(
            "The rendang in Padang restaurants is spicier.",
            "The rendang in Padang restaurants is much spicier.",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="the queue at the hospital is more longer today",
        better=(
            "the queue at the hospital is longer today",
            "the queue at the hospital is much longer today",
        ),
        issues=frozenset({"double_comparative"}),
        split="unseen_dev",
    ),
    # --- preposition_time: in (year, month, part of day), on (day, date), at (clock, night) ---
    Wrong(
        text="We have to be at the hospital on 6 am.",
        better=("We have to be at the hospital at 6 am.",),
        issues=frozenset({"preposition_time"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My shop is closed in Sundays.",
        better=("My shop is closed on Sundays.",),
        issues=frozenset({"preposition_time"}),
        split="unseen_dev",
    ),
    Wrong(
        text="It always floods here on January.",
        better=("It always floods here in January.",),
        issues=frozenset({"preposition_time"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="I go to church in Sunday morning.",
        better=(
            "I go to church on Sunday morning.",
            "I go to church on Sunday mornings.",
        ),
        issues=frozenset({"preposition_time"}),
        split="unseen_dev",
    ),
    Wrong(
        text="We harvest the rice at April.",
        better=("We harvest the rice in April.",),
        issues=frozenset({"preposition_time"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="The package will arrive in Wednesday.",
        better=("The package will arrive on Wednesday.",),
        issues=frozenset({"preposition_time"}),
        split="unseen_dev",
    ),
    Wrong(
        text="my father comes home in midnight",
        better=("my father comes home at midnight",),
        issues=frozenset({"preposition_time"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="We break our fast on sunset.",
        better=("We break our fast at sunset.",),
        issues=frozenset({"preposition_time"}),
        split="unseen_dev",
    ),
    # --- multiple errors: two or three codes in one turn; better fixes all of them ---
    Wrong(
        text="Agus want buy two ticket for the final.",
        better=("Agus wants to buy two tickets for the final.",),
        issues=frozenset({"third_person_s", "verb_pattern", "plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="My wife work at the hospital. She is midwife.",
        better=("My wife works at the hospital. She is a midwife.",),
        issues=frozenset({"third_person_s", "article"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My brothers very like watch football on TV.",
        better=(
            "My brothers really like to watch football on TV.",
            "My brothers really like watching football on TV.",
            "My brothers very much like to watch football on TV.",
            "My brothers very much like watching football on TV.",
        ),
        issues=frozenset({"very_like", "verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Yesterday the market very crowded and we wait for an hour.",
        better=("Yesterday the market was very crowded and we waited for an hour.",),
        issues=frozenset({"missing_be", "past_tense"}),
        split="unseen_dev",
    ),
    Wrong(
        text="Yusuf is married with a teacher who has 28 years old.",
        better=("Yusuf is married to a teacher who is 28 years old.",),
        issues=frozenset({"age_with_have", "married_to"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="How many salt did you added to the soup?",
        better=("How much salt did you add to the soup?",),
        issues=frozenset({"how_many", "base_form"}),
        split="unseen_dev",
    ),
    Wrong(
        text="We are agree that the two team played well.",
        better=("We agree that the two teams played well.",),
        issues=frozenset({"agree", "plural_noun"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Can I lend your motorbike? Mine don't work.",
        better=(
            "Can I borrow your motorbike? Mine doesn't work.",
            "Can I borrow your motorbike? Mine does not work.",
        ),
        issues=frozenset({"lend_borrow", "third_person_s"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The wedding speech is very bored and I want go home.",
        better=("The wedding speech is very boring and I want to go home.",),
        issues=frozenset({"ed_ing_adjective", "verb_pattern"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Intan very happy because her parents is coming to Malang.",
        better=("Intan is very happy because her parents are coming to Malang.",),
        issues=frozenset({"missing_be", "subject_verb_agreement"}),
        split="unseen_dev",
    ),
    Wrong(
        text="I am work on my uncle's farm on the morning.",
        better=("I work on my uncle's farm in the morning.",),
        issues=frozenset({"be_before_verb", "preposition_time"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Fajar didn't came to training because had a fever.",
        better=("Fajar didn't come to training because he had a fever.",),
        issues=frozenset({"base_form", "missing_subject"}),
        split="unseen_dev",
    ),
    Wrong(
        text="My grandmother very like the rendang from this shop.",
        better=(
            "My grandmother really likes the rendang from this shop.",
            "My grandmother very much likes the rendang from this shop.",
        ),
        issues=frozenset({"very_like", "third_person_s"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="There is many food stall near the mosque on the evening.",
        better=("There are many food stalls near the mosque in the evening.",),
        issues=frozenset({"subject_verb_agreement", "plural_noun", "preposition_time"}),
        split="unseen_dev",
    ),
    Wrong(
        text="The match was very excited and our team score three goals.",
        better=("The match was very exciting and our team scored three goals.",),
        issues=frozenset({"ed_ing_adjective", "past_tense"}),
        split="unseen_held_out",
    ),
    Wrong(
        text="Agus is farmer and he is grow rice.",
        better=(
            "Agus is a farmer and he grows rice.",
            "Agus is a farmer and he is growing rice.",
        ),
        issues=frozenset({"article", "be_before_verb"}),
        split="unseen_dev",
    ),
)


RIGHT: tuple[Right, ...] = (
    # --- questions ---
    Right("Does the hospital open on Sundays?", "unseen_dev"),
    Right("Where did Agus buy his motorbike?", "unseen_held_out"),
    Right("How long does it take to cook rendang?", "unseen_dev"),
    Right("Which team won the match last night?", "unseen_held_out"),
    Right("Is Made coming to the wedding?", "unseen_dev"),
    Right("Have you ever tried coto Makassar?", "unseen_held_out"),
    Right("Is there a pharmacy near here?", "unseen_dev"),
    Right("Why don't we order food online?", "unseen_held_out"),
    # --- negatives ---
    Right("Putri doesn't ride a motorbike.", "unseen_dev"),
    Right("We didn't go to church last Sunday because of the flood.", "unseen_held_out"),
    Right("The shop doesn't deliver to Lombok.", "unseen_dev"),
    Right("I haven't paid for my order yet.", "unseen_held_out"),
    # --- relative clauses ---
    Right("The nurse who helped my mother is from Medan.", "unseen_dev"),
    Right("The motorbike that Agus bought last year is already broken.", "unseen_held_out"),
    Right("The farmers who grow coffee in Toraja work very hard.", "unseen_dev"),
    Right("This is the mosque where my father prays every Friday.", "unseen_held_out"),
    # --- uncountable nouns ---
    Right("We bought a lot of fruit at the market.", "unseen_dev"),
    Right("The flood caused a lot of damage in our village.", "unseen_held_out"),
    Right("We didn't bring much luggage on the ferry.", "unseen_dev"),
    Right("She gave me some useful information about the hospital.", "unseen_held_out"),
    Right("Rice is cheaper at the market than at the supermarket.", "unseen_dev"),
    # --- proper names and places ---
    Right("Farmers in Lombok grow tobacco and corn.", "unseen_held_out"),
    Right("Intan and I are going to Lombok next week.", "unseen_dev"),
    Right("Thomas works at a church in Medan.", "unseen_held_out"),
    # --- past with time markers; present after past ---
    Right("Before the flood came, we moved our motorbikes to higher ground.", "unseen_dev"),
    Right("It rained all night. The streets are flooded now.", "unseen_held_out"),
    Right(
        "When my grandmother was still alive, she cooked rendang for us every Eid.", "unseen_dev"
    ),
    # --- to-infinitives, gerunds, used to, would like to ---
    Right("I used to ride my bicycle to school.", "unseen_held_out"),
    Right("We would like to book a table for four.", "unseen_dev"),
    Right("My grandfather used to sell fish at the market.", "unseen_held_out"),
    Right("I'm looking forward to the holiday.", "unseen_dev"),
    # --- phrasal verbs and imperatives ---
    Right("Please turn off the lights before you leave.", "unseen_held_out"),
    Right("She picked up her package from the post office.", "unseen_dev"),
    Right("The match was called off because of the rain.", "unseen_held_out"),
    Right("We ran out of rice last night.", "unseen_dev"),
    Right("Don't ride your motorbike without a helmet.", "unseen_held_out"),
    Right("Take this medicine twice a day.", "unseen_dev"),
    Right("Call me when you arrive in Medan.", "unseen_held_out"),
    # --- articles and zero articles; noun compounds ---
    Right("My sister is a primary school teacher.", "unseen_dev"),
    Right("My uncle is a fisherman. He goes to sea every night.", "unseen_held_out"),
    Right("The bus stop is next to the hospital.", "unseen_dev"),
    Right("I lost my motorbike key at the football stadium.", "unseen_held_out"),
    Right("Our rice field is near the river.", "unseen_dev"),
    Right("There's a bus stop in front of the church.", "unseen_held_out"),
    # --- time prepositions ---
    Right("The wedding is on Saturday at ten o'clock.", "unseen_dev"),
    Right("It usually rains in the afternoon during the rainy season.", "unseen_held_out"),
    # --- married, agree, -ed/-ing, how many/much, comparatives, lend/borrow, age ---
    Right("Wayan got married last year.", "unseen_dev"),
    Right("How long have you been married?", "unseen_held_out"),
    Right("The farmers agreed on a price for their rice.", "unseen_dev"),
    Right("Putri was disappointed with the hotel.", "unseen_held_out"),
    Right("The flood was frightening, but everyone was safe.", "unseen_dev"),
    Right("How many goals did he score?", "unseen_held_out"),
    Right("The weather in Makassar is usually hotter than in Malang.", "unseen_dev"),
    Right("Online shopping is more convenient than going to the mall.", "unseen_held_out"),
    Right("The second match was much more exciting.", "unseen_dev"),
    Right("Agus lent me his raincoat when it started to rain.", "unseen_held_out"),
    Right("My brother borrowed my helmet and never returned it.", "unseen_dev"),
    Right("Our youngest son turned six last week.", "unseen_held_out"),
    Right("We enjoyed the trip very much.", "unseen_dev"),
    Right("Thank you very much for the food.", "unseen_held_out"),
    # --- numbers and plurals; there is/are; quantifiers ---
    Right("More than three hundred guests came to Putri's wedding.", "unseen_dev"),
    Right("There are a lot of mosques in Makassar.", "unseen_held_out"),
    Right("Both teams played well.", "unseen_dev"),
    Right("Most of the food was gone by noon.", "unseen_held_out"),
    # --- speech transcriptions: lower case, no final punctuation ---
    Right("we went to the night market in Medan", "unseen_dev"),
    Right("my brother fixes motorbikes for a living", "unseen_held_out"),
    Right("who scored the second goal", "unseen_dev"),
    Right("it flooded again this morning", "unseen_held_out"),
    Right("the doctor told me to rest", "unseen_dev"),
    Right("my wife sells cakes online", "unseen_held_out"),
    # --- longer sentences with subordinate clauses ---
    Right(
        "If the rain stops soon, we will go to the market and buy some vegetables.", "unseen_dev"
    ),
    Right(
        "Although the hospital is far from my house, I go there every week to visit my father.",
        "unseen_held_out",
    ),
    Right(
        "Since the new road opened, it only takes forty minutes to ride from Malang to Batu.",
        "unseen_dev",
    ),
    # --- tricky: correct sentences a naive rule-based checker might flag ---
    Right("The doctor made me stay in bed for three days.", "unseen_held_out"),
    Right("I watched the boys play football in the rain.", "unseen_dev"),
    Right("Let me help you with your bags.", "unseen_held_out"),
    Right("My mother had me clean the kitchen after dinner.", "unseen_dev"),
    Right("We heard the children sing at church.", "unseen_held_out"),
    Right("Agus helped his father repair the roof.", "unseen_dev"),
    Right("My boss lets me work from home on Fridays.", "unseen_held_out"),
    Right("I had my motorbike repaired yesterday.", "unseen_dev"),
    Right("I need to get my hair cut.", "unseen_held_out"),
    Right("Shopping online saves me a lot of time.", "unseen_dev"),
    Right("Cooking rendang takes about four hours.", "unseen_held_out"),
    Right("Riding a motorbike in the rain is dangerous.", "unseen_dev"),
    Right("The shoes I ordered online arrived this morning.", "unseen_held_out"),
    Right("The doctor we saw yesterday was very kind.", "unseen_dev"),
    Right("The woman Wayan married is from Lombok.", "unseen_held_out"),
    Right("The man selling fish at the market is my uncle.", "unseen_dev"),
    Right("What Putri cooked was delicious.", "unseen_held_out"),
    Right("Agus started his job at the hospital in 2021 and he still enjoys it.", "unseen_dev"),
    Right("Intan grew up in Medan, but now she lives in Makassar.", "unseen_held_out"),
    Right("Last week I found out that Fajar plays for a local team.", "unseen_dev"),
    Right("There was a lot of mud on the road after the flood.", "unseen_held_out"),
    Right("There is usually a lot of rain in Makassar in January.", "unseen_dev"),
    Right("My family lives in a small house near the beach.", "unseen_held_out"),
    Right("The team is training hard for the final.", "unseen_dev"),
    Right("Our football team has a new coach.", "unseen_held_out"),
    Right("The team plays better at home.", "unseen_dev"),
    Right("The police were at the stadium after the match.", "unseen_held_out"),
    Right("Yunus lives near the harbour in Makassar.", "unseen_dev"),
    Right("Agus's wife sells rendang online.", "unseen_held_out"),
    Right("Markus plays the guitar at church every Sunday.", "unseen_dev"),
    Right("Each of the students has a new uniform.", "unseen_held_out"),
    Right("Neither of them is at home right now.", "unseen_dev"),
    Right("One of my cousins works at a hospital in Makassar.", "unseen_held_out"),
    Right("Everyone in the village helps during the harvest.", "unseen_dev"),
    Right("Nobody knows where the key is.", "unseen_held_out"),
    Right("A number of farmers have lost their crops.", "unseen_dev"),
    Right("The latest news about the flood is worrying.", "unseen_held_out"),
    Right("Economics is Intan's favourite subject.", "unseen_dev"),
    Right("My glasses are broken.", "unseen_held_out"),
    Right("The sheep are in the field.", "unseen_dev"),
    Right("What time do the farmers start work?", "unseen_held_out"),
    Right("Who lent you the money?", "unseen_dev"),
    Right("How much does this helmet cost?", "unseen_held_out"),
    Right("What happened to your motorbike?", "unseen_dev"),
    Right("Who cooks in your family?", "unseen_held_out"),
    Right("My family goes to church twice a week.", "unseen_dev"),
    Right("My uncle goes to work by motorbike.", "unseen_held_out"),
    Right("Agus has a twelve-year-old motorbike.", "unseen_dev"),
    Right("Wayan has had his shop for fifteen years.", "unseen_held_out"),
    Right("He is the tallest player on the team.", "unseen_dev"),
)

# How these entries were written: by hand, one category at a time, as an English teacher would
# write an exam, without looking at the checker's code, and deliberately unlike the sentences of
# tests/grammar_corpus.py (hospitals, markets, football, farming, online shopping, mosques and
# churches, motorbikes, rain and floods; Lombok, Medan, Makassar, Malang; Putri, Agus, Wayan,
# Fajar, Nur, Yusuf, Made, Intan). Entries alternate between "unseen_dev" and
# "unseen_held_out". Each ``better`` changes only the error(s): capitalisation,
# punctuation and word order are kept as the learner produced them (a transcription
# without a final period gets none).
