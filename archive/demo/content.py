"""The demo archive's content, written for this project (people and organisations are invented).

Dates are relative to the day the command runs (``days`` from today, ``time`` local clock time), so
the archive always has both upcoming and past seminars.
"""

SERIES = [
    {
        "slug": "forvaltningsdagarna",
        "name": "Förvaltningsdagarna",
        "organiser": "Nätverket för offentlig förvaltning",
        "description": (
            "En årlig tvådagarskonferens för chefer, utredare och forskare i stat, kommun och "
            "region. Programmet har parallella spår; varje pass har en kod som A3 eller C1."
        ),
        "website": "https://example.org/forvaltningsdagarna",
    },
    {
        "slug": "chefsfrukost",
        "name": "Chefsfrukost",
        "organiser": "Professionsförbundet",
        "description": (
            "Frukostsamtal för chefer i offentlig sektor: en inledare, ett samtal och frågor från "
            "salen. Frukost serveras en halvtimme före start."
        ),
        "website": "https://example.org/chefsfrukost",
    },
    {
        "slug": "digital-forvaltning-webbinarier",
        "name": "Webbinarier om digital förvaltning",
        "organiser": "Myndighetsnätverket för digital samverkan",
        "description": (
            "Korta webbinarier om digitalisering i offentlig sektor: infrastruktur, juridik, "
            "upphandling och hur arbetet förändras för medarbetarna."
        ),
        "website": "",
    },
]

VENUES = [
    {
        "slug": "folkets-hus-norrhamn",
        "name": "Folkets hus Norrhamn",
        "street_address": "Hamngatan 12",
        "city": "Sundsvall",
    },
    {
        "slug": "hotell-tradgarden",
        "name": "Hotell Trädgården",
        "street_address": "Trädgårdsgatan 40",
        "city": "Sundsvall",
    },
    {
        "slug": "stadsbiblioteket-orebro",
        "name": "Stadsbiblioteket",
        "street_address": "Näbbtorgsgatan 12",
        "city": "Örebro",
    },
    {
        "slug": "kunskapshuset-umea",
        "name": "Kunskapshuset",
        "street_address": "Universitetsvägen 8",
        "city": "Umeå",
    },
]

# (slug, name, title, affiliation, colour of the generated portrait, biography)
SPEAKERS = [
    (
        "maria-lindqvist",
        "Maria Lindqvist",
        "docent i statsvetenskap",
        "Norrlands universitet",
        (47, 93, 128),
        "Maria Lindqvist forskar om styrning och ledning i kommuner och regioner. Hon har följt "
        "flera försök med tillitsbaserad styrning inom hemtjänst och skola och skriver om hur "
        "uppföljning kan bli ett stöd för professionen i stället för ett kontrollinstrument.",
    ),
    (
        "johan-ekstrom",
        "Johan Ekström",
        "utredare",
        "Förvaltningsrådet",
        (120, 72, 52),
        "Johan Ekström har i femton år utrett statlig styrning, senast regleringsbrevens roll och "
        "myndigheternas återrapportering. Han var tidigare controller i en region.",
    ),
    (
        "sara-nilsson-berg",
        "Sara Nilsson Berg",
        "kommundirektör",
        "Älvdalens kommun",
        (84, 110, 60),
        "Sara Nilsson Berg leder förvaltningen i en mindre kommun som har halverat antalet "
        "styrdokument på tre år. Hon har bakgrund som socionom och enhetschef.",
    ),
    (
        "ahmed-karimi",
        "Ahmed Karimi",
        "digitaliseringschef",
        "Region Mittland",
        (95, 64, 130),
        "Ahmed Karimi ansvarar för regionens digitala utveckling, från vårdens journalsystem till "
        "e-tjänster för invånarna. Han har tidigare arbetat med informationssäkerhet.",
    ),
    (
        "karin-holm",
        "Karin Holm",
        "lektor i företagsekonomi",
        "Högskolan i Mälardalen",
        (150, 90, 40),
        "Karin Holm undervisar i offentlig ekonomistyrning och har skrivit om hur New Public "
        "Management har präglat svensk förvaltning sedan 1990-talet.",
    ),
    (
        "erik-sandberg",
        "Erik Sandberg",
        "HR-strateg",
        "Kommunförbundet Norr",
        (40, 110, 110),
        "Erik Sandberg arbetar med kompetensförsörjning i norrlandskommunerna: rekrytering, "
        "karriärvägar och hur man behåller erfarna medarbetare.",
    ),
    (
        "linnea-akesson",
        "Linnea Åkesson",
        "verksamhetsutvecklare",
        "Försäkringsverket",
        (130, 60, 80),
        "Linnea Åkesson leder arbetet med klarspråk och tjänstedesign på myndigheten och har "
        "infört regelbundna användartester av brev och e-tjänster.",
    ),
    (
        "fiona-macleod",
        "Fiona MacLeod",
        "professor i offentlig förvaltning",
        "University of Northbridge",
        (30, 120, 150),
        "Fiona MacLeod forskar om hur regeringar och kommuner i Storbritannien och Norden styr "
        "sina verksamheter. Hon har jämfört reformer i skolan och äldreomsorgen i sex länder och "
        "föreläser på engelska.",
    ),
    (
        "peter-ohman",
        "Peter Öhman",
        "journalist och moderator",
        "",
        (70, 70, 70),
        "Peter Öhman har bevakat kommunpolitik i trettio år och leder samtal på konferenser om "
        "offentlig sektor.",
    ),
    (
        "fatima-yusuf",
        "Fatima Yusuf",
        "enhetschef inom socialtjänsten",
        "Örebro kommun",
        (160, 70, 60),
        "Fatima Yusuf leder en enhet för barn och unga och har drivit ett försök där "
        "socialsekreterarna själva formar sin uppföljning.",
    ),
    (
        "gustav-wiklund",
        "Gustav Wiklund",
        "professor i offentlig förvaltning",
        "Göta universitet",
        (50, 80, 150),
        "Gustav Wiklund forskar om förvaltningspolitik i Norden och har suttit i flera statliga "
        "utredningar om myndigheternas styrning.",
    ),
    (
        "helena-brandt",
        "Helena Brandt",
        "chefsstrateg",
        "Professionsförbundet",
        (110, 100, 40),
        "Helena Brandt arbetar med professionernas villkor i offentlig sektor och sitter i en "
        "referensgrupp för regeringens arbete med tillitsbaserad styrning.",
    ),
    (
        "oskar-lind",
        "Oskar Lind",
        "IT-arkitekt",
        "Myndighetsnätverket för digital samverkan",
        (60, 120, 80),
        "Oskar Lind arbetar med gemensam digital infrastruktur för myndigheter: "
        "informationsutbyte, identitet och öppna standarder.",
    ),
]

