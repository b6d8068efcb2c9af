"""The demo newsroom: invented sections, stories, bylines, pictures and logins."""

import io
import random
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageDraw, ImageOps
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Collection, Site
from wagtail.rich_text import RichText
from wagtail.utils.file import hash_filelike

from home.models import HomePage

from .models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    AuthorKind,
    BreakingNews,
    CorrectionNote,
    LiveBlogPage,
    LivePost,
    PictureRights,
    RelatedArticle,
    SectionPage,
)

SITE_NAME = settings.WAGTAIL_SITE_NAME
COLLECTION_NAME = "Demo"
LEAD_ARTICLE = "corvane-switches-on-gannet-bank-wind-farm"
# The arranged fronts: the home page's top stories under the lead, and the World front.
HOME_TOP_STORIES = [
    "sallow-floodgates-pass-first-full-test",
    "arvenia-and-kestria-sign-seravel-water-treaty",
]
SECTION_FRONTS = {
    "world": (
        "aid-convoy-reaches-northern-dravosk",
        ["solvane-elects-first-coalition-in-forty-years"],
    ),
}
BANNER = {
    "text": "Coastline rail strike enters its second day: check before you travel",
    "article": "coastline-rail-strike-second-day",
    "hours": 12,
}

SECTIONS = [
    {
        "slug": "world",
        "title": "World",
        "intro": "Diplomacy, disasters and elections beyond the Marlow Coast, "
        "from our correspondents and the wires.",
    },
    {
        "slug": "region",
        "title": "Region",
        "intro": "Port Ellis, the Sallow and Tamsin valleys and the islands of the Marlow Coast.",
    },
    {
        "slug": "business",
        "title": "Business",
        "intro": "Companies, jobs and money on the coast and further afield.",
    },
]

# Pictures are drawn, not downloaded: a palette (sky top, sky bottom, land, sun) and a scene.
PICTURES = {
    "ferry-quay": (
        "Gannet Island ferry quay at dawn",
        "A ferry moored at a stone quay under an orange dawn sky.",
        ((34, 52, 94), (242, 168, 96), (28, 46, 58), (255, 214, 140)),
    ),
    "council-chamber": (
        "Port Ellis council chamber",
        "Councillors seated in a wood-panelled chamber during a vote.",
        ((92, 58, 40), (214, 170, 120), (70, 40, 30), (250, 230, 190)),
    ),
    "treaty-signing": (
        "Treaty signing in Lovran",
        "Two ministers shake hands in front of flags after signing a treaty.",
        ((20, 40, 80), (120, 160, 210), (40, 50, 70), (240, 240, 255)),
    ),
    "seravel-river": (
        "The Seravel below the Kestrian border",
        "A wide brown river winds between dry fields.",
        ((130, 180, 220), (230, 220, 180), (150, 120, 60), (255, 250, 220)),
    ),
    "savings-branch": (
        "Marlow Mutual branch on Quay Street",
        "The front of a building society branch with a queue outside.",
        ((60, 90, 70), (200, 220, 190), (40, 60, 50), (255, 255, 230)),
    ),
    "floodgates": (
        "Sallow floodgates during the test",
        "Water pours through a row of steel floodgates across a river.",
        ((70, 80, 90), (170, 185, 195), (50, 60, 70), (220, 230, 235)),
    ),
    "floodgate-control": (
        "Floodgate control room at Brennick",
        "Engineers watch screens in a control room above the river.",
        ((30, 30, 50), (90, 110, 150), (20, 20, 35), (140, 200, 255)),
    ),
    "ash-cloud": (
        "Ash plume over Mount Orrin",
        "A grey column of volcanic ash rises above a cone-shaped mountain.",
        ((90, 90, 95), (200, 190, 170), (60, 55, 50), (250, 140, 60)),
    ),
    "departures-board": (
        "Departures board at Salt Harbour airport",
        "Passengers look up at a departures board full of cancelled flights.",
        ((15, 20, 30), (60, 70, 90), (10, 10, 15), (255, 190, 40)),
    ),
    "hybrid-ferry": (
        "Artist's impression of a Halloway hybrid ferry",
        "A white ferry with a blue hull sails past a headland.",
        ((100, 170, 230), (220, 240, 250), (30, 90, 140), (255, 255, 255)),
    ),
    "rail-picket": (
        "Picket line at Port Ellis station",
        "Rail workers with banners stand outside a station entrance.",
        ((120, 30, 40), (230, 150, 120), (60, 20, 25), (255, 220, 200)),
    ),
    "orchard": (
        "Cider apple harvest in the Tamsin Valley",
        "Pickers fill crates under rows of apple trees heavy with red fruit.",
        ((120, 180, 90), (240, 230, 150), (60, 110, 40), (220, 40, 40)),
    ),
    "apple-press": (
        "The press house at Orchard & Pell",
        "Apples tumble into a wooden cider press in a stone barn.",
        ((110, 70, 30), (230, 190, 110), (80, 50, 25), (200, 60, 30)),
    ),
    "solvane-count": (
        "Counting votes in Vedra",
        "Officials empty ballot boxes onto long tables in a sports hall.",
        ((40, 60, 120), (190, 200, 230), (30, 40, 80), (250, 210, 60)),
    ),
    "aid-convoy": (
        "Aid convoy on the road to Velitsa",
        "A line of white lorries drives along a flooded road.",
        ((80, 100, 110), (190, 200, 200), (70, 80, 60), (240, 240, 240)),
    ),
    "wind-farm": (
        "Gannet Bank wind farm",
        "Rows of white wind turbines stand in a calm grey-blue sea.",
        ((60, 110, 170), (200, 225, 240), (40, 80, 120), (255, 250, 235)),
    ),
    "library": (
        "Port Ellis library reading room",
        "A domed reading room with restored plasterwork and long oak tables.",
        ((150, 120, 80), (240, 225, 190), (110, 80, 50), (255, 240, 200)),
    ),
    "reef": (
        "Cold-water coral on the Merrow Shelf",
        "Orange and white coral branches lit by a diver's torch in dark water.",
        ((5, 20, 50), (20, 90, 120), (10, 30, 45), (250, 120, 60)),
    ),
    "reef-survey": (
        "Survey submarine over the Merrow Shelf",
        "A small yellow submarine shines its lights on a rocky seabed.",
        ((0, 10, 30), (10, 60, 90), (5, 25, 35), (250, 220, 60)),
    ),
    "signal-box": (
        "Empty platforms at Brennick Junction",
        "Empty railway platforms and a signal box under a low sky.",
        ((90, 95, 110), (180, 180, 175), (45, 45, 50), (230, 80, 40)),
    ),
}

PORTRAITS = {
    "imogen-threlfall": ((180, 90, 80), (240, 200, 170)),
    "tobias-quarrie": ((40, 90, 120), (170, 210, 220)),
    "nadia-calloway": ((90, 60, 120), (210, 190, 230)),
    "hester-mallory": ((20, 100, 100), (170, 230, 210)),
}

