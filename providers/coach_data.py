"""Word tables and texts for the offline coach (providers.grammar and
providers.coach). Kept apart so the rules read as rules; growing the coach
usually means growing these tables."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A word table written as plain text, one space between words."""
    return frozenset(text.split())


# --- Verbs ------------------------------------------------------------------

# base -> (past, past participle)
IRREGULAR_VERBS: dict[str, tuple[str, str]] = {
    "become": ("became", "become"),
    "begin": ("began", "begun"),
    "break": ("broke", "broken"),
    "bring": ("brought", "brought"),
    "build": ("built", "built"),
    "buy": ("bought", "bought"),
    "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"),
    "come": ("came", "come"),
    "cost": ("cost", "cost"),
    "cut": ("cut", "cut"),
    "do": ("did", "done"),
    "drink": ("drank", "drunk"),
    "drive": ("drove", "driven"),
    "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"),
    "feel": ("felt", "felt"),
    "find": ("found", "found"),
    "fly": ("flew", "flown"),
    "forget": ("forgot", "forgotten"),
    "get": ("got", "got"),
    "give": ("gave", "given"),
    "go": ("went", "gone"),
    "grow": ("grew", "grown"),
    "have": ("had", "had"),
    "hear": ("heard", "heard"),
    "hold": ("held", "held"),
    "hurt": ("hurt", "hurt"),
    "keep": ("kept", "kept"),
    "know": ("knew", "known"),
    "leave": ("left", "left"),
    "lend": ("lent", "lent"),
    "lose": ("lost", "lost"),
    "make": ("made", "made"),
    "meet": ("met", "met"),
    "pay": ("paid", "paid"),
    "put": ("put", "put"),
    "read": ("read", "read"),
    "ride": ("rode", "ridden"),
    "run": ("ran", "run"),
    "say": ("said", "said"),
    "see": ("saw", "seen"),
    "sell": ("sold", "sold"),
    "send": ("sent", "sent"),
    "sing": ("sang", "sung"),
    "sit": ("sat", "sat"),
    "sleep": ("slept", "slept"),
    "speak": ("spoke", "spoken"),
    "spend": ("spent", "spent"),
    "stand": ("stood", "stood"),
    "swim": ("swam", "swum"),
    "take": ("took", "taken"),
    "teach": ("taught", "taught"),
    "tell": ("told", "told"),
    "think": ("thought", "thought"),
    "understand": ("understood", "understood"),
    "wake": ("woke", "woken"),
    "wear": ("wore", "worn"),
    "win": ("won", "won"),
    "write": ("wrote", "written"),
}

REGULAR_VERBS = words(
    "answer arrive ask borrow call carry change chat check clean close cook cry dance decide "
    "drop enjoy finish hate help hope invite join jump learn like listen live look love marry "
    "miss move need open order plan play practice practise prefer rest relax remember return "
    "shop start stay stop study talk travel try use visit wait walk want wash watch work worry"
)

# One-syllable (or end-stressed) verbs that double their last consonant: stop -> stopped.
DOUBLE_FINAL_CONSONANT = words("chat drop jog plan prefer shop stop")

# Present forms that are not "base or base+s" and their past.
PAST_OF_SPECIAL = {
    "am": "was",
    "is": "was",
    "are": "were",
    "can": "could",
    "can't": "couldn't",
    "don't": "didn't",
    "doesn't": "didn't",
}

THIRD_PERSON_IRREGULAR = {"have": "has", "do": "does", "go": "goes", "don't": "doesn't"}

# --- Nouns ------------------------------------------------------------------

# Jobs and countable things that need "a/an" after "I am", "she is", "to be"...
ARTICLE_NOUNS = words(
    "accountant analyst apple architect artist bag barber book businessman businesswoman car "
    "cashier cat chef city consultant cook dentist designer developer doctor dog driver employee "
    "engineer entrepreneur farmer freelancer friend game girl boy house housewife idea intern "
    "island job journalist laptop lawyer lecturer man manager mechanic mistake movie nurse officer "
    "person pharmacist phone photographer pilot place problem programmer question receptionist "
    "researcher salesman scientist secretary singer soldier song story student tailor teacher "
    "translator umbrella village waiter waitress woman writer company hotel restaurant university"
)