# Family names that are not the name's last word (Swedish double surnames): what a citation
# sorts and abbreviates by ("Nilsson Berg, S.", not "Berg, S. N."). By speaker slug.
FAMILY_NAMES = {
    "sara-nilsson-berg": "Nilsson Berg",
}

# Spoken lines for generated transcripts, by theme. Speakers take turns; chapters are set in
# ``build.transcript_segments``.
TRANSCRIPT_LINES = {
    "tillit": [
        "Välkomna allihop, och tack för att ni kom hit så här tidigt.",
        "Jag tänkte börja med en enkel fråga: vad menar vi egentligen med tillit?",
        "Tillit handlar inte om att släppa all kontroll, utan om var kontrollen gör nytta.",
        "I många verksamheter har antalet mått vuxit år för år utan att något tagits bort.",
        "När vi frågade medarbetarna svarade sju av tio att de rapporterar sådant ingen läser.",
        "Det tar tid från mötet med brukaren, och det är där värdet skapas.",
        "Styrningen ska utgå från verksamhetens uppdrag, inte från vad som är lätt att mäta.",
        "Vi gjorde ett försök där hemtjänstgrupperna själva fick planera sina besök.",
        "Efter ett år hade sjukfrånvaron minskat och de äldre var mer nöjda.",
        "Men det krävde att cheferna vågade lita på gruppernas bedömningar.",
        "Ledarskapet förändras: chefen blir mer av en stödjande funktion.",
        "Det finns en risk att tillit blir ett modeord om inte resurserna följer med.",
        "Uppföljning behövs fortfarande, men den ska vara lärande snarare än kontrollerande.",
        "Vi har tagit bort ungefär hälften av våra styrdokument.",
        "Det viktigaste var att fråga: vem använder den här informationen och till vad?",
        "Professionen har kunskap som inte syns i några nyckeltal.",
        "Politikerna behöver också lita på förvaltningen, annars fungerar det inte.",
        "Vi ser att tillitsbaserad styrning ger bättre resultat där förutsättningarna finns.",
        "Ett konkret tips är att börja med ett enda område och lära av det.",
        "Låt mig visa ett exempel från socialtjänsten i en mellanstor kommun.",
        "Där fick socialsekreterarna själva formulera vad god kvalitet betyder.",
        "Det ledde till färre men bättre mått.",
        "Tack, det var en bra fråga från publiken.",
        "Jag tror att vi måste prata mer om medarbetarskap och inte bara om ledarskap.",
        "Tillit byggs långsamt och kan raseras snabbt.",
        "Därför behöver vi tålamod och uthållighet i förändringsarbetet.",
    ],
    "npm": [
        "New Public Management kom till Sverige i början av 1990-talet.",
        "Idén var att offentlig sektor skulle styras mer som ett företag.",
        "Beställare och utförare skildes åt, och mål och resultat skulle mätas.",
        "En del av det har varit bra, till exempel större tydlighet kring kostnader.",
        "Men mätningarna har ofta blivit ett mål i sig.",
        "Forskningen visar att detaljstyrning kan tränga undan den inre motivationen.",
        "Vi ser samma mönster i skolan, vården och omsorgen.",
        "Frågan är inte om vi ska mäta, utan vad och varför.",
        "Mål- och resultatstyrningen har blivit mer komplex för varje år.",
        "Regleringsbreven har vuxit, och återrapporteringskraven likaså.",
        "Myndigheterna lägger stora resurser på att svara på frågor som ingen ställt.",
        "Ett alternativ är att styra mer genom dialog och mindre genom indikatorer.",
        "Det kräver förtroende mellan departement och myndighet.",
        "Vi har jämfört de nordiska länderna, och Sverige sticker ut.",
        "Norge har gått längre i att förenkla styrningen av sina myndigheter.",
        "Låt oss titta på några siffror från vår enkät.",
        "Hälften av cheferna svarade att de styrs av för många mål.",
        "Det är en tydlig signal om att något behöver förändras.",
        "Vad kan man då göra i morgon, på sin egen arbetsplats?",
        "Börja med att rensa: vilka mått används faktiskt i beslut?",
    ],
    "digital": [
        "Digitaliseringen i offentlig sektor handlar i grunden om verksamhetsutveckling.",
        "Tekniken är sällan problemet; det är samordningen som är svår.",
        "Varje myndighet har byggt sina egna lösningar under många år.",
        "Nu behöver vi gemensam infrastruktur för informationsutbyte.",
        "Ett exempel är hur uppgifter om en person ska kunna delas säkert mellan myndigheter.",
        "Juridiken har inte alltid hängt med i den tekniska utvecklingen.",
        "Sekretess och dataskydd måste byggas in från början.",
        "Vi har tagit fram gemensamma specifikationer som alla kan använda.",
        "Öppna standarder gör att vi inte låser in oss hos en leverantör.",
        "Molntjänster är en svår fråga för många offentliga organisationer.",
        "Vi har gjort en riskbedömning som andra gärna får återanvända.",
        "Användarna märker skillnaden när de slipper lämna samma uppgifter flera gånger.",
        "Klarspråk är lika viktigt i en e-tjänst som i ett brev.",
        "Vi testar alla nya tjänster med riktiga användare innan de lanseras.",
        "Kompetensen är en flaskhals: det är svårt att rekrytera utvecklare.",
        "Därför satsar vi på att utbilda våra egna medarbetare.",
        "Artificiell intelligens väcker både förhoppningar och farhågor.",
        "Vi använder det i dag främst för att sortera inkommande ärenden.",
        "Det är viktigt att en människa alltid fattar det slutliga beslutet.",
        "Nästa steg är att mäta nyttan för invånarna, inte bara för förvaltningen.",
    ],
    # The demo's talk in English: indexed with English word forms as well.
    "trust_en": [
        "Thank you for inviting me to talk about trust in public services.",
        "Over the last decade, several governments have tried to reduce detailed steering.",
        "In Scotland, municipalities were given more freedom over how they meet national goals.",
        "Managers told us that the number of indicators had doubled in twenty years.",
        "Performance measurement is useful, but it should help the professionals learn.",
        "When every target is measured, the targets start to replace the purpose.",
        "In the Nordic countries, dialogue between ministries and agencies plays a larger role.",
        "Let me show you some results from our survey of local authorities.",
        "Half of the managers said they spend more time reporting than improving.",
        "Trust is not the absence of control; it is a different kind of accountability.",
        "Teachers and nurses know things about their work that no key figure captures.",
        "We found that the reforms worked best where politicians trusted the administration.",
        "One municipality removed half of its governing documents in three years.",
        "Staff turnover fell, and users reported better continuity of care.",
        "The risk is that trust becomes a slogan if resources do not follow.",
        "My advice is to start with one service and learn from it before scaling up.",
        "Thank you, that is an excellent question from the audience.",
        "Comparisons between countries have to take their different traditions into account.",
    ],
    "kompetens": [
        "Kompetensförsörjningen är den största utmaningen för kommunerna de närmaste åren.",
        "Stora pensionsavgångar sammanfaller med ett växande behov av välfärdstjänster.",
        "I glesbygden är bristen på sjuksköterskor och lärare särskilt tydlig.",
        "Vi måste både rekrytera nya och behålla dem vi har.",
        "Ett sätt är att erbjuda tydligare karriärvägar inom yrket.",
        "Många lämnar inte för lönen, utan för arbetsmiljön.",
        "Chefer med för många medarbetare hinner inte med det nära ledarskapet.",
        "Vi har minskat personalgrupperna till högst trettio medarbetare per chef.",
        "Det har gett märkbart lägre personalomsättning.",
        "Samarbete mellan kommuner är nödvändigt för de smala yrkena.",
        "Vi delar till exempel jurister och upphandlare med tre grannkommuner.",
        "Digitala verktyg kan avlasta, men de ersätter inte människor i omsorgen.",
        "Validering av utländsk kompetens tar fortfarande för lång tid.",
        "Vi har ett program där nyanlända undersköterskor får handledning på arbetstid.",
        "Unga vill ha inflytande och utveckling från första dagen.",
        "Arbetsgivarvarumärket byggs av medarbetarna, inte av annonserna.",
        "Vi mäter nu hur många som stannar efter två år.",
        "Siffrorna är uppmuntrande, men det finns mycket kvar att göra.",
    ],
}