AUTHORS = [
    {
        "slug": "imogen-threlfall",
        "name": "Imogen Threlfall",
        "kind": AuthorKind.STAFF,
        "role": "Region editor",
        "bio": f"Imogen has covered Port Ellis and the Marlow Coast for {SITE_NAME} since "
        "2011, from council meetings to the great flood of 2019.",
    },
    {
        "slug": "tobias-quarrie",
        "name": "Tobias Quarrie",
        "kind": AuthorKind.STAFF,
        "role": "Business correspondent",
        "bio": "Tobias writes about companies, jobs and money. "
        "Before journalism he spent six years as a shipping clerk in Brennick.",
    },
    {
        "slug": "nadia-calloway",
        "name": "Nadia Calloway",
        "kind": AuthorKind.STAFF,
        "role": "World affairs correspondent",
        "bio": "Nadia reports on diplomacy and elections from Lovran and across the continent.",
    },
    {
        "slug": "callum-ashdown",
        "name": "Callum Ashdown",
        "kind": AuthorKind.STAFF,
        "role": "Transport reporter",
        "bio": f"Callum follows the region's trains, ferries and roads for {SITE_NAME}.",
    },
    {
        "slug": "rosa-fennimore",
        "name": "Rosa Fennimore",
        "kind": AuthorKind.STAFF,
        "role": "Environment reporter",
        "bio": "Rosa covers rivers, weather and energy, and is usually the first "
        "reporter on the floodbanks when the Sallow rises.",
    },
    {
        "slug": "hester-mallory",
        "name": "Hester Mallory",
        "kind": AuthorKind.CONTRIBUTOR,
        "role": "Marine biologist",
        "bio": "Dr Mallory studies deep-water corals at the Gannet Island Marine Station.",
    },
    {
        "slug": "northwire",
        "name": "Northwire Agency",
        "kind": AuthorKind.AGENCY,
        "role": "News agency",
        "bio": "An independent news agency serving papers around the Northern Sea.",
    },
    {
        "slug": "afp",
        "name": "AFP",
        "kind": AuthorKind.AGENCY,
        "role": "News agency",
        "bio": "",
    },
]