PLURAL_NOUNS = ARTICLE_NOUNS | words(
    "baby box brother bus child church class country day dish egg eye family foot glass hand "
    "hobby hour key kid knife language leaf man meeting minute month party potato room shirt "
    "shoe sister thing time tomato tooth toy week wife woman year"
)

IRREGULAR_PLURALS = {
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "knife": "knives",
    "wife": "wives",
    "leaf": "leaves",
    "potato": "potatoes",
    "tomato": "tomatoes",
}

# Plural without a final s, so never the subject of "he/she/it" verbs.
PLURAL_WORDS = words("people children men women police") | frozenset(IRREGULAR_PLURALS.values())

# --- Adjectives and the little words around them -----------------------------

ADJECTIVES = words(
    "afraid angry bad beautiful big bored boring busy cheap clever cold confused cute "
    "delicious diligent difficult early easy excited exciting expensive famous fine free "
    "friendly full funny good great handsome happy healthy hot hungry important interested "
    "late lazy married nervous new nice noisy old poor pretty quiet ready rich sad scared "
    "sick single sleepy small smart sorry strong sure tall thirsty tired ugly weak worried "
    "young"
)

# Extra adjectives seen between "is" and a job: "She is an English teacher."
ARTICLE_ADJECTIVES = ADJECTIVES | words("english famous honest junior professional senior talented")

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

QUANTIFIERS = words("many several few both these those")

PRONOUN_PERSON = {"i": "1", "you": "2", "we": "pl", "they": "pl", "he": "3", "she": "3", "it": "3"}
INDEFINITE_SUBJECTS = words("everyone everybody someone somebody nobody")
DETERMINERS = words("my your his her our their the this that")

# Adverbs that may sit between a subject and its verb: "she always go".
ADVERBS = words("always usually often sometimes never also still really just only rarely even")
# Words that may sit between a subject and its adjective: "I very happy".
INTENSIFIERS = ADVERBS | words("very so too quite not")

VERY_VERBS = words(
    "like likes liked love loves loved enjoy enjoys enjoyed want wants wanted miss misses "
    "missed hate hates prefer prefers agree appreciate"
)

AUXILIARIES = words(
    "am is are was were isn't aren't wasn't weren't do does did don't doesn't didn't can "
    "could will would should shall may might must can't couldn't won't wouldn't shouldn't "
    "to"
)
# "let it go", "make her happy": what follows these is an object, not a subject.
OBJECT_VERBS = words(
    "let lets make makes made help helps helped see sees saw seen watch watches watched hear "
    "hears heard keep keeps kept find finds found get gets got leave leaves left like likes "
    "liked want wants wanted need needs needed prefer call calls called consider have has "
    "had"
)
PREPOSITIONS = words("about at by for from in of on than with")

STOPWORDS = words(
    "i you we they he she it me him her us them my your his our their its the a an this that "
    "these those and but or so because if when while then than also too very really just only "
    "still already always usually often sometimes never yes no not ok okay hi hello hey thanks "
    "thank please sorry well oh wow maybe perhaps what where who why how which there here now "
    "today tonight tomorrow yesterday last next every in on at to for with about from of by "
    "after before during since until into some any many much more most few several all both "
    "each other another one mr mrs ms sir madam dear let's monday tuesday wednesday thursday "
    "friday saturday sunday january february march april may june july august september "
    "october november december"
)

# --- Learner-facing texts ----------------------------------------------------

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
    "plural_noun": {
        "id": (
            'Setelah "{quantity}", kata bendanya harus jamak: {wrong} → {right}. Bahasa '
            "Indonesia tidak mengubah kata bendanya, tapi bahasa Inggris iya."
        ),
        "en": 'After "{quantity}", the noun must be plural: {wrong} → {right}.',
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
}

STOCK_EXAMPLES = {
    "past_tense": "I visited my grandmother last weekend.",
    "third_person_s": "My brother works in Surabaya.",
    "article": "She is an engineer.",
    "age_with_have": "I am 25 years old.",
    "plural_noun": "I have two brothers.",
    "very_like": "I really like nasi goreng.",
    "missing_be": "She is very busy today.",
}

DRILL_INSTRUCTIONS = {"id": "Ulangi kalimat ini: {sentence}", "en": "Say it again: {sentence}"}

