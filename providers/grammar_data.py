"""Word tables and explanations for the offline coach's grammar checks
(providers.grammar). The parser says what a word is doing in the sentence; these
tables add what a tagger cannot know: which nouns are countable, which are jobs,
which verbs take "to" or "-ing". Growing the checks usually means growing these."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word table written as plain text, one space between words."""
    return frozenset(text.split())


# --- Nouns ----------------------------------------------------------------------

# People by job or role: "she is teacher" needs "a", "I work as engineer" too.
JOB_NOUNS = words(
    "accountant actor actress analyst architect artist assistant athlete baker banker barber "
    "barista builder businessman businesswoman butcher carpenter cashier chef cleaner clerk "
    "coach consultant cook courier dancer dentist designer developer doctor driver economist "
    "editor electrician employee engineer entrepreneur farmer firefighter fisherman "
    "freelancer gardener guard guide hairdresser housewife imam influencer intern janitor "
    "journalist judge lawyer lecturer librarian manager mechanic midwife model musician "
    "nurse officer painter pharmacist photographer pilot plumber poet policeman policewoman "
    "pastor politician president priest principal producer professor programmer "
    "receptionist reporter "
    "researcher salesman saleswoman scientist secretary security servant shopkeeper singer "
    "soldier student supervisor surgeon tailor teacher technician tourist translator tutor "
    "vendor veterinarian volunteer waiter waitress writer youtuber"
)

# People who are not jobs: family, friends. With JOB_NOUNS, the nouns a person is.
RELATION_NOUNS = words(
    "aunt baby boss boy boyfriend bride brother child classmate colleague cousin customer "
    "daughter father friend girl girlfriend grandfather grandmother grandma grandpa guest "
    "husband kid lady man member mom mother mum neighbour neighbor nephew niece parent "
    "partner person roommate sister son stranger uncle wife woman"
)
PERSON_NOUNS = JOB_NOUNS | RELATION_NOUNS

# Who "she" and "he" are: "my mother ... because she ...".
FEMALE_NOUNS = words(
    "mother mom mum sister wife daughter aunt grandmother grandma girl woman lady niece "
    "girlfriend bride queen"
)
MALE_NOUNS = words(
    "father dad brother husband son uncle grandfather grandpa boy man nephew boyfriend king"
)

# Countable things a learner talks about: these take a/an when there is one of them,
# and a plural after "a lot of". (After numbers and "many", any noun the tagger finds
# is pluralised unless it is in UNCOUNTABLE_NOUNS.)
THING_NOUNS = words(
    "animal apartment apple app bag ball banana bank bed bicycle bike bird boat book bottle "
    "box building bus cake camera car cat chair church city class company computer country "
    "cup day desk dish dog dream egg festival film flower friendship game gift hobby "
    "holiday hospital hotel house idea island job key lake language laptop lesson market "
    "mall match meal meeting mistake month motorbike motorcycle mountain movie museum park "
    "party pen "
    "phone picture place plan problem project question restaurant river road room school "
    "shirt shoe shop singer song story street supermarket table temple thing ticket town "
    "toy tree trip umbrella university vegetable village week year"
)
COUNTABLE_NOUNS = PERSON_NOUNS | THING_NOUNS

# Never plural in the learner's sense: "a lot of rice", "some information".
UNCOUNTABLE_NOUNS = words(
    "advice air baggage bread butter cash cheese chocolate coffee equipment evidence "
    "fish food fun furniture garbage gold grass hair happiness health help homework "
    "housework information juice knowledge luck luggage meat milk money music news oil "
    "paper patience peace pollution progress rain research rice rubbish salt sand "
    "snow software soup stuff sugar tea traffic transportation trash water weather wifi "
    "wood work english indonesian math mathematics science history physics football "
    "badminton basketball volleyball tennis chess batik furniture"
)

# A group that may take a plural verb in British English: never corrected either way.
COLLECTIVE_NOUNS = words(
    "audience band class committee company couple crew family government group majority "
    "police public staff team"
)

# Measures that stay singular after a number: "ten thousand rupiah", "two percent".
INVARIANT_NOUNS = words(
    "rupiah yen baht ringgit won percent dozen hundred thousand million billion kg km cm mm "
    "o'clock am pm"
)