# In creation order, oldest first: a story may link to (or pick as related) only stories above it.
# In paragraphs, <a article="slug"> becomes Wagtail's internal link to that story.
ARTICLES = [
    {
        "section": "region",
        "slug": "council-votes-for-year-round-gannet-island-ferry",
        "title": "Council votes for year-round ferry to Gannet Island",
        "intro": "Islanders have relied on a summer-only boat for sixty years. "
        "From next spring the crossing will run every day of the year.",
        "dateline": "PORT ELLIS, Marlow Coast",
        "hours_ago": 230,
        "authors": ["imogen-threlfall"],
        "tags": ["Port Ellis", "Gannet Island", "ferries", "transport"],
        "picture": "ferry-quay",
        "caption": "The ferry quay at Gannet Island, where the summer boat has docked since 1964.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>Port Ellis council voted <b>31 to 4</b> on Tuesday night to fund a "
                "year-round ferry to Gannet Island, ending six decades in which the island's "
                "four hundred residents were cut off by sea from October to April.</p>"
                "<p>The new service will run twice a day in winter and four times a day in "
                "summer, using a chartered vessel until a purpose-built boat arrives.</p>",
            ),
            (
                "quote",
                {
                    "quote": "For sixty years we have told islanders to stock up and sit tight. "
                    "Tonight we stopped.",
                    "attribution": "Maud Penhallow, leader of Port Ellis council",
                },
            ),
            ("heading", "What it will cost"),
            (
                "paragraph",
                "<p>The council will put <b>2.8 million crowns</b> a year towards the crossing, "
                "paid for by a small rise in harbour dues. Fares for island residents will be "
                "capped at the price of a bus ticket to the city centre.</p>",
            ),
            (
                "image",
                {
                    "picture": "council-chamber",
                    "caption": "Councillors vote on the ferry plan on Tuesday night.",
                    "credit": "Ledger photo",
                    "alt": "",
                },
            ),
            (
                "paragraph",
                "<p>Opponents argued that the money would be better spent on the city's own "
                "buses. Councillor Ned Garrow called the plan <i>“a very expensive boat for "
                "very few people”</i>, but conceded the island's school and surgery could not "
                "keep staff without a reliable crossing.</p>",
            ),
        ],
    },
    {
        "section": "world",
        "slug": "arvenia-and-kestria-sign-seravel-water-treaty",
        "title": "Arvenia and Kestria sign treaty to share the waters of the Seravel",
        "intro": "After eleven years of talks and two dry summers that emptied reservoirs, "
        "the neighbours agree how much of the river each may take.",
        "dateline": "LOVRAN, Arvenia",
        "hours_ago": 220,
        "authors": ["nadia-calloway", "rosa-fennimore", "afp"],
        "tags": ["diplomacy", "Arvenia", "Kestria", "water", "drought"],
        "picture": "treaty-signing",
        "caption": "Anselm Drey, left, and Lidia Sorn after the signing in Lovran on Thursday.",
        "credit": "AFP photo",
        "body": [
            (
                "paragraph",
                "<p>The foreign ministers of Arvenia and Kestria signed a treaty on Thursday "
                "dividing the flow of the Seravel, the river that rises in the Kestrian "
                "highlands and waters most of Arvenia's farmland.</p>"
                "<p>Under the agreement Kestria may take no more than <b>38 per cent</b> of the "
                "river's flow in any month, and both countries will share the data from a new "
                "line of gauging stations along the border.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Water does not stop at a border post. From today, neither will "
                    "the information about it.",
                    "attribution": "Anselm Drey, Arvenian foreign minister",
                },
            ),
            ("heading", "Two dry summers"),
            (
                "paragraph",
                "<p>Talks began in 2014 but stalled repeatedly over Kestria's plans for three "
                "hydroelectric dams. They gained new urgency after the summers of 2023 and "
                "2024, when the Seravel fell so low that barges could not reach the port of "
                "Ostrava Nova and Arvenian farmers lost a third of their wheat.</p>",
            ),
            (
                "image",
                {
                    "picture": "seravel-river",
                    "caption": "The Seravel below the Kestrian border in August, "
                    "at its lowest level on record.",
                    "credit": "AFP photo",
                    "alt": "A shallow river with wide dry banks between brown fields.",
                },
            ),
            (
                "paragraph",
                "<p>Kestria's foreign minister, Lidia Sorn, said the dams would still be built "
                "but would be operated <i>“with a hand on the treaty”</i>. Both parliaments "
                "must ratify the text before it takes effect next year.</p>",
            ),
        ],
    },
    {
        "section": "business",
        "slug": "marlow-mutual-raises-savings-rate",
        "title": "Marlow Mutual raises savings rate for the first time in two years",
        "intro": "The region's biggest building society says easing prices let it pay savers "
        "more without raising what borrowers pay.",
        "dateline": "PORT ELLIS, Marlow Coast",
        "hours_ago": 204,
        "authors": ["tobias-quarrie"],
        "tags": ["banking", "interest rates", "Marlow Mutual"],
        "picture": "savings-branch",
        "caption": "Marlow Mutual's Quay Street branch, the society's oldest.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>Marlow Mutual will raise the rate on its easy-access savings account from "
                "2.1 to <b>2.6 per cent</b> from Monday, the first increase since the society "
                "cut rates two years ago.</p>"
                "<p>The new rates are:</p>"
                "<ul><li>Easy access: 2.6 per cent, up from 2.1</li>"
                "<li>One-year fixed bond: 3.4 per cent, up from 3.0</li>"
                "<li>Children's saver: 3.8 per cent, unchanged</li></ul>",
            ),
            (
                "paragraph",
                "<p>Chief executive Alma Vance said mortgage rates would not rise "
                "to pay for the change, because the society's costs had fallen as inflation "
                "eased over the summer.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Our members waited patiently while prices ran ahead of them. "
                    "It is their turn now.",
                    "attribution": "Alma Vance, chief executive of Marlow Mutual",
                },
            ),
        ],
    },
    {
        "section": "region",
        "slug": "sallow-floodgates-pass-first-full-test",
        "title": "New Sallow floodgates hold in first full test before storm season",
        "intro": "Engineers closed all nine gates against a spring tide for the first time, "
        "and the town of Brennick stayed dry.",
        "dateline": "BRENNICK, Marlow Coast",
        "hours_ago": 190,
        "authors": ["rosa-fennimore"],
        "tags": ["flooding", "Sallow River", "Brennick", "weather"],
        "picture": "floodgates",
        "caption": "Water spills over the Sallow floodgates as the spring tide peaks on Sunday.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>The nine steel gates across the mouth of the Sallow were lowered at dawn on "
                "Sunday and held back a spring tide <b>1.4 metres</b> higher than the river "
                "behind them, in the first full test of the 190-million-crown barrier.</p>",
            ),
            (
                "image",
                {
                    "picture": "floodgate-control",
                    "caption": "Engineers in the control room above the river watch the gates "
                    "close.",
                    "credit": "Ledger photo",
                    "alt": "",
                },
            ),
            ("heading", "Lessons from 2019"),
            (
                "paragraph",
                "<p>The barrier was designed after the flood of November 2019, when the Sallow "
                "burst its banks and water stood a metre deep in Brennick's high street for "
                "three days. Six hundred homes were damaged and the shipyard closed for a "
                "month.</p>"
                "<p>The Sallow River Authority will test the gates monthly until March. "
                "Residents can sign up for text alerts before each closure.</p>",
            ),
            (
                "quote",
                {
                    "quote": "A test is only a test. The real exam comes with the first "
                    "January gale.",
                    "attribution": "Owen Marrick, chief engineer, Sallow River Authority",
                },
            ),
        ],
    },
    {
        "section": "world",
        "slug": "mount-orrin-ash-grounds-telmar-flights",
        "title": "Ash cloud from Mount Orrin grounds flights across the Telmar Islands",
        "intro": "More than 200 flights were cancelled as the volcano's first eruption in "
        "thirty years sent ash eight kilometres into the sky.",
        "dateline": "SALT HARBOUR, Telmar Islands",
        "hours_ago": 175,
        "updated_after_hours": 5,
        "authors": ["northwire"],
        "tags": ["Telmar Islands", "volcanoes", "aviation", "weather"],
        "picture": "ash-cloud",
        "caption": "The ash plume over Mount Orrin on Wednesday morning.",
        "credit": "NWA photo",
        "body": [
            (
                "paragraph",
                "<p>Mount Orrin, the volcano that dominates the northern Telmar Islands, "
                "erupted before dawn on Wednesday, closing the archipelago's airspace and "
                "stranding thousands of travellers at Salt Harbour airport.</p>"
                "<p>The Telmar Civil Aviation Office said no flights would leave before "
                "Friday at the earliest. Its advice to passengers:</p>"
                "<ul><li>Do not travel to the airport unless your airline has confirmed "
                "your flight.</li>"
                "<li>Inter-island ferries are running and accept air tickets.</li>"
                "<li>Wear a mask outdoors while ash is falling.</li></ul>",
            ),
            (
                "image",
                {
                    "picture": "departures-board",
                    "caption": "Cancelled flights fill the board at Salt Harbour.",
                    "credit": "NWA photo",
                    "alt": "",
                },
            ),
            ("heading", "Villages evacuated"),
            (
                "paragraph",
                "<p>About 1,300 people from four villages on the volcano's eastern slope were "
                "moved to schools in Salt Harbour. Volcanologists said the eruption was "
                "<i>explosive but small</i>, and that lava was unlikely to reach inhabited "
                "areas.</p>",
            ),
        ],
    },
    {
        "section": "business",
        "slug": "halloway-orders-six-hybrid-ferries",
        "title": "Halloway Shipping orders six hybrid ferries from Brennick yard",
        "intro": "The 320-million-crown order, the yard's biggest in a decade, "
        "will keep 900 people in work until 2030.",
        "dateline": "BRENNICK, Marlow Coast",
        "hours_ago": 158,
        "authors": ["tobias-quarrie", "callum-ashdown"],
        "tags": ["shipping", "ferries", "Brennick", "jobs"],
        "picture": "hybrid-ferry",
        "caption": "How the new ferries will look, in Halloway's blue and white.",
        "credit": "Halloway Shipping",
        "related": ["council-votes-for-year-round-gannet-island-ferry"],
        "body": [
            (
                "paragraph",
                "<p>Halloway Shipping has ordered six battery-diesel hybrid ferries from "
                "Brennick Marine, securing work at the town's shipyard for the rest of the "
                "decade.</p>"
                "<p>The first two vessels will serve the coastal route between Port Ellis and "
                "Brennick. A third is earmarked for the "
                '<a article="council-votes-for-year-round-gannet-island-ferry">new '
                "year-round Gannet Island crossing</a>, if Halloway wins the council's "
                "contract.</p>",
            ),
            (
                "quote",
                {
                    "quote": "We could have built these ships anywhere. We chose the people "
                    "who have built our ships for a hundred years.",
                    "attribution": "Greta Halloway, chief executive of Halloway Shipping",
                },
            ),
            ("heading", "Quieter and cleaner"),
            (
                "paragraph",
                "<p>The ferries will run on batteries in harbour and on short crossings, "
                "switching to diesel only in heavy seas. Halloway says that will cut the "
                "fleet's fuel use by <b>40 per cent</b> and make the boats almost silent at "
                "the quayside.</p>",
            ),
            (
                "paragraph",
                "<p>Brennick Marine's order book had been thin since 2022, and the yard laid "
                "off 150 workers last winter. It said it would now take on 80 apprentices.</p>",
            ),
        ],
    },
    {
        "section": "region",
        "slug": "coastline-rail-strike-second-day",
        "title": "Coastline Rail strike halts trains for a second day",
        "intro": "Drivers and guards walked out again in a dispute over rosters, "
        "leaving commuters to crowd onto buses and the coastal ferry.",
        "dateline": "PORT ELLIS, Marlow Coast",
        "hours_ago": 142,
        "updated_after_hours": 7,
        "authors": ["callum-ashdown", "imogen-threlfall"],
        "tags": ["rail", "strikes", "transport", "Port Ellis"],
        "picture": "rail-picket",
        "caption": "Members of the Rail and Maritime Workers' Guild outside Port Ellis station.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>No Coastline Rail trains ran on Friday for the second day running, as "
                "drivers and guards continued their strike over new weekend rosters.</p>"
                "<p>What is running today:</p>"
                "<ul><li>Replacement buses between Port Ellis and Brennick, every 30 "
                "minutes</li>"
                "<li>Extra sailings on the Halloway coastal ferry, which accepts rail "
                "season tickets</li>"
                "<li>No service at all on the Tamsin Valley branch</li></ul>",
            ),
            (
                "quote",
                {
                    "quote": "Our members are not asking for more money. They are asking to "
                    "see their children at the weekend.",
                    "attribution": "Danny Roake, general secretary, Rail and Maritime "
                    "Workers' Guild",
                },
            ),
            ("heading", "No talks planned"),
            (
                "paragraph",
                "<p>Coastline Rail's managing director, Priya Selwood, said the company had "
                "<i>“made a fair offer and is waiting for an answer”</i>. No talks are "
                "scheduled, and the guild has called a further strike for next Thursday.</p>",
            ),
            (
                "image",
                {
                    "picture": "signal-box",
                    "caption": "Empty platforms at Brennick Junction on Friday morning.",
                    "credit": "Ledger photo",
                    "alt": "",
                },
            ),
        ],
    },
    {
        "section": "region",
        "slug": "tamsin-valley-record-cider-apple-harvest",
        "title": "Tamsin Valley growers pick a record cider apple crop",
        "intro": "A warm spring and a wet August gave the valley's orchards their heaviest "
        "harvest since records began in 1952.",
        "dateline": "TAMSIN, Marlow Coast",
        "hours_ago": 127,
        "authors": ["rosa-fennimore"],
        "tags": ["cider", "Tamsin Valley", "farming", "weather"],
        "picture": "orchard",
        "caption": "Pickers at Tolley's Farm, where the crop is up by a quarter on last year.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>Growers in the Tamsin Valley have picked an estimated <b>41,000 tonnes</b> "
                "of cider apples this autumn, a record, according to the valley's growers' "
                "co-operative.</p>"
                "<p>The late blossom escaped the spring frosts, and heavy rain in August "
                "swelled the fruit just before picking began.</p>",
            ),
            (
                "quote",
                {
                    "quote": "My grandfather would not have believed these trees. "
                    "We have run out of crates twice.",
                    "attribution": "Agnes Tolley, grower",
                },
            ),
            (
                "paragraph",
                "<p>The glut has pushed down the price paid by cider makers to its lowest in "
                "six years, and some smaller growers say they will leave fruit on the "
                "ground rather than pay pickers.</p>",
            ),
        ],
    },
    {
        "section": "world",
        "slug": "solvane-elects-first-coalition-in-forty-years",
        "title": "Solvane's voters hand power to a coalition for the first time in forty years",
        "intro": "",
        "dateline": "VEDRA, Solvane",
        "hours_ago": 115,
        "updated_after_hours": 2,
        "authors": ["nadia-calloway"],
        "tags": ["Solvane", "elections", "politics"],
        "picture": "solvane-count",
        "caption": "Counting in Vedra went on until four in the morning.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>The National Union, which has governed Solvane alone since 1985, lost its "
                "majority in Sunday's election and will have to share power for the first "
                "time in a generation.</p>"
                "<p>With every seat declared, the Union holds 71 of the 160 seats in the "
                "Assembly. The <b>Civic Alliance</b> won 48 and the <b>Farmers' League</b> "
                "22, and their leaders said on Monday that they had begun talks.</p>",
            ),
            ("heading", "A record turnout"),
            (
                "paragraph",
                "<p>Turnout was 81 per cent, the highest since the constitution of 1979. "
                "Queues outside polling stations in Vedra stretched round the block at "
                "closing time, and officials kept doors open an extra hour.</p>",
            ),
            (
                "quote",
                {
                    "quote": "Solvane has not voted against anyone. It has voted for "
                    "a conversation.",
                    "attribution": "Oskar Vell, leader of the Civic Alliance",
                },
            ),
            (
                "paragraph",
                "<p>Prime Minister Eliska Harn conceded shortly after dawn and said she would "
                "stay on as caretaker until a new government is formed.</p>",
            ),
        ],
    },
    {
        "section": "business",
        "slug": "orchard-and-pell-agrees-sale-to-caskwell",
        "title": "Orchard & Pell agrees sale to Caskwell Drinks in 40-million-crown deal",
        "intro": "The Tamsin Valley cider maker, founded in a barn in 1988, "
        "says its press house and 60 jobs will stay in the valley.",
        "dateline": "TAMSIN, Marlow Coast",
        "hours_ago": 98,
        "authors": ["tobias-quarrie", "northwire"],
        "tags": ["cider", "Tamsin Valley", "takeovers"],
        "picture": "apple-press",
        "caption": "The press house at Orchard & Pell, which will keep its name under Caskwell.",
        "credit": "NWA photo",
        "related": ["tamsin-valley-record-cider-apple-harvest"],
        "body": [
            (
                "paragraph",
                "<p>Orchard &amp; Pell, the best-known cider maker on the Marlow Coast, has "
                "agreed to be bought by Caskwell Drinks for <b>40 million crowns</b>.</p>"
                "<p>The deal comes weeks after a "
                '<a article="tamsin-valley-record-cider-apple-harvest">record apple '
                "harvest</a> pushed down fruit prices, which Caskwell said made the valley "
                "the cheapest place on the continent to make cider this year.</p>",
            ),
            (
                "quote",
                {
                    "quote": "We started with a borrowed press and a barn with no roof. "
                    "Caskwell can take it to places we never could.",
                    "attribution": "Harriet Pell, co-founder",
                },
            ),
            ("heading", "Growers wary"),
            (
                "paragraph",
                "<p>The valley's growers' co-operative said it wanted written guarantees that "
                "Caskwell would keep buying local fruit. Orchard &amp; Pell takes a fifth of "
                "the valley's crop.</p>",
            ),
        ],
    },
    {
        "section": "world",
        "slug": "aid-convoy-reaches-northern-dravosk",
        "title": "Aid convoy reaches flood-hit towns in northern Dravosk",
        "intro": "Forty lorries carrying food, water filters and generators arrived in "
        "Velitsa after a week in which roads were under water.",
        "dateline": "VELITSA, Dravosk",
        "hours_ago": 81,
        "updated_after_hours": 3,
        "authors": ["afp"],
        "tags": ["Dravosk", "flooding", "aid"],
        "picture": "aid-convoy",
        "caption": "The convoy on the road to Velitsa, still partly under water on Monday.",
        "credit": "AFP photo",
        "body": [
            (
                "paragraph",
                "<p>The first aid convoy to reach northern Dravosk since the Karn river burst "
                "its banks arrived in Velitsa on Monday, bringing supplies for an estimated "
                "<b>30,000 people</b> cut off for more than a week.</p>",
            ),
            (
                "paragraph",
                "<p>The Northern Relief Coalition, which organised the convoy, said clean "
                "water was the most urgent need. Engineers who worked on the "
                '<a article="sallow-floodgates-pass-first-full-test">Sallow floodgates</a> '
                "on the Marlow Coast have offered to advise on rebuilding the town's "
                "defences.</p>",
            ),
            (
                "quote",
                {
                    "quote": "People have been drinking rainwater from their roofs. "
                    "The filters on these lorries matter more than the food.",
                    "attribution": "Maren Solheim, Northern Relief Coalition",
                },
            ),
        ],
    },
    {
        "section": "business",
        "slug": LEAD_ARTICLE,
        "title": "Corvane Energy switches on Gannet Bank wind farm",
        "intro": "Forty-two turbines off Gannet Island will supply a third of the Marlow "
        "Coast's homes, and the island itself will run on wind alone.",
        "dateline": "GANNET ISLAND, Marlow Coast",
        "hours_ago": 64,
        "authors": ["tobias-quarrie", "rosa-fennimore"],
        "tags": ["energy", "wind power", "Gannet Island", "jobs"],
        "picture": "wind-farm",
        "caption": "The Gannet Bank turbines, twelve kilometres off the island's west coast.",
        "credit": "Ledger photo",
        "alt": "Rows of wind turbines in a calm sea under a pale sky.",
        "related": [
            "halloway-orders-six-hybrid-ferries",
            "council-votes-for-year-round-gannet-island-ferry",
        ],
        "body": [
            (
                "paragraph",
                "<p>Corvane Energy switched on the last of the <b>42 turbines</b> at its Gannet "
                "Bank wind farm on Saturday, two months ahead of schedule and, the company "
                "says, within its 1.1-billion-crown budget.</p>"
                "<p>At full strength the farm will generate enough electricity for about "
                "160,000 homes. Gannet Island, connected by a new undersea cable, will "
                "become the first community on the coast to run on wind power alone.</p>",
            ),
            (
                "image",
                {
                    "picture": "ferry-quay",
                    "caption": "Gannet Island, which will get its power from the wind farm "
                    "and, from spring, a year-round ferry.",
                    "credit": "Ledger photo",
                    "alt": "",
                },
            ),
            ("heading", "Charging the ferries"),
            (
                "paragraph",
                "<p>Part of the output will charge the "
                '<a article="halloway-orders-six-hybrid-ferries">hybrid ferries being built '
                "at Brennick</a>, including the boat that will run the "
                '<a article="council-votes-for-year-round-gannet-island-ferry">year-round '
                "island crossing</a>.</p>",
            ),
            (
                "quote",
                {
                    "quote": "The wind off Gannet Bank never really stops. "
                    "For once that is good news for the island.",
                    "attribution": "Sunniva Kade, chief executive of Corvane Energy",
                },
            ),
            (
                "paragraph",
                "<p>Fishing crews are less pleased. The Port Ellis Fishermen's Association "
                "says the turbines have closed <i>some of the best cod grounds on the "
                "coast</i>, and wants compensation.</p>",
            ),
        ],
    },
    {
        "section": "region",
        "slug": "port-ellis-library-reopens",
        "title": "Port Ellis library reopens its doors after a three-year restoration",
        "intro": "",
        "dateline": "PORT ELLIS, Marlow Coast",
        "hours_ago": 45,
        "authors": ["imogen-threlfall"],
        "tags": ["Port Ellis", "culture", "heritage"],
        "picture": "library",
        "caption": "The restored dome of the main reading room.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>More than two thousand people queued on Saturday morning as Port Ellis "
                "central library opened its doors for the first time since a leaking dome "
                "forced it to close three years ago.</p>"
                "<p>Restorers have repaired the <b>1892 plasterwork</b> of the reading room, "
                "replaced the lead roof and found, behind a false wall, a ship's figurehead "
                "that had been missing since the 1930s.</p>",
            ),
            ("heading", "The figurehead returns"),
            (
                "paragraph",
                "<p>The figurehead, a carved woman holding a lantern, came from the "
                "<i>Ellis Star</i>, the ship that gave the city its name. It now stands at "
                "the top of the main staircase.</p>",
            ),
            (
                "quote",
                {
                    "quote": "We knew she was somewhere in the building. "
                    "We just did not expect her behind the toilets.",
                    "attribution": "Bertrand Oakes, head librarian",
                },
            ),
        ],
    },
    {
        "section": "world",
        "slug": "divers-map-cold-water-reef-on-merrow-shelf",
        "title": "Divers map a cold-water coral reef on the Merrow Shelf",
        "intro": "A survey team has charted eleven kilometres of living coral "
        "in water so cold and dark that no one expected to find any.",
        "dateline": "",
        "hours_ago": 28,
        "authors": ["hester-mallory"],
        "tags": ["science", "oceans", "environment"],
        "picture": "reef",
        "caption": "Coral on the Merrow Shelf at a depth of 140 metres.",
        "credit": "Gannet Island Marine Station",
        "related": [LEAD_ARTICLE],
        "body": [
            (
                "paragraph",
                "<p>For three weeks this summer our team of divers and robot submarines "
                "surveyed the Merrow Shelf, a ridge of rock 140 metres below the surface of "
                "the Northern Sea. What we found was a reef of <b>living cold-water "
                "coral</b> eleven kilometres long.</p>",
            ),
            ("heading", "Why it survived"),
            (
                "paragraph",
                "<p>Cold-water corals grow perhaps a millimetre a year and are easily "
                "destroyed by bottom trawling. The Merrow Shelf is so rugged that trawlers "
                "have always avoided it, which may be why the reef is intact.</p>"
                "<p>It lies close to the cable route of the "
                f'<a article="{LEAD_ARTICLE}">Gannet Bank wind farm</a>, and we have asked '
                "Corvane Energy to share its seabed surveys.</p>",
            ),
            (
                "image",
                {
                    "picture": "reef-survey",
                    "caption": "A robot submarine's lights pick out coral branches.",
                    "credit": "Gannet Island Marine Station",
                    "alt": "White and orange coral branches in dark water.",
                },
            ),
        ],
    },
    {
        "section": "business",
        "slug": "strike-cost-coastline-rail-four-million-crowns",
        "title": "Strike cost Coastline Rail 4.2 million crowns, operator says",
        "intro": "The company's first figures on the dispute come as both sides agree to talks.",
        "dateline": "",
        "hours_ago": 11,
        "authors": ["callum-ashdown", "tobias-quarrie"],
        "tags": ["rail", "strikes", "transport"],
        "picture": "signal-box",
        "caption": "Brennick Junction during the strike.",
        "credit": "Ledger photo",
        "related": ["coastline-rail-strike-second-day"],
        "body": [
            (
                "paragraph",
                "<p>Coastline Rail lost <b>4.2 million crowns</b> in fares and replacement "
                "buses during the "
                "<a article=\"coastline-rail-strike-second-day\">two-day drivers' and guards' "
                "strike</a>, its managing director said on Wednesday.</p>"
                "<p>Priya Selwood also said the company would meet the Rail and Maritime "
                "Workers' Guild on Monday, and the guild suspended next week's walkout.</p>",
            ),
            ("heading", "Who pays"),
            (
                "paragraph",
                "<p>Season ticket holders will get <i>two days' refund</i> automatically, "
                "the company said. Most of the loss came from replacement buses, which cost "
                "Coastline Rail 1.6 million crowns to hire at a day's notice.</p>"
                "<p>Businesses in Port Ellis say the strike cost them too. The city's traders' "
                "association estimates that shops and cafés near the station took a third "
                "less than usual on both days.</p>",
            ),
            (
                "quote",
                {
                    "quote": "We will go into Monday's talks with an open mind and a calculator.",
                    "attribution": "Priya Selwood, managing director of Coastline Rail",
                },
            ),
        ],
    },
]