# word -> (Indonesian translation, example)
VOCABULARY: dict[str, tuple[str, str]] = {
    "breakfast": ("sarapan", "I eat breakfast at seven."),
    "busy": ("sibuk", "I am very busy this week."),
    "colleague": ("rekan kerja", "My colleague helped me with the report."),
    "commute": ("perjalanan ke tempat kerja", "My commute takes an hour."),
    "customer": ("pelanggan", "The customer asked for a discount."),
    "deadline": ("tenggat waktu", "The deadline is on Friday."),
    "delicious": ("enak, lezat", "The soup is delicious."),
    "exam": ("ujian", "I have an exam next week."),
    "expensive": ("mahal", "The hotel was too expensive."),
    "experience": ("pengalaman", "I have three years of experience."),
    "holiday": ("liburan", "We went to Bali for the holiday."),
    "homework": ("pekerjaan rumah (PR)", "I finished my homework."),
    "interview": ("wawancara", "I have a job interview tomorrow."),
    "market": ("pasar", "I buy vegetables at the market."),
    "meeting": ("rapat", "We have a meeting at ten."),
    "neighbor": ("tetangga", "My neighbor has a cat."),
    "office": ("kantor", "I work in an office in Jakarta."),
    "salary": ("gaji", "The salary is good."),
    "schedule": ("jadwal", "My schedule is full today."),
    "souvenir": ("oleh-oleh", "I bought a souvenir for my mother."),
    "tired": ("lelah, capek", "I was tired after work."),
    "traffic": ("lalu lintas, kemacetan", "The traffic was terrible this morning."),
    "trip": ("perjalanan", "The trip took two days."),
    "weekend": ("akhir pekan", "I relax at home on the weekend."),
}

# --- What Macca says back ----------------------------------------------------

_TOPIC_TABLE = {
    "place": "bali jakarta bandung yogyakarta jogja surabaya lombok medan malang bogor semarang "
    "singapore japan korea malaysia thailand bangkok tokyo london australia",
    "spot": "beach mountain park lake island museum mall market zoo cafe restaurant",
    "food": "coffee tea rice noodles bakso soto sate satay rendang pizza chicken fruit cake bread "
    "breakfast lunch dinner food nasi_goreng mie_goreng",
    "work": "office job work meeting boss company project colleague bank interview team customer "
    "client",
    "family": "mother father mom dad brother sister family wife husband son daughter children "
    "kids grandmother grandfather parents friend friends cat dog",
    "study": "school university campus class exam english homework course",
    "hobby": "football soccer badminton basketball music movie movies film guitar piano games "
    "swimming running cooking reading yoga hiking photography singing dancing drawing painting "
    "novel",
}
# Words the learner may talk about -> the kind of reaction they get ("_" is a space).
TOPIC_WORDS: dict[str, str] = {
    word.replace("_", " "): category
    for category, text in _TOPIC_TABLE.items()
    for word in text.split()
}

REACTIONS: dict[str, list[str]] = {
    "place": ["{Word} sounds wonderful!", "Oh, {Word}! What a lovely place."],
    "spot": ["The {word} sounds lovely!", "Ah, the {word}: nice!"],
    "food": ["Mmm, {word} sounds delicious!", "Ooh, I love {word}!"],
    "work": ["Thanks for telling me about your {word}.", "Your {word} sounds busy!"],
    "family": ["It's lovely to hear about your {word}.", "Your {word} sounds great!"],
    "study": ["Ah, {word}! Learning takes real effort.", "Good for you, {word} matters!"],
    "hobby": ["Oh, {word}! That sounds fun.", "{Word} sounds like a great way to relax!"],
    "general": ["Thanks for sharing that.", "I see, that's interesting.", "That sounds nice."],
}

# The hints are looked for, in order, inside the session's topic ("weekend plans").
TOPIC_HINTS: list[tuple[str, str]] = [
    ("interview", "job_interview"),
    ("travel", "travel"),
    ("trip", "travel"),
    ("holiday", "travel"),
    ("vacation", "travel"),
    ("food", "food"),
    ("cook", "food"),
    ("restaurant", "food"),
    ("weekend", "weekend"),
    ("routine", "routine"),
    ("daily", "routine"),
    ("work", "work"),
    ("job", "work"),
    ("office", "work"),
    ("career", "work"),
    ("family", "family"),
    ("friend", "family"),
    ("school", "study"),
    ("stud", "study"),
    ("universit", "study"),
    ("exam", "study"),
    ("hobb", "hobby"),
    ("sport", "hobby"),
    ("music", "hobby"),
    ("movie", "hobby"),
    ("film", "hobby"),
]