IRREGULAR_PLURALS = {
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
}

# Where a day, a week or a year is the topic of the sentence, not its subject.
TIME_NOUNS = words(
    "morning afternoon evening night day week weekend month year today tonight tomorrow "
    "yesterday monday tuesday wednesday thursday friday saturday sunday now season summer "
    "winter semester term"
)

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}

# --- Verbs and the words around them ---------------------------------------------

# Adverbs that may sit between a subject and its verb: "she always go".
ADVERBS = words("always usually often sometimes never also still really just only rarely even")
# Words that may sit between a subject and its adjective: "I very happy".
INTENSIFIERS = ADVERBS | words("very so too quite extremely")
# Words that start a clause, after which a subject comes.
CLAUSE_STARTERS = words(
    "and but or so because if when while although though after before since until that then where"
)
MODALS = words("can could will would shall should may might must")

# Verbs followed by "to" + verb ("I want to go"); and by verb-ing ("I enjoy swimming").
TO_VERBS = words(
    "want wants wanted need needs needed decide decides decided plan plans planned hope "
    "hopes hoped learn learns learned forget forgets forgot like likes liked love loves "
    "loved hate hates hated prefer prefers preferred start starts started begin begins "
    "began try tries tried"
)
ING_VERBS = words(
    "enjoy enjoys enjoyed finish finishes finished stop stops stopped keep keeps kept mind "
    "minds minded avoid avoids avoided practise practises practised practice practices "
    "practiced"
)
# Nouns that are also verbs and often the object of like/want: "I like fish".
NOUN_OBJECTS = words(
    "fish water help work dance drink food music sport rain snow love fun change rest sleep "
    "money coffee tea milk rice juice shopping travel design exercise film art research "
    "practice nature peace silence"
)

# Verbs of states, not actions: "I want", never "I am wanting".
STATIVE_VERBS = words("want need like love hate know believe understand prefer remember have own")

VERY_VERBS = words(
    "like likes liked love loves loved enjoy enjoys enjoyed want wants wanted miss misses "
    "missed hate hates prefer prefers agree appreciate"
)

# "I interested in music": participles that learners use as adjectives without "be".
# (Not "worried" or "married": "I worried about it" and "they married in 2010" are right.)
PARTICIPLE_ADJECTIVES = words(
    "interested bored tired excited born scared confused surprised satisfied disappointed "
    "located crowded finished embarrassed annoyed shocked broken stolen damaged"
)

# Adjectives a learner says of people and places ("they busy"), whatever the tagger
# makes of them (it reads "busy" after "they" as a verb). No word that is also an
# everyday verb ("clean", "free", "open").
PREDICATE_ADJECTIVES = words(
    "afraid angry bad beautiful big bored boring busy cheap clever cold confused cute "
    "delicious diligent difficult early easy excited exciting expensive famous friendly "
    "full funny good great handsome happy healthy hot hungry important interested late "
    "lazy nervous new nice noisy old poor pretty quiet ready rich sad scared sick single "
    "sleepy small smart sorry strong sure tall thirsty tired ugly weak worried young"
)

# Feelings: the person feels bored, the thing is boring.
FEELINGS = {
    "bored": "boring",
    "interested": "interesting",
    "excited": "exciting",
    "tired": "tiring",
    "confused": "confusing",
    "surprised": "surprising",
    "frightened": "frightening",
    "satisfied": "satisfying",
    "disappointed": "disappointing",
    "embarrassed": "embarrassing",
    "annoyed": "annoying",
    "amazed": "amazing",
    "relaxed": "relaxing",
    "exhausted": "exhausting",
    "shocked": "shocking",
    "frustrated": "frustrating",
    "worried": "worrying",
}
# Animals feel too: "the dog was frightened".
ANIMAL_NOUNS = words("animal dog cat bird horse cow goat chicken fish pet monkey puppy kitten")

# Things that can be boring or exciting, never bored or excited.
THING_SUBJECTS = words(
    "it this that movie film book game lesson class trip story job party city weather news "
    "match show concert song video program programme course holiday journey day week "
    "weekend test exam homework work festival place museum trip tour drama series"
)

