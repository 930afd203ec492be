"""What Macca knows about English sounds and Indonesian learners, kept as data so a
teacher can review and extend it without reading the scoring code."""

from __future__ import annotations

from typing import TypedDict

ARPABET_TO_IPA: dict[str, str] = {
    "AA": "ɑ",
    "AE": "æ",
    "AH": "ʌ",
    "AO": "ɔ",
    "AW": "aʊ",
    "AY": "aɪ",
    "B": "b",
    "CH": "tʃ",
    "D": "d",
    "DH": "ð",
    "EH": "ɛ",
    "ER": "ɝ",
    "EY": "eɪ",
    "F": "f",
    "G": "ɡ",
    "HH": "h",
    "IH": "ɪ",
    "IY": "iː",
    "JH": "dʒ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "ŋ",
    "OW": "oʊ",
    "OY": "ɔɪ",
    "P": "p",
    "R": "r",
    "S": "s",
    "SH": "ʃ",
    "T": "t",
    "TH": "θ",
    "UH": "ʊ",
    "UW": "uː",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "ʒ",
}
"""The 39 CMU phonemes, stress digits stripped; unstressed /ə/ and /ɚ/ are shown as /ʌ/ and
/ɝ/, which is close enough for a learner and keeps one symbol per phoneme."""

VOWELS: frozenset[str] = frozenset(
    {"AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"}
)

DROPPABLE_FINALS: frozenset[str] = frozenset({"T", "D", "K", "S", "Z"})
"""Single final consonants worth pointing out before anyone has spoken: the stops and
sibilants Indonesian speakers most often swallow or turn into a glottal catch."""


class HardSoundEntry(TypedDict):
    sound: str  # IPA; for the two positional codes, examples of what goes missing
    arpabet: str | None  # None for the positional codes: they are about where, not which
    substitutes: list[str]  # IPA the learner tends to say instead
    tip_id: str
    tip_en: str
    words: list[str]
    sentence: str