# Stories at each step of the editorial workflow: written by the demo writer and handled by
# the demo editor through Wagtail's workflow (news/editorial/actions), so the dashboards, the
# Articles status column and each story's history show the workflow at first login. They
# need the demo logins, so they are made only where NEWS_DEMO_USERS is on.
WORKFLOW_STORIES = [
    {
        "state": "in_review",
        "section": "region",
        "slug": "brennick-market-hall-to-reopen-after-roof-repairs",
        "title": "Brennick market hall to reopen after two years of roof repairs",
        "intro": "Traders who moved into tents on the quay can go back indoors in time for "
        "the winter fair.",
        "dateline": "BRENNICK, Marlow Coast",
        "authors": ["callum-ashdown"],
        "tags": ["Brennick", "markets"],
        "body": [
            (
                "paragraph",
                "<p>The Victorian market hall in Brennick will reopen on the first Saturday "
                "of next month, after slate, lead and timber across the whole roof were "
                "replaced by hand.</p><p>Its forty stallholders have traded from tents on the "
                "quay since the hall was closed when part of a gable fell in a storm.</p>",
            ),
        ],
    },
    {
        "state": "changes_requested",
        "comment": "Good start. Who says the footbridge will close, and from which date? "
        "Add the council's answer and a line on the diversion.",
        "section": "region",
        "slug": "tamsin-footbridge-faces-closure",
        "title": "Tamsin footbridge faces closure over corroded cables",
        "intro": "Walkers between the two halves of the village may face a six-mile detour.",
        "dateline": "TAMSIN, Marlow Coast",
        "authors": ["rosa-fennimore"],
        "tags": ["Tamsin Valley", "transport"],
        "picture": "seravel-river",
        "caption": "The river at Tamsin, where the footbridge has stood since 1931.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>Inspectors have found rust on two of the four steel cables that hold up "
                "the footbridge over the Tamsin, and it may have to close while they are "
                "replaced.</p>",
            ),
        ],
    },
    {
        "state": "scheduled",
        "go_live_in_hours": 18,
        "section": "business",
        "slug": "halloway-yard-wins-second-hybrid-ferry-order",
        "title": "Halloway yard wins order for a second hybrid ferry",
        "intro": "The contract keeps two hundred welders and fitters busy until the end of "
        "the decade.",
        "dateline": "PORT ELLIS, Marlow Coast",
        "authors": ["tobias-quarrie"],
        "tags": ["ferries", "shipbuilding", "jobs"],
        "picture": "hybrid-ferry",
        "caption": "An artist's impression of the ferries Halloway is building.",
        "credit": "Halloway Shipbuilders",
        "body": [
            (
                "paragraph",
                "<p>Halloway Shipbuilders has won an order for a second battery-and-diesel "
                "ferry from the Northern Sea Line, a month after the first was laid down on "
                "the same slipway.</p><p>The yard said the two boats would be built side by "
                "side, with the second due in service three years from now.</p>",
            ),
        ],
    },
    {
        "state": "published_with_draft",
        "draft_intro": "The library reopens on Saturday with longer hours on weekdays, and "
        "a new room for the town's archive.",
        "section": "region",
        "slug": "port-ellis-library-sets-reopening-date",
        "title": "Port Ellis library sets its reopening date",
        "intro": "The library reopens on Saturday with longer hours on weekdays.",
        "dateline": "PORT ELLIS, Marlow Coast",
        "authors": ["imogen-threlfall"],
        "tags": ["Port Ellis", "libraries"],
        "picture": "library",
        "caption": "The reading room, with its plasterwork restored.",
        "credit": "Ledger photo",
        "body": [
            (
                "paragraph",
                "<p>The central library on Harbour Row will open its doors again on Saturday "
                "morning, eighteen months after it closed for rewiring.</p><p>It will stay "
                "open until eight in the evening from Monday to Thursday.</p>",
            ),
            (
                "quote",
                {
                    "quote": "People kept asking when, not whether. Now we can tell them.",
                    "attribution": "Ines Garvey, head librarian",
                },
            ),
            ("heading", "What has changed"),
            (
                "paragraph",
                "<p>The wiring, the heating and the lift are new; the oak tables, the "
                "plasterwork and the long queue for the newspapers are not.</p>",
            ),
        ],
    },
]