# --- What Macca says about each mistake ---------------------------------------------
# {wrong} is the learner's words, {right} the same words corrected; the other fields
# come from the check that found the mistake.

EXPLANATIONS: dict[str, dict[str, str]] = {
    "past_tense": {
        "id": (
            'Kejadiannya sudah lewat ("{marker}"), jadi kata kerjanya pakai bentuk lampau '
            "(past tense): {wrong} → {right}."
        ),
        "en": (
            'This already happened ("{marker}"), so the verb needs its past form: '
            "{wrong} → {right}."
        ),
    },
    "base_form": {
        "id": (
            'Setelah "{after}", kata kerjanya pakai bentuk dasar (tanpa -s, -ed, atau bentuk '
            "lampau): {wrong} → {right}."
        ),
        "en": (
            'After "{after}", the verb takes its base form (no -s, no -ed, no past form): '
            "{wrong} → {right}."
        ),
    },
    "third_person_s": {
        "id": (
            'Subjeknya satu orang atau benda ("{subject}"), jadi kata kerja present tense '
            "ditambah -s/-es: {wrong} → {right}."
        ),
        "en": (
            'The subject is he, she, it or one person or thing ("{subject}"), so a present-tense '
            "verb takes -s/-es: {wrong} → {right}."
        ),
    },
    "subject_verb_agreement": {
        "id": (
            'Kata kerjanya harus cocok dengan subjeknya ("{subject}"): {wrong} → {right}. '
            'Bentuk -s dan "is/was" hanya untuk satu orang atau benda (he, she, it).'
        ),
        "en": (
            'The verb must agree with its subject ("{subject}"): {wrong} → {right}. The -s '
            'form and "is/was" are only for he, she, it or one thing.'
        ),
    },
    "missing_be": {
        "id": (
            'Sebelum kata sifat seperti "{adjective}", kalimat bahasa Inggris tetap perlu '
            '"{be}": {wrong} → {right}. Dalam bahasa Indonesia kata ini boleh hilang, dalam '
            "bahasa Inggris tidak."
        ),
        "en": (
            'English needs a form of "be" before an adjective like "{adjective}": '
            "{wrong} → {right}."
        ),
    },
    "be_before_verb": {
        "id": (
            '"{be}" tidak dipakai langsung sebelum kata kerja biasa: {wrong} → {right}. '
            'Untuk kegiatan yang sedang berlangsung, pakai "{be}" + -ing.'
        ),
        "en": (
            'Don\'t put "{be}" straight before an ordinary verb: {wrong} → {right}. For '
            'something happening right now, use "{be}" + -ing.'
        ),
    },
    "missing_subject": {
        "id": (
            "Kalimat bahasa Inggris selalu perlu subjek, walaupun dalam bahasa Indonesia "
            'boleh hilang. Pakai "it" untuk benda, cuaca atau keadaan: {wrong} → {right}.'
        ),
        "en": (
            'An English clause always needs a subject. Use "it" for a thing, the weather or '
            "a situation: {wrong} → {right}."
        ),
    },
    "verb_pattern": {
        "id": '"{verb}" diikuti {pattern}, bukan kata kerja dasar: {wrong} → {right}.',
        "en": '"{verb}" is followed by {pattern}, not a bare verb: {wrong} → {right}.',
    },
    "plural_noun": {
        "id": (
            'Setelah "{quantity}", kata bendanya harus jamak: {wrong} → {right}. Bahasa '
            "Indonesia tidak mengubah kata bendanya, tapi bahasa Inggris iya."
        ),
        "en": 'After "{quantity}", the noun must be plural: {wrong} → {right}.',
    },
    "article": {
        "id": (
            'Sebelum profesi atau satu benda yang bisa dihitung, pakai "a" atau "an": '
            '{wrong} → {right}. "An" dipakai kalau bunyi awalnya vokal.'
        ),
        "en": (
            'Put "a" or "an" before one job or one countable thing: {wrong} → {right}. '
            'Use "an" before a vowel sound.'
        ),
    },
    "age_with_have": {
        "id": 'Untuk umur, bahasa Inggris pakai "am/is/are", bukan "have": {wrong} → {right}.',
        "en": 'English uses "be" for age, not "have": {wrong} → {right}.',
    },
    "very_like": {
        "id": (
            '"Very" tidak bisa langsung dipakai sebelum kata kerja seperti "{verb}". Pakai '
            '"really {verb}" atau "{verb} ... very much".'
        ),
        "en": (
            '"Very" can\'t go straight before a verb like "{verb}". Say "really {verb}" or '
            '"{verb} ... very much".'
        ),
    },
    "lend_borrow": {
        "id": (
            '"Borrow" artinya meminjam dari orang lain; "lend" artinya meminjamkan ke orang '
            "lain: {wrong} → {right}."
        ),
        "en": (
            '"Borrow" is taking something from someone; "lend" is giving it to them for a '
            "while: {wrong} → {right}."
        ),
    },
    "ed_ing_adjective": {
        "id": (
            "Orangnya merasa -ed (bored, excited); hal yang menyebabkannya -ing (boring, "
            "exciting): {wrong} → {right}."
        ),
        "en": (
            "A person feels -ed (bored, excited); the thing that causes it is -ing (boring, "
            "exciting): {wrong} → {right}."
        ),
    },
    "how_many": {
        "id": (
            '"How many" untuk benda yang bisa dihitung (brothers, books); "how much" untuk '
            "yang tidak bisa dihitung (money, rice): {wrong} → {right}."
        ),
        "en": (
            '"How many" is for things you can count (brothers, books); "how much" for things '
            "you can't (money, rice): {wrong} → {right}."
        ),
    },
    "married_to": {
        "id": 'Dalam bahasa Inggris, "married to" (bukan "with"): {wrong} → {right}.',
        "en": 'In English you are "married to" someone, not "with": {wrong} → {right}.',
    },
    "agree": {
        "id": (
            '"Agree" adalah kata kerja, jadi tidak perlu "am/is/are" (bukan seperti '
            '"saya setuju"): {wrong} → {right}.'
        ),
        "en": '"Agree" is a verb, so it needs no "am/is/are": {wrong} → {right}.',
    },
    "double_comparative": {
        "id": (
            '"{adjective}" sudah berarti "lebih", jadi "more" tidak perlu lagi: {wrong} → {right}.'
        ),
        "en": '"{adjective}" already means "more", so drop "more": {wrong} → {right}.',
    },
    "preposition_time": {
        "id": (
            'Untuk waktu: "in" untuk tahun, bulan dan bagian hari (in 1998, in the morning), '
            '"on" untuk hari dan tanggal (on Monday), "at" untuk jam dan "night" (at 7, at '
            "night): {wrong} → {right}."
        ),
        "en": (
            'For times: "in" a year, a month or part of the day (in 1998, in the morning), '
            '"on" a day or a date (on Monday), "at" a clock time and "night" (at 7, at night): '
            "{wrong} → {right}."
        ),
    },
}