# category -> {"past": [...], "now": [...]}: what Macca asks next.
QUESTIONS: dict[str, dict[str, list[str]]] = {
    "travel": {
        "past": ["What was the best part of the trip?", "Who did you travel with?"],
        "now": ["Where would you like to travel next?", "What do you like to do on a trip?"],
    },
    "place": {
        "past": ["What did you enjoy most there?", "Who did you go with?"],
        "now": ["What would you like to do there?", "Have you been there before?"],
    },
    "spot": {
        "past": ["What did you do there?", "How long did you stay?"],
        "now": ["How often do you go there?", "Who do you usually go with?"],
    },
    "food": {
        "past": ["Where did you eat it?", "Who cooked it?"],
        "now": ["How often do you have it?", "Where do you usually have it?"],
    },
    "work": {
        "past": ["How did the day go?", "What was the hardest part of it?"],
        "now": ["What do you like most about your job?", "What does a normal workday look like?"],
    },
    "job_interview": {
        "past": ["What did you learn from that experience?", "How did you solve that problem?"],
        "now": [
            "Can you tell me about one of your strengths?",
            "Why do you want this job?",
            "Where do you see yourself in five years?",
        ],
    },
    "family": {
        "past": ["What did you do together?", "How did that feel?"],
        "now": ["What do you usually do together?", "How often do you see each other?"],
    },
    "study": {
        "past": ["How did it go?", "What did you learn?"],
        "now": ["What are you studying at the moment?", "What is the hardest part for you?"],
    },
    "hobby": {
        "past": ["How long did you do it?", "Who were you with?"],
        "now": ["How did you get into it?", "How often do you do it?"],
    },
    "weekend": {
        "past": ["What was the best part of your weekend?", "Did you get some rest?"],
        "now": ["What are your plans for this weekend?", "Who will you spend the weekend with?"],
    },
    "routine": {
        "past": ["What did you do after that?", "How did your day end?"],
        "now": ["What time do you usually wake up?", "What do you do after work?"],
    },
    "general": {
        "past": ["What happened next?", "How did you feel about it?"],
        "now": ["Can you tell me a little more about that?", "Why is that important to you?"],
    },
}

# Sounds Indonesian speakers often find hard: (letters, sound, tip by language).
HARD_SOUNDS: list[tuple[str, str, dict[str, str]]] = [
    (
        "th",
        "/θ/ or /ð/",
        {
            "en": "Put your tongue between your teeth and blow gently.",
            "id": "Taruh ujung lidah di antara gigi, lalu tiup pelan.",
        },
    ),
    (
        "v",
        "/v/",
        {
            "en": "Touch your top teeth to your bottom lip and use your voice.",
            "id": "Sentuhkan gigi atas ke bibir bawah dan bunyikan suaramu.",
        },
    ),
    (
        "z",
        "/z/",
        {
            "en": "Make a buzzing 's' with your voice on.",
            "id": "Ucapkan 's' yang berdengung, dengan suara.",
        },
    ),
    (
        "sh",
        "/ʃ/",
        {
            "en": "Round your lips a little and push the air out: 'sh'.",
            "id": "Bulatkan bibir sedikit dan hembuskan udara: 'sy'.",
        },
    ),
    (
        "f",
        "/f/",
        {
            "en": "Top teeth on your bottom lip, then blow: not a 'p'.",
            "id": "Gigi atas di bibir bawah, lalu tiup: bukan 'p'.",
        },
    ),
]
FINAL_SOUND_TIPS = {
    "en": "Say the last sound clearly: don't drop it.",
    "id": "Ucapkan bunyi terakhirnya dengan jelas, jangan dihilangkan.",
}
GENERAL_SOUND_TIPS = {
    "en": "Say it slowly, then at normal speed.",
    "id": "Ucapkan pelan-pelan dulu, lalu dengan kecepatan biasa.",
}