DEMO_USERS = [
    {
        "username": "admin",
        "first_name": "Morwenna",
        "last_name": "Pike",
        "is_superuser": True,
        "group": None,
    },
    {
        "username": "editor",
        "first_name": "Edwin",
        "last_name": "Carrow",
        "is_superuser": False,
        "group": "Editors",
    },
    {
        "username": "writer",
        "first_name": "Wren",
        "last_name": "Talbot",
        "is_superuser": False,
        "group": "Writers",
    },
]

# Each picture's rights (news.PictureRights), by the credit its stories give it: our own,
# the agencies' (with their terms and, for one, an expiry a month after the load), a licensed
# handout and a Creative Commons one. Pictures not named here are staff pictures.
PICTURE_RIGHTS = {
    "treaty-signing": {
        "licence": "agency",
        "copyright_holder": "AFP",
        "usage_terms": "Editorial use only. No sales.",
    },
    "seravel-river": {
        "licence": "agency",
        "copyright_holder": "AFP",
        "usage_terms": "Editorial use only, for 30 days from first publication.",
        "expires_in_days": 30,
    },
    "aid-convoy": {
        "licence": "agency",
        "copyright_holder": "AFP",
        "usage_terms": "Editorial use only. No sales.",
    },
    "ash-cloud": {"licence": "agency", "copyright_holder": "Northwire Agency"},
    "departures-board": {"licence": "agency", "copyright_holder": "Northwire Agency"},
    "apple-press": {"licence": "agency", "copyright_holder": "Northwire Agency"},
    "hybrid-ferry": {
        "licence": "licensed",
        "copyright_holder": "Halloway Shipping",
        "usage_terms": "Handout: free to use with stories about Halloway Shipping.",
    },
    "reef": {
        "licence": "creative_commons",
        "licence_name": "CC BY 4.0",
        "copyright_holder": "Gannet Island Marine Station",
        "usage_terms": "Credit the Gannet Island Marine Station.",
    },
}