# How verb_pattern's explanation names what follows the verb.
VERB_PATTERNS = {
    "to": {"id": '"to" + kata kerja', "en": '"to" + verb'},
    "ing": {"id": "kata kerja -ing", "en": "verb-ing"},
}

STOCK_EXAMPLES = {
    "past_tense": "I visited my grandmother last weekend.",
    "base_form": "She didn't go to school yesterday.",
    "third_person_s": "My brother works in Surabaya.",
    "subject_verb_agreement": "My parents live in Bandung.",
    "missing_be": "She is very busy today.",
    "be_before_verb": "My sister works in a hotel.",
    "missing_subject": "I like Bali because it is beautiful.",
    "verb_pattern": "I like to cook, and I enjoy swimming.",
    "plural_noun": "I have two brothers.",
    "article": "She is an engineer.",
    "age_with_have": "I am 25 years old.",
    "very_like": "I really like nasi goreng.",
    "lend_borrow": "Can you lend me your pen?",
    "ed_ing_adjective": "The film was boring, so I was bored.",
    "how_many": "How many brothers do you have?",
    "married_to": "My sister is married to a doctor.",
    "agree": "I agree with you.",
    "double_comparative": "This phone is better.",
    "preposition_time": "I was born in 1998, on a Monday, at night.",
}
