"""Texts and word tables for the offline coach's conversation (providers.coach): the
words it teaches, its reactions and questions, drills and sound tips. The grammar
checks' tables are in providers.grammar_data."""

from __future__ import annotations

from .grammar_data import words

# Words that say nothing about what an answer is about.
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

# Words of any lesson step's instruction that say nothing about its topic ("Talk.").
STEP_WORDS = words(
    "talk say speak tell answer practise practice step lesson question try sentence use word "
    "english full reply respond ask describe explain give write make"
)

# What a lesson step can be about, and words that show an answer is about it (their
# base forms): "I would like a hot chocolate" answers "Order a drink politely". Only
# words that belong to one field: "like" or "go" would make every answer on topic.
TOPIC_FIELDS: dict[str, frozenset[str]] = {
    "greeting": words(
        "hello name introduce yourself meet nice call from greet greeting morning afternoon "
        "evening pleased"
    ),
    "food": words(
        "eat drink food drink coffee tea milk chocolate juice water latte cappuccino menu bill "
        "order waiter cafe restaurant hungry thirsty delicious spicy sweet rice noodle chicken "
        "fish meat soup salad cake bread breakfast lunch dinner cook sugar ice cup glass plate "
        "table pay price cheap expensive snack fruit vegetable nasi bakso sate rendang"
    ),
    "travel": words(
        "travel trip holiday vacation visit hotel flight plane airport ticket train bus station "
        "beach mountain island city country passport luggage tourist map room fly taxi"
    ),
    "work": words(
        "work job office boss colleague company meeting project customer client salary manager "
        "interview experience skill team career employee apply hire task deadline"
    ),
    "family": words(
        "family mother father mom dad brother sister wife husband son daughter child kid "
        "grandmother grandfather parent friend cousin aunt uncle marry"
    ),
    "study": words(
        "school university campus class exam english homework course study learn teacher "
        "student lesson subject test grade major"
    ),
    "hobby": words(
        "hobby football soccer badminton music movie film guitar piano game swim yoga hike "
        "photo sing dance draw paint novel"
    ),
    "health": words(
        "doctor hospital sick ill pain fever medicine clinic headache cough appointment hurt "
        "health healthy"
    ),
    "shopping": words(
        "buy shop store market mall price cheap expensive size pay cash card discount sell "
        "clothes shirt shoe"
    ),
    "directions": words(
        "where street road left right straight turn near far map station corner block walk"
    ),
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