# Notes added to a published story after it went live (news.CorrectionNote): they show under
# the story, at /corrections/ and in its feeds.
CORRECTIONS = {
    "aid-convoy-reaches-northern-dravosk": [
        (
            "correction",
            "An earlier version of this story said the convoy had 45 lorries. It had 40.",
        ),
        ("update", "The Northern Relief Coalition says a second convoy will leave on Friday."),
    ],
}

ARTICLE_LINK = re.compile(r'<a article="([\w-]+)">')


# A live blog in the Region section, its posts oldest first: (minutes after the start,
# author slug, headline, text, key event, pinned).
LIVE_BLOG = {
    "section": "region",
    "title": "Storm Agnes: live updates",
    "slug": "storm-agnes-live",
    "intro": "Gales and flooding along the coast: closures, warnings and rescues as they happen.",
}
LIVE_POSTS = [
    (
        0,
        "rosa-fennimore",
        "Red warning issued",
        "<p>The forecaster has issued a <b>red warning</b> "
        "for wind along the whole coast from 18:00.</p>",
        True,
        False,
    ),
    (
        25,
        "callum-ashdown",
        "",
        "<p>The harbour master has ordered all small craft to stay in port.</p>",
        False,
        False,
    ),
    (
        50,
        "rosa-fennimore",
        "What to do tonight",
        "<p>Stay indoors, keep away from sea walls and "
        "check on neighbours.</p><ul><li>Emergency line: 112</li><li>Road closures: see below"
        "</li></ul>",
        False,
        True,
    ),
    (
        80,
        "callum-ashdown",
        "Coast road closed",
        "<p>Police have closed the coast road between "
        "the bridge and the ferry terminal after waves breached the wall.</p>",
        True,
        False,
    ),
    (
        95,
        "rosa-fennimore",
        "",
        "<p>Gusts of 140 km/h recorded at the lighthouse.</p>",
        False,
        False,
    ),
]