# Every seminar of the demo archive. ``days`` is relative to today; ``video`` is "file"
# (generated WebM upload), "embed" (YouTube/Vimeo URL with a cached offline embed) or None;
# ``transcript`` names a TRANSCRIPT_LINES theme and a segment count.
SEMINARS = [
    {
        "slug": "tillitsbaserad-styrning-i-praktiken",
        "title": "Tillitsbaserad styrning i praktiken",
        "series": "forvaltningsdagarna",
        "code": "A3",
        "format": "conference_session",
        "days": -190,
        "time": "14:00",
        "minutes": 45,
        "venue": "folkets-hus-norrhamn",
        "room": "Salong 1",
        "speakers": [("maria-lindqvist", "speaker", ""), ("peter-ohman", "moderator", "")],
        "topics": ["tillitsbaserad styrning", "ledarskap", "uppföljning"],
        "lead": "Hur går det till när en kommun slutar detaljstyra? Maria Lindqvist berättar "
        "vad forskningen har lärt sig av fem års försök i hemtjänst och skola.",
        "body": [
            "Många kommuner och regioner har de senaste åren prövat att styra mer genom tillit "
            "och mindre genom detaljerade mål. I det här passet går vi igenom vad som har "
            "fungerat, vad som inte har gjort det och vilka förutsättningar som krävs.",
            "Passet vänder sig till chefer, politiker och utvecklare som vill komma i gång.",
        ],
        "slides": [
            "Tillitsbaserad styrning i praktiken\nMaria Lindqvist, Norrlands universitet",
            "Vad är tillit i styrning?\nAtt ge utrymme för professionens kunnande",
            "Fem års försök i hemtjänst och skola\nFärre mått, mer dialog",
            "Vad krävs av ledarskapet?\nStöd i stället för kontroll",
            "Lärande uppföljning\nFråga: vem använder uppgiften och till vad?",
            "Sammanfattning och frågor",
        ],
        "video": "embed",
        "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "duration": 2640,
        "transcript": ("tillit", 90),
    },
    {
        "slug": "new-public-management-efter-trettio-ar",
        "title": "New Public Management efter trettio år",
        "series": "forvaltningsdagarna",
        "code": "B2",
        "format": "conference_session",
        "days": -190,
        "time": "10:30",
        "minutes": 45,
        "venue": "folkets-hus-norrhamn",
        "room": "Salong 2",
        "speakers": [("karin-holm", "speaker", ""), ("gustav-wiklund", "speaker", "")],
        "topics": ["New Public Management", "mål- och resultatstyrning"],
        "lead": "Vad blev kvar av marknadsidéerna i svensk förvaltning? Två forskare ser tillbaka "
        "och pekar ut vägar framåt.",
        "body": [
            "Karin Holm och Gustav Wiklund jämför Sverige med de andra nordiska länderna och "
            "diskuterar vad som har gjort mål- och resultatstyrningen så svår att förenkla."
        ],
        "slides": [
            "New Public Management efter trettio år",
            "1990-talet: beställare och utförare",
            "Mätningarnas tillväxt 1995–2025",
            "Nordisk jämförelse: Norge, Danmark, Finland",
            "Vägar framåt: färre mål, mer dialog",
        ],
        "video": "file",
        "duration": None,
        # Short, as its demo video is (8 s): captions and the transcript follow the video.
        "transcript": ("tillit", 8),
    },
    {
        "slug": "styrning-genom-regleringsbrev",
        "title": "Styrning genom regleringsbrev – vad läser myndigheterna?",
        "series": "forvaltningsdagarna",
        "code": "C1",
        "format": "conference_session",
        "days": -191,
        "time": "13:00",
        "minutes": 45,
        "venue": "folkets-hus-norrhamn",
        "room": "Lilla salen",
        "speakers": [("johan-ekstrom", "speaker", "utredare som granskat 60 regleringsbrev")],
        "topics": ["mål- och resultatstyrning", "statlig förvaltning"],
        "lead": "Regleringsbreven har blivit längre. Johan Ekström har läst sextio av dem och "
        "frågat myndigheterna vad de gör med återrapporteringskraven.",
        "body": [
            "Utredningen visar att en stor del av återrapporteringen aldrig används i "
            "departementens beredning. Vi diskuterar hur styrningen kan bli tydligare."
        ],
        "slides": [
            "Styrning genom regleringsbrev",
            "Sextio regleringsbrev i siffror",
            "Återrapportering som ingen läser",
            "Förslag till förenkling",
        ],
        "video": None,
        "transcript": None,
    },
    {
        "slug": "kompetensforsorjning-i-glesbygd",
        "title": "Kompetensförsörjning i glesbygd",
        "series": "forvaltningsdagarna",
        "code": "D4",
        "format": "panel",
        "days": -191,
        "time": "15:15",
        "minutes": 60,
        "venue": "folkets-hus-norrhamn",
        "room": "Salong 1",
        "speakers": [
            ("erik-sandberg", "panelist", ""),
            ("sara-nilsson-berg", "panelist", ""),
            ("fatima-yusuf", "panelist", ""),
            ("peter-ohman", "moderator", ""),
        ],
        "topics": ["kompetensförsörjning", "kommuner"],
        "lead": "Hur rekryterar och behåller en liten kommun sjuksköterskor, lärare och "
        "socialsekreterare? Ett panelsamtal med erfarenheter från tre kommuner.",
        "body": ["Panelen diskuterar samarbete mellan kommuner, karriärvägar och arbetsmiljö."],
        "slides": None,
        "video": "embed",
        "video_url": "https://vimeo.com/76979871",
        "duration": 3300,
        "transcript": ("kompetens", 60),
    },
    {
        "slug": "leda-med-tillit",
        "title": "Leda med tillit",
        "series": "chefsfrukost",
        "code": "",
        "format": "breakfast_meeting",
        "days": -320,
        "time": "08:00",
        "minutes": 90,
        "venue": "hotell-tradgarden",
        "room": "Vinterträdgården",
        "speakers": [("helena-brandt", "moderator", "")],
        "topics": ["tillitsbaserad styrning", "ledarskap", "professionen"],
        "lead": "Ett frukostsamtal om tillit och om hur professionen kan få större utrymme i "
        "det dagliga arbetet.",
        "body": [
            "Vilka förutsättningar har du och dina medarbetare att arbeta mer "
            "tillitsbaserat? Krävs det ett annat ledarskap och ett annat medarbetarskap? "
            "Samtalet leds av Helena Brandt.",
            "Frukost serveras från 07.30.",
        ],
        "slides": [
            "Leda med tillit\nChefsfrukost",
            "Tre frågor att ta med sig",
            "Tillit och medarbetarskap",
        ],
        "video": None,
        "transcript": None,
    },
    {
        "slug": "farre-mal-battre-resultat",
        "title": "Färre mål, bättre resultat?",
        "series": "chefsfrukost",
        "code": "",
        "format": "breakfast_meeting",
        "days": -250,
        "time": "07:45",
        "minutes": 75,
        "venue": "hotell-tradgarden",
        "room": "",
        "speakers": [("sara-nilsson-berg", "speaker", ""), ("helena-brandt", "moderator", "")],
        "topics": ["mål- och resultatstyrning", "kommuner", "uppföljning"],
        "lead": "Älvdalens kommun har halverat antalet styrdokument. Kommundirektören berättar "
        "hur det gick till och vad medarbetarna säger.",
        "body": [
            "Sara Nilsson Berg beskriver arbetet steg för steg: inventering, rensning och "
            "en ny modell för dialog mellan politik och förvaltning."
        ],
        "slides": [
            "Färre mål, bättre resultat?",
            "Från 212 till 98 styrdokument",
            "Vad sa medarbetarna?",
            "Lärdomar för andra kommuner",
        ],
        "video": "file",
        "duration": None,
        "transcript": None,
    },
    {
        "slug": "chefens-roll-i-socialtjansten",
        "title": "Chefens roll när socialtjänsten ställer om",
        "series": "chefsfrukost",
        "code": "",
        "format": "breakfast_meeting",
        "days": -130,
        "time": "08:00",
        "minutes": 90,
        "venue": "stadsbiblioteket-orebro",
        "room": "Hörsalen",
        "speakers": [("fatima-yusuf", "speaker", ""), ("helena-brandt", "moderator", "")],
        "topics": ["socialtjänst", "ledarskap", "tillitsbaserad styrning"],
        "lead": "Den nya socialtjänstlagen kräver ett mer förebyggande arbetssätt. Vad betyder "
        "det för första linjens chefer?",
        "body": [
            "Fatima Yusuf delar erfarenheter från ett försök där socialsekreterarna själva "
            "har format sin uppföljning."
        ],
        "slides": None,
        "video": "embed",
        "video_url": "https://youtu.be/aqz-KE-bpKQ",
        "duration": 3600,
        "transcript": ("tillit", 70),
    },
    {
        "slug": "gemensam-digital-infrastruktur",
        "title": "Gemensam digital infrastruktur för myndigheter",
        "series": "digital-forvaltning-webbinarier",
        "code": "",
        "format": "webinar",
        "days": -100,
        "time": "13:00",
        "minutes": 50,
        "venue": None,
        "room": "Digitalt",
        "speakers": [("oskar-lind", "speaker", ""), ("ahmed-karimi", "speaker", "")],
        "topics": ["digitalisering", "informationsutbyte", "öppna standarder"],
        "lead": "Hur kan myndigheter, kommuner och regioner dela uppgifter säkert utan att "
        "var och en bygger sin egen lösning?",
        "body": [
            "Webbinariet går igenom gemensamma specifikationer för informationsutbyte och "
            "vad de betyder för den som ska upphandla ett nytt verksamhetssystem."
        ],
        "slides": [
            "Gemensam digital infrastruktur",
            "Varför gemensamt?\nFärre egna lösningar, lägre kostnader",
            "Informationsutbyte mellan myndigheter",
            "Öppna standarder och leverantörsoberoende",
            "Juridik: sekretess och dataskydd",
            "Så kommer du i gång",
        ],
        "video": "embed",
        "video_url": "https://www.youtube.com/watch?v=M7lc1UVf-VE",
        "duration": 2950,
        "transcript": ("digital", 110),
    },
    {
        "slug": "klarsprak-i-e-tjansten",
        "title": "Klarspråk i e-tjänsten",
        "series": "digital-forvaltning-webbinarier",
        "code": "",
        "format": "webinar",
        "days": -60,
        "time": "10:00",
        "minutes": 40,
        "venue": None,
        "room": "Digitalt",
        "speakers": [("linnea-akesson", "speaker", "")],
        "topics": ["digitalisering", "klarspråk", "tjänstedesign"],
        "lead": "Begripliga e-tjänster minskar antalet samtal till kundtjänst. Linnea Åkesson "
        "visar hur användartester har ändrat myndighetens texter.",
        "body": ["Med exempel från verkliga brev och formulär: före och efter."],
        "slides": [
            "Klarspråk i e-tjänsten",
            "Före: ett brev på 1 400 ord",
            "Efter: 380 ord och en tydlig rubrik",
            "Så testar vi med användare",
        ],
        "video": "file",
        "duration": None,
        "transcript": None,
    },
    {
        "slug": "ai-i-handlaggningen",
        "title": "AI i handläggningen – möjligheter och gränser",
        "series": "digital-forvaltning-webbinarier",
        "code": "",
        "format": "webinar",
        "days": -25,
        "time": "13:00",
        "minutes": 60,
        "venue": None,
        "room": "Digitalt",
        "speakers": [
            ("ahmed-karimi", "speaker", ""),
            ("gustav-wiklund", "speaker", ""),
            ("peter-ohman", "moderator", ""),
        ],
        "topics": ["digitalisering", "artificiell intelligens", "rättssäkerhet"],
        "lead": "Kan en algoritm sortera ärenden utan att rättssäkerheten påverkas? En "
        "förvaltningsforskare och en digitaliseringschef samtalar.",
        "body": [
            "Vi tar upp förvaltningslagens krav, dokumentation och hur en människa alltid "
            "kan fatta det slutliga beslutet."
        ],
        "slides": None,
        "video": "embed",
        "video_url": "https://vimeo.com/148751763",
        "duration": 3500,
        "transcript": None,
    },
    {
        "slug": "vad-ar-en-larande-tillsyn",
        "title": "Vad är en lärande tillsyn?",
        "series": None,
        "code": "",
        "format": "lecture",
        "days": -420,
        "time": "15:00",
        "minutes": 60,
        "venue": "kunskapshuset-umea",
        "room": "Aulan",
        "speakers": [("gustav-wiklund", "speaker", ""), ("johan-ekstrom", "host", "")],
        "topics": ["tillsyn", "tillitsbaserad styrning", "statlig förvaltning"],
        "lead": "En öppen föreläsning om hur statlig tillsyn kan bidra till att verksamheter "
        "utvecklas, inte bara granskas.",
        "body": [
            "Gustav Wiklund presenterar en modell för lärande tillsyn och exempel från "
            "skola och äldreomsorg."
        ],
        "slides": [
            "Vad är en lärande tillsyn?",
            "Granskning eller utveckling?",
            "Exempel från skolan",
            "Exempel från äldreomsorgen",
            "Slutsatser",
        ],
        "video": None,
        "transcript": None,
        "time_known": False,
    },
    {
        "slug": "uppfoljning-som-stod",
        "title": "Uppföljning som stöd för verksamheten",
        "series": "forvaltningsdagarna",
        "code": "A1",
        "format": "conference_session",
        "days": -555,
        "time": "09:30",
        "minutes": 45,
        "venue": "folkets-hus-norrhamn",
        "room": "Salong 1",
        "speakers": [("maria-lindqvist", "speaker", ""), ("karin-holm", "speaker", "")],
        "topics": ["uppföljning", "mål- och resultatstyrning"],
        "lead": "Uppföljning kan vara ett verktyg för lärande. Två forskare visar hur.",
        "body": ["Passet bygger på intervjuer med chefer i tolv kommuner."],
        "slides": ["Uppföljning som stöd", "Intervjuer i tolv kommuner", "Tre typer av mått"],
        "video": None,
        "transcript": None,
    },
    {
        "slug": "attraktiv-arbetsgivare-i-kommunen",
        "title": "Att vara en attraktiv arbetsgivare i kommunen",
        "series": "chefsfrukost",
        "code": "",
        "format": "breakfast_meeting",
        "days": -560,
        "time": "08:00",
        "minutes": 90,
        "venue": "hotell-tradgarden",
        "room": "Vinterträdgården",
        "speakers": [("erik-sandberg", "speaker", ""), ("helena-brandt", "moderator", "")],
        "topics": ["kompetensförsörjning", "arbetsmiljö", "kommuner"],
        "lead": "Varför stannar vissa medarbetare i trettio år och andra bara i två?",
        "body": ["Erik Sandberg berättar om Kommunförbundet Norrs arbete med karriärvägar."],
        "slides": None,
        "video": None,
        "transcript": None,
    },
    # Upcoming seminars
    {
        "slug": "tillit-och-styrning-i-regionerna",
        "title": "Tillit och styrning i regionerna",
        "series": "forvaltningsdagarna",
        "code": "A2",
        "format": "conference_session",
        "days": 40,
        "time": "10:00",
        "minutes": 45,
        "venue": "folkets-hus-norrhamn",
        "room": "Salong 1",
        "speakers": [
            ("maria-lindqvist", "speaker", ""),
            ("ahmed-karimi", "speaker", ""),
            ("peter-ohman", "moderator", ""),
        ],
        "topics": ["tillitsbaserad styrning", "regioner"],
        "lead": "Regionerna styr både vård och kollektivtrafik. Hur ser tillitsbaserad styrning "
        "ut i så stora organisationer?",
        "body": ["Passet är en del av årets Förvaltningsdagar. Anmälan gäller hela konferensen."],
        "registration": {
            "days_before": 14,
            "url": "https://example.org/anmalan/fd-a2",
            "note": "Konferensavgiften inkluderar lunch och kaffe.",
        },
        "contact": ("Julia Ström", "julia.strom@example.org", "060-12 34 56"),
        "slides": None,
        "video": None,
        "transcript": None,
    },
    {
        "slug": "digitalt-forst-for-medarbetarna",
        "title": "Digitalt först – också för medarbetarna?",
        "series": "forvaltningsdagarna",
        "code": "C3",
        "format": "conference_session",
        "days": 40,
        "time": "13:30",
        "minutes": 45,
        "venue": "folkets-hus-norrhamn",
        "room": "Lilla salen",
        "speakers": [("oskar-lind", "speaker", ""), ("linnea-akesson", "speaker", "")],
        "topics": ["digitalisering", "arbetsmiljö"],
        "lead": "När e-tjänsterna blir bättre för invånarna – blir arbetet bättre för dem som "
        "handlägger ärendena?",
        "body": ["Ett pass om digital arbetsmiljö, systemstöd och delaktighet i utvecklingen."],
        "registration": {"days_before": 14, "url": "https://example.org/anmalan/fd-c3", "note": ""},
        "contact": ("Julia Ström", "julia.strom@example.org", ""),
        "slides": None,
        "video": None,
        "transcript": None,
    },
    {
        "slug": "chefsfrukost-kompetens-och-tillit",
        "title": "Kompetens och tillit – två sidor av samma mynt",
        "series": "chefsfrukost",
        "code": "",
        "format": "breakfast_meeting",
        "days": 12,
        "time": "08:00",
        "minutes": 90,
        "venue": "hotell-tradgarden",
        "room": "Vinterträdgården",
        "speakers": [
            ("erik-sandberg", "speaker", ""),
            ("fatima-yusuf", "speaker", ""),
            ("helena-brandt", "moderator", ""),
        ],
        "topics": ["kompetensförsörjning", "tillitsbaserad styrning", "ledarskap"],
        "lead": "Medarbetare som får använda sin kompetens stannar längre. Välkommen till ett "
        "frukostsamtal om sambandet mellan tillit och kompetensförsörjning.",
        "body": [
            "Frukost från 07.30. Ta gärna med en chefskollega – men kom ihåg att anmäla "
            "även kollegan."
        ],
        "registration": {
            "days_before": 5,
            "url": "https://example.org/anmalan/chefsfrukost",
            "note": "Frukosten är kostnadsfri för medlemmar.",
        },
        "contact": ("Anders Wallin", "anders.wallin@example.org", "070-123 45 67"),
        "slides": None,
        "video": None,
        "transcript": None,
    },
    {
        "slug": "oppna-data-i-kommunen",
        "title": "Öppna data i kommunen – från policy till publicering",
        "series": "digital-forvaltning-webbinarier",
        "code": "",
        "format": "webinar",
        "days": 25,
        "time": "13:00",
        "minutes": 45,
        "venue": None,
        "room": "Digitalt",
        "speakers": [("oskar-lind", "speaker", "")],
        "topics": ["digitalisering", "öppna data", "öppna standarder"],
        "lead": "Vilka data ska kommunen publicera, i vilket format och hur håller man dem "
        "aktuella? Ett praktiskt webbinarium.",
        "body": ["Länk till webbinariet skickas till dem som har anmält sig."],
        "registration": {
            "days_before": 2,
            "url": "https://example.org/anmalan/oppna-data",
            "note": "",
        },
        "contact": ("", "webbinarier@example.org", ""),
        "slides": None,
        "video": None,
        "transcript": None,
    },
    {
        "slug": "trust-and-accountability-in-public-services",
        "title": "Trust and accountability in public services",
        "language": "en",
        "series": "forvaltningsdagarna",
        "code": "D4",
        "format": "lecture",
        "days": -189,
        "time": "09:00",
        "minutes": 60,
        "venue": "folkets-hus-norrhamn",
        "room": "Salong 1",
        "speakers": [("fiona-macleod", "speaker", ""), ("peter-ohman", "moderator", "")],
        "topics": ["tillitsbaserad styrning", "uppföljning"],
        "lead": "What happens when governments and municipalities steer by trust instead of "
        "targets? Fiona MacLeod compares reforms in Scotland and the Nordic countries. The talk "
        "is in English.",
        "body": [
            "Fiona MacLeod has studied how managers and professionals in schools and elderly care "
            "respond when detailed targets are removed, and what replaces them.",
            "Questions are welcome in Swedish or English.",
        ],
        "slides": [
            "Trust and accountability in public services\nFiona MacLeod, University of Northbridge",
            "Six countries, two sectors: schools and elderly care",
            "Fewer targets, more dialogue",
            "What managers told us",
            "Lessons for municipalities",
        ],
        "video": "embed",
        "video_url": "https://vimeo.com/76979871",
        "duration": 3420,
        "transcript": ("trust_en", 72),
    },
    {
        "slug": "forvaltningspolitik-infor-valet",
        "title": "Förvaltningspolitiken inför valet",
        "series": None,
        "code": "",
        "format": "panel",
        "days": 70,
        "time": "18:00",
        "minutes": 90,
        "venue": "kunskapshuset-umea",
        "room": "Aulan",
        "speakers": [
            ("gustav-wiklund", "panelist", ""),
            ("karin-holm", "panelist", ""),
            ("johan-ekstrom", "panelist", ""),
            ("peter-ohman", "moderator", ""),
        ],
        "topics": ["statlig förvaltning", "New Public Management"],
        "lead": "Vilka förvaltningspolitiska frågor borde partierna prata om? En panel med "
        "forskare och en utredare.",
        "body": ["Fri entré. Föranmälan behövs inte."],
        "contact": ("Peter Öhman", "peter.ohman@example.org", ""),
        "slides": None,
        "video": None,
        "transcript": None,
    },
]

# Chapter headings placed at fixed fractions of a transcript.
CHAPTERS = [(0.0, "Inledning"), (0.3, "Erfarenheter och exempel"), (0.7, "Frågor från publiken")]
#: The same headings for a talk given in English.
CHAPTERS_EN = [(0.0, "Introduction"), (0.3, "Experiences and examples"), (0.7, "Questions")]