HARD_SOUNDS: dict[str, HardSoundEntry] = {
    "th_voiceless": {
        "sound": "θ",
        "arpabet": "TH",
        "substitutes": ["t", "s", "f"],
        "tip_id": (
            "Letakkan ujung lidah di antara gigi atas dan bawah, lalu hembuskan udara pelan "
            "tanpa suara. Jangan tempelkan lidah ke gusi di belakang gigi, nanti jadi /t/ atau "
            "/s/. Coba: think / sink, three / tree."
        ),
        "tip_en": (
            "Put the tip of your tongue lightly between your teeth and blow air out gently, "
            "with no voice. Don't press it behind your teeth, or it turns into /t/ or /s/. "
            "Try: think / sink, three / tree."
        ),
        "words": ["think", "three", "thanks", "thing", "month", "mouth", "nothing", "birthday"],
        "sentence": "Thank you for thinking of me on my thirtieth birthday.",
    },
    "th_voiced": {
        "sound": "ð",
        "arpabet": "DH",
        "substitutes": ["d", "z"],
        "tip_id": (
            "Posisi lidah sama seperti /θ/ (ujung lidah di antara gigi), tapi sambil bersuara: "
            "leher terasa bergetar. Kalau lidah menekan di belakang gigi, bunyinya jadi /d/. "
            "Coba: this / dis, they / day."
        ),
        "tip_en": (
            "Same tongue position as /θ/, tip between your teeth, but switch your voice on: "
            "you should feel a buzz. If the tongue presses behind your teeth you get /d/. "
            "Try: this / dis, they / day."
        ),
        "words": ["this", "that", "they", "there", "those", "mother", "brother", "weather"],
        "sentence": "Their mother and father are there together with the others.",
    },
    "v": {
        "sound": "v",
        "arpabet": "V",
        "substitutes": ["f", "p", "b"],
        "tip_id": (
            "Tempelkan gigi atas dengan ringan di bibir bawah, lalu keluarkan udara sambil "
            "bersuara, sampai bibir terasa bergetar. Tanpa getaran, bunyinya jadi /f/. "
            "Coba: very / fery, van / fan."
        ),
        "tip_en": (
            "Rest your top teeth lightly on your bottom lip and push air out with your voice "
            "on, so the lip buzzes. Without the buzz it becomes /f/. Try: very / fery, van / fan."
        ),
        "words": ["very", "voice", "visit", "village", "video", "seven", "love", "have"],
        "sentence": "I love to visit my village every November.",
    },
    "f": {
        "sound": "f",
        "arpabet": "F",
        "substitutes": ["p"],
        "tip_id": (
            "Gigi atas menyentuh bibir bawah, lalu tiup udara terus-menerus. Jangan rapatkan "
            "kedua bibir, nanti jadi /p/. Coba: fan / pan, coffee / copy."
        ),
        "tip_en": (
            "Top teeth on your bottom lip, then blow: the air keeps flowing. Don't close both "
            "lips, or it becomes /p/. Try: fan / pan, coffee / copy."
        ),
        "words": ["fan", "coffee", "food", "family", "friend", "five", "phone", "often"],
        "sentence": "My family often drinks coffee after breakfast on Friday.",
    },
    "z": {
        "sound": "z",
        "arpabet": "Z",
        "substitutes": ["s"],
        "tip_id": (
            "Posisi lidah seperti /s/, tapi sambil bersuara sampai berdengung seperti lebah: "
            "zzz. Vokal sebelumnya dibuat sedikit lebih panjang. Coba: zoo / sue, rise / rice."
        ),
        "tip_en": (
            "Tongue as for /s/, but add your voice so it buzzes like a bee: zzz. Make the "
            "vowel before it a little longer. Try: zoo / sue, rise / rice."
        ),
        "words": ["zoo", "zero", "easy", "music", "busy", "because", "lazy", "always"],
        "sentence": "My busy cousin always says the music is easy.",
    },
    "sh": {
        "sound": "ʃ",
        "arpabet": "SH",
        "substitutes": ["s"],
        "tip_id": (
            "Tarik lidah sedikit ke belakang dari posisi /s/ dan majukan bibir sampai "
            "membulat, seperti bunyi “sy” pada “syukur”. Coba: she / see, ship / sip."
        ),
        "tip_en": (
            "Pull your tongue a little back from /s/ and push your lips forward and round, "
            "like hushing a baby: shh. Try: she / see, ship / sip."
        ),
        "words": ["she", "ship", "shop", "short", "wash", "fish", "sure", "special"],
        "sentence": "She should wash the fish before she shops.",
    },
    "zh": {
        "sound": "ʒ",
        "arpabet": "ZH",
        "substitutes": ["ʃ", "s", "z", "dʒ"],
        "tip_id": (
            "Ucapkan /ʃ/ seperti pada “she”, lalu tambahkan suara sampai bergetar. Lidah "
            "jangan menyentuh langit-langit, nanti jadi /dʒ/. Coba: measure, television, usually."
        ),
        "tip_en": (
            "Say /ʃ/ as in “she”, then turn your voice on so it buzzes. Keep the tongue off "
            "the roof of your mouth, or it becomes /dʒ/. Try: measure, television, usually."
        ),
        "words": ["measure", "television", "usually", "pleasure", "decision", "treasure", "vision"],
        "sentence": "I usually watch television for pleasure.",
    },
    "ch": {
        "sound": "tʃ",
        "arpabet": "CH",
        "substitutes": ["ʃ", "s", "t"],
        "tip_id": (
            "Mulai dengan lidah menempel di belakang gigi atas seperti /t/, lalu lepaskan "
            "menjadi /ʃ/: t-sy yang singkat, seperti “c” pada “cari”. Ucapkan juga di akhir "
            "kata: “watch”, bukan “wat”. Coba: chair / share, watch / wash."
        ),
        "tip_en": (
            "Start with the tongue pressed behind your top teeth as for /t/, then release it "
            "into /ʃ/: a short t-sh, like the Indonesian “c” in “cari”. Keep it at the end of "
            "words too: “watch”, not “wat”. Try: chair / share, watch / wash."
        ),
        "words": ["chair", "cheap", "check", "children", "teacher", "kitchen", "watch", "lunch"],
        "sentence": "Each teacher chooses a cheap chair for the kitchen.",
    },
    "j": {
        "sound": "dʒ",
        "arpabet": "JH",
        "substitutes": ["tʃ", "z", "d", "ʒ"],
        "tip_id": (
            "Seperti “j” pada “jalan”, sambil bersuara. Di akhir kata tetap bersuara dan "
            "dilepas: “page” berakhir dengan /dʒ/, bukan /tʃ/ atau bunyi yang tertahan. "
            "Coba: jam, judge, page; ridge / rich."
        ),
        "tip_en": (
            "Like the Indonesian “j” in “jalan”, with your voice on. At the end of a word keep "
            "it voiced and let it go: “page” ends in /dʒ/, not /tʃ/ or a stopped sound. "
            "Try: jam, judge, page; ridge / rich."
        ),
        "words": ["jam", "job", "just", "judge", "page", "bridge", "large", "orange"],
        "sentence": "Jack just enjoyed a large orange juice in June.",
    },
    "final_consonant": {
        "sound": "-t -d -k",
        "arpabet": None,
        "substitutes": ["ʔ"],
        "tip_id": (
            "Selesaikan setiap kata sampai bunyi terakhir: untuk /t/ dan /d/ ujung lidah "
            "menyentuh gusi atas lalu dilepas, untuk /k/ pangkal lidah menyentuh langit-langit. "
            "Jangan berhenti dengan hentakan di tenggorokan seperti “k” pada “bapak”. "
            "Coba: cat / ca, good / goo."
        ),
        "tip_en": (
            "Finish every word on its last sound: for /t/ and /d/ touch the ridge behind your "
            "top teeth and release, for /k/ lift the back of your tongue. Don't stop with a "
            "catch in the throat like the “k” in “bapak”. Try: cat / ca, good / goo."
        ),
        "words": ["cat", "good", "book", "bus", "night", "food", "like", "nice"],
        "sentence": "Pat got a good seat on the bus at night.",
    },
    "final_cluster": {
        "sound": "-st -kt -ts",
        "arpabet": None,
        "substitutes": [],
        "tip_id": (
            "Ucapkan semua konsonan di akhir kata, terutama akhiran -s dan -ed yang membawa "
            "makna (jamak, lampau): “asked” dibaca /æskt/, “lists” /lɪsts/. Pelan-pelan dulu "
            "(ask-t, list-s), lalu percepat tanpa ada yang hilang. "
            "Coba: ask / asked, list / lists, walk / walked."
        ),
        "tip_en": (
            "Say every consonant at the end, above all the -s and -ed endings that carry "
            "grammar: “asked” is /æskt/, “lists” is /lɪsts/. Go slowly first (ask-t, list-s), "
            "then speed up without losing any. Try: ask / asked, list / lists, walk / walked."
        ),
        "words": ["asked", "lists", "walked", "next", "helped", "friends", "texts", "first"],
        "sentence": "She asked her friends, then walked past the next six desks.",
    },
    "ae": {
        "sound": "æ",
        "arpabet": "AE",
        "substitutes": ["ɛ", "e"],
        "tip_id": (
            "Buka mulut lebar, rahang turun, dan tarik bibir sedikit ke samping. /æ/ lebih "
            "rendah daripada “e” pada “enak”. Coba: bad / bed, man / men."
        ),
        "tip_en": (
            "Drop your jaw wide and spread your lips a little: /æ/ is lower and more open than "
            "the Indonesian “e” in “enak”. Try: bad / bed, man / men."
        ),
        "words": ["bad", "man", "cat", "happy", "black", "back", "apple", "hand"],
        "sentence": "That happy man has a black cat and a bag of apples.",
    },
    "ee": {
        "sound": "iː",
        "arpabet": "IY",
        "substitutes": ["ɪ"],
        "tip_id": (
            "Tarik bibir seperti tersenyum, lidah tinggi dan tegang, lalu panjangkan bunyinya: "
            "/iː/ pada “sheep”. Untuk /ɪ/ pada “ship”, lemaskan lidah dan ucapkan pendek. "
            "Coba: sheep / ship, leave / live."
        ),
        "tip_en": (
            "Spread your lips in a smile, tongue high and tense, and hold the sound longer: "
            "/iː/ in “sheep”. For /ɪ/ in “ship”, relax and keep it short. "
            "Try: sheep / ship, leave / live."
        ),
        "words": ["sheep", "leave", "feel", "eat", "green", "teacher", "people", "please"],
        "sentence": "Please eat the green peas and keep the cheese.",
    },
}