def load_demo(stdout=None):
    """Build the demo newsroom, reusing what already exists; returns counts of what it created."""
    counts = dict.fromkeys(
        [
            *("sections", "articles", "authors", "images", "tags", "related_links"),
            *("live_blogs", "live_posts", "users"),
        ],
        0,
    )

    def report(message):
        if stdout is not None:
            stdout.write(message + "\n")

    # Generated picture files stay in storage if the load fails: they are reused by title.
    with transaction.atomic():
        home = _home_page()
        collection = _demo_collection()

        pictures = {}
        for key, (title, description, palette) in PICTURES.items():
            pictures[key] = _image(
                title, description, _landscape(title, palette), collection, counts
            )

        authors = {}
        for fields in AUTHORS:
            author, created = Author.objects.get_or_create(
                slug=fields["slug"], defaults={k: v for k, v in fields.items() if k != "slug"}
            )
            if created:
                counts["authors"] += 1
                report(f"Author: {author.name}")
            if created and author.slug in PORTRAITS:
                title = f"Portrait of {author.name}"
                author.photo = _image(
                    title,
                    title,
                    _portrait(title, PORTRAITS[author.slug]),
                    collection,
                    counts,
                )
                author.save(update_fields=["photo"])
            authors[author.slug] = author

        sections = {}
        for fields in SECTIONS:
            section = SectionPage.objects.child_of(home).filter(slug=fields["slug"]).first()
            if section is None:
                section = SectionPage(**fields)
                home.add_child(instance=section)
                section.save_revision().publish()
                counts["sections"] += 1
                report(f"Section: {section.title}")
            sections[fields["slug"]] = section

        articles = {}
        now = timezone.now()
        for story in ARTICLES:
            section = sections[story["section"]]
            article = ArticlePage.objects.child_of(section).filter(slug=story["slug"]).first()
            if article is None:
                article = _publish_article(section, story, now, authors, pictures, articles, counts)
                report(f"Article: {article.title}")
            articles[story["slug"]] = article

        _lead_with(home, articles[LEAD_ARTICLE], [articles[slug] for slug in HOME_TOP_STORIES])
        for slug, (lead, top) in SECTION_FRONTS.items():
            _lead_with(sections[slug], articles[lead], [articles[story] for story in top])
        _breaking_news(articles[BANNER["article"]], now)

        for key, image in pictures.items():
            _rights(image, PICTURE_RIGHTS.get(key, {}), now)
        for slug, notes in CORRECTIONS.items():
            if _correct(articles[slug], notes):
                report(f"Corrected: {articles[slug].title}")

        if _live_blog(sections[LIVE_BLOG["section"]], authors, pictures, now, counts):
            report(f"Live blog: {LIVE_BLOG['title']}")

        if settings.NEWS_DEMO_USERS:
            for fields in DEMO_USERS:
                if _demo_user(fields):
                    counts["users"] += 1
                    report(f"User: {fields['username']}")
            writer, editor = _demo_newsroom_pair()
            for story in WORKFLOW_STORIES:
                section = sections[story["section"]]
                if not ArticlePage.objects.child_of(section).filter(slug=story["slug"]).exists():
                    article = _workflow_story(
                        section, story, writer, editor, authors, pictures, counts
                    )
                    counts["articles"] += 1
                    report(f"Article ({article.editorial_status}): {article.title}")

    return counts


def _live_blog(section, authors, pictures, now, counts):
    """The demo live blog, live, with its posts; None when it exists already."""
    if LiveBlogPage.objects.child_of(section).filter(slug=LIVE_BLOG["slug"]).exists():
        return None
    start = now - timedelta(hours=2)
    page = LiveBlogPage(
        title=LIVE_BLOG["title"],
        slug=LIVE_BLOG["slug"],
        intro=LIVE_BLOG["intro"],
        lead_image=pictures.get("ferry-quay"),
        status="live",
        coverage_start=start,
    )
    section.add_child(instance=page)
    page.save_revision().publish()
    for minutes, author, headline, text, key_event, pinned in LIVE_POSTS:
        post = LivePost(
            live_blog=page,
            posted_at=start + timedelta(minutes=minutes),
            author=authors[author],
            headline=headline,
            body=text,
            key_event=key_event,
            pinned=pinned,
            live=False,
        )
        post.save()
        post.save_revision().publish()
        counts["live_posts"] += 1
    counts["live_blogs"] += 1
    return page


def _home_page():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = site.root_page.specific if site else None
    if not isinstance(home, HomePage):
        raise LookupError("The default site has no HomePage at its root: run `migrate` first.")
    if not site.site_name:
        site.site_name = SITE_NAME
        site.save(update_fields=["site_name"])
    return home


def _demo_collection():
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(
        name=COLLECTION_NAME
    )


def _image(title, description, picture, collection, counts):
    """The Wagtail image with this title, saved from the Pillow picture if it is missing."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    image = Image(
        title=title,
        description=description,
        collection=collection,
        file=ImageFile(buffer, name=f"demo-{slugify(title)}.jpg"),
        file_size=len(buffer.getvalue()),
        file_hash=hash_filelike(buffer),
    )
    image.save()
    counts["images"] += 1
    return image


def _landscape(seed, palette, size=(1600, 900)):
    """A sky gradient, a sun and three ranges of hills, shaped by the seed."""
    sky_top, sky_bottom, land, sun = palette
    rng = random.Random(seed)
    width, height = size
    picture = ImageOps.colorize(PILImage.linear_gradient("L").resize(size), sky_top, sky_bottom)
    draw = ImageDraw.Draw(picture)
    radius = rng.randint(50, 110)
    x, y = rng.randint(radius, width - radius), rng.randint(radius, height // 2)
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=sun)
    for depth in range(3):
        horizon = height * (0.5 + 0.15 * depth)
        points = [(0, height)]
        points += [(step, horizon + rng.uniform(-70, 70)) for step in range(0, width + 160, 160)]
        points.append((width, height))
        draw.polygon(points, fill=tuple(int(c * (1 - 0.3 * depth)) for c in land))
    return picture


def _portrait(seed, palette, size=(800, 800)):
    """A head-and-shoulders silhouette on a gradient, in the author's colours."""
    dark, light = palette
    rng = random.Random(seed)
    width, height = size
    picture = ImageOps.colorize(PILImage.linear_gradient("L").resize(size), light, dark)
    draw = ImageDraw.Draw(picture)
    cx = width // 2 + rng.randint(-40, 40)
    draw.ellipse((cx - 260, height * 0.62, cx + 260, height * 1.3), fill=dark)
    draw.ellipse((cx - 130, height * 0.2, cx + 130, height * 0.58), fill=dark)
    return picture


def _publish_article(section, story, now, authors, pictures, articles, counts):
    """Create and publish one story at its staggered time, with bylines, tags and links."""
    published_at = now - timedelta(hours=story["hours_ago"])
    article = ArticlePage(
        title=story["title"],
        slug=story["slug"],
        intro=story["intro"],
        dateline=story["dateline"],
        lead_image=pictures[story["picture"]],
        lead_image_caption=story["caption"],
        lead_image_credit=story["credit"],
        lead_image_alt=story.get("alt", ""),
        body=[_block(kind, value, pictures, articles) for kind, value in story["body"]],
        live=False,
        # Publishing keeps a preset first_published_at, which orders the listings.
        first_published_at=published_at,
    )
    # modelcluster's add() leaves sort_order empty (only the admin form numbers rows),
    # and the byline reads in sort_order.
    for order, slug in enumerate(story["authors"]):
        article.article_authors.add(ArticleAuthor(author=authors[slug], sort_order=order))
    for order, slug in enumerate(story.get("related", [])):
        article.related_links.add(RelatedArticle(article=articles[slug], sort_order=order))
    article.tags.add(*[_tag(name, counts) for name in story["tags"]])

    section.add_child(instance=article)
    article.save_revision().publish()
    updated_at = published_at + timedelta(hours=story.get("updated_after_hours", 0))
    ArticlePage.objects.filter(pk=article.pk).update(last_published_at=min(updated_at, now))

    counts["articles"] += 1
    counts["related_links"] += len(story.get("related", []))
    return article


def _rights(image, fields, now):
    """The picture's rights, set once (an editor's later change is kept)."""
    fields = dict(fields)
    days = fields.pop("expires_in_days", None)
    if days is not None:
        fields["expires_at"] = now + timedelta(days=days)
    fields.setdefault("licence", "staff")
    if fields["licence"] == "staff":
        fields.setdefault("copyright_holder", SITE_NAME)
    PictureRights.objects.get_or_create(image=image, defaults=fields)


def _correct(article, notes):
    """Add the notes to a live story as one reviewed change, unless it has notes already."""
    if article.corrections.exists():
        return False
    draft = article.get_latest_revision_as_object()
    for order, (kind, text) in enumerate(notes):
        draft.corrections.add(CorrectionNote(kind=kind, text=text, sort_order=order))
    draft.save_revision().publish()
    return True


def _demo_newsroom_pair():
    """The demo writer and editor (the users DEMO_USERS names in those groups)."""
    User = get_user_model()
    return User.objects.get(username="writer"), User.objects.get(username="editor")


def _workflow_story(section, story, writer, editor, authors, pictures, counts):
    """A story the writer wrote and the desk handled up to `story["state"]`, through
    Wagtail's workflow: submitted, sent back with a comment, approved for a later go-live,
    or approved and then given a newer draft. Its history holds each step."""
    from .editorial.actions import ApproveAction, RequestChangesAction, SubmitForReviewAction

    go_live_in = story.get("go_live_in_hours")
    article = ArticlePage(
        title=story["title"],
        slug=story["slug"],
        intro=story["intro"],
        dateline=story["dateline"],
        lead_image=pictures.get(story.get("picture")),
        lead_image_caption=story.get("caption", ""),
        lead_image_credit=story.get("credit", ""),
        body=[_block(kind, value, pictures, {}) for kind, value in story["body"]],
        live=False,
        owner=writer,
        go_live_at=timezone.now() + timedelta(hours=go_live_in) if go_live_in else None,
    )
    for order, slug in enumerate(story["authors"]):
        article.article_authors.add(ArticleAuthor(author=authors[slug], sort_order=order))
    article.tags.add(*[_tag(name, counts) for name in story["tags"]])
    section.add_child(instance=article)
    # Wagtail logs the creation by the owner; the revision is the writer's.
    article.save_revision(user=writer)

    def fresh():
        return ArticlePage.objects.get(pk=article.pk)

    SubmitForReviewAction(fresh(), writer).execute()
    state = story["state"]
    if state == "changes_requested":
        RequestChangesAction(fresh(), editor, comment=story["comment"]).execute()
    elif state in ("scheduled", "published_with_draft"):
        # The second read: the editor approves what the writer wrote last.
        ApproveAction(fresh(), editor).execute()
    if state == "published_with_draft":
        draft = fresh().get_latest_revision_as_object()
        draft.intro = story["draft_intro"]
        draft.save_revision(user=writer, log_action=True)
    return fresh()


def _block(kind, value, pictures, articles):
    if kind == "paragraph":
        return kind, RichText(
            ARTICLE_LINK.sub(lambda m: f'<a linktype="page" id="{articles[m.group(1)].pk}">', value)
        )
    if kind == "image":
        value = {**value, "image": pictures[value["picture"]]}
        del value["picture"]
    return kind, value


def _tag(name, counts):
    tag, created = Tag.objects.get_or_create(name=name)
    counts["tags"] += created
    return tag


def _lead_with(front_page, lead, top=()):
    """Arrange a front (its lead, then its top stories), unless an editor already has."""
    # A fresh copy, since adding sections changed the tree under the one in hand; and its
    # latest revision, so an editor's unpublished draft is not lost.
    page = type(front_page).objects.get(pk=front_page.pk).get_latest_revision_as_object()
    if page.lead_article_id is not None or list(page.front_stories.all()):
        return
    rows = page.front_stories.model
    page.lead_article = lead
    page.front_stories = [rows(article=story, sort_order=n) for n, story in enumerate(top)]
    page.save_revision().publish()


def _breaking_news(article, now):
    """A banner on every page for the next hours, unless the desk ever set one."""
    if BreakingNews.objects.exists():
        return
    banner = BreakingNews.objects.create(
        text=BANNER["text"],
        article=article,
        expires_at=now + timedelta(hours=BANNER["hours"]),
        live=False,
    )
    banner.save_revision().publish()


def _demo_user(fields):
    """Create a demo login (password = username) unless it exists; True when created."""
    User = get_user_model()
    username = fields["username"]
    if User.objects.filter(username=username).exists():
        return False
    create = User.objects.create_superuser if fields["is_superuser"] else User.objects.create_user
    user = create(
        username=username,
        email=f"{username}@example.com",
        password=username,
        first_name=fields["first_name"],
        last_name=fields["last_name"],
    )
    if fields["group"]:
        # The editorial groups come from a data migration; without them a plain permission
        # is the least that lets the user log in to the admin.
        group = Group.objects.filter(name=fields["group"]).first()
        if group is not None:
            user.groups.add(group)
        else:
            user.user_permissions.add(
                Permission.objects.get(
                    content_type__app_label="wagtailadmin", codename="access_admin"
                )
            )
    return True
